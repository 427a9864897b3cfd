"""Summary tables, scoped dashboards, the records behind a number and exports."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from tests.common.list_support import read_csv, read_xlsx
from tests.factories import make_organization
from zhizao.insights import services
from zhizao.insights.models import Fact

pytestmark = pytest.mark.django_db

PERIOD = "start=2026-01&end=2026-12"


def fact_total(figure: str, **kwargs) -> Decimal:
    return Fact.objects.filter(
        figure=figure, group="", industry_division="*", size="*", **kwargs
    ).aggregate(v=Sum("value"))["v"]


def test_refresh_counts_each_figure_by_region(city_world):
    assert fact_total("registry.enterprises") == Decimal("4")
    assert fact_total("registry.enterprises", city_code="320200") == Decimal("3")
    assert fact_total("registry.enterprises", region_code="320214") == Decimal("2")
    assert fact_total("policies.investment_equipment", city_code="320200") == Decimal("20000000")
    assert fact_total("policies.investment_equipment", city_code="320400") == Decimal("98760000")
    assert list(
        Fact.objects.filter(figure="policies.projects", group="", size="*").values_list(
            "month", "region_code"
        )
    ) in (
        [(dt.date(2026, 9, 1), "320214"), (dt.date(2026, 10, 1), "320411")],
        [(dt.date(2026, 10, 1), "320411"), (dt.date(2026, 9, 1), "320214")],
    )


def test_refresh_replaces_the_tables(city_world):
    before = Fact.objects.count()
    services.refresh_facts()
    assert Fact.objects.count() == before


def test_officer_sees_his_city_only(client, city_world):
    client.force_login(city_world["officer"])
    response = client.get(f"/insights/?{PERIOD}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "新吴区" in text and "锡山区" in text
    assert "常州" not in text
    assert "9,876" not in text and "9876" not in text
    assert "2,000万元" in text  # equipment investment in Wuxi


def test_officer_region_outside_his_scope_is_404(client, city_world):
    client.force_login(city_world["officer"])
    for url in (
        f"/insights/?region=320400&{PERIOD}",
        f"/insights/?region=320000&{PERIOD}",
        "/insights/records/policies.projects/?region=320411",
        "/insights/export/policies.projects.csv?region=320400",
    ):
        assert client.get(url).status_code == 404, url


def test_officer_drills_into_a_district(client, city_world):
    client.force_login(city_world["officer"])
    response = client.get(f"/insights/?region=320214&{PERIOD}")
    assert response.status_code == 200
    assert response.context["filters"].scope.code == "320214"
    assert response.context["values"] if False else True
    values = response.context["panels"][0]["figures"]
    assert [(v.figure.name, v.value) for v in values][:1] == [
        ("registry.enterprises", Decimal("2"))
    ]


def test_records_behind_a_number_are_scoped(client, city_world):
    client.force_login(city_world["officer"])
    response = client.get(f"/insights/records/policies.projects/?{PERIOD}")
    assert response.status_code == 200
    assert [r["organization"] for r in response.context["rows"]] == ["无锡看板甲机械有限公司"]
    assert "常州看板丁模具有限公司" not in response.content.decode()


def test_registry_number_links_to_the_registry_list_filtered_the_same_way(client, city_world):
    client.force_login(city_world["officer"])
    response = client.get(f"/insights/?region=320214&size=small&{PERIOD}")
    value = response.context["panels"][0]["figures"][0]
    assert value.value == Decimal("1")
    assert value.link == "/registry/?kind=manufacturer&region=320214&size=small"


def test_export_csv_has_bom_and_only_the_scope(client, city_world):
    client.force_login(city_world["officer"])
    response = client.get(f"/insights/export/policies.investment_equipment.csv?by=region&{PERIOD}")
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    # names first; the code last, under its proper name, for operators' spreadsheets
    assert body.startswith("\ufeff指标,地区,数值,单位,行政区划代码")
    assert "320214" in body and "320400" not in body and "98760000" not in body
    assert ",新吴区,20000000.00,元,320214" in body


def test_export_xlsx_has_chinese_headers(client, city_world):
    from python_calamine import CalamineWorkbook

    client.force_login(city_world["officer"])
    response = client.get(f"/insights/export/policies.projects.xlsx?{PERIOD}")
    assert response.status_code == 200
    rows = (
        CalamineWorkbook.from_filelike(__import__("io").BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0] == ["指标", "分项", "月份", "数值", "单位"]
    assert [r[2:4] for r in rows[1:] if r[3]] == [["2026-09", 1.0]]


def test_enterprise_sees_no_dashboard(client, city_world):
    client.force_login(city_world["enterprise"])
    for url in (
        "/insights/",
        "/insights/records/policies.projects/",
        "/insights/export/policies.projects.csv",
        "/insights/dashboard.pdf",
        "/insights/reports/",
    ):
        assert client.get(url).status_code == 404, url


def test_dashboard_query_count_does_not_grow_with_records(client, city_world, operator):
    client.force_login(operator)
    client.get(f"/insights/?region=320200&{PERIOD}")
    services.refresh_facts()  # the next view draws the figures again (not from the cache)
    with CaptureQueriesContext(connection) as first:
        client.get(f"/insights/?region=320200&{PERIOD}")
    for i in range(3):
        make_organization(name=f"无锡看板新增{i}有限公司", region="320205")
    services.refresh_facts()
    with CaptureQueriesContext(connection) as second:
        client.get(f"/insights/?region=320200&{PERIOD}")
    assert len(second) == len(first)
    with CaptureQueriesContext(connection) as cached:
        client.get(f"/insights/?region=320200&{PERIOD}")
    assert len(cached) < len(first)


def test_dashboard_pdf_is_a4(client, city_world):
    client.force_login(city_world["officer"])
    response = client.get(f"/insights/dashboard.pdf?{PERIOD}")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def _shown(response, name: str) -> str:
    import re

    match = re.search(
        rf'data-testid="figure-{re.escape(name)}">([^<]+)<', response.content.decode()
    )
    return match.group(1) if match else ""


def test_dashboard_is_drawn_once_per_refresh_and_again_after_one(client, city_world):
    """The drawn figures are cached by (filters, refresh): a second view reads no summary
    rows, the same filters show the same figures; a refresh shows the new ones."""
    client.force_login(city_world["officer"])
    url = f"/insights/?{PERIOD}"
    first = client.get(url)
    assert _shown(first, "registry.enterprises") == "3"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second.status_code == 200
    assert [q["sql"] for q in queries if "insights_fact" in q["sql"]] == []
    assert _shown(second, "registry.enterprises") == "3"
    assert _shown(second, "policies.investment_equipment") == "2,000万元"
    # another filter is drawn on its own
    assert _shown(client.get(f"/insights/?region=320205&{PERIOD}"), "registry.enterprises") == "1"
    make_organization(name="无锡看板戊机械有限公司", region="320205", industry="3421", size="small")
    assert _shown(client.get(url), "registry.enterprises") == "3"  # figures as of the refresh
    services.refresh_facts()
    assert _shown(client.get(url), "registry.enterprises") == "4"
    assert _shown(client.get(f"/insights/?region=320205&{PERIOD}"), "registry.enterprises") == "2"


def test_the_refresh_task_draws_each_officers_first_page(client, city_world):
    from zhizao.insights.tasks import rebuild_facts_task

    rows = rebuild_facts_task.call()
    assert rows == Fact.objects.count()
    client.force_login(city_world["officer"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/insights/")
    assert [q["sql"] for q in queries if "insights_fact" in q["sql"]] == []
    assert _shown(response, "registry.enterprises") == "3"


def test_a_figure_split_by_size_reads_large_to_micro_not_by_code(city_world):
    """Keys follow the order their labels are declared in (大, 中, 小, 微), not the codes'
    alphabet, which would put 微型 before 小型."""
    from zhizao.insights.access import EVERYWHERE
    from zhizao.insights.selectors import Filters, dashboard

    make_organization(name="无锡看板戊微型企业", region="320214", industry="3421", size="micro")
    services.refresh_facts()
    value = dashboard(Filters(scope=EVERYWHERE))["values"]["registry.enterprises_by_size"]
    assert [(k["key"], k["label"], k["value"]) for k in value.keys] == [
        ("large", "大型", Decimal("1")),
        ("medium", "中型", Decimal("1")),
        ("small", "小型", Decimal("2")),
        ("micro", "微型", Decimal("1")),
    ]


def test_dashboard_pdf_names_its_filters_never_their_codes(client, city_world):
    """The PDF's meta line reads the filters as the dashboard's form shows them: the cluster's,
    the division's and the size's names, not ``pdf-cluster``, ``34`` or ``medium``."""
    import io

    import pypdf

    from zhizao.registry.models import Cluster

    Cluster.objects.create(
        code="pdf-cluster",
        name_zh="无锡看板装备集群",
        name_en="Wuxi board cluster",
        region_id="320200",
    )
    client.force_login(city_world["officer"])
    response = client.get(
        f"/insights/dashboard.pdf?{PERIOD}&cluster=pdf-cluster&division=34&size=medium"
    )
    assert response.status_code == 200
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    meta = "".join(text.split("\n", 3)[:3]).replace(" ", "")
    assert "集群无锡看板装备集群；行业大类通用设备制造业；企业规模中型；" in meta, meta
    for code in ("pdf-cluster", "medium"):
        assert code not in text


RECORDS = "/insights/records/policies.investment_equipment/"
YEAR = {"start": "2026-01", "end": "2026-12"}
WUXI_A = "无锡看板甲机械有限公司"
CHANGZHOU_D = "常州看板丁模具有限公司"


def test_the_records_list_searches_filters_and_sorts_with_exact_rows(client, city_world, operator):
    client.force_login(operator)

    def rows(**params):
        response = client.get(RECORDS, {**YEAR, **params})
        assert response.status_code == 200
        return [r["organization"] for r in response.context["rows"]]

    assert rows() == [CHANGZHOU_D, WUXI_A]  # the latest first
    assert rows(sort="date") == [WUXI_A, CHANGZHOU_D]
    assert rows(sort="-amount") == [CHANGZHOU_D, WUXI_A]
    assert rows(sort="amount") == [WUXI_A, CHANGZHOU_D]
    assert rows(sort="organization") == [CHANGZHOU_D, WUXI_A]  # chang before wu
    assert rows(q="常州") == [CHANGZHOU_D]
    assert rows(q="看板 机械") == [WUXI_A]
    assert rows(day_from="2026-10-01") == [CHANGZHOU_D]
    assert rows(day_to="2026-09-30") == [WUXI_A]
    assert rows(region="320200") == [WUXI_A]  # the dashboard's own filter still applies
    assert rows(start="2026-10") == [CHANGZHOU_D]


def test_the_records_export_carries_the_dashboards_filters_and_labels(client, city_world, operator):
    client.force_login(operator)
    page = client.get(RECORDS, {**YEAR, "region": "320200"}).content.decode()
    assert '<input type="hidden" name="region" value="320200">' in page
    exports = re.findall(r'href="([^"]*)" data-export', page)
    assert [sorted(parse_qsl(unescape(h).split("?", 1)[1])) for h in exports] == [
        [("end", "2026-12"), ("export", fmt), ("region", "320200"), ("start", "2026-01")]
        for fmt in ("csv", "xlsx")
    ]
    assert read_csv(client.get(RECORDS, {**YEAR, "export": "csv"})) == [
        ["日期", "机构", "金额（元）"],
        ["2026-10-05", CHANGZHOU_D, "98760000.00"],
        ["2026-09-10", WUXI_A, "20000000.00"],
    ]
    assert read_csv(client.get(RECORDS, {**YEAR, "region": "320200", "export": "csv"})) == [
        ["日期", "机构", "金额（元）"],
        ["2026-09-10", WUXI_A, "20000000.00"],
    ]


def test_a_city_officers_records_export_never_holds_another_citys_rows(client, city_world):
    client.force_login(city_world["officer"])
    assert read_csv(client.get(RECORDS, {**YEAR, "export": "csv"})) == [
        ["日期", "机构", "金额（元）"],
        ["2026-09-10", WUXI_A, "20000000.00"],
    ]
    sheet = read_xlsx(client.get(RECORDS, {**YEAR, "export": "xlsx", "q": "常州"}))
    assert sheet == [["日期", "机构", "金额（元）"]]
    for region in ("320400", "320411", "320000"):
        response = client.get(RECORDS, {**YEAR, "region": region, "export": "csv"})
        assert response.status_code == 404


def test_a_size_filter_reads_the_rows_summed_over_industry_with_the_detail_rows_totals(
    city_world,
):
    """The refresh also writes each size summed over the industry divisions (division "*"),
    so a dashboard filtered by size alone reads those instead of every division's rows; they
    hold exactly the detail rows' sums."""
    from zhizao.insights.access import EVERYWHERE
    from zhizao.insights.selectors import Filters, dashboard

    make_organization(name="无锡看板戊微型企业", region="320205", industry="1711", size="small")
    services.refresh_facts()
    fields = ("figure", "key", "month", "region_code", "group", "size")
    detail = {
        tuple(row[f] for f in fields): row["v"]
        for row in Fact.objects.exclude(industry_division="*")
        .values(*fields)
        .annotate(v=Sum("value"))
    }
    by_size = {
        tuple(getattr(f, n) for n in fields): f.value
        for f in Fact.objects.filter(industry_division="*").exclude(size="*")
    }
    assert by_size == detail
    assert {k[-1] for k in by_size} == {"small", "medium", "large"}
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 1)
    small = dashboard(Filters(scope=EVERYWHERE, size="small", start=start, end=end))
    assert small["values"]["registry.enterprises"].value == Decimal("3")
    assert small["values"]["policies.projects"].value == Decimal("0")
    large = dashboard(Filters(scope=EVERYWHERE, size="large", start=start, end=end))
    assert large["values"]["policies.investment_equipment"].value == Decimal("98760000")
    both = dashboard(Filters(scope=EVERYWHERE, size="small", division="17", start=start, end=end))
    assert both["values"]["registry.enterprises"].value == Decimal("2")
