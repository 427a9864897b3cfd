"""Demo insights data (after the other apps' demos): the provincial department answers for
Jiangsu, the summary tables are computed, a few headline figures are public, and the previous
month's report is drafted with a plan and a hand-added activity, and the two months before it
have a published report for Jiangsu (what the provincial officer reads: his list is not empty)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhizao.accounts.enums import Role
from zhizao.common.audit import Actor
from zhizao.registry.models import Organization, Region
from zhizao_core.insights import add_months

from . import services
from .enums import ReportState
from .models import MonthlyReport

DEMO_OPERATOR = Actor(role=Role.OPERATOR, extra={"source": "demo"})
PUBLIC = ("registry.enterprises", "policies.projects", "policies.investment_equipment")


def load_insights_demo(today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    bureau = Organization.objects.filter(name="江苏省工业和信息化厅").first()
    jiangsu = Region.objects.filter(code="320000").first()
    if bureau is not None and jiangsu is not None:
        services.set_jurisdiction(DEMO_OPERATOR, bureau, jiangsu)
    refresh = services.refresh_facts()
    services.set_public_figures(DEMO_OPERATOR, list(PUBLIC))
    month = add_months(dt.date(today.year, today.month, 1), -1)
    existing = MonthlyReport.objects.filter(month=month, scope=None).first()
    if existing is None or existing.state == ReportState.DRAFT:
        report = services.draft_report(DEMO_OPERATOR, month=month)
        services.update_report(
            DEMO_OPERATOR,
            report,
            summary="本月联盟围绕智能制造诊断、智改数转项目和供需对接持续推进，主要数据见下表。",
            plan="1. 组织下一批免费诊断；\n2. 召开智能制造供需对接会；\n3. 编制年度工作总结。",
            section_texts={"consulting": "为地方工信部门提供智能制造政策咨询。"},
        )
        if not report.activities.filter(source="manual").exists():
            services.add_activity(
                DEMO_OPERATOR,
                report,
                section="talent",
                date=month + dt.timedelta(days=14),
                title="智能制造工程师培训班（第三期）",
                detail="学员 86 人",
            )
    published = []
    if jiangsu is not None:
        for back in (3, 2):
            earlier = add_months(month, 1 - back)
            if MonthlyReport.objects.filter(month=earlier, scope=jiangsu).exists():
                continue
            report = services.draft_report(DEMO_OPERATOR, month=earlier, scope=jiangsu)
            services.update_report(
                DEMO_OPERATOR,
                report,
                summary="本月全省智能制造诊断、智改数转项目和供需对接按计划推进，主要数据见下表。",
                plan="1. 推进下一批企业诊断；\n2. 组织专题供需对接会。",
            )
            services.publish_report(DEMO_OPERATOR, report)
            published.append(earlier.isoformat())
    return {"rows": refresh.rows, "month": month.isoformat(), "published": published}
