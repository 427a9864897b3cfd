"""我的需求 and 我的供给: demands with the offerings ranked for them, offerings with their cases
and the demands they fit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts import roles
from zhizao.accounts.enums import Role
from zhizao.accounts.roles import role_of
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page
from zhizao.registry.models import Contact
from zhizao_core.matching.lexicon import infer

from .. import access, codes, index, lists, presentation, services
from ..enums import DemandState, OfferingKind, OfferingState
from ..errors import MatchError
from ..forms import (
    REQUIREMENT_SUGGESTIONS,
    CaseForm,
    DemandForm,
    OfferingForm,
    RequestForm,
)
from ..models import Case, Introduction
from .common import picker_options

RESULTS = 10


@login_required
def home(request):
    membership = request.membership
    if roles.is_enterprise(membership):
        return redirect("matchmaking:demand_list")
    if roles.is_supplier(membership):
        return redirect("matchmaking:offering_list")
    if access.can_view_funnel(membership):
        return redirect("matchmaking:funnel")
    raise Http404


# --- demands --------------------------------------------------------------------------------


@login_required
@list_page(lists.DEMANDS)
def demand_list(request):
    """我的需求 (an enterprise); the published demands for providers and banks (the market they
    answer); every demand for staff."""
    membership = request.membership
    if not (
        roles.is_enterprise(membership)
        or roles.is_staff(membership)
        or roles.is_supplier(membership)
    ):
        raise Http404
    listing = lists.DEMANDS.run(
        request, access.demands_for(membership).annotate(n_introductions=Count("introductions"))
    )
    if listing.response:
        return listing.response
    return render(
        request,
        "matchmaking/demand_list.html",
        {
            **listing.context(),
            "demands": listing.page_obj.object_list,
            "can_create": roles.is_enterprise(membership),
            "is_staff": roles.is_staff(membership),
            "all_demands": not roles.is_enterprise(membership),
            # other providers' introductions are not a supplier's business
            "is_supplier": roles.is_supplier(membership),
        },
    )


def _contacts(membership):
    return Contact.objects.filter(organization_id=membership.organization_id).order_by(
        "-is_primary", "id"
    )


def _demand_form_page(request, form, demand):
    return render(
        request,
        "matchmaking/demand_form.html",
        {
            "form": form,
            "demand": demand,
            "options": picker_options(form.data if form.is_bound else form.initial),
            "suggestions": REQUIREMENT_SUGGESTIONS,
        },
        status=400 if form.is_bound else 200,
    )


#: how much of the demand's text the suggestion reads (the box sends it as he types)
SUGGEST_TEXT_LIMIT = 2000


@login_required
def category_suggest(request):
    """htmx, as the manager types his demand: the categories its text points to (problem
    lexicon), each with its confidence and the words it was read from; a click puts one in the
    category field, which he can change."""
    membership = request.membership
    if not roles.is_enterprise(membership):
        raise Http404
    text = "\n".join(request.GET.get(k, "") for k in ("title", "description"))
    suggestions = []
    for inference in infer(text[:SUGGEST_TEXT_LIMIT])[:3]:
        cap = next(
            h.capability for h in inference.hits if inference.category in h.capability.categories
        )
        suggestions.append(
            {
                "category": inference.category,
                "percent": round(inference.confidence * 100),
                "phrases": inference.phrases(),
                "capability": cap.en
                if (translation.get_language() or "").startswith("en")
                else cap.zh,
            }
        )
    return render(
        request,
        "matchmaking/_category_suggestions.html",
        {"suggestions": suggestions, "current": request.GET.get("category", "")},
    )


@login_required
def demand_new(request):
    membership = request.membership
    if not roles.is_enterprise(membership):
        raise Http404
    publish = bool(request.POST.get("publish"))
    form = DemandForm(request.POST or None, contacts=_contacts(membership), publishing=publish)
    if request.method == "POST" and form.is_valid():
        save = services.save_and_publish_demand if publish else services.create_demand
        try:
            demand = save(
                actor_for_request(request), membership.organization, **form.service_values()
            )
        except MatchError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Demand saved."))
            return redirect("matchmaking:demand_detail", pk=demand.pk)
    return _demand_form_page(request, form, None)


@login_required
def demand_edit(request, pk):
    membership = request.membership
    demand = access.access_demand(membership, pk, write=True)
    form = DemandForm(request.POST or None, contacts=_contacts(membership), instance=demand)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_demand(actor_for_request(request), demand, **form.service_values())
        except MatchError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Demand saved."))
            return redirect("matchmaking:demand_detail", pk=demand.pk)
    return _demand_form_page(request, form, demand)


@login_required
def demand_detail(request, pk):
    """The demand with the offerings ranked for it at once, each with its reasons, and the
    request form. Providers see a published demand without its contact person."""
    membership = request.membership
    demand = access.access_demand(membership, pk)
    owner = access.can_edit_demand(membership, demand)
    rows, preparing = [], False
    if owner or roles.is_staff(membership):
        try:  # a page never waits for the index to be built (the worker builds it)
            ranked = index.rank_offerings(demand, top=RESULTS, wait=False)
        except index.NotReady:
            ranked, preparing = [], True
        rows = presentation.offering_rows(ranked, demand=demand)
    introductions = list(
        access.introductions_for(membership).filter(demand=demand).order_by("-updated_at")
    )
    return render(
        request,
        "matchmaking/demand_detail.html",
        {
            "demand": demand,
            "rows": rows,
            "preparing": preparing,
            "owner": owner,
            "show_contact": access.can_see_demand_contact(membership, demand),
            "region_name": codes.region_name(demand.region),
            "industry_name": codes.industry_name(demand.industry),
            "introductions": introductions,
            # a ranked row names its introduction; only the ones this viewer may open link
            "open_introductions": {i.pk for i in introductions},
            "request_form": RequestForm(),
            "contact": demand.contact if owner else None,
            "my_offerings": access.offerings_for(membership).filter(
                provider_id=membership.organization_id, state=OfferingState.PUBLISHED
            )
            if roles.is_supplier(membership)
            else [],
        },
    )


@login_required
@require_POST
def demand_state(request, pk):
    demand = access.access_demand(request.membership, pk, write=True)
    try:
        services.set_demand_state(actor_for_request(request), demand, request.POST.get("state"))
    except MatchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Demand updated."))
    return redirect("matchmaking:demand_detail", pk=demand.pk)


@login_required
@require_POST
def demand_request(request, pk, offering_pk):
    """The enterprise asks for an introduction to a ranked offering."""
    membership = request.membership
    demand = access.access_demand(membership, pk, write=True)
    offering = access.access_offering(membership, offering_pk)
    form = RequestForm(request.POST)
    form.is_valid()
    try:
        introduction = services.request_introduction(
            actor_for_request(request),
            demand=demand,
            offering=offering,
            message=form.cleaned_data.get("message", ""),
            share_contact=demand.contact if form.cleaned_data.get("share_contact") else None,
        )
    except MatchError as error:
        messages.error(request, error.message)
        return redirect("matchmaking:demand_detail", pk=demand.pk)
    messages.success(request, _("Introduction request sent."))
    return redirect("matchmaking:introduction_detail", pk=introduction.pk)


# --- offerings ------------------------------------------------------------------------------


def _kinds(membership):
    if role_of(membership) == Role.BANK:
        return {OfferingKind.FINANCIAL}
    return {OfferingKind.SOLUTION, OfferingKind.PRODUCT, OfferingKind.SERVICE}


#: what the offerings list and its export read of a row (not the descriptions, nor the
#: provider's long texts)
OFFERING_LIST_FIELDS = (
    "kind",
    "title",
    "categories",
    "regions",
    "state",
    "updated_at",
    "provider__name",
)


def _count_of(model):
    """The number of ``model`` rows of each offering, as a correlated subquery: joining cases
    and introductions and grouping by every column made SQLite group and sort the whole
    catalogue (3,001 offerings of the demo: 90 ms) to show 25 rows."""
    rows = (
        model.objects.filter(offering=OuterRef("pk"))
        .order_by()
        .values("offering")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@login_required
@list_page(lists.OFFERINGS)
def offering_list(request):
    """我的供给 (providers and banks); published offerings for enterprises; all for staff."""
    membership = request.membership
    if membership is None:
        raise Http404
    qs = access.offerings_for(membership)
    mine = roles.is_supplier(membership) and request.GET.get("all") != "1"
    if mine:
        qs = qs.filter(provider_id=membership.organization_id)
    qs = qs.only(*OFFERING_LIST_FIELDS).annotate(
        n_cases=_count_of(Case), n_introductions=_count_of(Introduction)
    )
    listing = lists.OFFERINGS.run(request, qs)
    if listing.response:
        return listing.response
    if request.GET.get("all") == "1":
        listing.keep.append(("all", "1"))
    return render(
        request,
        "matchmaking/offering_list.html",
        {
            **listing.context(),
            "offerings": listing.page_obj.object_list,
            "mine": mine,
            "can_create": roles.is_supplier(membership),
            "is_staff": roles.is_staff(membership),
        },
    )


@login_required
def offering_new(request):
    membership = request.membership
    if not roles.is_supplier(membership):
        raise Http404
    publish = bool(request.POST.get("publish"))
    form = OfferingForm(request.POST or None, kinds=_kinds(membership), publishing=publish)
    if request.method == "POST" and form.is_valid():
        save = services.save_and_publish_offering if publish else services.create_offering
        try:
            offering = save(
                actor_for_request(request), membership.organization, **form.service_values()
            )
        except MatchError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Offering saved."))
            return redirect("matchmaking:offering_detail", pk=offering.pk)
    return render(
        request,
        "matchmaking/offering_form.html",
        {"form": form, "offering": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def offering_edit(request, pk):
    membership = request.membership
    offering = access.access_offering(membership, pk, write=True)
    form = OfferingForm(request.POST or None, instance=offering, kinds=_kinds(membership))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_offering(actor_for_request(request), offering, **form.service_values())
        except MatchError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Offering saved."))
            return redirect("matchmaking:offering_detail", pk=offering.pk)
    return render(
        request,
        "matchmaking/offering_form.html",
        {"form": form, "offering": offering},
        status=400 if form.is_bound else 200,
    )


@login_required
def offering_detail(request, pk, *, case_form=None, status=200):
    """An offering with its cases; for its provider, the published demands it fits, ranked
    the other way round, with the same reasons (never a demand's contact person)."""
    membership = request.membership
    offering = access.access_offering(membership, pk)
    owner = access.can_edit_offering(membership, offering)
    rows, preparing = [], False
    if owner and offering.state != OfferingState.WITHDRAWN:
        try:
            ranked = index.rank_demands(offering, top=RESULTS, wait=False)
        except index.NotReady:
            ranked, preparing = [], True
        rows = presentation.demand_rows(ranked, offering=offering)
    return render(
        request,
        "matchmaking/offering_detail.html",
        {
            "offering": offering,
            "cases": offering.cases.order_by("-year", "id"),
            "owner": owner,
            "rows": rows,
            "preparing": preparing,
            "case_form": case_form or CaseForm(),
            "request_form": RequestForm(),
            "region_names": [codes.region_name(c) for c in offering.regions],
            "industry_names": [f"{c} {codes.industry_name(c)}" for c in offering.industries],
            "my_demands": access.demands_for(membership).filter(
                enterprise_id=membership.organization_id, state=DemandState.PUBLISHED
            )
            if roles.is_enterprise(membership)
            else [],
        },
        status=status,
    )


@login_required
@require_POST
def offering_state(request, pk):
    offering = access.access_offering(request.membership, pk, write=True)
    try:
        services.set_offering_state(actor_for_request(request), offering, request.POST.get("state"))
    except MatchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Offering updated."))
    return redirect("matchmaking:offering_detail", pk=offering.pk)


@login_required
@require_POST
def case_add(request, pk):
    offering = access.access_offering(request.membership, pk, write=True)
    form = CaseForm(request.POST)
    if form.is_valid():
        try:
            services.add_case(actor_for_request(request), offering, **form.cleaned_data)
        except MatchError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Case added."))
            return redirect("matchmaking:offering_detail", pk=offering.pk)
    return offering_detail(request, offering.pk, case_form=form, status=400)


@login_required
@require_POST
def case_delete(request, pk):
    case = access.access_case(request.membership, pk)
    services.remove_case(actor_for_request(request), case)
    messages.success(request, _("Case removed."))
    return redirect("matchmaking:offering_detail", pk=case.offering_id)


@login_required
@require_POST
def offering_request(request, pk, demand_pk):
    """A provider or bank offers its offering to a published demand."""
    membership = request.membership
    offering = access.access_offering(membership, pk, write=True)
    demand = access.access_demand(membership, demand_pk)
    form = RequestForm(request.POST)
    form.is_valid()
    try:
        introduction = services.request_introduction(
            actor_for_request(request),
            demand=demand,
            offering=offering,
            message=form.cleaned_data.get("message", ""),
        )
    except MatchError as error:
        messages.error(request, error.message)
        return redirect("matchmaking:offering_detail", pk=offering.pk)
    messages.success(request, _("Introduction request sent."))
    return redirect("matchmaking:introduction_detail", pk=introduction.pk)
