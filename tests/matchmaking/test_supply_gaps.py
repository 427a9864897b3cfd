"""The supply gaps are computed by a periodic task and stored; the page serves the stored
result with its time, in a constant number of queries and without ranking; an operator's
refresh enqueues the task once however often it is clicked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.factories import actor_for
from zhizao.common.models import AuditEntry
from zhizao.matchmaking import index, services, stats
from zhizao.matchmaking.models import SupplyGapReport
from zhizao.matchmaking.tasks import compute_supply_gaps_task

from .conftest import login

pytestmark = pytest.mark.django_db

#: session, user, membership, the newest report, whether one is queued, unread notifications
PAGE_QUERIES = 6
TASK_PATH = "zhizao.matchmaking.tasks.compute_supply_gaps_task"
#: the chains of Jiangsu with a node in industry division 34 (general equipment)
CHAINS = [
    {
        "code": "js-env-equipment",
        "name": ["节能环保装备产业链", "Energy-saving and environmental equipment chain"],
    },
    {
        "code": "js-machine-tool",
        "name": ["工业母机（高端数控机床）产业链", "Machine tools (high-end CNC) chain"],
    },
    {"code": "js-robot", "name": ["机器人产业链", "Robotics chain"]},
    {"code": "js-special-steel", "name": ["特钢材料产业链", "Special steel chain"]},
]
NOON = dt.datetime(2026, 12, 1, 4, 30, tzinfo=dt.UTC)  # 12:30 in Shanghai


def lonely(
    enterprise_user, factory_org, title, *, category="predictive_maintenance", region="320214"
):
    e = actor_for(enterprise_user)
    return services.publish_demand(
        e,
        services.create_demand(
            e,
            factory_org,
            title=title,
            description="五轴数控机床预测性维护",
            category=category,
            region=region,
            industry="3421",
        ),
    )


def events():
    return list(AuditEntry.objects.order_by("id").values_list("context__event", flat=True))


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_the_task_stores_exactly_what_the_ranking_finds(
    enterprise_user, factory_org, demand, offering
):
    gap = lonely(enterprise_user, factory_org, "数控机床远程运维")
    expected = stats.gap_rows(stats.supply_gaps())
    index.reset()
    result = compute_supply_gaps_task.enqueue()
    report = SupplyGapReport.objects.get()
    assert (result.return_value, report.state, report.demand_count) == (1, "done", 1)
    assert report.parameters == {"threshold": 0.85, "limit": 500}
    assert report.groups == expected
    assert report.groups == [
        {
            "category": "predictive_maintenance",
            "city": "320200",
            "city_name": ["无锡市", "Wuxi"],
            "demands": [
                {
                    "id": gap.pk,
                    "title": "数控机床远程运维",
                    "best_score": 0.19,
                    "best_fit": 19,
                    "nodes": [
                        {
                            "chain": "js-machine-tool",
                            "name": [
                                "工业母机（高端数控机床）产业链 · 金属切削机床",
                                "Machine tools (high-end CNC) chain · Metal-cutting machine tools",
                            ],
                        }
                    ],
                    "best_meets_all": True,
                    "missing": [],
                }
            ],
            "chains": CHAINS,
        }
    ]


def _page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("matchmaking:gaps")).content.decode()
    return len(queries), html


def test_the_page_serves_the_stored_report_in_constant_queries_without_ranking(
    client, operator, enterprise_user, factory_org, demand, offering
):
    lonely(enterprise_user, factory_org, "数控机床远程运维")
    services.compute_supply_gaps(now=NOON)
    index.reset()
    login(client, operator)
    one, html = _page_queries(client)
    assert index.is_built() is False
    assert 'data-testid="gaps-status">计算于 2026-12-01 12:30<' in html
    assert "数控机床远程运维" in html
    assert "工业母机（高端数控机床）产业链" in html
    assert "注塑件外观缺陷视觉检测" not in html

    lonely(enterprise_user, factory_org, "能耗在线监测", category="energy_management")
    lonely(enterprise_user, factory_org, "苏州数控远程运维", region="320506")
    services.compute_supply_gaps(now=NOON + dt.timedelta(hours=1))
    index.reset()
    three, html = _page_queries(client)
    assert index.is_built() is False
    assert html.count("<tr>") == 1 + 3  # the header and three groups
    assert 'data-testid="gaps-status">计算于 2026-12-01 13:30<' in html
    assert three == one == PAGE_QUERIES


def test_a_page_without_a_report_says_it_is_being_computed_and_enqueues_once(
    client, operator, database_tasks, django_capture_on_commit_callbacks
):
    login(client, operator)
    before = events()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(reverse("matchmaking:gaps")).content.decode()
        client.get(reverse("matchmaking:gaps"))
    assert "正在计算供给缺口" in first
    assert 'data-testid="gaps-table"' not in first
    assert list(SupplyGapReport.objects.values_list("state", flat=True)) == ["queued"]
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [TASK_PATH]
    assert events() == [*before, "matchmaking.supply_gaps_requested"]


def test_refresh_enqueues_the_task_once_however_often_clicked(
    client, operator, database_tasks, django_capture_on_commit_callbacks
):
    services.compute_supply_gaps(now=NOON)
    login(client, operator)
    before = events()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("matchmaking:gaps_refresh"))
        second = client.post(reverse("matchmaking:gaps_refresh"), follow=True)
    assert first["Location"] == reverse("matchmaking:gaps")
    assert [str(m) for m in second.context["messages"]] == [
        "正在重新计算供给缺口，请几分钟后刷新本页。",
        "供给缺口正在计算中。",
    ]
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [TASK_PATH]
    assert events() == [*before, "matchmaking.supply_gaps_requested"]
    html = second.content.decode()
    assert "正在进行新一轮计算" in html
    assert 'data-testid="gaps-refresh"' not in html


def test_the_computation_answers_the_request_and_keeps_five_reports(operator):
    for hour in range(7):
        services.compute_supply_gaps(now=NOON + dt.timedelta(hours=hour))
    assert services.request_supply_gaps(actor_for(operator), now=NOON + dt.timedelta(hours=7))
    services.compute_supply_gaps(now=NOON + dt.timedelta(hours=8))
    assert list(SupplyGapReport.objects.values_list("state", "computed_at")) == [
        ("done", NOON + dt.timedelta(hours=h)) for h in (8, 6, 5, 4, 3)
    ]


def test_a_request_lost_for_half_an_hour_is_replaced(operator):
    actor = actor_for(operator)
    assert services.request_supply_gaps(actor, now=NOON) is True
    assert services.request_supply_gaps(actor, now=NOON + dt.timedelta(minutes=29)) is False
    assert services.request_supply_gaps(actor, now=NOON + dt.timedelta(minutes=31)) is True
    assert list(SupplyGapReport.objects.values_list("state", "requested_at")) == [
        ("queued", NOON + dt.timedelta(minutes=31))
    ]


def test_refresh_is_refused_to_officers(client, officer, database_tasks):
    services.compute_supply_gaps(now=NOON)
    client.force_login(officer)
    before = events()
    assert client.post(reverse("matchmaking:gaps_refresh")).status_code == 404
    assert list(SupplyGapReport.objects.values_list("state", flat=True)) == ["done"]
    assert DBTaskResult.objects.count() == 0
    assert events() == before
    html = client.get(reverse("matchmaking:gaps")).content.decode()
    assert 'data-testid="gaps-status">计算于 2026-12-01 12:30<' in html
    assert 'data-testid="gaps-refresh"' not in html
