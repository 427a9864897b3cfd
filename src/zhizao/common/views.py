from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View, defaults

from zhizao.accounts.selectors import can_view_audit_log

from .audit_list import AUDIT_LOG
from .models import AuditEntry
from .navigation import home_blocks, workbench_for
from .notifications import mark_read, notifications_for


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


class HomeView(View):
    """The acting role's workbench (工作台): what waits for it, its figures and shortcuts, from
    the providers the apps register (``zhizao.common.navigation``), then the blocks. A visitor
    who is not logged in gets the landing page (the public pages and the way in)."""

    def get(self, request):
        membership = request.membership
        bench = workbench_for(request, membership)
        if not request.user.is_authenticated:
            return render(request, "common/landing.html", {"workbench": bench})
        return render(
            request,
            "home.html",
            {
                "workbench": bench,
                "today": timezone.localdate(),
                "soon": timezone.localdate() + dt.timedelta(days=7),
                "blocks": home_blocks(request, membership),
            },
        )


class AuditLogView(LoginRequiredMixin, View):
    list_spec = AUDIT_LOG

    def get(self, request):
        if not can_view_audit_log(request.membership):
            raise Http404
        entries = AuditEntry.objects.select_related("content_type")
        listing = AUDIT_LOG.run(request, entries)
        if listing.response:
            return listing.response
        return render(
            request,
            "common/audit_log.html",
            {**listing.context(), "entries": listing.page_obj.object_list},
        )


class StyleguideView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "styleguide.html")


class NotificationListView(LoginRequiredMixin, View):
    """通知: the acting organisation's notifications, newest first."""

    def get(self, request):
        membership = request.membership
        paginator = Paginator(notifications_for(membership), 25)
        page = paginator.get_page(request.GET.get("page"))
        return render(
            request,
            "common/notifications.html",
            {"notifications": page.object_list, "page_obj": page},
        )


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one notification (``id``) or all of them read."""

    def post(self, request):
        raw = request.POST.get("id", "")
        mark_read(request.membership, pk=int(raw) if raw.isdigit() else None)
        return redirect("notifications")


# --- error pages: the platform's layout, the user's language, a way back -------------------


def _back_link(request) -> str:
    """The page the user came from, when it is one of ours (never another site)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        if urlsplit(referer).path != request.path:
            return referer
    return ""


def _error_page(request, status: int, template: str):
    return render(request, template, {"back": _back_link(request)}, status=status)


def bad_request(request, exception=None):
    return _error_page(request, 400, "400.html")


def permission_denied(request, exception=None):
    return _error_page(request, 403, "403.html")


def csrf_failure(request, reason=""):
    """A form sent with a stale or missing security token (an old tab, cookies cleared): the
    403 page in the layout and the user's language, not Django's English one."""
    return _error_page(request, 403, "403.html")


def method_not_allowed(request):
    return _error_page(request, 405, "405.html")


def page_not_found(request, exception=None):
    return _error_page(request, 404, "404.html")


def server_error(request):
    """The 500 page in the layout; if even that fails (the database is gone), Django's own
    plain page."""
    try:
        return render(request, "500.html", {"back": ""}, status=500)
    except Exception:  # the page that reports an error must not raise one
        return defaults.server_error(request)


@login_required
def tree_options(request, tree: str):
    """The children of one region or industry as ``<option>``s, for the narrowing pickers
    (``zhizao.common.pickers``): ``?parent=320000`` gives Jiangsu's cities, ``?parent=320200``
    Wuxi's current districts, a district nothing; ``within`` (an officer's jurisdiction) keeps
    only the children on its path. An unknown or malformed code is a 400 with no options."""
    from .pickers import TREES

    picker = TREES[tree]
    parent = (request.GET.get("parent") or "").strip()
    node = picker.nodes([parent]).get(parent) if 0 < len(parent) <= 6 else None
    if node is None:
        return HttpResponseBadRequest("", content_type="text/html; charset=utf-8")
    children = picker.children(node.code)
    within_code = (request.GET.get("within") or "").strip()
    within = picker.nodes([within_code]).get(within_code) if 0 < len(within_code) <= 6 else None
    if within is not None:
        on_path = {n.code for n in picker.path(within)}
        if node.code not in on_path and not picker.is_within(node, within):
            children = []
        elif node.code != within.code and node.code in on_path:
            children = [c for c in children if c.code in on_path]
    depth = picker.depth(node) + 1
    # a form's picker asks to choose (choose=1); a filter's empty option means everything
    empties = (
        picker.choose_placeholders if request.GET.get("choose") == "1" else picker.placeholders
    )
    placeholder = empties[depth] if depth < len(picker.levels) else ""
    response = render(
        request,
        "common/widgets/tree_options.html",
        {"options": [(c.code, c.name) for c in children], "placeholder": placeholder},
    )
    return response
