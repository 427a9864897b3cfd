"""The incremental refresh: only the months a write touched are rebuilt, and the tables equal
a full rebuild's afterwards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import actor_for, make_organization
from zhizao.insights import services
from zhizao.insights.models import DirtyMonth, Fact, Refresh
from zhizao.policies import services as policies
from zhizao.registry.models import ChainNode, IndustrialChain, Organization
from zhizao.registry.services import organizations as registry
from zhizao.registry.services.organizations import refresh_derived_fields
from zhizao_core.registry.uscc import make_uscc

pytestmark = pytest.mark.django_db

FIELDS = (
    "figure",
    "key",
    "month",
    "province_code",
    "city_code",
    "region_code",
    "industry_division",
    "size",
    "group",
    "value",
)


def table() -> list[tuple]:
    return sorted(Fact.objects.values_list(*FIELDS))


def this_month() -> str:
    today = dt.date.today()
    return dt.date(today.year, today.month, 1).isoformat()


def test_nothing_written_rebuilds_no_month_and_changes_nothing(city_world):
    before = table()
    refresh = services.refresh_facts(incremental=True)
    assert (refresh.incremental, refresh.months, refresh.rows) == (True, [], 0)
    assert table() == before


def test_first_refresh_is_always_full(db):
    make_organization(name="无锡首刷机械有限公司", region="320214")
    refresh = services.refresh_facts(incremental=True)
    assert refresh.incremental is False
    assert Fact.objects.filter(figure="registry.enterprises", group="", size="*").count() == 1


def test_incremental_equals_full_rebuild_after_edits(city_world, operator):
    orgs, projects = city_world["orgs"], city_world["projects"]
    chain = IndustrialChain.objects.create(
        code="inc-chain", name_zh="增量链", name_en="Incremental chain", region_id="320200"
    )
    node = ChainNode.objects.create(
        chain=chain, code="inc-chain-0", name_zh="节点", name_en="Node", position="upstream"
    )
    services.refresh_facts()
    ent = city_world["enterprise"]
    # 1. 甲's project moves from September to November (a service write: save signals)
    policies.update_project(actor_for(ent), projects["a"], start_date=dt.date(2026, 11, 20))
    # 2. 丙 moves from Wuxi to Changzhou (all its rows change cells)
    registry.update_organization(actor_for(operator), orgs["c"], data={"region_id": "320411"})
    # 3. 甲 joins a chain node (its project and its registry entry now count in the chain)
    registry.update_organization(actor_for(operator), orgs["a"], data={}, chain_nodes=[node.pk])
    # 4. an organisation added by bulk_create, which sends no signal (the watermark finds it)
    new = Organization(
        name="无锡批量新增机械有限公司",
        uscc=make_uscc(region="320214", serial=987654),
        kind="manufacturer",
        region_id="320214",
        industry_id="3421",
        size="small",
    )
    refresh_derived_fields(new)
    Organization.objects.bulk_create([new])
    assert DirtyMonth.objects.exists()

    refresh = services.refresh_facts(incremental=True)
    assert refresh.incremental is True
    assert refresh.months == ["2026-09-01", "2026-11-01", this_month()]
    assert DirtyMonth.objects.count() == 0
    incremental = table()
    full = services.refresh_facts()
    assert full.incremental is False
    assert incremental == table()
    # and the figures are the new ones
    assert Fact.objects.filter(
        figure="policies.investment_equipment", group="chain:inc-chain", size="*"
    ).values_list("month", "value").get() == (dt.date(2026, 11, 1), Decimal("20000000.00"))
    assert list(
        Fact.objects.filter(
            figure="registry.enterprises", group="", size="*", city_code="320400"
        ).values_list("value", flat=True)
    ) == [Decimal("2.00")]
    assert Refresh.objects.count() == 4  # city_world, full, incremental, full


def chain_total(figure: str, chain: str) -> Decimal:
    return sum(
        Fact.objects.filter(
            figure=figure, group=f"chain:{chain}", industry_division="*", size="*"
        ).values_list("value", flat=True),
        Decimal("0"),
    )


def test_an_organisation_on_two_nodes_of_one_chain_counts_once(city_world, client):
    orgs = city_world["orgs"]
    chain = IndustrialChain.objects.create(
        code="dbl-chain", name_zh="双节点链", name_en="Two-node chain", region_id="320200"
    )
    nodes = [
        ChainNode.objects.create(
            chain=chain, code=f"dbl-{i}", name_zh=f"节点{i}", name_en=f"Node {i}", position=p
        )
        for i, p in enumerate(("upstream", "midstream"))
    ]
    orgs["a"].chain_nodes.add(*nodes)  # 甲 on both nodes, with its 2,000万元 project
    orgs["b"].chain_nodes.add(nodes[0])
    services.refresh_facts()
    assert chain_total("registry.enterprises", "dbl-chain") == Decimal("2")
    assert chain_total("policies.projects", "dbl-chain") == Decimal("1")
    assert chain_total("policies.investment_equipment", "dbl-chain") == Decimal("20000000")
    assert chain_total("policies.investment_software", "dbl-chain") == Decimal("3000000")
    client.force_login(city_world["officer"])
    page = client.get("/insights/?chain=dbl-chain&start=2026-01&end=2026-12").content.decode()
    assert 'data-testid="figure-registry.enterprises">2<' in page
    assert 'data-testid="figure-policies.investment_equipment">2,000万元<' in page
