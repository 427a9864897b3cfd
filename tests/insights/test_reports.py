"""The monthly report: drafting, editing by operators only, publishing freezes the figures,
Word / PDF / JSON and the command."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.factories import actor_for
from zhizao.insights import services
from zhizao.insights.errors import InsightsError
from zhizao.insights.models import MonthlyReport, ReportActivity
from zhizao.insights.report_data import report_content
from zhizao.policies import services as policies

pytestmark = pytest.mark.django_db

SEPTEMBER = dt.date(2026, 9, 1)


@pytest.fixture
def report(city_world, operator):
    return services.draft_report(actor_for(operator), month=SEPTEMBER)


def test_draft_takes_the_months_figures(report):
    content = report_content(report)
    assert content["month"] == "2026-09"
    assert content["scope"] is None
    assert content["figures"]["policies.projects"]["month"] == 1
    assert content["figures"]["policies.investment_equipment"]["month"] == "20000000.00"
    assert content["figures"]["policies.investment_equipment"]["year_to_date"] == "20000000.00"
    assert [s["title"] for s in content["sections"]] == [
        "战略咨询",
        "技术交流",
        "产学研融合",
        "人才培养",
        "国际智能制造联盟",
        "自身建设",
        "重点推进情况",
        "下月工作计划",
    ]


def test_operator_edits_sections_activities_and_plan(report, operator):
    actor = actor_for(operator)
    services.update_report(actor, report, plan="召开对接会", section_texts={"talent": "培训两期"})
    services.add_activity(
        actor, report, section="talent", date=dt.date(2026, 9, 20), title="工程师培训班"
    )
    services.add_news_item(actor, report, title="示范工厂揭牌", body="甲公司数字化车间投产")
    content = report_content(MonthlyReport.objects.get(pk=report.pk))
    talent = next(s for s in content["sections"] if s["key"] == "talent")
    assert talent["text"] == "培训两期"
    assert talent["items"] == [
        {"date": "2026-09-20", "title": "工程师培训班", "detail": "", "source": "manual"}
    ]
    highlights = next(s for s in content["sections"] if s["key"] == "highlights")
    assert highlights["items"] == [
        {"title": "示范工厂揭牌", "detail": "甲公司数字化车间投产", "photo": ""}
    ]
    assert content["sections"][-1]["text"] == "召开对接会"


def test_publishing_freezes_the_figures(report, operator, city_world):
    services.publish_report(actor_for(operator), report)
    report.refresh_from_db()
    frozen = report_content(report)
    assert frozen["as_of"] is not None
    policies.create_project(
        actor_for(city_world["enterprise"]),
        city_world["orgs"]["a"],
        name="甲公司第二期",
        kind="intelligent_transformation",
        start_date=dt.date(2026, 9, 25),
        equipment_yuan=Decimal("1000000"),
        software_yuan=Decimal("0"),
        services_yuan=Decimal("0"),
        other_yuan=Decimal("0"),
    )
    services.refresh_facts()
    assert report_content(MonthlyReport.objects.get(pk=report.pk)) == frozen
    assert frozen["figures"]["policies.projects"]["month"] == 1
    with pytest.raises(InsightsError):
        services.update_report(actor_for(operator), report, plan="改")


def test_only_operators_edit(report, city_world, client):
    officer = city_world["officer"]
    with pytest.raises(InsightsError):
        services.add_activity(actor_for(officer), report, section="self", date=SEPTEMBER, title="x")
    client.force_login(officer)
    response = client.post(f"/insights/reports/{report.pk}/", {"title": "改标题", "plan": "x"})
    assert response.status_code == 404
    response = client.post(
        f"/insights/reports/{report.pk}/activities/",
        {"section": "self", "date": "2026-09-02", "title": "偷加"},
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.title == "智能制造推进进展情况月报（2026年9月）"
    assert ReportActivity.objects.filter(report=report).count() == 0


def test_officer_reads_only_published_reports_of_his_region(report, city_world, client):
    client.force_login(city_world["officer"])
    assert client.get(f"/insights/reports/{report.pk}/").status_code == 404


def test_operator_pages_edit_and_download(report, operator, client):
    client.force_login(operator)
    response = client.post(
        f"/insights/reports/{report.pk}/",
        {"title": "九月月报", "summary": "摘要", "plan": "下月计划", "section_consulting": "咨询"},
    )
    assert response.status_code == 302
    services.add_activity(
        actor_for(operator), report, section="talent", date=SEPTEMBER, title="工程师培训班"
    )
    page = client.get(f"/insights/reports/{report.pk}/").content.decode()
    activities = page.split('data-testid="activities"')[1].split("</table>")[0]
    # the section by its title, never its key
    assert "<td>人才培养</td>" in activities and "talent" not in activities
    as_of = re.search(r'data-testid="as-of">([^<]*)<', page).group(1)
    # a person's date (local time, to the minute), never the stored ISO text
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}|—", as_of), as_of
    report.refresh_from_db()
    assert (report.title, report.plan, report.section_texts["consulting"]) == (
        "九月月报",
        "下月计划",
        "咨询",
    )
    docx = client.get(f"/insights/reports/{report.pk}/report.docx")
    assert docx.status_code == 200
    document = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "九月月报" in document and "下月计划" in document and "一、战略咨询" in document
    pdf = client.get(f"/insights/reports/{report.pk}/report.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_command_writes_json(report, tmp_path):
    out = tmp_path / "r.json"
    call_command("insights_report", month="2026-09", fmt="json", output=str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"month", "scope", "as_of", "sections", "figures"}
    assert data["month"] == "2026-09"
    assert data["figures"]["policies.projects"]["month"] == 1


def test_command_scope_narrows_the_figures(city_world, tmp_path):
    out = tmp_path / "r.json"
    call_command("insights_report", month="2026-10", scope="320400", fmt="json", output=str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["scope"] == "320400"
    assert data["figures"]["policies.investment_equipment"]["month"] == "98760000.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-13"], "月份“2026-13”不存在"),
        (["--month", "202611"], "月份应写作 YYYY-MM"),
        (["--month", "2026-11", "--scope", "999999"], "地区代码“999999”不存在"),
    ],
)
def test_command_bad_month_or_scope_exits_1(args, message, tmp_path):
    from zhizao.insights.management.commands.insights_report import Command

    stderr = io.StringIO()
    old = sys.stderr
    sys.stderr = stderr
    try:
        with pytest.raises(SystemExit) as exit_info:
            call_command(Command(), *args, "--format", "json", "--output", str(tmp_path / "x"))
    finally:
        sys.stderr = old
    assert exit_info.value.code == 1
    assert message in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()
    assert not (tmp_path / "x").exists()


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#1f5fbf").save(buffer, format="PNG")
    return buffer.getvalue()


def test_news_photo_goes_into_word_and_pdf(report, operator, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(operator)
    response = client.post(
        f"/insights/reports/{report.pk}/news/",
        {
            "title": "示范工厂揭牌",
            "body": "投产",
            "photo": SimpleUploadedFile("揭牌.png", _png(), "image/png"),
        },
    )
    assert response.status_code == 302
    docx = client.get(f"/insights/reports/{report.pk}/report.docx")
    media = [
        n
        for n in zipfile.ZipFile(io.BytesIO(docx.content)).namelist()
        if n.startswith("word/media/")
    ]
    assert len(media) == 2  # the chart and the photo
    pdf = client.get(f"/insights/reports/{report.pk}/report.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_public_page_shows_only_the_opted_in_figures(city_world, operator, client):
    services.set_public_figures(actor_for(operator), ["registry.enterprises"])
    response = client.get("/insights/public/")
    assert response.status_code == 200
    assert [v.figure.name for v in response.context["figures"]] == ["registry.enterprises"]
    assert [v.value for v in response.context["figures"]] == [Decimal("4")]
    assert "设备投资" not in response.content.decode()


def test_api_figures_are_scoped(city_world, client):
    client.force_login(city_world["officer"])
    response = client.get("/api/insights/figures/?start=2026-01&end=2026-12")
    assert response.status_code == 200
    values = {f["name"]: f["value"] for f in response.json()["figures"]}
    assert values["registry.enterprises"] == "3"
    assert values["policies.investment_equipment"] == "20000000.00"
    assert response.json()["scope"] == "320200"
    assert client.get("/api/insights/figures/?region=320400").status_code == 404
    regions = client.get(
        "/api/insights/figures/policies.projects/regions/?start=2026-01&end=2026-12"
    )
    assert [r["code"] for r in regions.json() if r["value"] != "0"] == ["320214"]


def test_demo_drafts_the_previous_months_report(city_world):
    from zhizao.insights.demo import load_insights_demo
    from zhizao.insights.models import PublicFigure

    result = load_insights_demo(today=dt.date(2026, 10, 15))
    report = MonthlyReport.objects.get(month=SEPTEMBER, scope=None)
    assert result["month"] == "2026-09-01"
    assert report.state == "draft"
    assert list(report.activities.values_list("section", "title")) == [
        ("talent", "智能制造工程师培训班（第三期）")
    ]
    assert sorted(PublicFigure.objects.values_list("figure", flat=True)) == [
        "policies.investment_equipment",
        "policies.projects",
        "registry.enterprises",
    ]
    # the officer of the province reads the two months before, published for Jiangsu
    assert result["published"] == ["2026-07-01", "2026-08-01"]
    assert list(
        MonthlyReport.objects.filter(state="published")
        .order_by("month")
        .values_list("month", "scope__code", "title")
    ) == [
        (dt.date(2026, 7, 1), "320000", "江苏省智能制造推进进展情况月报（2026年7月）"),
        (dt.date(2026, 8, 1), "320000", "江苏省智能制造推进进展情况月报（2026年8月）"),
    ]
    again = load_insights_demo(today=dt.date(2026, 10, 15))  # twice: the same reports
    assert again["published"] == []
    assert MonthlyReport.objects.count() == 3
    assert ReportActivity.objects.filter(report=report, source="manual").count() == 1
