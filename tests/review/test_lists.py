"""The review rounds list on the shared list machinery: every filter and sort with exact rows,
the export with labels, who sees what, a constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.calls.models import Call
from zhizao.review.models import ReviewRound

pytestmark = pytest.mark.django_db

ROUNDS = "/review/rounds/"


def _at(month: int, day: int):
    return timezone.make_aware(dt.datetime(2026, month, day, 17, 0))


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)
    return client


@pytest.fixture
def offices(db):
    return {
        "province": make_organization(
            name="江苏省工业和信息化厅", kind="government", region="320000", industry=None
        ),
        "city": make_organization(
            name="常州市工业和信息化局", kind="government", region="320400", industry=None
        ),
    }


@pytest.fixture
def rounds(offices):
    advance = Call.objects.create(
        title="2026年度智能制造十大科技进展",
        kind="tech_advance",
        year=2026,
        host=offices["province"],
        state="closed",
    )
    factory = Call.objects.create(
        title="2026年常州市智能工厂认定",
        kind="smart_factory",
        year=2026,
        host=offices["city"],
        state="closed",
    )
    rows = {
        "online": ReviewRound.objects.create(
            call=advance, name="初评网评", kind="online", deadline=_at(4, 10), state="reviewing"
        ),
        "panel": ReviewRound.objects.create(
            call=advance, name="终评会评", kind="panel", deadline=_at(5, 20), state="draft"
        ),
        "city": ReviewRound.objects.create(
            call=factory, name="专家网评", kind="online", deadline=_at(4, 30), state="closed"
        ),
    }
    for key, day in (("online", 1), ("panel", 3), ("city", 2)):
        ReviewRound.objects.filter(pk=rows[key].pk).update(created_at=_at(3, day))
    return rows


def test_rounds_filter_and_sort_with_exact_rows(as_operator, rounds):
    def rows(**params):
        return names(as_operator, ROUNDS, lambda r: r.name, **params)

    N, P, C = "初评网评", "终评会评", "专家网评"
    assert rows() == [P, C, N]  # newest first
    assert rows(q="终评") == [P]
    assert rows(q="常州") == [C]  # the call's title
    assert rows(q="网评 十大") == [N]
    assert rows(kind="online") == [C, N]
    assert rows(state="closed") == [C]
    assert rows(deadline_from="2026-04-15") == [P, C]
    assert rows(deadline_to="2026-04-10") == [N]
    assert rows(sort="deadline") == [N, C, P]
    assert rows(sort="-deadline") == [P, C, N]
    assert rows(sort="created") == [N, C, P]


def test_rounds_export_with_labels(as_operator, rounds):
    rows = read_csv(as_operator.get(ROUNDS, {"export": "csv", "kind": "panel"}))
    assert rows == [
        ["Round", "Call", "Kind", "Deadline", "State", "Created"],
        [
            "终评会评",
            "2026年度智能制造十大科技进展",
            "Panel meeting (会评)",
            "2026-05-20 17:00",
            "Preparing",
            "2026-03-03 17:00",
        ],
    ]
    sheet = read_xlsx(as_operator.get(ROUNDS, {"export": "xlsx", "state": "closed"}))
    assert [r[0] for r in sheet] == ["Round", "专家网评"]


def test_an_office_sees_only_the_rounds_of_its_calls(client, rounds, offices):
    user = make_user("city-office", role=Role.OFFICER, organization=offices["city"])
    client.cookies["django_language"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    assert names(client, ROUNDS, lambda r: r.name) == ["专家网评"]
    rows = read_csv(client.get(ROUNDS, {"export": "csv"}))
    assert [r[0] for r in rows] == ["Round", "专家网评"]


def test_the_round_list_has_a_constant_query_count(as_operator, rounds):
    params = {"sort": "deadline", "kind": "online"}
    query_count(as_operator, ROUNDS, **params)
    ReviewRound.objects.exclude(pk=rounds["online"].pk).update(kind="panel")
    one = query_count(as_operator, ROUNDS, **params)
    ReviewRound.objects.update(kind="online")
    assert len(names(as_operator, ROUNDS, lambda r: r.pk, **params)) == 3
    assert query_count(as_operator, ROUNDS, **params) == one
