"""The acting membership, set once per request.

``ActingMembershipMiddleware`` resolves the membership a logged-in user acts in from the
session's choice and sets ``request.membership`` (and ``request.memberships``, the user's
active ones). A choice that is no longer valid is refused, never replaced by another
membership: pages send the user to the chooser, which says why. API requests are resolved by
the ``ActsInMembership`` permission after DRF has authenticated the token, from the
``X-Zhizao-Membership`` header, which never touches a session.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .selectors import (
    SESSION_KEY,
    MembershipChoice,
    memberships_for_user,
    resolve_membership,
    set_request_membership,
)

# Pages that work without an acting membership: logging in and out, choosing one, one's own
# security settings; and paths outside the pages: the API (DRF resolves the membership),
# language switching, health, the admin (which has its own login).
EXEMPT_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:login_totp",
        "accounts:logout",
        "accounts:choose_membership",
        "accounts:switch_membership",
        "accounts:security",
    }
)
EXEMPT_PREFIXES = ("/api/", "/i18n/", "/jsi18n/", "/healthz", "/django-admin/")


def membership_optional(view):
    """Mark a page that anyone may open (public pages): no acting membership needed."""
    view.membership_optional = True
    return view


class ActingMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = memberships_for_user(user)
            membership, reason = resolve_membership(memberships, request.session.get(SESSION_KEY))
        else:
            memberships, membership, reason = [], None, MembershipChoice.NONE
        set_request_membership(request, membership, memberships, reason)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.membership is not None or not request.user.is_authenticated:
            return None
        path = request.path_info
        static = (settings.STATIC_URL or "/static/").rstrip("/") + "/"
        if path.startswith(EXEMPT_PREFIXES) or path.startswith(static):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        view_class = getattr(view_func, "view_class", None)
        if getattr(view_func, "membership_optional", False) or getattr(
            view_class, "membership_optional", False
        ):
            return None
        return redirect(
            f"{reverse('accounts:choose_membership')}?{urlencode({'next': request.get_full_path()})}"
        )
