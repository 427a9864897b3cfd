"""The diagnosis campaigns list on the shared list machinery: every filter and sort with exact
rows, the export with labels and progress counts, a constant query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD
from zhizao.diagnosis.models import Campaign, CampaignTarget

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/diagnosis/campaigns/"


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)
    return client


@pytest.fixture
def campaigns(cmmm, factory_org):
    def make(name, budget, deadline, state, day, description=""):
        c = Campaign.objects.create(
            name=name,
            description=description,
            model=cmmm,
            budget_yuan=Decimal(budget),
            price_yuan=Decimal("20000"),
            target_filter="region=320200",
            deadline=deadline,
            state=state,
        )
        Campaign.objects.filter(pk=c.pk).update(
            created_at=timezone.make_aware(dt.datetime(2026, 2, day, 9, 0))
        )
        return c

    rows = {
        "wuxi": make(
            "无锡市2026年免费巡诊", "2000000", dt.date(2026, 9, 30), "running", 1, "新吴区"
        ),
        "cz": make("常州市2026年免费巡诊", "800000", None, "draft", 3),
        "old": make("2025年试点巡诊", "500000", dt.date(2025, 12, 31), "closed", 2),
    }
    CampaignTarget.objects.create(campaign=rows["wuxi"], enterprise=factory_org)
    return rows


def test_campaigns_filter_and_sort_with_exact_rows(as_operator, campaigns):
    def rows(**params):
        return names(as_operator, CAMPAIGNS, lambda c: c.name, **params)

    W, C, P = "无锡市2026年免费巡诊", "常州市2026年免费巡诊", "2025年试点巡诊"
    assert rows() == [C, P, W]  # newest first
    assert rows(q="新吴") == [W]  # the description
    assert rows(q="2026 常州") == [C]
    assert rows(state="closed") == [P]
    assert rows(deadline_from="2026-01-01") == [W]
    assert rows(deadline_to="2026-01-01") == [P]
    assert rows(sort="deadline") == [P, W, C]  # no deadline last
    assert rows(sort="-budget") == [W, C, P]
    assert rows(sort="created") == [W, P, C]


def test_campaigns_export_with_labels_and_progress(as_operator, campaigns):
    rows = read_csv(as_operator.get(CAMPAIGNS, {"export": "csv", "state": "running"}))
    assert rows == [
        [
            "Campaign",
            "State",
            "Budget (yuan)",
            "Price per diagnosis (yuan)",
            "Targets",
            "Planned",
            "Reported",
            "Deadline",
        ],
        ["无锡市2026年免费巡诊", "Running", "2000000.00", "20000.00", "1", "0", "0", "2026-09-30"],
    ]
    sheet = read_xlsx(as_operator.get(CAMPAIGNS, {"export": "xlsx", "state": "draft"}))
    assert [r[:2] for r in sheet] == [
        ["Campaign", "State"],
        ["常州市2026年免费巡诊", "Being prepared"],
    ]


def test_an_enterprise_cannot_open_the_campaigns(client, enterprise_user, campaigns):
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    assert client.get(CAMPAIGNS).status_code == 404
    assert client.get(CAMPAIGNS, {"export": "csv"}).status_code == 404


def test_the_campaign_list_has_a_constant_query_count(as_operator, campaigns, factory_org):
    params = {"sort": "deadline", "state": "running"}
    query_count(as_operator, CAMPAIGNS, **params)
    one = query_count(as_operator, CAMPAIGNS, **params)
    Campaign.objects.update(state="running")
    for c in campaigns.values():
        CampaignTarget.objects.get_or_create(campaign=c, enterprise=factory_org)
    assert len(names(as_operator, CAMPAIGNS, lambda c: c.pk, **params)) == 3
    assert query_count(as_operator, CAMPAIGNS, **params) == one
