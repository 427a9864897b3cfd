"""The records behind a dashboard figure on an industrial chain: an enterprise on two nodes of
one chain is one record (the list's ``distinct()`` on SQLite and PostgreSQL alike), the list's
count is the figure's, and sort, pagination and export work on the distinct rows; the list
costs the same queries for 3 records or 30, with every search, filter and sort.

Run on PostgreSQL too: ``DATABASE_URL=postgresql://… pytest tests/insights``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import make_organization
from zhizao.insights import services
from zhizao.policies.models import Project, Recognition
from zhizao.registry.models import ChainNode, IndustrialChain, Organization

pytestmark = pytest.mark.django_db

YEAR = {"start": "2026-01", "end": "2026-12"}
ON_CHAIN = {**YEAR, "chain": "rec-chain"}
ENTERPRISES = "/insights/records/registry.enterprises/"
EQUIPMENT = "/insights/records/policies.investment_equipment/"
RECOGNITIONS = "/insights/records/policies.recognitions/"
WUXI_A = "无锡看板甲机械有限公司"
WUXI_B = "无锡看板乙电子有限公司"


def _chain_members(n: int, nodes, start: int = 0) -> list[Organization]:
    """``n`` Wuxi enterprises 链上企业NN on the first node; every other one on both nodes."""
    members = []
    for i in range(start, start + n):
        org = make_organization(name=f"无锡链上企业{i:02d}有限公司", region="320205")
        org.chain_nodes.add(*(nodes if i % 2 == 0 else nodes[:1]))
        members.append(org)
    return members


@pytest.fixture
def chain(city_world):
    """The chain rec-chain with two nodes: 甲 (a 2,000万元 project) on both, 乙 (a 500万元
    project, 2026-11-02) on the first; 丙 and 常州丁 on none."""
    orgs = city_world["orgs"]
    chain = IndustrialChain.objects.create(
        code="rec-chain", name_zh="记录链", name_en="Records chain", region_id="320200"
    )
    nodes = [
        ChainNode.objects.create(
            chain=chain, code=f"rec-{i}", name_zh=f"节点{i}", name_en=f"Node {i}", position=p
        )
        for i, p in enumerate(("upstream", "midstream"))
    ]
    orgs["a"].chain_nodes.add(*nodes)
    orgs["b"].chain_nodes.add(nodes[0])
    Project.objects.create(
        enterprise=orgs["b"],
        name="乙公司产线改造",
        kind="intelligent_transformation",
        start_date=dt.date(2026, 11, 2),
        equipment_yuan=Decimal("5000000"),
    )
    return nodes


def figures_shown(client, params) -> dict[str, Decimal]:
    response = client.get("/insights/", params)
    assert response.status_code == 200
    return {
        value.figure.name: value.value
        for panel in response.context["panels"]
        for value in panel["figures"]
    }


def test_an_enterprise_on_two_nodes_is_one_record_and_the_count_is_the_figures(
    client, city_world, chain
):
    services.refresh_facts()
    client.force_login(city_world["officer"])
    shown = figures_shown(client, ON_CHAIN)
    assert (shown["registry.enterprises"], shown["policies.investment_equipment"]) == (
        Decimal("2"),
        Decimal("25000000"),
    )
    response = client.get(ENTERPRISES, ON_CHAIN)
    assert sorted(r["organization"] for r in response.context["rows"]) == sorted([WUXI_A, WUXI_B])
    assert response.context["page_obj"].paginator.count == 2
    response = client.get(EQUIPMENT, {**ON_CHAIN, "sort": "-amount"})
    assert [(r["organization"], r["amount"]) for r in response.context["rows"]] == [
        (WUXI_A, Decimal("20000000.00")),
        (WUXI_B, Decimal("5000000.00")),
    ]
    assert response.context["page_obj"].paginator.count == 2
    assert names(client, EQUIPMENT, lambda r: r["organization"], **ON_CHAIN, sort="date") == [
        WUXI_A,
        WUXI_B,
    ]
    assert names(client, EQUIPMENT, lambda r: r["organization"], **ON_CHAIN, q="乙") == [WUXI_B]
    assert read_csv(client.get(EQUIPMENT, {**ON_CHAIN, "export": "csv"})) == [
        ["日期", "机构", "金额（元）"],
        ["2026-11-02", WUXI_B, "5000000.00"],
        ["2026-09-10", WUXI_A, "20000000.00"],
    ]


def test_the_chain_records_page_and_export_hold_each_enterprise_once(client, city_world, chain):
    """56 enterprises on the chain, 29 of them on both nodes: two pages of 50 and 6 that
    together hold each one once in the order asked for, an export of 56 rows, and the
    dashboard's figure of 56."""
    _chain_members(54, chain)
    services.refresh_facts()
    client.force_login(city_world["officer"])
    assert figures_shown(client, ON_CHAIN)["registry.enterprises"] == Decimal("56")
    expected = sorted(
        Organization.objects.filter(chain_nodes__chain__code="rec-chain")
        .distinct()
        .values_list("name_sort", "name"),
    )
    assert len(expected) == 56
    by_name = {**ON_CHAIN, "sort": "organization"}
    first = client.get(ENTERPRISES, by_name)
    second = client.get(ENTERPRISES, {**by_name, "page": "2"})
    assert first.context["page_obj"].paginator.count == 56
    assert [len(first.context["rows"]), len(second.context["rows"])] == [50, 6]
    listed = [r["organization"] for r in [*first.context["rows"], *second.context["rows"]]]
    assert listed == [name for _key, name in expected]
    backwards = client.get(ENTERPRISES, {**ON_CHAIN, "sort": "-organization"})
    assert [r["organization"] for r in backwards.context["rows"]] == listed[::-1][:50]
    sheet = read_xlsx(client.get(ENTERPRISES, {**by_name, "export": "xlsx"}))
    assert sheet[0] == ["日期", "机构"]
    assert [row[1] for row in sheet[1:]] == listed
    rows = read_csv(client.get(ENTERPRISES, {**ON_CHAIN, "export": "csv", "q": "链上企业0"}))
    assert sorted(row[1] for row in rows[1:]) == [f"无锡链上企业{i:02d}有限公司" for i in range(10)]


# Every search, filter and sort of the records list, and the dashboard's chain filter.
RECORD_PARAMS = (
    {},
    {"q": "无锡 有限"},
    {"day_from": "2026-01-01", "day_to": "2026-12-31"},
    {"sort": "date"},
    {"sort": "organization"},
    {"sort": "-amount"},
    {"region": "320200"},  # the region is looked up: one query more
    {"chain": "rec-chain"},
)
RECORD_QUERIES = [7, 7, 7, 7, 7, 7, 8, 7]


def _projects(orgs, numbers: range) -> None:
    for i in numbers:
        Project.objects.create(
            enterprise=orgs[i % len(orgs)],
            name=f"改造项目{i}",
            kind="intelligent_transformation",
            start_date=dt.date(2026, 1 + i % 12, 1 + i % 28),
            equipment_yuan=Decimal(100000 * (i + 1)),
        )


def _recognitions(orgs, numbers: range) -> None:
    titles = ["专精特新", "智能制造示范工厂", "智能制造示范车间"]
    for i in numbers:
        Recognition.objects.create(
            organization=orgs[i // len(titles)],
            title=titles[i % len(titles)],
            level="provincial",
            since=dt.date(2026, 1 + i % 12, 1),
        )


@pytest.mark.parametrize(
    ("url", "add", "existing"),
    [(EQUIPMENT, _projects, 3), (RECOGNITIONS, _recognitions, 0)],
    ids=["amounts-with-links", "items-with-labels"],
)
def test_the_records_list_has_a_constant_query_count(
    client, operator, city_world, chain, url, add, existing
):
    """3 records or 30 (the investment figure with each project's link, the recognitions with
    their titles' labels): the same queries whatever the search, filter or sort."""
    members = _chain_members(10, chain, start=60)
    add(members, range(3 - existing))
    client.force_login(operator)
    assert len(names(client, url, lambda r: r["organization"], **YEAR)) == 3
    few = [query_count(client, url, **YEAR, **params) for params in RECORD_PARAMS]
    add(members, range(3 - existing, 30 - existing))
    assert len(names(client, url, lambda r: r["organization"], **YEAR)) == 30
    many = [query_count(client, url, **YEAR, **params) for params in RECORD_PARAMS]
    assert (few, many) == (RECORD_QUERIES, RECORD_QUERIES)
