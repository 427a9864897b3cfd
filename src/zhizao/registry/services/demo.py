"""Demo data: organisations from the pure-core generator, written in bulk, plus the demo
accounts (one per role). Deterministic for a given seed and size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from zhizao.common.audit import Actor, AuditAction, record
from zhizao.common.bulk import insert_rows, refresh_statistics
from zhizao_core.demo import (
    DEMO_SEED,
    ChainNodeRef,
    ClusterRef,
    IndustryRef,
    RegionRef,
    generate_organizations,
)
from zhizao_core.importing import OrganizationRecord

from ..models import ChainNode, Cluster, Contact, IndustrialChain, Industry, Organization, Region
from .imports import ImportPlan, apply_plan, plan_records

BATCH = 2000


@dataclass(frozen=True)
class DemoResult:
    created: int
    existing: int


def reference_inputs() -> tuple[
    list[RegionRef], list[IndustryRef], list[ChainNodeRef], list[ClusterRef]
]:
    regions = {r.code: r for r in Region.objects.filter(valid_to__isnull=True)}
    districts = []
    for region in regions.values():
        if region.level != "district":
            continue
        city = regions.get(region.parent_id)
        if city is None:
            continue
        districts.append(
            RegionRef(
                code=region.code,
                name=region.name_zh,
                city_code=city.code,
                city_name=city.name_zh,
                province_code=region.code[:2] + "0000",
            )
        )
    districts.sort(key=lambda r: r.code)
    industries = [
        IndustryRef(code=i.code, name=i.name_zh)
        for i in Industry.objects.filter(level="class").order_by("code")
    ]
    nodes = [
        ChainNodeRef(
            code=n.code,
            chain_code=n.chain.code,
            name=n.name_zh,
            position=n.position,
            industries=tuple(n.industries),
            keywords=tuple(n.keywords),
        )
        for n in ChainNode.objects.select_related("chain").order_by("code")
    ]
    clusters = [
        ClusterRef(
            code=c.code, name=c.name_zh, chains=tuple(c.chains.values_list("code", flat=True))
        )
        for c in Cluster.objects.order_by("code")
    ]
    return districts, industries, nodes, clusters


def _record(d: dict) -> OrganizationRecord:
    """A generated organisation in the import's shape, so that demo data takes the import's
    write path (one transaction per batch, audited, bulk inserts)."""
    primary = d["contacts"][0] if d["contacts"] else {}
    revenue = d["revenue_wan"]
    return OrganizationRecord(
        row=0,
        name=d["name"],
        uscc=d["uscc"],
        kind=d["kind"],
        region=d["region"],
        industry=d["industry"] or "",
        size=d["size"] or "",
        founded_year=d["founded_year"],
        employees=d["employees"],
        revenue_wan=Decimal(revenue).quantize(Decimal("0.01")) if revenue is not None else None,
        address=d["address"],
        website=d["website"],
        description=d["description"],
        products=tuple(d["products"]),
        capabilities=tuple(d["capabilities"]),
        clusters=tuple(dict.fromkeys(d["clusters"])),
        chain_nodes=tuple(dict.fromkeys(d["chain_nodes"])),
        contact_name=primary.get("name", ""),
        contact_phone=primary.get("phone", ""),
        contact_email=primary.get("email", ""),
        present=DEMO_COLUMNS,
    )


DEMO_COLUMNS = frozenset(
    {
        "name",
        "uscc",
        "kind",
        "region",
        "industry",
        "size",
        "founded_year",
        "employees",
        "revenue_wan",
        "address",
        "website",
        "description",
        "products",
        "capabilities",
        "clusters",
        "chain_nodes",
        "contact_name",
        "contact_phone",
        "contact_email",
    }
)


def load_demo_organizations(*, size: int, seed: int = DEMO_SEED, progress=None) -> DemoResult:
    """Write ``size`` generated organisations; existing credit codes are left as they are."""
    regions, industries, nodes, clusters = reference_inputs()
    actor = Actor(extra={"via": "demo"})
    created = existing = 0
    batch: list[dict] = []

    def flush() -> None:
        nonlocal created, existing
        create, update, unchanged = plan_records([_record(d) for d in batch])
        plan = ImportPlan(
            rows=len(batch),
            valid=len(batch),
            errors=[],
            unknown_columns=[],
            labels={},
            create=create,
        )  # existing organisations stay untouched
        with transaction.atomic():
            apply_plan(actor, plan, analyze=False)  # once at the end, below
            by_uscc = {row.record.uscc: row.org_id for row in create}
            insert_rows(
                Contact,
                ("organization", "name", "title", "phone", "email", "is_primary"),
                (
                    (
                        by_uscc[d["uscc"]],
                        c["name"],
                        c.get("title", ""),
                        c.get("phone", ""),
                        c.get("email", ""),
                        False,
                    )
                    for d in batch
                    if d["uscc"] in by_uscc
                    for c in d["contacts"][1:]
                ),
            )
            _spread_registration_dates(list(by_uscc.values()))
        created += len(create)
        existing += len(update) + len(unchanged)
        if progress:
            progress(created + existing)
        batch.clear()

    for item in generate_organizations(
        seed=seed,
        size=size,
        regions=regions,
        industries=industries,
        chain_nodes=nodes,
        clusters=clusters,
    ):
        batch.append(item)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    if created:
        refresh_statistics(Organization._meta.db_table)
        record(
            actor,
            AuditAction.IMPORT,
            None,
            object_repr="demo data",
            context={"created": created, "seed": seed, "size": size},
        )
    return DemoResult(created=created, existing=existing)


HISTORY_MONTHS = 18


def _spread_registration_dates(ids: list[int]) -> None:
    """Demo only: the organisations entered the registry over the last 18 months (by id, so
    the same seed gives the same history), so that the dashboards have a history."""
    now = timezone.now()
    by_offset: dict[int, list[int]] = {}
    for org_id in ids:
        by_offset.setdefault(org_id * 7919 % HISTORY_MONTHS * 30, []).append(org_id)
    for days, members in by_offset.items():
        if days:
            Organization.objects.filter(pk__in=members).update(
                created_at=now - dt.timedelta(days=days)
            )


def designate_chain_leaders() -> int:
    """Each chain without a leader gets the member with the largest revenue in its region."""
    designated = 0
    for chain in IndustrialChain.objects.filter(leader__isnull=True):
        scope = chain.region_id
        members = Organization.objects.filter(
            chain_nodes__chain=chain, kind="manufacturer", is_active=True
        )
        if scope.endswith("0000"):
            members = members.filter(province_code=scope)
        leader = (
            members.annotate(nodes=Count("chain_nodes"))
            .order_by("-revenue_wan", "name_sort")
            .first()
        )
        if leader is not None:
            chain.leader = leader
            chain.save(update_fields=["leader"])
            record(
                Actor(extra={"via": "demo"}),
                AuditAction.UPDATE,
                chain,
                changes={"leader_id": [None, leader.pk]},
            )
            designated += 1
    return designated


def registry_totals() -> dict:
    return Organization.objects.aggregate(n=Count("id"), revenue=Sum("revenue_wan"))
