"""Calls: the list, a call's page (stages, eligibility in words, categories, rubric), and
the selection office's set-up: template, settings, form editor, stages, eligibility,
nominating bodies with quotas, rubric, open/close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page
from zhizao.registry.models import Organization

from .. import access, lists
from ..eligibility import check_eligibility, describe_eligibility
from ..eligibility_form import EligibilityEditor
from ..enums import STAGE_ORDER, StageKind
from ..errors import CallError
from ..forms import CallCreateForm, CallSettingsForm, FieldForm
from ..models import CallCategory, RubricCriterion
from ..selectors import call_counts, quota_left
from ..services import calls as services
from .common import done, parse_local


@login_required
@list_page(lists.CALLS)
def call_list(request):
    membership = request.membership
    listing = lists.CALLS.run(request, access.calls_for(membership))
    if listing.response:
        return listing.response
    page = listing.page_obj
    counts = call_counts([c.pk for c in page.object_list])
    mine = access.applications_for(membership).filter(applicant_id=membership.organization_id)
    return render(
        request,
        "calls/call_list.html",
        {
            **listing.context(),
            "calls": [(c, sum(counts.get(c.pk, {}).values())) for c in page.object_list],
            "mine": mine.order_by("-id")[:20],
            "can_create": access.can_create_call(membership),
        },
    )


@login_required
def call_new(request):
    membership = request.membership
    if not access.can_create_call(membership):
        raise Http404
    form = CallCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(
                actor_for_request(request),
                host=Organization.objects.get(pk=membership.organization_id),
                title=form.cleaned_data["title"],
                year=form.cleaned_data["year"],
                template=form.cleaned_data["template"] or "",
                summary=form.cleaned_data["summary"],
            )
        except CallError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Call created."))
            return redirect("calls:call_detail", pk=call.pk)
    return render(
        request, "calls/call_new.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def call_detail(request, pk):
    membership = request.membership
    call = access.access_call(membership, pk)
    manage = access.can_manage_call(membership, call)
    stages = {s.kind: s for s in call.stages.all()}
    eligibility = None
    if access.can_apply(membership, call):
        eligibility = check_eligibility(
            call,
            Organization.objects.get(pk=membership.organization_id),
            as_of=timezone.localdate(),
        )
    context = {
        "call": call,
        "manage": manage,
        "stages": [(kind, StageKind(kind).label, stages.get(kind)) for kind in STAGE_ORDER],
        "eligibility_text": describe_eligibility(call),
        "eligibility": eligibility,
        "categories": list(call.categories.all()),
        "fields": list(call.fields.all()),
        "criteria": list(call.criteria.all()),
        "can_apply": access.can_apply(membership, call),
        "nominators": Organization.objects.filter(nomination_quotas__call=call).distinct(),
        "is_nominator": call.quotas.filter(nominator_id=membership.organization_id).exists()
        and membership.role in access.NOMINATOR_ROLES,
    }
    if manage:
        context.update(
            settings_form=CallSettingsForm(
                initial={f: getattr(call, f) for f in CallSettingsForm.base_fields}
            ),
            field_form=FieldForm(),
            quotas=list(call.quotas.select_related("nominator", "category")),
            candidates=Organization.objects.filter(
                memberships__role__in=access.NOMINATOR_ROLES, memberships__is_active=True
            )
            .distinct()
            .order_by("name_sort")[:200],
            eligibility_editor=EligibilityEditor(call, lang=get_language() or "zh-hans"),
            rubric_rows=list(call.criteria.all()) + [None] * 2,
        )
    if context["is_nominator"]:
        context["quota_left"] = quota_left(call, membership.organization_id)
    return render(request, "calls/call_detail.html", context)


def _managed(request, pk):
    return access.access_call(request.membership, pk, manage=True)


@login_required
@require_POST
def call_settings(request, pk):
    call = _managed(request, pk)
    form = CallSettingsForm(request.POST)
    error = None
    if not form.is_valid():
        error = CallError("invalid", "；".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
    else:
        try:
            services.update_call(actor_for_request(request), call, form.cleaned_data)
        except CallError as exc:
            error = exc
    return done(request, error, _("Saved."), "calls:call_detail", call.pk)


@login_required
@require_POST
def call_state(request, pk):
    call = _managed(request, pk)
    error = None
    try:
        services.set_call_state(actor_for_request(request), call, to=request.POST.get("to", ""))
    except CallError as exc:
        error = exc
    return done(request, error, _("Saved."), "calls:call_detail", call.pk)


@login_required
@require_POST
def field_save(request, pk):
    """The form editor: add or change a field (``remove`` = its code to remove it)."""
    call = _managed(request, pk)
    error = None
    if request.POST.get("remove"):
        field = call.fields.filter(code=request.POST["remove"]).first()
        if field is None:
            raise Http404
        try:
            services.remove_field(actor_for_request(request), field)
        except CallError as exc:
            error = exc
        return done(request, error, _("Field removed."), "calls:call_detail", call.pk)
    form = FieldForm(request.POST)
    if not form.is_valid():
        error = CallError(
            "invalid",
            "；".join(
                f"{form.fields[k].label if k in form.fields else k}: {v[0]}"
                for k, v in form.errors.items()
            ),
        )
    else:
        try:
            services.save_field(actor_for_request(request), call, **form.service_values())
        except CallError as exc:
            error = exc
    return done(request, error, _("Field saved."), "calls:call_detail", call.pk)


@login_required
@require_POST
def stages_save(request, pk):
    call = _managed(request, pk)
    stages = [
        {
            "kind": kind,
            "opens": parse_local(request.POST.get(f"{kind}_opens", "")),
            "closes": parse_local(request.POST.get(f"{kind}_closes", "")),
        }
        for kind in STAGE_ORDER
        if request.POST.get(f"{kind}_on")
    ]
    error = None
    try:
        services.set_stages(actor_for_request(request), call, stages)
    except CallError as exc:
        error = exc
    return done(request, error, _("Stages saved."), "calls:call_detail", call.pk)


@login_required
@require_POST
def eligibility_save(request, pk):
    """The eligibility rule from its form (regions and industries by name, the policy editor's
    condition rows); ``clear`` removes the rule. A stored rule the form cannot show is not
    overwritten by the form: the refusal names its parts."""
    call = _managed(request, pk)
    error = None
    if request.POST.get("clear"):
        conditions, no_credit = {}, False
    else:
        editor = EligibilityEditor(call, data=request.POST, lang=get_language() or "zh-hans")
        if not editor.is_valid():
            error = CallError("invalid", "；".join(editor.errors()), field="eligibility")
        else:
            conditions, no_credit = editor.conditions(), editor.no_credit_record()
    if error is None:
        try:
            services.set_eligibility(
                actor_for_request(request), call, conditions, no_credit_record=no_credit
            )
        except CallError as exc:
            error = exc
    return done(request, error, _("Eligibility rule saved."), "calls:call_detail", call.pk)


@login_required
@require_POST
def quota_save(request, pk):
    call = _managed(request, pk)
    error = None
    nominator = Organization.objects.filter(pk=request.POST.get("nominator") or 0).first()
    category_id = request.POST.get("category") or None
    category = (
        CallCategory.objects.filter(call=call, pk=category_id).first() if category_id else None
    )
    try:
        if nominator is None:
            raise CallError("required", _("Choose the nominating body."), field="nominator")
        if category_id and category is None:
            raise CallError("bad_category", _("Choose a category of this call."), field="category")
        quota = int(request.POST.get("quota", ""))
    except ValueError:
        error = CallError("bad_quota", _("Quota: 0 or more."), field="quota")
    except CallError as exc:
        error = exc
    else:
        try:
            services.set_quota(
                actor_for_request(request),
                call,
                nominator=nominator,
                category=category,
                quota=quota,
            )
        except CallError as exc:
            error = exc
    return done(request, error, _("Quota saved."), "calls:call_detail", call.pk)


@login_required
@require_POST
def rubric_save(request, pk):
    call = _managed(request, pk)
    # the bands are edited on their own page: a criterion keeps its bands by its code
    kept = dict(call.criteria.values_list("code", "bands"))
    rows = []
    for code, name, weight, max_score, ranked, comment in zip(
        request.POST.getlist("code"),
        request.POST.getlist("name"),
        request.POST.getlist("weight"),
        request.POST.getlist("max_score"),
        request.POST.getlist("ranked"),
        request.POST.getlist("comment_required"),
        strict=False,
    ):
        if code.strip() or name.strip():
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "weight": weight or "0",
                    "max_score": max_score or "100",
                    "ranked": ranked == "1",
                    "comment_required": comment == "1",
                    "bands": kept.get(code.strip(), []),
                }
            )
    error = None
    try:
        services.set_rubric(actor_for_request(request), call, rows)
    except CallError as exc:
        error = exc
    return done(request, error, _("Rubric saved."), "calls:call_detail", call.pk)


BLANK_BANDS = 3


def _band_rows(bands: list[dict]) -> list[dict]:
    return [*bands, *({"min": "", "max": "", "descriptor": ""} for _ in range(BLANK_BANDS))]


@login_required
def rubric_bands(request, pk):
    """The rubric's banded descriptors (e.g. 9–10 优秀: …), one form per criterion; experts see
    them on the scoring page."""
    call = _managed(request, pk)
    criteria = list(RubricCriterion.objects.filter(call=call).order_by("order", "id"))
    error = posted = None
    if request.method == "POST":
        criterion = next((c for c in criteria if str(c.pk) == request.POST.get("criterion")), None)
        if criterion is None:
            raise Http404
        posted = [
            {"min": lo.strip(), "max": hi.strip(), "descriptor": text.strip()}
            for lo, hi, text in zip(
                request.POST.getlist("min"),
                request.POST.getlist("max"),
                request.POST.getlist("descriptor"),
                strict=False,
            )
            if lo.strip() or hi.strip() or text.strip()
        ]
        try:
            services.set_bands(actor_for_request(request), criterion, posted)
        except CallError as exc:
            error = (criterion.pk, exc.message)
        else:
            messages.success(request, _("Bands saved."))
            return redirect("calls:rubric_bands", pk=call.pk)
    rows = [
        {
            "criterion": c,
            "bands": _band_rows(posted if error and error[0] == c.pk else c.bands or []),
            "error": error[1] if error and error[0] == c.pk else "",
        }
        for c in criteria
    ]
    return render(
        request,
        "calls/rubric_bands.html",
        {"call": call, "rows": rows},
        status=400 if error else 200,
    )
