"""“My policies” (政策计算器): every published item in force on a date, evaluated for one
enterprise on its facts from the platform, grouped into eligible / possibly (data missing) /
not eligible, each with its amount, policy and explanation. Shared by the page, the recording
service and the API; reads only, in a constant number of queries (the facts in five, the
published versions in one, the project names in one)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from zhizao.common.lists import region_prefix
from zhizao.registry.models import Organization
from zhizao_core.policy import Outcome, evaluate
from zhizao_core.policy.phrases import CAPS, FACT_LABELS, pick
from zhizao_core.policy.rules import FACT_KEYS

from . import adapters, engine
from .enums import ItemState, PolicyState, VersionState
from .errors import PolicyError
from .models import PolicyItemVersion, Project

LOAN_KEY = re.compile(r"^project\.loans\[(\d+)\]\.(\w+)$")
FILE_KEY_FACT = {key: fact for fact, key in FACT_KEYS.items()}


def published_versions():
    """Published and superseded versions of published items of published policies."""
    return (
        PolicyItemVersion.objects.filter(
            state__in=[VersionState.PUBLISHED, VersionState.SUPERSEDED],
            item__state=ItemState.PUBLISHED,
            item__policy__state=PolicyState.PUBLISHED,
        )
        .select_related("item__policy__region")
        .order_by("item__key", "number")
    )


@dataclass
class MissingFact:
    key: str
    label: str
    url: str = ""
    where: str = ""


@dataclass
class Result:
    """One outcome with what the page shows next to it."""

    outcome: Outcome
    version: PolicyItemVersion
    project_name: str = ""
    missing: list[MissingFact] = field(default_factory=list)
    cap_label: str = ""

    @property
    def item(self):
        return self.version.item

    @property
    def policy(self):
        return self.version.item.policy

    @property
    def amount_yuan(self) -> Decimal | None:
        fen = self.outcome.amount_fen
        return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))

    @property
    def eligible(self) -> str:
        return self.outcome.eligible_code


@dataclass
class Calculation:
    organization: Organization
    as_of: dt.date
    results: list[Result]

    def group(self, code: str) -> list[Result]:
        return [r for r in self.results if r.eligible == code]

    @property
    def eligible(self):
        return self.group("yes")

    @property
    def possible(self):
        return self.group("unknown")

    @property
    def ineligible(self):
        return self.group("no")

    @property
    def total_yuan(self) -> Decimal:
        return sum((r.amount_yuan or Decimal(0) for r in self.eligible), Decimal(0))

    def by_policy(self) -> list[PolicyGroup]:
        """The results grouped by policy: the policies that apply where the organisation is
        registered first (eligible, then possibly, then not; the larger amount first), then those
        of other regions. Within a policy its eligible and possible results, then each
        ineligible item once (not once per project)."""
        groups: dict[int, PolicyGroup] = {}
        region = self.organization.region_id or ""
        for result in self.results:
            policy = result.policy
            group = groups.get(policy.pk)
            if group is None:
                group = groups[policy.pk] = PolicyGroup(
                    policy,
                    applies_here=policy.region_id is None
                    or region.startswith(region_prefix(policy.region_id)),
                )
            group.add(result)
        rank = {"yes": 0, "unknown": 1, "no": 2}
        return sorted(
            groups.values(),
            key=lambda g: (
                not g.applies_here,
                rank[g.state],
                -g.total_yuan,
                g.policy.title,
                g.policy.pk,
            ),
        )

    def policy_groups(self) -> tuple[list[PolicyGroup], list[PolicyGroup]]:
        """(policies that apply where the organisation is, policies of other regions)."""
        groups = self.by_policy()
        return [g for g in groups if g.applies_here], [g for g in groups if not g.applies_here]


@dataclass
class PolicyGroup:
    """One policy with its results, shown under one heading (title, level, window, amount)."""

    policy: object
    applies_here: bool
    open_results: list[Result] = field(default_factory=list)
    ineligible: list[Result] = field(default_factory=list)

    def add(self, result: Result) -> None:
        if result.eligible != "no":
            self.open_results.append(result)
        elif all(r.item.pk != result.item.pk for r in self.ineligible):
            self.ineligible.append(result)

    @property
    def results(self) -> list[Result]:
        rank = {"yes": 0, "unknown": 1}
        return sorted(
            self.open_results,
            key=lambda r: (rank[r.eligible], r.item.key, r.project_name, r.outcome.project or ""),
        )

    @property
    def state(self) -> str:
        codes = {r.eligible for r in self.open_results}
        return "yes" if "yes" in codes else "unknown" if codes else "no"

    @property
    def total_yuan(self) -> Decimal:
        return sum(
            (r.amount_yuan or Decimal(0) for r in self.open_results if r.eligible == "yes"),
            Decimal(0),
        )


def _loan_field(name: str) -> str:
    return {
        "amount_yuan": _("amount"),
        "start_date": _("start date"),
        "end_date": _("end date"),
        "annual_rate": _("annual interest rate"),
        "interest_paid_yuan": _("interest paid"),
    }.get(name, name)


def missing_facts(outcome: Outcome, *, organization, staff: bool, lang: str) -> list[MissingFact]:
    """The missing facts of an outcome in words, with the page where each is filled in."""
    out = []
    project = outcome.project
    for key in outcome.missing:
        match = LOAN_KEY.match(key)
        if match:
            label = f"{pick(FACT_LABELS['project.loans'], lang)} {int(match[1]) + 1}: {_loan_field(match[2])}"
        elif key == "enterprise.projects":
            label = _("transformation projects")
        else:
            fact = FILE_KEY_FACT.get(key, key)
            label = pick(FACT_LABELS[fact], lang) if fact in FACT_LABELS else key
        url, where = "", ""
        if key.startswith("project.") and project:
            if key.startswith("project.loans"):
                url, where = (
                    reverse("policies:project_detail", args=[project]),
                    _("the project's loans"),
                )
            elif staff:
                url, where = reverse("policies:project_detail", args=[project]), _("the project")
            else:
                url, where = reverse("policies:project_edit", args=[project]), _("edit the project")
        elif key == "enterprise.projects":
            if not staff:
                url, where = reverse("policies:project_new"), _("register a project")
        elif key == "enterprise.titles":
            if staff:
                url = reverse("policies:organization_records", args=[organization.pk])
            else:
                url = reverse("policies:my_recognitions")
            where = _("recognitions")
        elif key == "enterprise.maturity_level":
            url, where = reverse("diagnosis:home"), _("maturity diagnosis")
        elif key.startswith("enterprise."):
            url, where = (
                reverse("registry:organization_edit", args=[organization.pk]),
                _("the registry profile"),
            )
        out.append(MissingFact(key, label, url, where))
    return out


def evaluate_organization(
    organization: Organization,
    *,
    as_of: dt.date,
    lang: str | None = None,
    items: list[str] | None = None,
    staff: bool = False,
) -> Calculation:
    """Every published item in force on ``as_of`` (or the given item keys) for one
    organisation. Unknown item keys raise ``PolicyError`` naming them."""
    lang = lang or engine.language()
    versions = list(published_versions())
    catalogue = engine.stored_catalogue(versions)
    if items is not None:
        unknown = [key for key in items if key not in catalogue]
        if unknown:
            raise PolicyError(
                "unknown_item",
                _("Unknown or unpublished policy items: %(keys)s") % {"keys": ", ".join(unknown)},
                field="items",
            )
    by_version = {(v.item.key, v.number): v for v in versions}
    facts = adapters.enterprise_facts(organization)
    names = dict(Project.objects.filter(enterprise=organization).values_list("pk", "name"))
    results = []
    code_names = engine.code_names(lang)
    for outcome in evaluate(catalogue, facts, as_of, items=items, lang=lang, names=code_names):
        version = by_version.get((outcome.item, outcome.version))
        if version is None:  # no version in force on as_of
            continue
        results.append(
            Result(
                outcome,
                version,
                project_name=names.get(int(outcome.project), "") if outcome.project else "",
                missing=missing_facts(outcome, organization=organization, staff=staff, lang=lang),
                cap_label=pick(CAPS[outcome.binding_cap["per"]], lang)
                if outcome.binding_cap and outcome.binding_cap.get("per") in CAPS
                else "",
            )
        )
    return Calculation(organization, as_of, results)
