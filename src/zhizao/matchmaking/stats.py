"""Reads for operators: the introduction funnel by category, city and provider, deal values,
and the supply gaps (published demands without a good offering)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import get_language

from zhizao.registry.models import IndustrialChain

from . import codes, index
from .enums import FUNNEL, DemandState
from .models import Demand, Introduction
from .vocabulary import category_name

STAGE_FILTERS = {
    "suggested": Q(),
    "requested": Q(requested_at__isnull=False),
    "accepted": Q(accepted_at__isnull=False),
    "met": Q(met_at__isnull=False),
    "deal": Q(deal_at__isnull=False),
}
GROUPINGS = {
    "category": "demand__category",
    "city": "city",
    "provider": "offering__provider_id",
}


def _annotations() -> dict:
    return {
        **{stage: Count("id", filter=STAGE_FILTERS[stage]) for stage in FUNNEL},
        "deal_value": Sum("deal_value_yuan"),
    }


@dataclass
class FunnelRow:
    key: str
    label: str
    counts: list[int]
    conversions: list[float | None]
    deal_value_yuan: Decimal

    @property
    def request_to_deal(self) -> float | None:
        """Deals per request: the share of requests that ended in a deal."""
        return self.counts[4] / self.counts[1] if self.counts[1] else None

    @property
    def deal_value_wan(self) -> Decimal:
        return (self.deal_value_yuan / 10000).quantize(Decimal("0.01"))


def _row(key, label, values) -> FunnelRow:
    counts = [values[stage] for stage in FUNNEL]
    conversions = [None] + [
        (counts[i] / counts[i - 1]) if counts[i - 1] else None for i in range(1, len(counts))
    ]
    return FunnelRow(
        key=str(key),
        label=label,
        counts=counts,
        conversions=conversions,
        deal_value_yuan=Decimal(values["deal_value"] or 0).quantize(Decimal("0.01")),
    )


def funnel(qs=None) -> FunnelRow:
    """Every introduction counts in each stage it reached: suggested (all), requested,
    accepted, met, deal."""
    qs = Introduction.objects.all() if qs is None else qs
    return _row("all", "", qs.aggregate(**_annotations()))


def funnel_by(grouping: str, qs=None, *, limit: int = 50) -> list[FunnelRow]:
    """The funnel per category, city (of the demand) or provider, largest first (one query,
    plus one for the provider names)."""
    qs = Introduction.objects.all() if qs is None else qs
    if grouping == "city":
        qs = qs.annotate(city=Concat(Substr("demand__region", 1, 4), Value("00")))
    key = GROUPINGS[grouping]
    rows = list(qs.values(key).annotate(**_annotations()).order_by("-suggested", key)[:limit])
    names: dict = {}
    if grouping == "provider":
        from zhizao.registry.models import Organization

        names = dict(
            Organization.objects.filter(pk__in=[r[key] for r in rows]).values_list("pk", "name")
        )
    out = []
    for r in rows:
        value = r[key]
        if grouping == "category":
            label = category_name(value)
        elif grouping == "city":
            label = codes.region_name(value)
        else:
            label = names.get(value, str(value))
        out.append(_row(value, label, r))
    return out


def _prefix(code: str) -> str:
    """320000 → 32, 320400 → 3204, 320411 → 320411."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


@dataclass
class Gap:
    demand: Demand
    best_score: float | None
    best_meets_all: bool
    missing: list[str]
    #: what the page shows: the best offering's fit 0–100 (None: no offering at all)
    best_fit: int | None = None
    #: the chain nodes the demand belongs to (补链): (chain, node) by industry or keyword
    nodes: list = field(default_factory=list)


@dataclass
class GapGroup:
    category: str
    category_label: str
    city: str
    city_label: str
    demands: list[Gap]
    chains: list[IndustrialChain]


def supply_gaps(*, threshold: float | None = None, limit: int = 500) -> list[GapGroup]:
    """Published demands whose best match scores below ``threshold`` or meets not every
    must-have (or that have no match at all), grouped by category and city, each group with
    the industrial chains of that place whose nodes cover the demands' industries (their
    weak-link pages)."""
    threshold = settings.ZHIZAO_MATCH_GAP_SCORE if threshold is None else threshold
    demands = list(
        Demand.objects.filter(state=DemandState.PUBLISHED)
        .select_related("enterprise")
        .order_by("-published_at", "-id")[:limit]
    )
    groups: dict[tuple[str, str], list[Gap]] = {}
    index.get_index()  # brought up to date once for the whole batch
    for demand in demands:
        matches = index.rank_offerings(demand, top=1, refresh=False)
        best = matches[0] if matches else None
        if best is not None and best.score >= threshold and best.meets_all:
            continue
        missing = [c.requirement.label for c in best.checks if not c.met] if best else []
        gap = Gap(
            demand=demand,
            best_score=None if best is None else round(best.score, 3),
            best_meets_all=bool(best and best.meets_all),
            missing=missing,
            best_fit=None if best is None else best.fit,
        )
        groups.setdefault((demand.category, codes.city_code(demand.region)), []).append(gap)
    chains = list(
        IndustrialChain.objects.select_related("region").prefetch_related("nodes").order_by("code")
    )
    out = []
    for (category, city), gaps in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        industries = {g.demand.industry[:2] for g in gaps if g.demand.industry}
        related = []
        for chain in chains:
            region = chain.region_id or ""
            prefix = _prefix(region)
            place_ok = not region or city.startswith(prefix) or prefix.startswith(city[:4])
            node_codes = {str(c)[:2] for node in chain.nodes.all() for c in node.industries or []}
            if place_ok and (not industries or industries & node_codes):
                related.append(chain)
        for gap in gaps:
            gap.nodes = _nodes_of(gap.demand, related)
        out.append(
            GapGroup(
                category=category,
                category_label=category_name(category),
                city=city,
                city_label=codes.region_name(city),
                demands=gaps,
                chains=related,
            )
        )
    return out


def _nodes_of(demand: Demand, chains) -> list:
    """The nodes of ``chains`` a demand belongs to: a node whose industry codes share the
    demand's industry (the longest common prefix of at least two digits wins), or whose keywords
    appear in its text. Each as (chain, node)."""
    industry = demand.industry or ""
    text = f"{demand.title}{demand.description}"
    best, found = 1, []
    for chain in chains:
        for node in chain.nodes.all():
            depth = max(
                (
                    len(code)
                    for code in (str(c) for c in node.industries or [])
                    if len(code) >= 2 and industry.startswith(code)
                ),
                default=0,
            )
            if depth == 0 and any(k and k in text for k in node.keywords or []):
                depth = 2
            if depth > best:
                best, found = depth, [(chain, node)]
            elif depth == best and depth > 1:
                found.append((chain, node))
    return found[:3]


def latest_supply_gap_report():
    """(the newest finished ``SupplyGapReport`` or None, whether a computation is queued): two
    small queries, whatever the number of gaps."""
    from .enums import SupplyGapReportState
    from .models import SupplyGapReport

    report = SupplyGapReport.objects.filter(state=SupplyGapReportState.DONE).first()
    pending = SupplyGapReport.objects.filter(state=SupplyGapReportState.QUEUED).exists()
    return report, pending


def gap_rows(groups: list[GapGroup]) -> list[dict]:
    """The groups as plain JSON for ``SupplyGapReport.groups``: codes, and the names of cities
    and chains in both languages, so that the page shows them without a query."""
    from zhizao.registry.models import Region

    cities = {g.city for g in groups}
    names = {
        code: [zh, en or zh]
        for code, zh, en in Region.objects.filter(code__in=cities).values_list(
            "code", "name_zh", "name_en"
        )
    }
    return [
        {
            "category": g.category,
            "city": g.city,
            "city_name": names.get(g.city, [g.city, g.city]),
            "demands": [
                {
                    "id": gap.demand.pk,
                    "title": gap.demand.title,
                    "best_score": gap.best_score,
                    "best_fit": gap.best_fit,
                    "nodes": [
                        {
                            "chain": chain.code,
                            "name": [
                                f"{chain.name_zh} · {node.name_zh}",
                                f"{chain.name_en or chain.name_zh} · {node.name_en or node.name_zh}",
                            ],
                        }
                        for chain, node in gap.nodes
                    ],
                    "best_meets_all": gap.best_meets_all,
                    "missing": list(gap.missing),
                }
                for gap in g.demands
            ],
            "chains": [
                {"code": c.code, "name": [c.name_zh, c.name_en or c.name_zh]} for c in g.chains
            ],
        }
        for g in groups
    ]


def shown_gap_groups(rows: list[dict]) -> list[dict]:
    """Stored rows in the active language, shaped for the page (no query)."""
    english = (get_language() or "zh-hans").startswith("en")
    pick = 1 if english else 0
    return [
        {
            "category": row["category"],
            "category_label": category_name(row["category"]),
            "city": row["city"],
            "city_label": row["city_name"][pick],
            "demands": [
                {
                    **gap,
                    "demand": {"pk": gap["id"], "title": gap["title"]},
                    "nodes": [
                        {"chain": n["chain"], "name": n["name"][pick]} for n in gap.get("nodes", [])
                    ],
                }
                for gap in row["demands"]
            ],
            "chains": [{"code": c["code"], "name": c["name"][pick]} for c in row["chains"]],
        }
        for row in rows
    ]


__all__ = [
    "FunnelRow",
    "Gap",
    "GapGroup",
    "funnel",
    "funnel_by",
    "gap_rows",
    "latest_supply_gap_report",
    "shown_gap_groups",
    "supply_gaps",
]
