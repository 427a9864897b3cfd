"""The calls lists on the shared list machinery: every filter and sort with exact rows, the
exports with labels, who sees what, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD, make_organization
from zhizao.calls.models import Call, Catalogue

pytestmark = pytest.mark.django_db

CALLS = "/calls/"


def _at(day: int):
    return timezone.make_aware(dt.datetime(2026, 3, day, 9, 30))


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)
    return client


@pytest.fixture
def calls(office_org, office_user):
    city = make_organization(
        name="常州市工业和信息化局", kind="government", region="320400", industry=None
    )
    rows = {
        "advance": Call.objects.create(
            title="2026年度智能制造十大科技进展",
            kind="tech_advance",
            year=2026,
            summary="年度评选",
            host=office_org,
            state="open",
        ),
        "factory": Call.objects.create(
            title="2025年智能工厂认定",
            kind="smart_factory",
            year=2025,
            host=city,
            state="published",
        ),
        "subsidy": Call.objects.create(
            title="2026年技改补助申报",
            kind="subsidy",
            year=2026,
            summary="设备购置补助",
            host=city,
            state="draft",
        ),
    }
    for key, day in (("advance", 2), ("factory", 1), ("subsidy", 3)):
        Call.objects.filter(pk=rows[key].pk).update(updated_at=_at(day))
    return rows


def test_calls_filter_and_sort_with_exact_rows(as_operator, calls):
    def rows(**params):
        return names(as_operator, CALLS, lambda c: c.title, **params)

    A, F, S = "2026年度智能制造十大科技进展", "2025年智能工厂认定", "2026年技改补助申报"
    assert rows() == [S, A, F]  # newest year first, then the latest created
    assert rows(q="补助") == [S]  # the summary
    assert rows(q="常州") == [S, F]  # the selection office
    assert rows(q="2026 评选") == [A]
    assert rows(kind="smart_factory") == [F]
    assert rows(state="open") == [A]
    assert rows(year="2025") == [F]
    assert rows(year="2026", state="draft") == [S]
    assert rows(sort="year") == [F, A, S]
    assert rows(sort="office") == [F, S, A]  # 常州, 江苏
    assert rows(sort="-office") == [A, S, F]
    assert rows(sort="updated") == [F, A, S]
    assert rows(sort="-updated") == [S, A, F]


def test_calls_export_with_labels(as_operator, calls):
    rows = read_csv(as_operator.get(CALLS, {"export": "csv", "kind": "tech_advance"}))
    assert rows == [
        ["Call", "Kind", "Year", "Selection office", "State", "Updated"],
        [
            "2026年度智能制造十大科技进展",
            "Technology advances of the year (十大科技进展)",
            "2026",
            "江苏省工业和信息化厅",
            "Open",
            "2026-03-02 09:30",
        ],
    ]
    del as_operator.cookies["django_language"]  # Chinese, the default
    sheet = read_xlsx(as_operator.get(CALLS, {"export": "xlsx", "year": "2025"}))
    assert sheet == [
        ["申报通知", "类型", "年份", "遴选办公室", "状态", "已更新"],
        [
            "2025年智能工厂认定",
            "智能工厂认定",
            2025,
            "常州市工业和信息化局",
            "已发布",
            "2026-03-01 09:30",
        ],
    ]


def test_an_enterprise_sees_only_public_calls(client, enterprise_user, calls):
    client.cookies["django_language"] = "en"
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    titles = names(client, CALLS, lambda c: c.title)
    assert titles == ["2026年度智能制造十大科技进展", "2025年智能工厂认定"]
    rows = read_csv(client.get(CALLS, {"export": "csv"}))
    assert [r[0] for r in rows[1:]] == titles


def test_the_call_list_has_a_constant_query_count(as_operator, calls, office_org):
    params = {"sort": "office", "state": "open"}
    query_count(as_operator, CALLS, **params)
    one = query_count(as_operator, CALLS, **params)
    for n in (2, 3):
        Call.objects.create(
            title=f"申报{n}", kind="custom", year=2026, host=office_org, state="open"
        )
    assert len(names(as_operator, CALLS, lambda c: c.pk, **params)) == 3
    assert query_count(as_operator, CALLS, **params) == one


# --- catalogues ---------------------------------------------------------------------------------

CATALOGUES = "/calls/catalogues/"


@pytest.fixture
def catalogues(office_org):
    city = make_organization(
        name="常州市工业和信息化局", kind="government", region="320400", industry=None
    )
    return {
        "advance": Catalogue.objects.create(
            title="2025年度智能制造十大科技进展",
            kind="tech_advance",
            year=2025,
            publisher=office_org,
            reference="苏工信〔2025〕88号",
            published_on=dt.date(2025, 12, 20),
        ),
        "factory": Catalogue.objects.create(
            title="2026年常州市智能工厂名单",
            kind="smart_factory",
            year=2026,
            publisher=city,
            published_on=dt.date(2026, 3, 1),
        ),
        "workshop": Catalogue.objects.create(
            title="2026年示范车间名单",
            kind="demo_workshop",
            year=2026,
            publisher=office_org,
            published_on=dt.date(2026, 5, 1),
        ),
    }


def test_catalogues_filter_and_sort_with_exact_rows(client, catalogues):
    def rows(**params):
        return names(client, CATALOGUES, lambda c: c.title, **params)

    A, F, W = "2025年度智能制造十大科技进展", "2026年常州市智能工厂名单", "2026年示范车间名单"
    assert rows() == [W, F, A]  # public: no login
    assert rows(q="88号") == [A]  # the document number
    assert rows(q="常州市工业") == [F]  # the publisher
    assert rows(kind="demo_workshop") == [W]
    assert rows(year="2025") == [A]
    assert rows(sort="published") == [A, F, W]
    assert rows(sort="year") == [A, F, W]


def test_catalogues_export_with_labels(client, catalogues):
    client.cookies["django_language"] = "en"
    rows = read_csv(client.get(CATALOGUES, {"export": "csv", "year": "2025"}))
    assert rows == [
        ["Catalogue", "Kind", "Year", "Published by", "Document number", "Published"],
        [
            "2025年度智能制造十大科技进展",
            "Technology advances of the year (十大科技进展)",
            "2025",
            "江苏省工业和信息化厅",
            "苏工信〔2025〕88号",
            "2025-12-20",
        ],
    ]
    sheet = read_xlsx(client.get(CATALOGUES, {"export": "xlsx", "kind": "smart_factory"}))
    assert [r[0] for r in sheet] == ["Catalogue", "2026年常州市智能工厂名单"]


def test_the_catalogue_list_has_a_constant_query_count(client, catalogues, office_org):
    params = {"sort": "published", "year": "2025"}
    query_count(client, CATALOGUES, **params)
    one = query_count(client, CATALOGUES, **params)
    Catalogue.objects.update(year=2025)
    assert len(names(client, CATALOGUES, lambda c: c.pk, **params)) == 3
    assert query_count(client, CATALOGUES, **params) == one
