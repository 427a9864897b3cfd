"""Demo data: organisations from the pure-core generator, written in bulk, plus the demo
accounts (one per role). Deterministic for a given seed and size."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum

from zhizao.common.audit import Actor, AuditAction, record
from zhizao.common.bulk import refresh_statistics
from zhizao_core.demo import (
    DEMO_SEED,
    ChainNodeRef,
    ClusterRef,
    IndustryRef,
    RegionRef,
    generate_organizations,
)

from ..models import ChainNode, Cluster, Contact, IndustrialChain, Industry, Organization, Region
from .organizations import refresh_derived_fields

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


def load_demo_organizations(*, size: int, seed: int = DEMO_SEED, progress=None) -> DemoResult:
    """Write ``size`` generated organisations; existing credit codes are left as they are."""
    regions, industries, nodes, clusters = reference_inputs()
    cluster_ids = dict(Cluster.objects.values_list("code", "id"))
    node_ids = dict(ChainNode.objects.values_list("code", "id"))
    created = existing = 0
    batch: list[dict] = []

    def flush() -> None:
        nonlocal created, existing
        known = set(
            Organization.objects.filter(uscc__in=[d["uscc"] for d in batch]).values_list(
                "uscc", flat=True
            )
        )
        fresh = [d for d in batch if d["uscc"] not in known]
        existing += len(batch) - len(fresh)
        with transaction.atomic():
            orgs = []
            for d in fresh:
                org = Organization(
                    name=d["name"],
                    uscc=d["uscc"],
                    kind=d["kind"],
                    region_id=d["region"],
                    industry_id=d["industry"] or None,
                    size=d["size"],
                    founded_year=d["founded_year"],
                    employees=d["employees"],
                    revenue_wan=Decimal(d["revenue_wan"]) if d["revenue_wan"] is not None else None,
                    address=d["address"],
                    website=d["website"],
                    description=d["description"],
                    products=list(d["products"]),
                    capabilities=list(d["capabilities"]),
                )
                refresh_derived_fields(org)
                orgs.append(org)
            Organization.objects.bulk_create(orgs, batch_size=500)
            if orgs and orgs[0].pk is None:
                ids = dict(
                    Organization.objects.filter(uscc__in=[o.uscc for o in orgs]).values_list(
                        "uscc", "id"
                    )
                )
                for org in orgs:
                    org.pk = ids[org.uscc]
            cluster_links, node_links, contacts = [], [], []
            for org, d in zip(orgs, fresh, strict=True):
                for code in dict.fromkeys(d["clusters"]):
                    if code in cluster_ids:
                        cluster_links.append(
                            Organization.clusters.through(
                                organization_id=org.pk, cluster_id=cluster_ids[code]
                            )
                        )
                for code in dict.fromkeys(d["chain_nodes"]):
                    if code in node_ids:
                        node_links.append(
                            Organization.chain_nodes.through(
                                organization_id=org.pk, chainnode_id=node_ids[code]
                            )
                        )
                for index, c in enumerate(d["contacts"]):
                    contacts.append(
                        Contact(
                            organization_id=org.pk,
                            name=c["name"],
                            title=c.get("title", ""),
                            phone=c.get("phone", ""),
                            email=c.get("email", ""),
                            is_primary=index == 0,
                        )
                    )
            Organization.clusters.through.objects.bulk_create(cluster_links, batch_size=2000)
            Organization.chain_nodes.through.objects.bulk_create(node_links, batch_size=2000)
            Contact.objects.bulk_create(contacts, batch_size=2000)
        created += len(fresh)
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
            Actor(extra={"via": "demo"}),
            AuditAction.IMPORT,
            None,
            object_repr="demo data",
            context={"created": created, "seed": seed, "size": size},
        )
    return DemoResult(created=created, existing=existing)


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
