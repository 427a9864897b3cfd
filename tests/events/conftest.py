"""Shared fixtures for the events tests: one published expo on 2026-11-26/27 (Asia/Shanghai)
hosted by the platform, with an opening and a sub-forum, two sessions, a hall with a zone and
the provider's booth, and three approved registrations:

- ``visitor`` (the ``enterprise_user`` of 无锡恒润精密机械有限公司),
- ``exhibitor`` (the ``provider_user`` of 常州慧眼智能科技有限公司, with the booth),
- ``other_visitor`` (the ``other_enterprise_user``).

Meetings: 2026-11-26 14:00–15:00 in 20-minute slots (3 slots), 2 tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.events import services
from zhizao.matchmaking import index
from zhizao.matchmaking import services as matchmaking

DAY = dt.date(2026, 11, 26)


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hh, mm)))


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def scheduled_meeting(expo, enterprise_user, provider_user, operator, *, publish: bool = True):
    """陈工 (the visitor) asks 周经理 (the exhibitor) for a meeting about 视觉检测改造, he
    accepts, the organiser runs the scheduler and (``publish``) publishes the schedule; the
    request as stored then."""
    meeting = services.request_meeting(
        actor_for(enterprise_user),
        expo.event,
        requester=expo.visitor,
        recipient=expo.exhibitor,
        reason="视觉检测改造",
    )
    services.respond_meeting(actor_for(provider_user), meeting, accept=True)
    services.run_schedule(actor_for(operator), expo.event)
    if publish:
        services.publish_schedule(actor_for(operator), expo.event)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture(autouse=True)
def _fresh_index(settings):
    settings.ZHIZAO_MATCH_EMBEDDER = "none"
    index.reset()
    yield
    index.reset()


@pytest.fixture
def provider_org(db):
    return make_organization(
        name="常州慧眼智能科技有限公司", kind="provider", region="320411", industry="6513"
    )


@pytest.fixture
def provider_user(provider_org):
    return make_user("provider", role=Role.PROVIDER, organization=provider_org)


@pytest.fixture
def offering(provider_user, provider_org):
    actor = actor_for(provider_user)
    return matchmaking.save_and_publish_offering(
        actor,
        provider_org,
        kind="solution",
        title="注塑件表面缺陷机器视觉检测系统",
        description="深度学习视觉检测，注塑件划痕、缺料、飞边在线检测，节拍 0.5 秒。",
        categories=["machine_vision"],
        regions=["320000"],
    )


@dataclass
class Expo:
    event: object
    opening: object
    forum: object
    keynote: object
    panel: object
    hall: object
    zone: object
    booth: object
    visitor: object
    exhibitor: object
    other_visitor: object


@pytest.fixture
def expo(operator, enterprise_user, other_enterprise_user, provider_user, offering, platform_org):
    op = actor_for(operator)
    event = services.create_event(
        op,
        platform_org,
        title="2026 世界智能制造大会",
        host_units="江苏省工业和信息化厅",
        starts_on=DAY,
        ends_on=DAY + dt.timedelta(days=1),
        venue="南京国际博览中心",
        meeting_days=[DAY],
        meeting_day_start=dt.time(14, 0),
        meeting_day_end=dt.time(15, 0),
        slot_minutes=20,
        tables=2,
        max_meetings=None,
        needs_acceptance=True,
    )
    event = services.set_event_state(op, event, "published")
    block = services.add_block(op, event, title="开幕与主论坛")
    opening = services.add_forum(op, event, title="开幕式", kind="opening", block=block)
    forum = services.add_forum(op, event, title="工业软件分论坛", block=block, position=1)
    speaker = services.add_speaker(op, event, name="张院士", affiliation="东南大学", bio="智能制造")
    keynote = services.add_session(
        op,
        event,
        title="开幕式暨主旨演讲",
        starts_at=at(DAY, 9),
        ends_at=at(DAY, 10),
        room="主会场",
        forum=opening,
        online_url="https://live.example.cn/opening",
        recording_url="https://video.example.cn/opening",
        speakers=[speaker],
    )
    panel = services.add_session(
        op,
        event,
        title="工业软件圆桌",
        starts_at=at(DAY, 14),
        ends_at=at(DAY, 14, 20),
        room="A1",
        forum=forum,
    )
    hall = services.add_hall(op, event, name="智能装备馆")
    zone = services.add_zone(op, hall, name="机器视觉专区")
    booth = services.assign_booth(op, zone, code="A-01", exhibitor=offering.provider)
    booth = services.fill_booth(
        actor_for(provider_user), booth, offerings=[offering], introduction="视觉检测专家"
    )
    visitor = services.register(
        actor_for(enterprise_user),
        event,
        kind="visitor",
        organization=enterprise_user.memberships.first().organization,
        name="陈工",
        phone="13900001111",
        email="chen@example.cn",
    )
    exhibitor = services.register(
        actor_for(provider_user),
        event,
        kind="exhibitor",
        organization=offering.provider,
        name="周经理",
    )
    other_visitor = services.register(
        actor_for(other_enterprise_user),
        event,
        kind="visitor",
        organization=other_enterprise_user.memberships.first().organization,
        name="刘工",
        phone="13700002222",
    )
    return Expo(
        event,
        opening,
        forum,
        keynote,
        panel,
        hall,
        zone,
        booth,
        visitor,
        exhibitor,
        other_visitor,
    )
