"""Diagnosis pages: start, answer (saved on every change), hand sections over, submit, the
report (HTML and PDF), campaigns and the officers' statistics."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts import roles
from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.exports import csv_stream, xlsx_bytes
from zhizao.common.lists import list_page
from zhizao.registry.forms import OrganizationFilterForm
from zhizao.registry.models import Organization, Region
from zhizao.registry.selectors import filter_organizations

from . import access, lists, services, stats
from .enums import AnswerValue, AssessmentKind, AssessmentState, TargetState
from .errors import DiagnosisError
from .forms import CampaignForm, CampaignProviderForm, StartForm, VisitForm
from .messages import allocation_reason, distance_labels
from .models import CampaignProvider, Evidence, SectionAssignment
from .navigation import section_name
from .selectors import build_report, default_model, missing_requirements, tr

#: what the assessments list and its export read of a row. Not the stored result (about 5 KB
#: of JSON an assessment), the model's definition (180 KB) or the organisations' long texts:
#: SQLite sorts the joined rows with everything they carry, so reading them made the page's
#: one query 80 ms and its JSON decoding 40 ms on the 2,679 assessments of the demo
LIST_FIELDS = (
    "kind",
    "state",
    "asked_count",
    "answered_count",
    "score",
    "level",
    "updated_at",
    "model__name_zh",
    "model__name_en",
    "model__version",
    "organization__name",
    "provider__name",
)


@login_required
@list_page(lists.ASSESSMENTS)
def home(request):
    membership = request.membership
    if roles.is_officer(membership):
        return redirect("diagnosis:statistics")
    listing = lists.ASSESSMENTS.run(request, access.assessments_for(membership).only(*LIST_FIELDS))
    if listing.response:
        return listing.response
    context = {
        **listing.context(),
        "assessments": listing.page_obj.object_list,
        "can_start": access.can_self_assess(membership)
        and membership.organization.kind == "manufacturer",
        "start_form": StartForm(initial={"model": default_model()}),
        "my_sections": [
            (s, section_name(s.assessment.model, s.domain_id))
            for s in SectionAssignment.objects.filter(
                assignee=request.user,
                assessment__state=AssessmentState.DRAFT,
                completed_at__isnull=True,
            )
            .select_related("assessment__organization", "assessment__model")
            .order_by("assigned_at", "id")
        ]
        if membership
        else [],
        "campaigns": access.campaigns_for(membership).order_by("-created_at")[:10],
        "is_operator": roles.is_operator(membership),
        "can_stats": access.can_view_statistics(membership),
        "role": roles.role_of(membership),
    }
    return render(request, "diagnosis/home.html", context)


@login_required
@require_POST
def start(request):
    membership = request.membership
    if not access.can_self_assess(membership):
        raise Http404
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Choose a model and whether you are a discrete or a process manufacturer.")
        )
        return redirect("diagnosis:home")
    try:
        assessment = services.start_self_assessment(
            actor_for_request(request),
            membership.organization,
            form.cleaned_data["model"],
            form.cleaned_data["enterprise_type"],
        )
    except DiagnosisError as error:
        messages.error(request, error.message)
        return redirect("diagnosis:home")
    return redirect("diagnosis:assessment", pk=assessment.pk)


def _sections(assessment, model, answers, assignments):
    asked = {r.id for r in model.asked(assessment.enterprise_type)}
    out = []
    for element in model.elements:
        for domain in element.domains:
            ids = [
                r.id
                for s in domain.subdomains
                for r in model.requirements
                if r.subdomain == s.id and r.id in asked
            ]
            if not ids:
                continue
            done = sum(1 for i in ids if i in answers)
            out.append(
                {
                    "id": domain.id,
                    "name": tr(domain.name),
                    "element": tr(element.name),
                    "total": len(ids),
                    "done": done,
                    "assignee": assignments.get(domain.id),
                }
            )
    return out


def _questionnaire_context(request, assessment, section_id=None):
    model = assessment.model.parsed()
    answers = {a.requirement_id: a for a in assessment.answers.all()}
    assignments = {
        s.domain_id: s.assignee for s in assessment.section_assignments.select_related("assignee")
    }
    sections = _sections(assessment, model, answers, assignments)
    if not sections:
        raise Http404
    ids = [s["id"] for s in sections]
    current = section_id if section_id in ids else None
    if current is None:
        current = next((s["id"] for s in sections if s["done"] < s["total"]), ids[0])
    evidence: dict[str, list] = {}
    for item in assessment.evidence.all():
        evidence.setdefault(item.requirement_id, []).append(item)
    asked = {r.id for r in model.asked(assessment.enterprise_type)}
    domain = next(d for d in model.domains() if d.id == current)
    blocks = []
    for sub in domain.subdomains:
        levels = []
        for level in model.levels:
            reqs = [
                _requirement_row(r, answers.get(r.id), evidence.get(r.id, []))
                for r in model.cells.get((sub.id, level.number), [])
                if r.id in asked
            ]
            if reqs:
                levels.append(
                    {
                        "number": level.number,
                        "name": tr(level.name),
                        "requirements": reqs,
                        "open": any(not r["value"] for r in reqs),
                    }
                )
        if levels:
            blocks.append({"id": sub.id, "name": tr(sub.name), "levels": levels})
    index = ids.index(current)
    owner = (
        assessment.organization_id
        if assessment.kind == AssessmentKind.SELF
        else assessment.provider_id
    )
    colleagues = (
        Membership.objects.filter(organization_id=owner, is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    membership = request.membership
    return {
        "assessment": assessment,
        "model": model,
        "sections": sections,
        "section": next(s for s in sections if s["id"] == current),
        "blocks": blocks,
        "previous_section": ids[index - 1] if index > 0 else None,
        "next_section": ids[index + 1] if index + 1 < len(ids) else None,
        "progress": _progress(assessment),
        "answer_choices": AnswerValue.choices,
        "can_edit": access.can_edit(membership, assessment),
        "colleagues": colleagues,
        "enterprise_types": assessment._meta.get_field("enterprise_type").choices,
    }


def _requirement_row(requirement, answer, evidence):
    return {
        "id": requirement.id,
        "text": tr(requirement.text),
        "evidence_hint": tr(requirement.evidence),
        "allow_na": requirement.allow_na,
        "value": answer.value if answer else "",
        "comment": answer.comment if answer else "",
        "evidence": evidence,
    }


def _progress(assessment) -> dict:
    total = assessment.asked_count or 0
    done = min(assessment.answered_count or 0, total)
    return {
        "done": done,
        "total": total,
        "left": total - done,
        "percent": round(done * 100 / total) if total else 0,
    }


@login_required
def assessment_view(request, pk):
    assessment = access.access_assessment(request.membership, pk)
    if assessment.state == AssessmentState.SUBMITTED:
        return redirect("diagnosis:report", pk=assessment.pk)
    context = _questionnaire_context(request, assessment, request.GET.get("section"))
    return render(request, "diagnosis/assessment.html", context)


@login_required
@require_POST
def answer(request, pk):
    membership = request.membership
    assessment = access.access_assessment(membership, pk, write=True)
    requirement_id = request.POST.get("requirement", "")
    error = None
    try:
        services.save_answer(
            actor_for_request(request),
            assessment,
            requirement_id,
            request.POST.get("value", ""),
            request.POST.get("comment"),
        )
    except DiagnosisError as exc:
        error = exc.message
    assessment.refresh_from_db()
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Saved."))
        url = f"{assessment_url(assessment)}?section={request.POST.get('section', '')}"
        return redirect(f"{url}#req-{requirement_id}")
    model = assessment.model.parsed()
    requirement = model.requirement_by_id.get(requirement_id)
    if requirement is None:
        return HttpResponse(error or "", status=422)
    saved = assessment.answers.filter(requirement_id=requirement_id).first()
    row = _requirement_row(
        requirement, saved, list(assessment.evidence.filter(requirement_id=requirement_id))
    )
    answers = {a.requirement_id: a for a in assessment.answers.all()}
    assignments = {s.domain_id: s.assignee for s in assessment.section_assignments.all()}
    return render(
        request,
        "diagnosis/_answer_response.html",
        {
            "req": row,
            "assessment": assessment,
            "answer_choices": AnswerValue.choices,
            "can_edit": True,
            "error": error,
            "progress": _progress(assessment),
            "sections": _sections(assessment, model, answers, assignments),
            "section": {"id": request.POST.get("section", "")},
            "saved_at": timezone.localtime(),
        },
    )


def assessment_url(assessment) -> str:
    from django.urls import reverse

    return reverse("diagnosis:assessment", args=[assessment.pk])


@login_required
@require_POST
def mark_rest(request, pk):
    assessment = access.access_assessment(request.membership, pk, write=True)
    raw = request.POST.get("level", "")
    subdomain = request.POST.get("subdomain", "")
    try:
        n = services.mark_rest_not_met(
            actor_for_request(request), assessment, subdomain, int(raw) if raw.isdigit() else 1
        )
        messages.success(request, _("%(n)s unanswered requirements marked “not met”.") % {"n": n})
    except DiagnosisError as exc:
        messages.error(request, exc.message)
    return redirect(
        f"{assessment_url(assessment)}?section={request.POST.get('section', '')}#sd-{subdomain}"
    )


@login_required
@require_POST
def enterprise_type(request, pk):
    assessment = access.access_assessment(request.membership, pk, write=True)
    try:
        services.set_enterprise_type(
            actor_for_request(request), assessment, request.POST.get("enterprise_type", "")
        )
        messages.success(request, _("Enterprise type changed; the questionnaire now follows it."))
    except DiagnosisError as exc:
        messages.error(request, exc.message)
    return redirect("diagnosis:assessment", pk=pk)


@login_required
@require_POST
def assign_section(request, pk):
    assessment = access.access_assessment(request.membership, pk, write=True)
    raw = request.POST.get("assignee", "")
    domain_id = request.POST.get("domain", "")
    try:
        services.assign_section(
            actor_for_request(request), assessment, domain_id, int(raw) if raw.isdigit() else None
        )
        messages.success(request, _("Section handed over."))
    except DiagnosisError as exc:
        messages.error(request, exc.message)
    return redirect(f"{assessment_url(assessment)}?section={domain_id}")


@login_required
@require_POST
def evidence_upload(request, pk):
    assessment = access.access_assessment(request.membership, pk, write=True)
    requirement_id = request.POST.get("requirement", "")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            services.add_evidence(actor_for_request(request), assessment, requirement_id, upload)
            messages.success(request, _("Evidence “%(name)s” attached.") % {"name": upload.name})
        except DiagnosisError as exc:
            messages.error(request, exc.message)
    return redirect(
        f"{assessment_url(assessment)}?section={request.POST.get('section', '')}#req-{requirement_id}"
    )


def _access_evidence(request, pk, *, write=False) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.select_related("assessment"), pk=pk)
    access.access_assessment(request.membership, evidence.assessment_id, write=write)
    return evidence


@login_required
def evidence_download(request, pk):
    evidence = _access_evidence(request, pk)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = _access_evidence(request, pk, write=True)
    assessment = evidence.assessment
    try:
        services.remove_evidence(actor_for_request(request), evidence)
        messages.success(request, _("Evidence removed."))
    except DiagnosisError as exc:
        messages.error(request, exc.message)
    return redirect(f"{assessment_url(assessment)}?section={request.POST.get('section', '')}")


@login_required
@require_POST
def submit(request, pk):
    assessment = access.access_assessment(request.membership, pk, write=True)
    try:
        services.submit(actor_for_request(request), assessment)
    except DiagnosisError as exc:
        messages.error(request, exc.message)
        missing = missing_requirements(assessment)
        if missing:
            sub = assessment.model.parsed().requirement_by_id[missing[0]].subdomain
            domain = assessment.model.parsed().path_of_subdomain[sub][1].id
            return redirect(f"{assessment_url(assessment)}?section={domain}#req-{missing[0]}")
        return redirect("diagnosis:assessment", pk=pk)
    messages.success(request, _("Submitted. Here is your report."))
    return redirect("diagnosis:report", pk=pk)


def _target_param(request) -> int | None:
    raw = request.GET.get("target", "")
    return int(raw) if raw.isdigit() else None


@login_required
def report(request, pk):
    membership = request.membership
    assessment = access.access_assessment(membership, pk)
    data = build_report(assessment, target_level=_target_param(request))
    return render(
        request,
        "diagnosis/report.html",
        {
            "assessment": assessment,
            "report": data,
            "can_edit": access.can_edit(membership, assessment),
            "can_set_target": assessment.kind == AssessmentKind.SELF
            and roles.is_enterprise(membership),
            "levels": data.model.levels,
        },
    )


@login_required
@require_POST
def set_target(request, pk):
    membership = request.membership
    assessment = access.access_assessment(membership, pk)
    if not (
        roles.is_enterprise(membership) and assessment.organization_id == membership.organization_id
    ):
        raise Http404
    raw = request.POST.get("target_level", "")
    try:
        services.set_target_level(
            actor_for_request(request), assessment, int(raw) if raw.isdigit() else None
        )
    except DiagnosisError as exc:
        messages.error(request, exc.message)
    return redirect("diagnosis:report", pk=pk)


@login_required
def report_pdf(request, pk):
    """The stored PDF of the report's current version; while the worker renders it, a page that
    says so and refreshes itself."""
    assessment = access.access_assessment(request.membership, pk)
    target = _target_param(request)
    pdf = services.request_report_pdf(
        assessment, language=translation.get_language(), target_level=target
    )
    if not pdf.ready:
        return render(
            request,
            "diagnosis/report_pdf_pending.html",
            {"assessment": assessment, "target": target, "refresh_seconds": 3},
        )
    return FileResponse(
        default_storage.open(pdf.name, "rb"),
        as_attachment=True,
        filename=f"diagnosis-{assessment.pk}.pdf",
        content_type="application/pdf",
    )


# --- campaigns -----------------------------------------------------------------------------


@login_required
@list_page(lists.CAMPAIGNS)
def campaign_list(request):
    membership = request.membership
    campaigns = access.campaigns_for(membership).annotate(
        n_targets=Count("targets", distinct=True),
        n_planned=Count("targets", filter=~Q(targets__state=TargetState.UNASSIGNED), distinct=True),
        n_reported=Count("targets", filter=Q(targets__state=TargetState.REPORTED), distinct=True),
    )
    if not (
        roles.is_operator(membership) or roles.role_of(membership) in (Role.OFFICER, Role.PROVIDER)
    ):
        raise Http404
    listing = lists.CAMPAIGNS.run(request, campaigns)
    if listing.response:
        return listing.response
    return render(
        request,
        "diagnosis/campaign_list.html",
        {
            **listing.context(),
            "campaigns": listing.page_obj.object_list,
            "is_operator": roles.is_operator(membership),
        },
    )


@login_required
def campaign_new(request):
    membership = request.membership
    if not roles.is_operator(membership):
        raise Http404
    form = CampaignForm(request.POST or None, initial={"target_filter": request.GET.urlencode()})
    if request.method == "POST" and form.is_valid():
        qd = QueryDict(form.cleaned_data["target_filter"])
        filter_form = OrganizationFilterForm(qd)
        filter_form.is_valid()
        filters = filter_form.to_filter()
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "target_filter"}
            campaign = services.create_campaign(
                actor_for_request(request),
                targets_qs=filter_organizations(Organization.objects.all(), filters),
                target_filter=form.cleaned_data["target_filter"],
                **data,
            )
        except DiagnosisError as exc:
            form.add_error("target_filter", exc.message)
        else:
            messages.success(
                request,
                _("Campaign created with %(n)s target enterprises.")
                % {"n": campaign.targets.count()},
            )
            return redirect("diagnosis:campaign_detail", pk=campaign.pk)
    return render(request, "diagnosis/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk):
    membership = request.membership
    campaign = access.access_campaign(membership, pk)
    is_operator = roles.is_operator(membership)
    targets = campaign.targets.select_related(
        "enterprise__region", "assigned__provider", "assessment"
    )
    mine = None
    if roles.role_of(membership) == Role.PROVIDER:
        mine = campaign.providers.filter(provider_id=membership.organization_id).first()
        targets = targets.filter(assigned=mine)
    state = request.GET.get("state", "")
    if state in TargetState.values:
        targets = targets.filter(state=state)
    provider_filter = request.GET.get("provider", "")
    if provider_filter.isdigit() and is_operator:
        targets = targets.filter(assigned_id=int(provider_filter))
    paginator = Paginator(targets, 50)
    page = paginator.get_page(request.GET.get("page"))
    labels = distance_labels()
    for t in page.object_list:
        t.distance_text = labels.get(t.distance, t.distance)
        t.reason_text = allocation_reason(t.unassigned_reason)
    counts = dict(campaign.targets.values_list("state").annotate(n=Count("id")))
    providers = stats.campaign_progress(campaign)
    # service regions by name (one query for all of them), never as codes
    names = {
        r.code: r.name
        for r in Region.objects.filter(code__in={c for p in providers for c in p.regions})
    }
    for p in providers:
        p.region_names = [names.get(code, code) for code in p.regions]
    return render(
        request,
        "diagnosis/campaign_detail.html",
        {
            "campaign": campaign,
            "page_obj": page,
            "targets": page.object_list,
            "providers": providers,
            "counts": counts,
            "total": sum(counts.values()),
            "is_operator": is_operator,
            "provider_entry": mine,
            "provider_form": CampaignProviderForm(),
            "visit_form": VisitForm(initial={"visited_at": timezone.localdate()}),
            "states": TargetState.choices,
            "state": state,
            "provider_filter": provider_filter,
            "reason": allocation_reason,
            "spent": campaign.price_yuan * counts.get(TargetState.REPORTED, 0),
            "committed": campaign.price_yuan
            * (sum(counts.values()) - counts.get(TargetState.UNASSIGNED, 0)),
        },
    )


def _operator_campaign(request, pk):
    membership = request.membership
    if not roles.is_operator(membership):
        raise Http404
    return access.access_campaign(membership, pk)


@login_required
@require_POST
def campaign_provider_add(request, pk):
    campaign = _operator_campaign(request, pk)
    form = CampaignProviderForm(request.POST)
    if form.is_valid():
        try:
            services.add_provider(
                actor_for_request(request),
                campaign,
                form.cleaned_data["provider"],
                form.cleaned_data["quota"],
                form.cleaned_data["regions"],
                form.cleaned_data["conflicts"],
            )
            messages.success(request, _("Provider saved."))
        except DiagnosisError as exc:
            messages.error(request, exc.message)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(
                request, _("%(field)s: %(errors)s") % {"field": label, "errors": " ".join(errors)}
            )
    return redirect("diagnosis:campaign_detail", pk=pk)


@login_required
@require_POST
def campaign_allocate(request, pk):
    campaign = _operator_campaign(request, pk)
    try:
        summary = services.propose_allocation(actor_for_request(request), campaign)
        messages.success(
            request,
            _(
                "Allocation proposed: %(assigned)s enterprises assigned, %(unassigned)s not assigned, %(manual)s kept as placed by hand."
            )
            % summary,
        )
    except DiagnosisError as exc:
        messages.error(request, exc.message)
    return redirect("diagnosis:campaign_detail", pk=pk)


@login_required
@require_POST
def campaign_state(request, pk):
    campaign = _operator_campaign(request, pk)
    try:
        services.set_campaign_state(
            actor_for_request(request), campaign, request.POST.get("state", "")
        )
        messages.success(request, _("Campaign state changed."))
    except DiagnosisError as exc:
        messages.error(request, exc.message)
    return redirect("diagnosis:campaign_detail", pk=pk)


@login_required
@require_POST
def target_move(request, pk):
    membership = request.membership
    target = access.access_target(membership, pk)
    raw = request.POST.get("provider", "")
    entry = None
    if raw.isdigit():
        entry = (
            CampaignProvider.objects.select_related("provider")
            .filter(pk=int(raw), campaign=target.campaign)
            .first()
        )
        if entry is None:
            raise Http404
    try:
        services.reassign_target(actor_for_request(request), target, entry)
        messages.success(
            request, _("Assignment of %(name)s changed.") % {"name": target.enterprise.name}
        )
    except DiagnosisError as exc:
        messages.error(
            request,
            _("%(name)s: %(reason)s") % {"name": target.enterprise.name, "reason": exc.message},
        )
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(wanted)
    return redirect("diagnosis:campaign_detail", pk=target.campaign_id)


@login_required
@require_POST
def target_visit(request, pk):
    target = access.access_target(request.membership, pk, provider_action=True)
    form = VisitForm(request.POST)
    if form.is_valid():
        try:
            services.record_visit(
                actor_for_request(request),
                target,
                form.cleaned_data["visited_at"],
                form.cleaned_data["note"],
            )
            messages.success(
                request, _("Visit recorded for %(name)s.") % {"name": target.enterprise.name}
            )
        except DiagnosisError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give the date of the visit."))
    return redirect("diagnosis:campaign_detail", pk=target.campaign_id)


@login_required
@require_POST
def target_start(request, pk):
    target = access.access_target(request.membership, pk, provider_action=True)
    assessment = services.start_onsite(actor_for_request(request), target)
    return redirect("diagnosis:assessment", pk=assessment.pk)


@login_required
def campaign_export(request, pk):
    membership = request.membership
    campaign = access.access_campaign(membership, pk)
    if not (roles.is_staff(membership)):
        raise Http404
    header = [
        _("Provider"),
        _("Quota"),
        _("Planned"),
        _("Visited"),
        _("Reported"),
        _("Paid (yuan)"),
    ]
    rows = [
        [
            p.provider.name,
            p.quota,
            p.planned,
            p.visited,
            p.reported,
            str(p.reported * campaign.price_yuan),
        ]
        for p in stats.campaign_progress(campaign)
    ]
    targets_header = [
        _("Enterprise"),
        _("Unified social credit code"),
        _("Region"),
        _("Provider"),
        _("State"),
        _("Visited on"),
        _("Score"),
        _("Level"),
    ]
    target_rows = [
        [
            t.enterprise.name,
            t.enterprise.uscc,
            t.enterprise.region_id,
            t.assigned.provider.name if t.assigned else allocation_reason(t.unassigned_reason),
            t.get_state_display(),
            t.visited_at.isoformat() if t.visited_at else "",
            str(t.assessment.score) if t.assessment and t.assessment.score is not None else "",
            t.assessment.level if t.assessment and t.assessment.level is not None else "",
        ]
        for t in campaign.targets.select_related("enterprise", "assigned__provider", "assessment")
    ]
    services.audit(
        actor_for_request(request),
        "campaign_exported",
        campaign,
        context={"what": request.GET.get("what") or "providers"},
    )
    if request.GET.get("what") == "targets":
        header, rows, name = targets_header, target_rows, f"campaign-{campaign.pk}-enterprises"
    else:
        name = f"campaign-{campaign.pk}-providers"
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            csv_stream(header, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        xlsx_bytes(header, rows, sheet=name[:31]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- statistics ----------------------------------------------------------------------------


@login_required
def statistics(request):
    membership = request.membership
    if not access.can_view_statistics(membership):
        raise Http404
    model = default_model()
    if model is None:
        raise Http404
    by = request.GET.get("by", "city")
    if by not in stats.DIMENSIONS:
        by = "city"
    table = stats.distribution(model, by)
    return render(
        request,
        "diagnosis/statistics.html",
        {
            "model": model,
            "parsed": model.parsed(),
            "by": by,
            "dimensions": stats.dimension_labels(),
            "table": table,
            "years": stats.by_year(model),
            "query": urlencode({"by": by}),
        },
    )
