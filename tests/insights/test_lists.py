"""The monthly reports list on the shared list machinery: every filter and sort with exact rows,
the export with labels, the new-report form's error page, a constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD
from zhizao.insights.models import MonthlyReport
from zhizao.registry.models import Region

pytestmark = pytest.mark.django_db

REPORTS = "/insights/reports/"


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)
    return client


@pytest.fixture
def reports(db):
    rows = {
        "all": MonthlyReport.objects.create(
            month=dt.date(2026, 9, 1), title="2026年9月联盟工作进展", summary="总体平稳"
        ),
        "wuxi": MonthlyReport.objects.create(
            month=dt.date(2026, 10, 1),
            scope=Region.objects.get(code="320200"),
            title="无锡市2026年10月进展",
            plan="推进诊断",
            state="published",
            published_at=timezone.make_aware(dt.datetime(2026, 11, 5, 10, 0)),
        ),
        "changzhou": MonthlyReport.objects.create(
            month=dt.date(2026, 8, 1),
            scope=Region.objects.get(code="320400"),
            title="常州市2026年8月进展",
        ),
    }
    for key, day in (("all", 2), ("wuxi", 1), ("changzhou", 3)):
        MonthlyReport.objects.filter(pk=rows[key].pk).update(
            updated_at=timezone.make_aware(dt.datetime(2026, 11, day, 9, 0))
        )
    return rows


def test_reports_filter_and_sort_with_exact_rows(as_operator, reports):
    def rows(**params):
        return names(as_operator, REPORTS, lambda r: r.title, **params)

    A, W, C = "2026年9月联盟工作进展", "无锡市2026年10月进展", "常州市2026年8月进展"
    assert rows() == [W, A, C]  # latest month first
    assert rows(q="平稳") == [A]  # the summary
    assert rows(q="诊断") == [W]  # the plan
    assert rows(state="published") == [W]
    assert rows(region="320200") == [W]
    assert rows(region="320000") == [W, C]
    # months picked as months, the "to" month to its last day; a day in the link still works
    assert rows(month_from="2026-09") == [W, A]
    assert rows(month_to="2026-08") == [C]
    assert rows(month_from="2026-09", month_to="2026-09") == [A]
    assert rows(month_from="2026-09-01") == [W, A]
    page = as_operator.get(REPORTS, {"month_from": "2026-09"}).content.decode()
    assert 'type="month" name="month_from" value="2026-09"' in page
    assert rows(sort="month") == [C, A, W]
    assert rows(sort="updated") == [W, A, C]
    assert rows(sort="-updated") == [C, A, W]


def test_reports_export_with_labels(as_operator, reports):
    rows = read_csv(as_operator.get(REPORTS, {"export": "csv", "state": "published"}))
    assert rows == [
        ["Month", "Title", "Region", "State", "Published"],
        ["2026-10", "无锡市2026年10月进展", "Wuxi", "Published", "2026-11-05 10:00"],
    ]
    sheet = read_xlsx(as_operator.get(REPORTS, {"export": "xlsx", "q": "联盟"}))
    assert sheet == [
        ["Month", "Title", "Region", "State", "Published"],
        ["2026-09", "2026年9月联盟工作进展", "All regions", "Draft", ""],
    ]


def test_a_refused_new_report_shows_the_list_under_the_form(as_operator, reports):
    response = as_operator.post("/insights/reports/new/", {"month": "2026-13", "scope": ""})
    assert response.status_code == 400
    assert [r.title for r in response.context["page_obj"].object_list] == [
        "无锡市2026年10月进展",
        "2026年9月联盟工作进展",
        "常州市2026年8月进展",
    ]
    assert MonthlyReport.objects.count() == 3


def test_the_report_list_has_a_constant_query_count(as_operator, reports):
    params = {"sort": "month", "region": "320000", "state": "draft"}
    query_count(as_operator, REPORTS, **params)
    one = query_count(as_operator, REPORTS, **params)
    MonthlyReport.objects.filter(pk=reports["wuxi"].pk).update(state="draft")
    MonthlyReport.objects.create(
        month=dt.date(2026, 7, 1), scope=Region.objects.get(code="320205"), title="锡山区7月"
    )
    assert len(names(as_operator, REPORTS, lambda r: r.pk, **params)) == 3
    assert query_count(as_operator, REPORTS, **params) == one


def test_a_new_reports_region_is_picked_by_name(as_operator, reports):
    """The new report's region is narrowed by names (Jiangsu, then Wuxi), never a typed code;
    the code is still the value posted."""
    page = as_operator.get(REPORTS).content.decode()
    assert '<option value="320000">Jiangsu</option>' in page
    # the cities come once Jiangsu is chosen: their level is empty until then
    assert '<select name="scope" id="id_scope_2" data-tree-next="id_scope_3"' in page
    assert '<input name="scope"' not in page
    refused = as_operator.post("/insights/reports/new/", {"month": "2026-11", "scope": "329999"})
    assert refused.status_code == 400
    assert MonthlyReport.objects.count() == 3
    response = as_operator.post("/insights/reports/new/", {"month": "2026-11", "scope": "320200"})
    assert response.status_code == 302
    assert MonthlyReport.objects.get(month=dt.date(2026, 11, 1)).scope_id == "320200"
