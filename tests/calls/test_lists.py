"""The calls lists on the shared list machinery: every filter and sort with exact rows, the
exports with labels, who sees what, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD, make_organization
from zhizao.calls.models import Call

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
