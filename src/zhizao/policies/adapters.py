"""Registry, projects, recognitions, diagnosis and payments → the engine's plain facts
(``zhizao_core.policy.Enterprise``), loaded in a few queries per chunk (Saleor's "fetch once into
dataclasses, then calculate").

What each fact is and where it comes from:
- region, industry: the registry (企业库);
- titles: the recognitions recorded in the platform (none recorded = holds none);
- maturity level: the latest submitted assessment on the default maturity model (an on-site
  verification wins over a self-assessment submitted the same day or earlier);
- projects and loans: the enterprise's registered transformation projects (cancelled ones are
  left out); an amount left empty stays unknown;
- received: what was already paid to the enterprise under each item (for "pay the difference"
  and cumulative caps).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from fractions import Fraction

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhizao.diagnosis.enums import AssessmentState
from zhizao.diagnosis.models import Assessment
from zhizao.registry.models import Organization
from zhizao_core.policy import Enterprise, Loan, Project, Title

from .enums import ProjectStatus
from .models import Loan as LoanRow
from .models import Payment, Recognition
from .models import Project as ProjectRow

CHUNK = 2000


def fen(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


def project_facts(row: ProjectRow, loans: list[LoanRow] | None = None) -> Project:
    loans = loans if loans is not None else list(row.loans.all())
    label = _("project “%(name)s” (#%(id)s)") % {"name": row.name, "id": row.pk}
    sources = {
        fact: f"{label}: {text}"
        for fact, text in (
            ("project.kind", pgettext("project kind", "kind")),
            ("project.start_date", _("start date")),
            ("project.region", _("location")),
            ("project.equipment", _("equipment investment")),
            ("project.intelligent_equipment", _("intelligent-equipment investment")),
            ("project.software", _("software investment")),
            ("project.services", _("technical-services investment")),
            ("project.other", _("other investment")),
            ("project.total_investment", _("investment split")),
            ("project.loans", _("loans")),
            ("project.loan_amount", _("loans")),
        )
    }
    return Project(
        id=str(row.pk),
        kind=row.kind or None,
        start_date=row.start_date,
        region=row.region_id,
        equipment_fen=fen(row.equipment_yuan),
        intelligent_equipment_fen=fen(row.intelligent_equipment_yuan),
        software_fen=fen(row.software_yuan),
        services_fen=fen(row.services_yuan),
        other_fen=fen(row.other_yuan),
        loans=tuple(
            Loan(
                amount_fen=fen(loan.amount_yuan),
                annual_rate=Fraction(loan.annual_rate) if loan.annual_rate is not None else None,
                start_date=loan.start_date,
                end_date=loan.end_date,
                interest_paid_fen=fen(loan.interest_paid_yuan),
            )
            for loan in loans
        ),
        sources=sources,
    )


def _maturity_levels(org_ids: list[int]) -> dict[int, tuple[int, str]]:
    """organisation → (level, where it comes from), latest submitted assessment first."""
    rows = (
        Assessment.objects.filter(
            organization_id__in=org_ids,
            state=AssessmentState.SUBMITTED,
            model__is_default=True,
            level__isnull=False,
        )
        .order_by("organization_id", "-submitted_at", "-kind", "-id")
        .values_list("organization_id", "level", "kind", "submitted_at")
    )
    out: dict[int, tuple[int, str]] = {}
    for org_id, level, kind, submitted_at in rows:
        if org_id in out:
            continue
        what = _("on-site verification") if kind == "onsite" else _("self-assessment")
        day = submitted_at.date().isoformat() if submitted_at else ""
        out[org_id] = (
            level,
            _("maturity diagnosis: %(what)s submitted %(day)s, level %(level)s")
            % {"what": what, "day": day, "level": level},
        )
    return out


def _received(org_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        Payment.objects.filter(entry__enterprise_id__in=org_ids)
        .values("entry__enterprise_id", "entry__name_list__item_version__item__key")
        .annotate(total=Sum("amount_yuan"))
    )
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        out[row["entry__enterprise_id"]][row["entry__name_list__item_version__item__key"]] = fen(
            row["total"]
        )
    return out


def _enterprise(org, projects, loans_by_project, titles, level, received) -> Enterprise:
    sources = {
        "enterprise.region": _("registry: registered region"),
        "enterprise.industry": _("registry: industry"),
        "enterprise.titles": _("recognitions recorded in the platform"),
        "enterprise.revenue": _("registry: revenue"),
        "enterprise.employees": _("registry: employees"),
    }
    maturity = None
    if level is not None:
        maturity, sources["enterprise.maturity_level"] = level
    return Enterprise(
        uscc=org.uscc,
        name=org.name,
        region=org.region_id,
        industry=org.industry_id,
        titles=tuple(titles),
        maturity_level=maturity,
        revenue_fen=int(org.revenue_wan * 1_000_000) if org.revenue_wan is not None else None,
        employees=org.employees,
        projects=tuple(project_facts(p, loans_by_project.get(p.pk, [])) for p in projects),
        received=received,
        sources=sources,
    )


def facts_for_organizations(
    organizations: Iterable[Organization],
) -> Iterator[tuple[Organization, Enterprise]]:
    """(organisation, facts) for each organisation, five queries per chunk of 2,000."""
    batch: list[Organization] = []
    for org in organizations:
        batch.append(org)
        if len(batch) >= CHUNK:
            yield from _facts_chunk(batch)
            batch = []
    if batch:
        yield from _facts_chunk(batch)


def _facts_chunk(orgs: list[Organization]):
    ids = [org.pk for org in orgs]
    projects: dict[int, list] = defaultdict(list)
    for project in (
        ProjectRow.objects.filter(enterprise_id__in=ids)
        .exclude(status=ProjectStatus.CANCELLED)
        .order_by("start_date", "id")
    ):
        projects[project.enterprise_id].append(project)
    loans: dict[int, list] = defaultdict(list)
    for loan in LoanRow.objects.filter(project__enterprise_id__in=ids).order_by("start_date", "id"):
        loans[loan.project_id].append(loan)
    titles: dict[int, list] = defaultdict(list)
    for rec in Recognition.objects.filter(organization_id__in=ids).order_by("id"):
        titles[rec.organization_id].append(Title(rec.title, rec.level, rec.since))
    levels = _maturity_levels(ids)
    received = _received(ids)
    for org in orgs:
        yield (
            org,
            _enterprise(
                org,
                projects.get(org.pk, []),
                loans,
                titles.get(org.pk, []),
                levels.get(org.pk),
                received.get(org.pk, {}),
            ),
        )


def enterprise_facts(org: Organization) -> Enterprise:
    """The facts of one organisation (the calculator page)."""
    return next(_facts_chunk([org]))[1]
