"""The expert pool on the shared list machinery: search, the division / domain / title / pool
filters, sorts (organisations by pinyin), pagination, the audited export with names not codes,
staff only, the query count."""

from __future__ import annotations

import pytest

from tests.common.list_support import names, query_count, read_csv
from tests.factories import PASSWORD
from zhizao.common.models import AuditEntry
from zhizao.review.models import Expert

pytestmark = pytest.mark.django_db

URL = "/review/experts/"
JIA, YI, BING, DING, WU, JI = (f"评审测试专家{c}" for c in "甲乙丙丁戊己")


@pytest.fixture
def pool(rw, client):
    """The six experts of the review world (years 10–15 in the order 甲…己, all in division 34
    with machine vision and robots); 甲 also in 39 and robots only, 丙 out of the pool, 丁 a
    senior title."""
    Expert.objects.filter(name=JIA).update(divisions=["34", "39"], domains=["industrial_robot"])
    Expert.objects.filter(name=BING).update(is_active=False)
    Expert.objects.filter(name=DING).update(title="senior")
    client.cookies["django_language"] = "en"
    assert client.login(username=rw.office.username, password=PASSWORD)
    return rw


def rows(client, **params):
    return names(client, URL, lambda e: e.name, **params)


def test_the_pool_filters_and_sorts_with_exact_rows(client, pool):
    # 评审测试大学1…5 (大 da) before 评审测试甲机器人 (甲 jia)
    assert rows(client) == [YI, BING, DING, WU, JI, JIA]
    assert rows(client, q="甲机器人") == [JIA]  # the organisation
    assert rows(client, q="专家丁") == [DING]
    assert rows(client, division="39") == [JIA]
    assert rows(client, division="34") == [YI, BING, DING, WU, JI, JIA]
    assert rows(client, domain="machine_vision") == [YI, BING, DING, WU, JI]
    assert rows(client, title="senior") == [DING]
    assert rows(client, active="no") == [BING]
    assert rows(client, active="yes", domain="industrial_robot") == [YI, DING, WU, JI, JIA]
    assert rows(client, sort="-years") == [JI, WU, DING, BING, YI, JIA]
    assert rows(client, sort="-organization") == [JIA, JI, WU, DING, BING, YI]


def test_the_pool_export_is_audited_with_names(client, pool):
    before = AuditEntry.objects.count()
    table = read_csv(client.get(URL, {"export": "csv", "division": "39"}))
    assert table[0] == [
        "Name",
        "Organisation",
        "Professional title",
        "Years of experience",
        "Industry divisions (GB/T 4754)",
        "Technical domains",
        "In the pool",
    ]
    assert table[1][:4] == [JIA, "评审测试甲机器人有限公司", "", "10"]
    assert table[1][6] == "yes"
    assert "34" not in table[1][4] and "39" not in table[1][4]  # names, not codes
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.object_repr, e.context) for e in entries] == [
        (
            "export",
            "Expert pool",
            {
                "list": "review-experts",
                "format": "csv",
                "rows": 1,
                "filters": {"division": "39", "sort": "organization"},
            },
        )
    ]


def test_only_staff_list_or_export_the_pool(client, pool):
    client.logout()
    assert client.login(username=pool.users["free1"].username, password=PASSWORD)
    before = AuditEntry.objects.count()
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"export": "csv"}).status_code == 404
    assert AuditEntry.objects.count() == before


def test_the_pool_has_a_constant_query_count(client, pool):
    params = {"title": "senior", "sort": "years"}
    query_count(client, URL, **params)
    one = query_count(client, URL, **params)
    Expert.objects.filter(name__in=[WU, JI]).update(title="senior")
    assert rows(client, **params) == [DING, WU, JI]
    assert query_count(client, URL, **params) == one
