"""Name lists (名单): drawn from a scan, announced for objections (公示) on public pages, and
confirmed by the listed enterprises with one click (免申即享)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.middleware import membership_optional
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page
from zhizao.common.pagination import paginate

from .. import access
from ..enums import Eligibility, EntryState, NameListState
from ..errors import PolicyError
from ..lists import PUBLIC_NAME_LISTS
from ..models import Decision, NameListEntry
from ..services import namelists, payments

PUBLIC_STATES = (EntryState.LISTED, EntryState.CONFIRMED)


@login_required
@require_POST
def name_list_new(request, pk):
    scan = access.access_scan(request.membership, pk)
    try:
        name_list = namelists.create_name_list(
            actor_for_request(request), scan, title=request.POST.get("title", "")
        )
    except PolicyError as error:
        messages.error(request, error.message)
        return redirect("policies:scan_detail", pk=scan.pk)
    messages.success(request, _("Draft name list created. Check it, then announce it."))
    return redirect("policies:name_list_detail", pk=name_list.pk)


@login_required
def name_list_detail(request, pk):
    membership = request.membership
    name_list = access.access_name_list(membership, pk)
    entries = (
        name_list.entries.select_related("enterprise", "project", "confirmed_by")
        .annotate(paid=Sum("payments__amount_yuan"))
        .order_by("id")
    )
    live = [e for e in entries if e.state in PUBLIC_STATES]
    unknown = (
        Decision.objects.filter(scan=name_list.scan, eligible=Eligibility.UNKNOWN)
        .select_related("enterprise", "project")
        .order_by("enterprise__name_sort", "id")
    )
    unknown = paginate(request, unknown)
    return render(
        request,
        "policies/namelist_detail.html",
        {
            "name_list": name_list,
            "item": name_list.item_version.item,
            "entries": entries,
            "listed_total": sum((e.amount_yuan for e in live), start=0),
            "listed_count": len(live),
            "unknown_rows": unknown,
            "page_obj": unknown,
            "budget": payments.budget_use(name_list.item_version.item),
            "default_days": namelists.DEFAULT_OBJECTION_DAYS,
            "NameListState": NameListState,
        },
    )


@login_required
@require_POST
def name_list_announce(request, pk):
    name_list = access.access_name_list(request.membership, pk)
    try:
        namelists.announce_name_list(
            actor_for_request(request),
            name_list,
            days=request.POST.get("days") or namelists.DEFAULT_OBJECTION_DAYS,
        )
    except PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The name list is announced; the listed enterprises have been notified.")
        )
    return redirect("policies:name_list_detail", pk=name_list.pk)


@login_required
@require_POST
def entry_exclude(request, pk):
    entry = access.access_entry(request.membership, pk)
    try:
        namelists.exclude_entry(
            actor_for_request(request), entry, reason=request.POST.get("reason")
        )
    except PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Entry excluded."))
    return redirect("policies:name_list_detail", pk=entry.name_list_id)


# --- public (公示) ----------------------------------------------------------------------------


@membership_optional
@list_page(PUBLIC_NAME_LISTS)
def public_name_lists(request):
    listing = PUBLIC_NAME_LISTS.run(request, access.public_name_lists())
    if listing.response:
        return listing.response
    return render(
        request,
        "policies/namelist_public_list.html",
        {**listing.context(), "name_lists": listing.page_obj.object_list},
    )


@membership_optional
def public_name_list(request, pk):
    """The announced list exactly as announced: names, codes, regions, projects and amounts
    are the copies taken at announcement (``freeze_announcement``), never the live records."""
    name_list = access.access_public_name_list(pk)
    entries = list(
        NameListEntry.objects.filter(name_list=name_list, state__in=PUBLIC_STATES).order_by("id")
    )
    return render(
        request,
        "policies/namelist_public.html",
        {
            "name_list": name_list,
            "entries": entries,
            "total": sum((e.announced_amount_yuan or 0 for e in entries), start=0),
        },
    )


# --- the enterprise's side ------------------------------------------------------------------


@login_required
def my_benefits(request):
    membership = request.membership
    if not access.has_projects(membership):
        raise Http404
    entries = access.own_entries_for(membership).order_by("-name_list__announced_at", "-id")
    return render(request, "policies/namelist_mine.html", {"entries": entries})


@login_required
def entry_confirm(request, pk):
    membership = request.membership
    entry = access.access_own_entry(membership, pk)
    if request.method == "POST":
        try:
            entry, changed = namelists.confirm_entry(actor_for_request(request), entry)
        except PolicyError as error:
            messages.error(request, error.message)
        else:
            if changed:
                messages.success(request, _("Confirmed. The payment follows the stages below."))
        return redirect("policies:entry_confirm", pk=entry.pk)
    return render(
        request,
        "policies/namelist_confirm.html",
        {
            "entry": entry,
            "item": entry.name_list.item_version.item,
            "stages": payments.payment_stages(entry),
            "payments": entry.payments.order_by("paid_on", "id"),
        },
    )


@login_required
@require_POST
def entry_decline(request, pk):
    entry = access.access_own_entry(request.membership, pk)
    try:
        namelists.decline_entry(
            actor_for_request(request), entry, reason=request.POST.get("reason")
        )
    except PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, _("You declined this benefit."))
    return redirect("policies:entry_confirm", pk=entry.pk)
