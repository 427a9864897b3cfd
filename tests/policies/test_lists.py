"""The policies list and the projects list on the shared list machinery: every filter and sort
with exact rows, the exports, who sees what, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.common.list_support import names, query_count, read_csv
from tests.factories import PASSWORD, make_organization
from zhizao.policies.models import Policy, Project

pytestmark = pytest.mark.django_db

POLICIES, PROJECTS = "/policies/", "/policies/projects/"


@pytest.fixture
def policies(db):
    def make(title, **kw):
        return Policy.objects.create(
            title=title,
            issuing_unit=kw.pop("issuing_unit", "江苏省工业和信息化厅"),
            level=kw.pop("level", "provincial"),
            state=kw.pop("state", "published"),
            **kw,
        )

    return [
        make(
            "江苏省智能制造专项",
            doc_number="苏工信〔2026〕1号",
            region_id="320000",
            valid_from=dt.date(2026, 1, 1),
            window_end=dt.date(2026, 9, 30),
            budget_yuan=Decimal("80000000"),
        ),
        make(
            "无锡市智能化改造奖补",
            doc_number="锡工信规〔2026〕3号",
            issuing_unit="无锡市工业和信息化局",
            level="city",
            region_id="320200",
            valid_from=dt.date(2026, 3, 1),
            window_end=dt.date(2026, 6, 30),
            budget_yuan=Decimal("50000000"),
        ),
        make(
            "常州市数字化转型补贴",
            issuing_unit="常州市工业和信息化局",
            level="city",
            region_id="320400",
            valid_from=dt.date(2026, 2, 1),
        ),
        make(
            "全国中小企业数字化转型试点",
            issuing_unit="工业和信息化部",
            level="national",
            valid_from=dt.date(2025, 6, 1),
            state="draft",
        ),
    ]


J, W, C, N = (
    "江苏省智能制造专项",
    "无锡市智能化改造奖补",
    "常州市数字化转型补贴",
    "全国中小企业数字化转型试点",
)


def test_policies_filter_by_where_they_apply_and_sort(client, officer, policies):
    client.cookies["django_language"] = "en"
    assert client.login(username=officer.username, password=PASSWORD)

    def rows(**params):
        return names(client, POLICIES, lambda p: p.title, **params)

    assert rows() == [W, C, J, N]
    assert rows(q="锡工信规") == [W]  # the document number
    assert rows(q="工业和信息化部") == [N]  # the issuing unit
    assert rows(level="city") == [W, C]
    assert rows(state="draft") == [N]
    # Applies in Wuxi: Wuxi's own, Jiangsu's, and the one without a regional restriction.
    assert rows(region="320200") == [W, J, N]
    assert rows(region="320000") == [W, C, J, N]
    assert rows(valid_from="2026-02-01") == [W, C]
    assert rows(valid_to="2026-01-31") == [J, N]
    assert rows(sort="valid") == [N, J, C, W]
    assert rows(sort="closes") == [W, J, C, N]  # no closing date last
    assert rows(sort="-budget") == [J, W, N, C]  # ties (no budget) by creation, reversed


def test_an_enterprise_sees_and_exports_published_policies_only(client, enterprise_user, policies):
    client.cookies["django_language"] = "en"
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    assert names(client, POLICIES, lambda p: p.title, state="draft") == []
    rows = read_csv(client.get(POLICIES, {"export": "csv", "region": "320200"}))
    assert rows == [
        [
            "Policy",
            "Document number",
            "Issued by",
            "Level",
            "Region",
            "Valid from",
            "Valid until",
            "Application closes",
            "Items",
            "Budget (yuan)",
            "State",
        ],
        [
            W,
            "锡工信规〔2026〕3号",
            "无锡市工业和信息化局",
            "City",
            "Wuxi",
            "2026-03-01",
            "",
            "2026-06-30",
            "0",
            "50000000.00",
            "Published",
        ],
        [
            J,
            "苏工信〔2026〕1号",
            "江苏省工业和信息化厅",
            "Provincial",
            "Jiangsu",
            "2026-01-01",
            "",
            "2026-09-30",
            "0",
            "80000000.00",
            "Published",
        ],
    ]


@pytest.fixture
def projects(factory_org):
    changzhou = make_organization(name="常州天衡注塑模具有限公司", region="320411", industry="2929")

    def make(org, name, **kw):
        return Project.objects.create(enterprise=org, name=name, **kw)

    return [
        make(
            factory_org,
            "注塑车间智能化改造",
            kind="intelligent_transformation",
            region_id="320214",
            status="in_progress",
            completion_date=dt.date(2026, 12, 31),
            equipment_yuan=Decimal("30000000"),
            software_yuan=Decimal("5000000"),
            services_yuan=Decimal("1000000"),
            other_yuan=Decimal("0"),
        ),
        make(changzhou, "模具厂 MES 上线", kind="digital_transformation", region_id="320411"),
        make(
            factory_org,
            "厂区 5G 专网",
            kind="networking",
            region_id="320214",
            status="completed",
            completion_date=dt.date(2026, 3, 31),
        ),
    ]


IM, M, G = "注塑车间智能化改造", "模具厂 MES 上线", "厂区 5G 专网"


def test_projects_filter_sort_and_export(client, operator, projects):
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)

    def rows(**params):
        return names(client, PROJECTS, lambda p: p.name, **params)

    assert rows() == [G, M, IM]  # newest first
    assert rows(q="天衡") == [M]
    assert rows(q="5g") == [G]
    assert rows(kind="networking") == [G]
    assert rows(status="planned") == [M]
    assert rows(region="320200") == [G, IM]
    assert rows(completed_to="2026-06-30") == [G]
    assert rows(sort="enterprise") == [M, IM, G]  # 常州 before 无锡, then creation order
    assert rows(sort="completed") == [G, IM, M]
    assert read_csv(
        client.get(PROJECTS, {"export": "csv", "kind": "intelligent_transformation"})
    ) == [
        [
            "Project",
            "Enterprise",
            "Kind",
            "Status",
            "Location",
            "Start date",
            "Completion date",
            "Total investment (yuan)",
            "Loans",
        ],
        [
            IM,
            "无锡恒润精密机械有限公司",
            "Intelligent transformation",
            "Under construction",
            "Xinwu District",
            "",
            "2026-12-31",
            "36000000.00",
            "0",
        ],
    ]


def test_an_enterprise_exports_its_own_projects_only(client, enterprise_user, projects):
    client.cookies["django_language"] = "en"
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    rows = read_csv(client.get(PROJECTS, {"export": "csv"}))
    assert [r[0] for r in rows] == ["Project", G, IM]


def test_query_counts_are_the_same_for_one_and_three_rows(client, operator, factory_org):
    assert client.login(username=operator.username, password=PASSWORD)
    Policy.objects.create(
        title="一", issuing_unit="x", level="city", valid_from=dt.date(2026, 1, 1)
    )
    Project.objects.create(enterprise=factory_org, name="一", kind="green")
    params = {POLICIES: {"region": "320200"}, PROJECTS: {"sort": "enterprise"}}
    for url, p in params.items():
        query_count(client, url, **p)  # the filter options into the shared cache
    one = {url: query_count(client, url, **p) for url, p in params.items()}
    for n in (2, 3):
        Policy.objects.create(
            title=f"政策{n}", issuing_unit="x", level="city", valid_from=dt.date(2026, 1, n)
        )
        Project.objects.create(enterprise=factory_org, name=f"项目{n}", kind="green")
    assert {url: query_count(client, url, **p) for url, p in params.items()} == one
