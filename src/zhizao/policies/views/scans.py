"""免申即享 scans: start a scan of an item version (officers, operators), watch it run, read the
result — counts, amounts against the budget, the credit screen, by city and by industry."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page
from zhizao.common.pagination import paginate
from zhizao.common.widgets import IsoDateInput

from .. import access, engine
from ..enums import Eligibility, ScanState
from ..errors import PolicyError
from ..lists import SCANS
from ..models import Decision, PolicyItemVersion
from ..services import payments, scans

#: the eligible rows a page of the scan shows (``?page=N`` for the others)
ELIGIBLE_PAGE = 50
#: the undecided rows ("need more information") a page shows (``?unknown_page=N``)
UNKNOWN_PAGE = 50
#: what the scan page reads of a decision it lists: not the enterprise's or the project's
#: other fields (their descriptions, products and capabilities are JSON decoded per row), nor
#: the explanation (about 20 steps a row, 50 rows): each row's explanation is folded and read
#: when it is opened (``scan_explanation``); the missing facts only for the undecided rows
DECISION_FIELDS = (
    "eligible",
    "amount_yuan",
    "enterprise__name",
    "project__name",
)


class ScanForm(forms.Form):
    version = forms.ModelChoiceField(
        label=gettext_lazy("Rule version"), queryset=PolicyItemVersion.objects.none()
    )
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        widget=IsoDateInput(),
        help_text=gettext_lazy("The rule version in force and the facts are taken on this date."),
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = item.versions.filter(
            state__in=scans.SCANNABLE_VERSION_STATES
        ).order_by("-number")
        self.fields["version"].label_from_instance = lambda v: (
            f"v{v.number} · {v.get_state_display()} · {v.valid_from:%Y-%m-%d} –"
            f" {v.valid_to:%Y-%m-%d}"
            if v.valid_to
            else f"v{v.number} · {v.get_state_display()} · {v.valid_from:%Y-%m-%d} –"
        )

    def apply_error(self, error: PolicyError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


def localized(rows: list[dict]) -> list[dict]:
    """Summary rows with the name in the page's language."""
    lang = engine.language()
    return [{**row, "label": (row.get("name") or {}).get(lang) or row.get("code")} for row in rows]


@login_required
def scan_new(request, key):
    membership = request.membership
    if not access.can_scan(membership):
        raise Http404
    item = access.access_item(membership, key, write=True)
    current = item.current_version
    form = ScanForm(
        request.POST or None,
        item=item,
        initial={"version": current.pk if current else None, "as_of": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            scan = scans.start_scan(
                actor_for_request(request),
                form.cleaned_data["version"],
                as_of=form.cleaned_data["as_of"],
            )
        except PolicyError as error:
            form.apply_error(error)
        else:
            return redirect("policies:scan_detail", pk=scan.pk)
    recent = (
        access.scans_for(membership)
        .filter(item_version__item=item, sandbox_rule__isnull=True)
        .order_by("-created_at", "-id")[:20]
    )
    return render(
        request,
        "policies/scan_new.html",
        {"item": item, "policy": item.policy, "form": form, "scans": recent},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def scan_detail(request, pk):
    membership = request.membership
    scan = access.access_scan(membership, pk)
    if scan.is_sandbox:
        return redirect("policies:sandbox_detail", pk=scan.pk)
    item = scan.item_version.item
    active = scan.state in (ScanState.QUEUED, ScanState.RUNNING)
    context = {
        "scan": scan,
        "item": item,
        "policy": item.policy,
        "active": active,
        "summary": scan.summary or {},
    }
    if request.htmx and request.htmx.target == "scan-status":
        if active:
            return render(request, "policies/scan_detail.html#status", context)
        # finished while the page was polling: load the whole result
        return HttpResponse(headers={"HX-Refresh": "true"})
    if not active and scan.state == ScanState.DONE:
        decisions = (
            Decision.objects.filter(scan=scan)
            .exclude(eligible=Eligibility.NO)
            .select_related("enterprise", "project")
            .only(*DECISION_FIELDS)
            .order_by("eligible", "-amount_yuan", "enterprise__name_sort", "id")
        )
        excluded = {
            row["enterprise"]: row["reason"] for row in context["summary"].get("excluded", [])
        }
        # every row's explanation link: the scan's explanations address plus the decision
        explanations = reverse("policies:scan_explanation", args=[scan.pk, 0])[: -len("0/")]
        page = paginate(request, decisions.filter(eligible=Eligibility.YES), ELIGIBLE_PAGE)
        unknown = paginate(
            request,
            decisions.filter(eligible=Eligibility.UNKNOWN).only(*DECISION_FIELDS, "missing"),
            UNKNOWN_PAGE,
            param="unknown_page",
        )
        context.update(
            {
                "by_city": localized(context["summary"].get("by_city", [])),
                "by_division": localized(context["summary"].get("by_division", [])),
                "page_obj": page,
                "eligible_rows": [
                    (d, excluded.get(d.enterprise_id), f"{explanations}{d.pk}/")
                    for d in page.object_list
                ],
                "unknown_page": unknown,
                "unknown_rows": unknown.object_list,
                "budget": payments.budget_use(item),
                "name_lists": scan.name_lists.order_by("-created_at"),
            }
        )
    return render(request, "policies/scan_detail.html", context)


@login_required
def scan_explanation(request, pk, decision):
    """One row of a scan explained, opened from its folded row: the steps alone for htmx (they
    replace the fold's placeholder), a page of their own without JavaScript."""
    scan = access.access_scan(request.membership, pk)
    found = (
        Decision.objects.filter(scan=scan, pk=decision)
        .select_related("enterprise", "project")
        .only(*DECISION_FIELDS, "explanation", "scan_id")
        .first()
    )
    if found is None or scan.is_sandbox:
        raise Http404
    item = scan.item_version.item
    context = {"scan": scan, "item": item, "policy": item.policy, "decision": found}
    if request.htmx:
        return render(request, "policies/scan_explanation.html#steps", context)
    return render(request, "policies/scan_explanation.html", context)


@login_required
@list_page(SCANS)
def scan_list(request):
    membership = request.membership
    if not access.can_scan(membership):
        raise Http404
    listing = SCANS.run(request, access.scans_for(membership).filter(sandbox_rule__isnull=True))
    if listing.response:
        return listing.response
    return render(
        request,
        "policies/scan_list.html",
        {**listing.context(), "scans": listing.page_obj.object_list},
    )
