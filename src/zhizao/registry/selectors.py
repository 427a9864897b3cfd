"""Reads of the registry: the filtered list, permission-checked fetches, history, chains."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import translation

from zhizao.common.models import AuditEntry
from zhizao_core.registry.chains import ChainAssessment, NodeFacts, WeakLinkPolicy, assess_chain
from zhizao_core.text import normalize_search_text, organization_name_key

from .enums import NameChangeState
from .models import (
    ChainNode,
    Cluster,
    Contact,
    ImportBatch,
    IndustrialChain,
    Industry,
    NameChangeRequest,
    Organization,
    Region,
)


def _asc(field: str):
    return F(field).asc(nulls_last=True)


def _desc(field: str):
    return F(field).desc(nulls_last=True)


# Empty values sort last in both directions, on SQLite and PostgreSQL alike.
SORTS = {
    "name": (_asc("name_sort"), _asc("id")),
    "-name": (_desc("name_sort"), _desc("id")),
    "created": (_asc("created_at"), _asc("id")),
    "-created": (_desc("created_at"), _desc("id")),
    "employees": (_asc("employees"), _asc("id")),
    "-employees": (_desc("employees"), _desc("id")),
    "revenue": (_asc("revenue_wan"), _asc("id")),
    "-revenue": (_desc("revenue_wan"), _desc("id")),
    "founded": (_asc("founded_year"), _asc("id")),
    "-founded": (_desc("founded_year"), _desc("id")),
    "region": (_asc("region_id"), _asc("name_sort"), _asc("id")),
    "-region": (_desc("region_id"), _asc("name_sort"), _asc("id")),
}


@dataclass(frozen=True)
class OrganizationFilter:
    """The registry's filters, shared by the page, the export and the API."""

    q: str = ""
    kind: str = ""
    region: str = ""  # a province, city or district code
    industry: str = ""  # a division, group or class code
    size: str = ""
    cluster: str = ""  # cluster code
    chain: str = ""  # chain code
    sort: str = ""

    @property
    def terms(self) -> list[str]:
        return [t for t in normalize_search_text(self.q).replace("|", " ").split() if t][:8]

    def is_empty(self) -> bool:
        return not any(
            (self.q, self.kind, self.region, self.industry, self.size, self.cluster, self.chain)
        )


def filter_organizations(queryset: QuerySet[Organization], f: OrganizationFilter) -> QuerySet:
    if f.terms:
        # Written as a negation so that SQLite scans the table once for the substring match
        # instead of walking the (is_active, …) index and fetching every row from it.
        qs = queryset.exclude(is_active=False)
    else:
        qs = queryset.filter(is_active=True)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.region:
        code = f.region
        if code.endswith("0000"):
            qs = qs.filter(province_code=code)
        elif code.endswith("00"):
            qs = qs.filter(city_code=code)
        else:
            qs = qs.filter(region_id=code)
    if f.industry:
        code = f.industry
        if len(code) == 1:
            # A section letter: its divisions are the two-digit codes under it.
            from .models import Industry

            divisions = list(Industry.objects.filter(parent_id=code).values_list("code", flat=True))
            qs = qs.filter(industry_division__in=divisions)
        elif len(code) == 2:
            qs = qs.filter(industry_division=code)
        elif len(code) == 3:
            qs = qs.filter(industry_group=code)
        else:
            qs = qs.filter(industry_id=code)
    if f.size:
        qs = qs.filter(size=f.size)
    if f.cluster:
        qs = qs.filter(clusters__code=f.cluster)
    if f.chain:
        qs = qs.filter(
            pk__in=Organization.chain_nodes.through.objects.filter(
                chainnode__chain__code=f.chain
            ).values("organization_id")
        )
    for term in f.terms:
        qs = qs.filter(search_text__contains=term)
    return qs


def organizations_for_export(f: OrganizationFilter) -> QuerySet[Organization]:
    """Every organisation the filters select (archived ones left out), in pinyin order."""
    return filter_organizations(Organization.objects.all(), f).order_by("name_sort", "id")


def organizations_for_listing(f: OrganizationFilter) -> QuerySet[Organization]:
    qs = filter_organizations(Organization.objects.all(), f)
    # Regions and industries come by prefetch, not by join: with joins SQLite starts from the
    # region table and reaches organisations through the region index, row by row.
    qs = qs.prefetch_related(
        "region__parent__parent", "industry", Prefetch("clusters", queryset=_clusters_qs())
    )
    if f.sort in SORTS:
        return qs.order_by(*SORTS[f.sort])
    if f.q.strip():
        # Relevance: the query inside the name first, then the rest, each in pinyin order.
        first = normalize_search_text(f.q).split()[0] if f.q.split() else ""
        return qs.annotate(
            name_hit=Case(
                When(name__icontains=first, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("name_hit", "name_sort", "id")
    return qs.order_by("name_sort", "id")


def _clusters_qs():
    from .models import Cluster

    return Cluster.objects.only("id", "code", "name_zh", "name_en")


def organization_name_taken(name: str, *, exclude: int | None = None) -> bool:
    """True when an active organisation (other than ``exclude``) has this name, compared as
    ``organization_name_key`` (width, case, spaces and invisible characters do not count)."""
    queryset = Organization.objects.filter(is_active=True, name_key=organization_name_key(name))
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    return queryset.exists()


def pending_name_change(org: Organization) -> NameChangeRequest | None:
    return (
        NameChangeRequest.objects.filter(organization=org, state=NameChangeState.PENDING)
        .select_related("requested_by")
        .first()
    )


def contacts_for_organization(org: Organization) -> list[Contact]:
    return list(org.contacts.all())


def history_for_object(obj, *, limit: int = 200) -> list[AuditEntry]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return list(
        AuditEntry.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by(
            "-created_at", "-id"
        )[:limit]
    )


def region_choices() -> list[Region]:
    """Provinces, cities and districts in code order (current codes only)."""
    return list(Region.objects.filter(valid_to__isnull=True).order_by("code"))


# The filter options (1,300 regions and industries, the clusters and chains) are kept in the
# shared cache, under a version that every write of that reference data replaces after commit
# (``forget_filter_choices``): all app processes see a change at their next page, and a page
# built from data read before the change lands under the old version, which nobody reads again.
FILTER_CHOICES_TTL = 300  # seconds
FILTER_CHOICES_VERSION_KEY = "zhizao:registry-filter-choices:version"


def _filter_choices_key(language: str, version: str) -> str:
    return f"zhizao:registry-filter-choices:{version}:{language}"


def filter_choices(language: str) -> dict[str, list[tuple[str, str, str]]]:
    """(value, label, parent) of every cascading filter, labels in ``language``."""
    version = cache.get(FILTER_CHOICES_VERSION_KEY) or "0"
    key = _filter_choices_key(language, version)
    choices = cache.get(key)
    if choices is not None:
        return choices
    with translation.override(language):
        regions = region_choices()
        industries = list(Industry.objects.order_by("code"))
        sections = {i.code: i for i in industries if i.level == "section"}
        choices = {
            "province": [(r.code, r.name, "") for r in regions if r.level == "province"],
            "city": [(r.code, r.name, r.parent_id) for r in regions if r.level == "city"],
            "district": [(r.code, r.name, r.parent_id) for r in regions if r.level == "district"],
            **{
                name: [
                    (i.code, f"{i.code} {i.name}", i.parent_id)
                    for i in industries
                    if i.level == level
                ]
                for name, level in (
                    ("division", "division"),
                    ("group", "group"),
                    ("industry_class", "class"),
                )
            },
            "cluster": [(c.code, c.name, "") for c in Cluster.objects.order_by("code")],
            "chain": [(c.code, c.name, "") for c in IndustrialChain.objects.order_by("code")],
            "_sections": [(code, f"{code} {sec.name}", "") for code, sec in sections.items()],
        }
    cache.set(key, choices, timeout=FILTER_CHOICES_TTL)
    return choices


def region_filter_choices() -> list[tuple[str, str]]:
    """(code, name) of every province and, under it, its cities, in the active language: the
    region filter of the lists built on ``common/lists.py`` (a city's name is indented)."""
    choices = filter_choices(translation.get_language() or "zh-hans")
    cities: dict[str, list[tuple[str, str, str]]] = {}
    for row in choices["city"]:
        cities.setdefault(row[2], []).append(row)
    out = []
    for code, name, _parent in choices["province"]:
        out.append((code, name))
        out.extend((c, f"\u3000{n}") for c, n, _p in cities.get(code, []))
    return out


def industry_filter_choices() -> list[tuple[str, str]]:
    """(code, name) of the industry divisions (两位数大类), names without their codes."""
    choices = filter_choices(translation.get_language() or "zh-hans")
    return [(code, label.split(" ", 1)[-1]) for code, label, _p in choices["division"]]


def forget_filter_choices() -> None:
    """After a write of regions, industries, clusters or chains: every process rebuilds the
    filter options at its next page. Services call this in ``transaction.on_commit``."""
    cache.set(FILTER_CHOICES_VERSION_KEY, secrets.token_hex(8), timeout=None)


def region_path(region: Region | None) -> list[Region]:
    path = []
    while region is not None:
        path.append(region)
        region = region.parent
    return list(reversed(path))


@dataclass(frozen=True)
class ChainView:
    chain: IndustrialChain
    assessment: ChainAssessment
    nodes: list[ChainNode]
    members: dict[int, list[Organization]]
    counts: dict[int, int]


def chains_for_listing() -> list[IndustrialChain]:
    return list(
        IndustrialChain.objects.select_related("cluster", "leader", "region")
        .annotate(node_count=Count("nodes", distinct=True))
        .order_by("code")
    )


def _scope_filter(prefix: str, scope: str) -> dict[str, str]:
    """The organisations of a chain's region: a province, a city or a district code."""
    if scope.endswith("0000"):
        return {f"{prefix}province_code": scope}
    if scope.endswith("00"):
        return {f"{prefix}city_code": scope}
    return {f"{prefix}region_id": scope}


def _assess(chain: IndustrialChain, nodes, counts, leader_nodes) -> ChainAssessment:
    facts = [
        NodeFacts(
            code=node.code,
            name=node.name_zh,
            position=node.position,
            local_enterprises=counts.get(node.pk, 0),
            leader_present=node.pk in leader_nodes,
        )
        for node in nodes
    ]
    return assess_chain(facts, policy=WeakLinkPolicy(min_enterprises=chain.weak_link_threshold))


def chain_assessments(chains: list[IndustrialChain]) -> dict[int, ChainAssessment]:
    """The weak-link assessment of each chain in its own region, in three queries whatever the
    number of chains (the lists and the home page; ``chain_view`` is the one chain's page)."""
    if not chains:
        return {}
    by_pk = {chain.pk: chain for chain in chains}
    nodes: dict[int, list[ChainNode]] = {pk: [] for pk in by_pk}
    for node in ChainNode.objects.filter(chain_id__in=by_pk).order_by("sort_order", "id"):
        nodes[node.chain_id].append(node)
    through = Organization.chain_nodes.through
    # Local: in the chain's own region, at the level of its region code.
    local = (
        Q(
            chainnode__chain__region__code__endswith="0000",
            organization__province_code=F("chainnode__chain__region_id"),
        )
        | Q(
            ~Q(chainnode__chain__region__code__endswith="0000"),
            chainnode__chain__region__code__endswith="00",
            organization__city_code=F("chainnode__chain__region_id"),
        )
        | Q(
            ~Q(chainnode__chain__region__code__endswith="00"),
            organization__region_id=F("chainnode__chain__region_id"),
        )
    )
    counts = dict(
        through.objects.filter(local, chainnode__chain_id__in=by_pk, organization__is_active=True)
        .values("chainnode_id")
        .annotate(n=Count("organization_id"))
        .values_list("chainnode_id", "n")
    )
    leader_nodes = set(
        through.objects.filter(
            chainnode__chain_id__in=by_pk,
            organization_id=F("chainnode__chain__leader_id"),
        ).values_list("chainnode_id", flat=True)
    )
    return {pk: _assess(chain, nodes[pk], counts, leader_nodes) for pk, chain in by_pk.items()}


def chain_view(chain: IndustrialChain, *, region: str = "", per_node: int = 12) -> ChainView:
    """The chain's nodes with their local enterprises, and the weak-link assessment.

    "Local" means in the chain's region (or the narrower ``region`` code asked for).
    """
    scope = region or chain.region_id
    nodes = list(chain.nodes.order_by("sort_order", "id"))
    through = Organization.chain_nodes.through
    base = through.objects.filter(
        chainnode__chain=chain,
        organization__is_active=True,
        **_scope_filter("organization__", scope),
    )
    counts = dict(
        base.values("chainnode_id")
        .annotate(n=Count("organization_id"))
        .values_list("chainnode_id", "n")
    )
    members: dict[int, list[Organization]] = {node.pk: [] for node in nodes}
    # Largest enterprises first at each node (by revenue), a fixed number per node.
    rows = base.select_related("organization__region").order_by(
        "chainnode_id", "-organization__revenue_wan", "organization__name_sort"
    )
    if per_node:
        for row in rows.iterator(chunk_size=2000):
            bucket = members[row.chainnode_id]
            if len(bucket) < per_node:
                bucket.append(row.organization)
    leader_nodes = set()
    if chain.leader_id:
        leader_nodes = set(
            through.objects.filter(
                organization_id=chain.leader_id, chainnode__chain=chain
            ).values_list("chainnode_id", flat=True)
        )
    assessment = _assess(chain, nodes, counts, leader_nodes)
    return ChainView(
        chain=chain, assessment=assessment, nodes=nodes, members=members, counts=counts
    )


@dataclass(frozen=True)
class RegistryOverview:
    """The home page's figures: active organisations by kind, by province, by size
    (manufacturers), and the chains ordered by their number of weak links."""

    total: int
    kinds: list[tuple[str, str, int]]
    provinces: list[tuple[Region, int]]
    sizes: dict[str, int]
    weak_chains: list[tuple[IndustrialChain, ChainAssessment]]


def registry_overview(*, chains: int = 50) -> RegistryOverview:
    """Counts in one query per breakdown; the first ``chains`` chains assessed together."""
    from .enums import OrganizationKind

    orgs = Organization.objects.filter(is_active=True)
    by_kind = dict(orgs.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    by_province = dict(
        orgs.values("province_code").annotate(n=Count("id")).values_list("province_code", "n")
    )
    provinces = {
        r.code: r for r in Region.objects.filter(level="province", code__in=list(by_province))
    }
    by_size = dict(
        orgs.filter(kind=OrganizationKind.MANUFACTURER)
        .values("size")
        .annotate(n=Count("id"))
        .values_list("size", "n")
    )
    chain_list = list(IndustrialChain.objects.order_by("code")[:chains])
    assessments = chain_assessments(chain_list)
    weak = sorted(
        ((chain, assessments[chain.pk]) for chain in chain_list),
        key=lambda item: (-item[1].weak_count, item[0].code),
    )
    return RegistryOverview(
        total=sum(by_kind.values()),
        kinds=[(value, label, by_kind.get(value, 0)) for value, label in OrganizationKind.choices],
        provinces=sorted(
            ((provinces[c], n) for c, n in by_province.items() if c in provinces),
            key=lambda item: -item[1],
        ),
        sizes=by_size,
        weak_chains=weak,
    )


def recent_imports(*, limit: int = 5) -> list[ImportBatch]:
    return list(ImportBatch.objects.select_related("created_by").order_by("-created_at")[:limit])
