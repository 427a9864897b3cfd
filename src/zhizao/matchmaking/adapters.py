"""Models → the pure core's dataclasses (``zhizao_core.matching``), loaded in one pass.

- An offering's ``regions`` fall back to its provider's registry region (where it sits is where
  it has people) when none are given.
- A demand's budget for the hard filter is the top of its band (None for open bands).
- Signals are counts of the offering's recorded introduction outcomes."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from zhizao_core.matching import Case as CoreCase
from zhizao_core.matching import Demand as CoreDemand
from zhizao_core.matching import InputError, Signals, parse_demands, parse_requirement
from zhizao_core.matching import Offering as CoreOffering

from .enums import SignalKind
from .models import Case, Demand, MatchSignal, Offering


def offering_key(pk: int) -> str:
    return str(pk)


def core_offering(offering: Offering, cases, provider_region: str | None) -> CoreOffering:
    regions = tuple(offering.regions or ()) or ((provider_region,) if provider_region else ())
    return CoreOffering(
        id=offering_key(offering.pk),
        kind=offering.kind,
        title=offering.title,
        description=offering.description,
        categories=tuple(offering.categories or ()),
        industries=tuple(offering.industries or ()),
        regions=regions,
        certifications=tuple(offering.certifications or ()),
        cases=tuple(
            CoreCase(
                title=c.title,
                industry=c.customer_industry or None,
                region=c.region or None,
                result=c.result,
            )
            for c in cases
        ),
        provider=str(offering.provider_id),
        price_min_yuan=offering.price_min_yuan,
        price_max_yuan=offering.price_max_yuan,
        tags=tuple(offering.tags or ()),
    )


def core_offerings(queryset) -> list[CoreOffering]:
    """The offerings of ``queryset`` with their cases and providers' regions (two queries)."""
    rows = list(queryset.select_related("provider").order_by("id"))
    cases: dict[int, list[Case]] = defaultdict(list)
    ids = [o.pk for o in rows]
    for start in range(0, len(ids), 5000):
        for case in Case.objects.filter(offering_id__in=ids[start : start + 5000]).order_by(
            "offering_id", "id"
        ):
            cases[case.offering_id].append(case)
    return [core_offering(o, cases.get(o.pk, ()), o.provider.region_id) for o in rows]


def _requirements(values) -> tuple:
    out = []
    for value in values or ():
        if isinstance(value, str):
            out.append(parse_requirement(value))
            continue
        try:
            parsed = parse_demands([{"id": "x", "title": "x", "must": [value]}])[0]
        except InputError:
            continue  # refused by the services already; never stops a ranking
        out.extend(parsed.must)
    return tuple(out)


def core_demand(demand: Demand) -> CoreDemand:
    return CoreDemand(
        id=str(demand.pk),
        title=demand.title,
        description=demand.description,
        category=demand.category or None,
        industry=demand.industry or None,
        region=demand.region or None,
        budget_yuan=demand.budget_max_yuan,
        must=_requirements(demand.must),
        nice=_requirements(demand.nice),
    )


def core_demands(queryset) -> list[CoreDemand]:
    return [core_demand(d) for d in queryset.order_by("id")]


def signals_by_offering(offering_ids=None) -> dict[str, Signals]:
    qs = MatchSignal.objects.all()
    if offering_ids is not None:
        qs = qs.filter(offering_id__in=list(offering_ids))
    rows = qs.values("offering_id").annotate(
        accepted=Count("id", filter=Q(kind=SignalKind.ACCEPTED)),
        declined=Count("id", filter=Q(kind=SignalKind.DECLINED)),
        dealt=Count("id", filter=Q(kind=SignalKind.DEAL)),
    )
    return {
        offering_key(r["offering_id"]): Signals(
            accepted=r["accepted"], declined=r["declined"], dealt=r["dealt"]
        )
        for r in rows
    }
