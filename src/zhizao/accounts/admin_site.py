"""The Django admin site of the platform.

The admin's own login form would skip everything our login does (rate limit, failure delays,
two-factor login, the audit log). Here it has none: its login URL sends the visitor to our
login page, and the site opens only to an active staff user who acts as a platform operator.
``is_superuser`` alone opens nothing; a logged-in user who may not enter gets a 404. Passwords
are changed on our security page, which audits the change and revokes API tokens.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .roles import is_operator


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Zhizao administration")
    site_title = _("Zhizao administration")

    def has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return False
        return is_operator(getattr(request, "membership", None))

    def login(self, request, extra_context=None):
        """Our login page. A password posted here is never looked at."""
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or index
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = index
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise Http404
            return redirect(next_url)
        return redirect_to_login(next_url, reverse("accounts:login"))

    def password_change(self, request, extra_context=None):
        return redirect("accounts:security")
