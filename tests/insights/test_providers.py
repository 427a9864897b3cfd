"""Figures and report activities of calls, events and expert review, with exact numbers.

The world (in Wuxi 320200 unless said): a smart-factory call hosted by the Wuxi bureau,
opened for applications on 2026-10-08; 甲 and 乙 applied (submitted in October), 丙's draft is
not counted; the call's catalogue published 2026-11-20 with 甲 and 常州丁; a review round
created in October with two reviews, one submitted in November; an expo (2026-10-15, hosted by
the bureau) with three approved registrations (甲, 乙, 常州丁), one declined, two check-ins; two
1:1 meetings placed, one of which (甲 → 乙) led to a deal of 1,250,000 元 in November."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from tests.factories import make_user
from zhizao.accounts.enums import Role
from zhizao.calls.models import Application, Call, CallStage, Catalogue, CatalogueEntry
from zhizao.events.models import Event, MeetingRequest, Registration, RegistrationType
from zhizao.insights import services
from zhizao.insights.access import EVERYWHERE, Scope
from zhizao.insights.models import Fact
from zhizao.insights.report_data import month_figures, records_activities
from zhizao.matchmaking.models import Demand, Introduction, Offering
from zhizao.review.models import Assignment, Expert, Review, ReviewRound

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


@pytest.fixture
def program_world(city_world):
    orgs = city_world["orgs"]
    bureau = city_world["officer"].memberships.first().organization
    call = Call.objects.create(
        title="2026年无锡市智能工厂认定", kind="smart_factory", year=2026, host=bureau
    )
    CallStage.objects.create(
        call=call, kind="apply", opens=at(dt.date(2026, 10, 8)), closes=at(dt.date(2026, 10, 31))
    )
    apps = {}
    for key, day in (("a", 9), ("b", 12)):
        apps[key] = Application.objects.create(
            call=call,
            applicant=orgs[key],
            title=f"{orgs[key].name}智能工厂",
            state="submitted",
            submitted_at=at(dt.date(2026, 10, day)),
        )
    Application.objects.create(call=call, applicant=orgs["c"], title="丙草稿", state="draft")
    catalogue = Catalogue.objects.create(
        call=call,
        title="2026年无锡市智能工厂名单",
        kind="smart_factory",
        year=2026,
        publisher=bureau,
        published_on=dt.date(2026, 11, 20),
    )
    for key in ("a", "d"):
        CatalogueEntry.objects.create(catalogue=catalogue, organization=orgs[key], title="智能工厂")
    rnd = ReviewRound.objects.create(
        call=call, name="网评", kind="online", deadline=at(dt.date(2026, 11, 30))
    )
    expert_user = make_user("expert-zhang", role=Role.EXPERT, organization=orgs["d"])
    expert = Expert.objects.create(
        membership=expert_user.memberships.get(), name="张专家", person_id="EXP-001"
    )
    for key, submitted in (("a", at(dt.date(2026, 11, 3))), ("b", None)):
        assignment = Assignment.objects.create(
            round=rnd, application=apps[key], expert=expert, source="solver"
        )
        Review.objects.create(
            assignment=assignment,
            state="submitted" if submitted else "draft",
            submitted_at=submitted,
        )
    ReviewRound.objects.filter(pk=rnd.pk).update(created_at=at(dt.date(2026, 10, 20)))
    expo = Event.objects.create(
        title="2026无锡智能制造对接会",
        host=bureau,
        starts_on=dt.date(2026, 10, 15),
        ends_on=dt.date(2026, 10, 16),
        state="published",
    )
    kind = RegistrationType.objects.create(event=expo, kind="enterprise")
    regs = {}
    for i, (key, state, checked) in enumerate(
        (
            ("a", "approved", True),
            ("b", "approved", True),
            ("d", "approved", False),
            ("c", "declined", False),
        )
    ):
        user = make_user(f"reg-{key}", role=Role.ENTERPRISE, organization=orgs[key])
        regs[key] = Registration.objects.create(
            event=expo,
            type=kind,
            user=user,
            organization=orgs[key],
            name=f"参会人{i}",
            state=state,
            badge_code=f"BADGE{i:04d}",
            checked_in_at=at(dt.date(2026, 10, 15), 9) if checked else None,
        )
    Registration.objects.filter(event=expo).update(created_at=at(dt.date(2026, 10, 1)))
    offering = Offering.objects.create(provider=orgs["b"], kind="solution", title="视觉检测方案")
    demand = Demand.objects.create(
        enterprise=orgs["a"],
        title="表面缺陷检测",
        category="quality",
        region="320214",
        budget_band="lt_50",
        timeline="3m",
    )
    intro = Introduction.objects.create(
        demand=demand,
        offering=offering,
        requested_by="demand",
        deal_at=at(dt.date(2026, 11, 10)),
        deal_value_yuan=Decimal("1250000"),
    )
    for requester, recipient, introduction, day in (
        ("a", "b", intro, 15),
        ("d", "a", None, 16),
    ):
        MeetingRequest.objects.create(
            event=expo,
            requester=regs[requester],
            recipient=regs[recipient],
            placement="published",
            starts_at=at(dt.date(2026, 10, day), 14),
            ends_at=at(dt.date(2026, 10, day), 15),
            introduction=introduction,
        )
    services.refresh_facts()
    return {**city_world, "call": call, "catalogue": catalogue, "expo": expo}


def total(figure: str, **kwargs) -> dict:
    rows = (
        Fact.objects.filter(figure=figure, group="", industry_division="*", size="*", **kwargs)
        .values("key", "month")
        .annotate(v=Sum("value"))
        .order_by("month", "key")
    )
    return {(r["month"].isoformat()[:7], r["key"]): r["v"] for r in rows}


def test_calls_events_and_review_figures(program_world):
    assert total("calls.applications") == {("2026-10", "smart_factory"): Decimal("2")}
    assert total("calls.recognitions") == {("2026-11", "smart_factory"): Decimal("2")}
    assert total("calls.recognitions", city_code="320200") == {
        ("2026-11", "smart_factory"): Decimal("1")
    }
    assert total("review.rounds") == {("2026-10", ""): Decimal("1")}
    assert total("review.reviews") == {("2026-11", ""): Decimal("1")}
    assert total("events.held") == {("2026-10", ""): Decimal("1")}
    assert total("events.registrations") == {("2026-10", ""): Decimal("3")}
    assert total("events.registrations", city_code="320400") == {("2026-10", ""): Decimal("1")}
    assert total("events.attendance") == {("2026-10", ""): Decimal("2")}
    assert total("events.meetings") == {("2026-10", ""): Decimal("2")}
    assert total("events.meeting_deals") == {("2026-11", ""): Decimal("1")}
    assert total("events.meeting_deal_value") == {("2026-11", ""): Decimal("1250000")}


def test_figures_on_the_dashboard_in_their_sections(client, program_world):
    client.force_login(program_world["officer"])
    page = client.get("/insights/?start=2026-01&end=2026-12").content.decode()
    for testid, shown in (
        ("panel-calls", None),
        ("panel-events", None),
        ("figure-calls.applications", "2"),
        ("figure-calls.recognitions", "1"),  # 常州丁 is outside Wuxi
        ("figure-review.reviews", "1"),
        ("figure-events.registrations", "2"),
        ("figure-events.attendance", "2"),
        ("figure-events.meeting_deal_value", "125万元"),
    ):
        if shown is None:
            assert f'data-testid="{testid}"' in page
        else:
            assert f'data-testid="{testid}">{shown}<' in page, testid


def test_report_figures_and_activities_of_the_month(program_world):
    october, _as_of = month_figures(OCT, EVERYWHERE)
    assert october["calls.applications"]["month"] == 2
    assert october["events.held"]["month"] == 1
    assert october["events.attendance"]["month"] == 2
    assert october["events.meetings"]["month"] == 2
    november, _as_of = month_figures(NOV, EVERYWHERE)
    assert november["calls.recognitions"]["month"] == 2
    assert november["review.reviews"]["month"] == 1
    assert november["events.meeting_deal_value"]["month"] == "1250000.00"
    assert november["events.meeting_deal_value"]["year_to_date"] == "1250000.00"
    activities = [
        (a.section, a.date.isoformat(), a.title, a.detail)
        for a in records_activities(OCT, EVERYWHERE)
        if a.source in ("calls.milestones", "events.held")
    ]
    assert sorted(activities) == [
        ("consulting", "2026-10-08", "“2026年无锡市智能工厂认定”开始申报", ""),
        ("exchange", "2026-10-15", "举办“2026无锡智能制造对接会”", "报名 3 人，签到 2 人"),
    ]
    assert [
        (a.section, a.title, a.detail)
        for a in records_activities(NOV, EVERYWHERE)
        if a.source == "calls.milestones"
    ] == [("consulting", "发布《2026年无锡市智能工厂名单》", "入选 2 项")]
    # a scope outside Wuxi sees neither the call nor the expo
    changzhou = Scope(code="320400", level="city", name="常州市")
    assert [
        a
        for a in records_activities(OCT, changzhou)
        if a.source in ("calls.milestones", "events.held")
    ] == []
