"""Reads: prefill values, the "what is missing" list, formal-review checks, quotas left,
the stage an application and a call are at."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from zhizao.diagnosis.enums import AssessmentKind, AssessmentState
from zhizao.diagnosis.models import Assessment
from zhizao_core.text.normalize import normalize_search_text

from .eligibility import check_eligibility
from .enums import NOMINATED_STATES, ApplicationState, FieldType, Prefill, StageKind
from .models import Application, Call, CallStage, NominationQuota
from .validators import answer_problem

A = ApplicationState


def title_key(title: str) -> str:
    """The normalised title a duplicate is recognised by (width, case, spaces, punctuation)."""
    return "".join(ch for ch in normalize_search_text(title or "") if ch.isalnum())[:200]


def verified_maturity_level(organization) -> int | None:
    """The level of the organisation's latest submitted on-site diagnosis (verified by a
    provider); a self-assessment does not count."""
    row = (
        Assessment.objects.filter(
            organization=organization,
            kind=AssessmentKind.ONSITE,
            state=AssessmentState.SUBMITTED,
            level__isnull=False,
        )
        .order_by("-submitted_at", "-id")
        .values_list("level", flat=True)
        .first()
    )
    return row


def prefill_values(call: Call, organization) -> dict:
    """Answers that come from the registry and from the verified maturity level."""
    sources = {
        Prefill.ORG_NAME: lambda: organization.name,
        Prefill.ORG_USCC: lambda: organization.uscc,
        Prefill.ORG_REGION: lambda: organization.region_id,
        Prefill.ORG_INDUSTRY: lambda: organization.industry_id,
        Prefill.ORG_EMPLOYEES: lambda: organization.employees,
        Prefill.ORG_REVENUE: lambda: organization.revenue_wan,
        Prefill.ORG_ADDRESS: lambda: organization.address,
        Prefill.MATURITY_LEVEL: lambda: verified_maturity_level(organization),
    }
    out = {}
    for field in call.fields.all():
        if field.prefill and field.prefill in sources:
            value = sources[field.prefill]()
            if value not in (None, ""):
                out[field.code] = str(value)
    return out


@dataclass(frozen=True)
class Missing:
    code: str
    label: str
    problem: str


def missing_items(application: Application, fields=None) -> list[Missing]:
    """Every required answer or file that is missing or too short, in form order."""
    fields = list(application.call.fields.all()) if fields is None else fields
    out = []
    for field in fields:
        problem = answer_problem(field, application.data.get(field.code))
        if problem:
            out.append(Missing(field.code, field.label, problem))
    if not (application.title or "").strip():
        out.insert(0, Missing("title", _("Title of the project"), _("missing")))
    if application.call.categories.exists() and application.category_id is None:
        out.insert(1, Missing("category", _("Category"), _("missing")))
    return out


def stages_of(call: Call) -> list[CallStage]:
    return list(call.stages.all())


def stage(call: Call, kind: str) -> CallStage | None:
    return next((s for s in call.stages.all() if s.kind == kind), None)


def stage_open(call: Call, kind: str, now: dt.datetime | None = None) -> bool:
    """The stage is open now; a call without that stage: True (it has no window)."""
    now = now or timezone.now()
    row = stage(call, kind)
    if row is None:
        return True
    return (row.opens is None or row.opens <= now) and (row.closes is None or now <= row.closes)


def current_stage(call: Call, now: dt.datetime | None = None) -> CallStage | None:
    now = now or timezone.now()
    current = None
    for row in call.stages.all():
        if row.opens is not None and row.opens <= now:
            current = row
    return current


def quota_rows(call: Call, nominator_id: int) -> list[NominationQuota]:
    return list(
        NominationQuota.objects.filter(call=call, nominator_id=nominator_id).select_related(
            "category"
        )
    )


def nominated_counts(call: Call, nominator_id: int) -> dict:
    """category id (None: all) → nominations counting against the quota."""
    rows = (
        Application.objects.filter(call=call, nominator_id=nominator_id, state__in=NOMINATED_STATES)
        .values("category_id")
        .annotate(n=Count("id"))
    )
    counts = {row["category_id"]: row["n"] for row in rows}
    counts[None] = sum(counts.values())
    return counts


def quota_left(call: Call, nominator_id: int) -> list[dict]:
    """Each quota row of a nominating body with used and left."""
    counts = nominated_counts(call, nominator_id)
    out = []
    for row in quota_rows(call, nominator_id):
        used = counts.get(row.category_id, 0) if row.category_id else counts[None]
        out.append(
            {
                "category": row.category.name if row.category else _("All categories"),
                "category_id": row.category_id,
                "quota": row.quota,
                "used": used,
                "left": max(row.quota - used, 0),
            }
        )
    return out


def duplicates_of(application: Application):
    """Applications of the same project (normalised title, same applicant) in this and
    earlier calls, withdrawn ones left out."""
    return (
        Application.objects.filter(
            applicant_id=application.applicant_id, title_key=application.title_key
        )
        .exclude(pk=application.pk)
        .exclude(state__in=[A.WITHDRAWN, A.DRAFT])
        .select_related("call")
    )


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    ok: bool | None  # None: cannot be decided automatically
    detail: str


def formal_checks(application: Application, *, today: dt.date | None = None) -> list[Check]:
    """The automatic checks of formal review (形式审查)."""
    today = today or timezone.localdate()
    call = application.call
    checks = []
    missing = missing_items(application)
    checks.append(
        Check(
            "complete",
            _("Required fields and files"),
            not missing,
            "；".join(f"{m.label}：{m.problem}" for m in missing) or _("All present."),
        )
    )
    files = [f for f in call.fields.all() if f.type == FieldType.FILE and f.required]
    if files:
        absent = [f.label for f in files if not application.data.get(f.code)]
        checks.append(
            Check(
                "files",
                _("Required files uploaded"),
                not absent,
                "、".join(absent) or _("All present."),
            )
        )
    result = check_eligibility(call, application.applicant, as_of=today)
    checks.append(
        Check(
            "eligibility",
            _("Eligibility rule"),
            result.eligible,
            "；".join(result.steps) or _("The call has no eligibility rule."),
        )
    )
    dups = list(duplicates_of(application))
    checks.append(
        Check(
            "duplicate",
            _("Same project not applied for before"),
            not dups,
            "；".join(
                f"{d.call.year} {d.call.title}：{d.title}（{d.get_state_display()}）" for d in dups
            )
            or _("No earlier application of the same project."),
        )
    )
    if call.requires_nomination:
        if application.nominator_id is None or application.nominated_at is None:
            checks.append(Check("quota", _("Nominated within quota"), False, _("Not nominated.")))
        else:
            over = [
                row
                for row in quota_left(call, application.nominator_id)
                if row["used"] > row["quota"]
            ]
            checks.append(
                Check(
                    "quota",
                    _("Nominated within quota"),
                    not over,
                    "；".join(f"{r['category']} {r['used']}/{r['quota']}" for r in over)
                    or _("Within the nominating body's quota."),
                )
            )
    return checks


#: the manual checklist of formal review
CHECKLIST = (
    ("seal", N_("Seals and signatures complete")),
    ("consistent", N_("Uploaded documents match the form")),
    ("authentic", N_("Certificates and reports are genuine and in force")),
)


def applications_for_nominator(call: Call, nominator_id: int):
    return (
        Application.objects.filter(call=call, nominator_id=nominator_id)
        .exclude(state=A.DRAFT)
        .select_related("applicant", "category")
        .order_by("nomination_rank", "id")
    )


def call_counts(calls) -> dict:
    """call id → {state: count} in one query."""
    rows = (
        Application.objects.filter(call__in=calls)
        .values("call_id", "state")
        .annotate(n=Count("id"))
    )
    out: dict = {}
    for row in rows:
        out.setdefault(row["call_id"], {})[row["state"]] = row["n"]
    return out


def open_for_applicants(now: dt.datetime | None = None) -> Q:
    return Q(state="open")


STAGE_ORDER = tuple(StageKind.values)
