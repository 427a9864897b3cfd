"""The demo World Intelligent Manufacturing Conference (世界智能制造大会), in progress on the
demo's date: a "1+11" programme (an opening and 11 sub-forums in 4 blocks, 60 speakers), 5
exhibition areas with a zone per cluster in the first, exhibitors from the registry with booths
filled from their published offerings, registered participants (one per organisation, plus the
demo accounts), meeting requests in every state with a schedule from the scheduler (published),
check-ins, attendance, booth visits, leads and procurement needs (the visitors' published
demands). Written with ``bulk_create`` in one transaction; idempotent (does nothing when the
event exists)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from zhizao.accounts.demo import _organization_for
from zhizao.accounts.models import Membership, User
from zhizao.common.audit import Actor
from zhizao.matchmaking.enums import DemandState, OfferingState
from zhizao.matchmaking.models import Demand, Offering
from zhizao.registry.models import Cluster, Organization
from zhizao_core.expo import schedule

from .adapters import build_problem, event_slots
from .enums import (
    ForumKind,
    MeetingState,
    Outcome,
    ParticipantKind,
    Placement,
    RegistrationState,
)
from .models import (
    AgendaItem,
    Attendance,
    Booth,
    BoothVisit,
    Event,
    Forum,
    Hall,
    Lead,
    MeetingRequest,
    ProcurementNeed,
    ProgrammeBlock,
    Registration,
    RegistrationType,
    Session,
    Speaker,
    Zone,
)
from .search import booth_search_text
from .services.base import audit
from .services.meetings import unplaced_params
from .services.registration import new_badge_code

TITLE = "2026 世界智能制造大会"
DEMO_ACTOR = Actor(role="operator", extra={"source": "demo"})
BLOCKS = ["开幕与主论坛", "智能制造与工业软件", "产业链与集群协同", "绿色低碳与数字金融"]
FORUMS = [
    "工业互联网创新发展分论坛",
    "工业软件与智能装备分论坛",
    "人工智能赋能制造业分论坛",
    "智能工厂与数字化车间分论坛",
    "先进制造业集群发展分论坛",
    "产业链供应链协同分论坛",
    "专精特新企业发展分论坛",
    "绿色制造与节能降碳分论坛",
    "智能制造金融服务分论坛",
    "产学研合作与人才分论坛",
    "国际合作与开放创新分论坛",
]
HALLS = [
    ("先进制造业集群馆", None),
    ("智能装备馆", ["工业机器人", "数控机床", "智能检测"]),
    ("工业软件馆", ["工业互联网平台", "MES 与 ERP", "数字孪生"]),
    ("绿色低碳馆", ["节能改造", "新能源装备", "循环利用"]),
    ("数字金融与服务馆", ["设备更新贷款", "融资租赁", "咨询诊断"]),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "海涛", "晓明", "志强", "丽华", "文博", "思远", "雅琴", "国平", "立新"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hh, mm)))


def load_events_demo(
    *,
    seed: int = 2026,
    today: dt.date | None = None,
    exhibitors: int = 150,
    participants: int = 1500,
    requests: int = 2000,
    time_limit: float = 20.0,
) -> dict:
    if Event.objects.filter(title=TITLE).exists():
        return {"event": 0}
    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()
    start = today - dt.timedelta(days=1)
    end = today + dt.timedelta(days=1)
    host = _organization_for("platform")
    with transaction.atomic():
        event = Event.objects.create(
            title=TITLE,
            host=host,
            host_units="江苏省人民政府、工业和信息化部（演示数据）",
            description="一场开幕式加十一场分论坛，五大展区，云上博览馆与云上洽谈。",
            starts_on=start,
            ends_on=end,
            venue="南京国际博览中心",
            online_url="https://live.example.cn/wimc",
            state="published",
            meeting_days=[today.isoformat(), end.isoformat()],
            meeting_day_start=dt.time(13, 0),
            meeting_day_end=dt.time(17, 40),
            slot_minutes=20,
            tables=40,
            max_meetings=8,
            needs_acceptance=True,
        )
        types = {
            kind: RegistrationType.objects.create(event=event, kind=kind)
            for kind in ParticipantKind.values
        }
        sessions, speakers = _programme(event, rng, start)
        booths = _exhibition(event, rng, exhibitors)
        regs = _participants(event, rng, types, booths, participants, now)
        _agendas_and_attendance(rng, regs, sessions, now)
        made = _meetings(event, rng, regs, booths, requests, time_limit, now)
        visits, leads = _visits_and_leads(rng, regs, booths, now)
        needs = _needs(event, regs)
        audit(
            DEMO_ACTOR,
            "demo_loaded",
            event,
            context={
                "sessions": len(sessions),
                "speakers": speakers,
                "booths": len(booths),
                "registrations": len(regs),
                "meetings": made,
                "visits": visits,
                "leads": leads,
                "needs": needs,
            },
        )
    return {
        "event": event.pk,
        "sessions": len(sessions),
        "speakers": speakers,
        "booths": len(booths),
        "registrations": len(regs),
        "meetings": made,
        "visits": visits,
        "leads": leads,
        "needs": needs,
    }


def _programme(event, rng, start):
    blocks = ProgrammeBlock.objects.bulk_create(
        ProgrammeBlock(event=event, title=t, position=i) for i, t in enumerate(BLOCKS)
    )
    forums = [Forum(event=event, block=blocks[0], kind=ForumKind.OPENING, title="开幕式暨主论坛")]
    for i, title in enumerate(FORUMS):
        forums.append(
            Forum(
                event=event,
                block=blocks[1 + i * 3 // len(FORUMS)],
                kind=ForumKind.SUB_FORUM,
                title=title,
                position=i + 1,
            )
        )
    forums = Forum.objects.bulk_create(forums)
    speakers = Speaker.objects.bulk_create(
        Speaker(
            event=event,
            name=_name(rng) + ("院士" if i < 6 else ""),
            affiliation=rng.choice(["东南大学", "南京大学", "江苏省智能制造研究院", "中国信通院"]),
            bio="长期从事智能制造与工业软件研究与实践。",
        )
        for i in range(60)
    )
    rows = []
    rows.append(
        Session(
            event=event,
            forum=forums[0],
            title="开幕式暨主旨演讲",
            starts_at=_at(start, 9),
            ends_at=_at(start, 11, 30),
            room="主会场",
            online_url="https://live.example.cn/wimc/opening",
            recording_url="https://video.example.cn/wimc/opening",
        )
    )
    for i, forum in enumerate(forums[1:]):
        day = start + dt.timedelta(days=i % 3)
        for k in range(3):
            hh = 9 + k
            rows.append(
                Session(
                    event=event,
                    forum=forum,
                    title=f"{forum.title[:-3]}·报告{k + 1}",
                    starts_at=_at(day, hh if i >= 3 or day != start else hh + 4),
                    ends_at=_at(day, hh if i >= 3 or day != start else hh + 4, 50),
                    room=f"{chr(65 + i % 6)}{1 + i // 6} 会议室",
                    online_url=f"https://live.example.cn/wimc/{i + 1}-{k + 1}",
                    recording_url=f"https://video.example.cn/wimc/{i + 1}-{k + 1}",
                )
            )
    sessions = Session.objects.bulk_create(rows)
    through = Session.speakers.through
    links, used = [], 0
    for session in sessions:
        for _ in range(2):
            links.append(through(session_id=session.pk, speaker_id=speakers[used % 60].pk))
            used += 1
    through.objects.bulk_create(links, ignore_conflicts=True)
    return sessions, len(speakers)


def _exhibition(event, rng, count):
    clusters = list(Cluster.objects.order_by("code")[:13])
    zones = []
    for position, (name, zone_names) in enumerate(HALLS):
        hall = Hall.objects.create(event=event, name=name, position=position)
        if zone_names is None:
            zones += [Zone(hall=hall, name=str(c), cluster=c) for c in clusters] or [
                Zone(hall=hall, name="集群综合展区")
            ]
        else:
            zones += [Zone(hall=hall, name=z) for z in zone_names]
    zones = Zone.objects.bulk_create(zones)
    offered = (
        Offering.objects.filter(state=OfferingState.PUBLISHED, provider__is_active=True)
        .values_list("provider_id", flat=True)
        .distinct()
        .order_by("provider_id")
    )
    demo_provider = _organization_for("provider")
    ids = list(offered[: count * 3])
    rng.shuffle(ids)
    ids = ([demo_provider.pk] if demo_provider.pk in set(offered) else []) + [
        i for i in ids if i != demo_provider.pk
    ]
    ids = ids[:count]
    orgs = Organization.objects.in_bulk(ids)
    offerings = defaultdict(list)
    for o in Offering.objects.filter(provider_id__in=ids, state=OfferingState.PUBLISHED).order_by(
        "id"
    ):
        offerings[o.provider_id].append(o)
    booths = []
    for n, pk in enumerate(ids):
        zone = zones[n % len(zones)]
        booth = Booth(
            event=event,
            zone=zone,
            code=f"{chr(65 + n % 5)}-{n + 1:03d}",
            exhibitor=orgs[pk],
            introduction=f"{orgs[pk].name}：智能制造解决方案与服务。",
            cases=["某汽车零部件企业智能工厂改造", "某电子企业质量追溯系统"],
            staff_on_duty=[_name(rng), _name(rng)],
        )
        booth.search_text = booth_search_text(booth, offerings[pk][:6])
        booths.append(booth)
    booths = Booth.objects.bulk_create(booths)
    through = Booth.offerings.through
    through.objects.bulk_create(
        through(booth_id=b.pk, offering_id=o.pk)
        for b in booths
        for o in offerings[b.exhibitor_id][:6]
    )
    return booths


def _participants(event, rng, types, booths, count, now):
    demo_users = {
        m.organization_id: m
        for m in Membership.objects.filter(
            organization_id__in=[
                _organization_for(k).pk for k in ("manufacturer", "provider", "bank")
            ]
        ).select_related("user")
    }
    exhibitor_orgs = [b.exhibitor_id for b in booths]
    demo_enterprise = _organization_for("manufacturer").pk
    visitor_orgs = [
        demo_enterprise,
        *list(
            Organization.objects.filter(kind="manufacturer", is_active=True)
            .exclude(pk__in=[*exhibitor_orgs, demo_enterprise])
            .order_by("id")
            .values_list("pk", flat=True)[: max(count - len(exhibitor_orgs) - 1, 0)]
        ),
    ]
    plan = [(pk, ParticipantKind.EXHIBITOR) for pk in exhibitor_orgs]
    for n, pk in enumerate(visitor_orgs):
        kind = ParticipantKind.VISITOR
        if n % 50 == 1:
            kind = ParticipantKind.MEDIA
        elif n % 50 == 2:
            kind = ParticipantKind.GUEST
        elif n % 50 == 3:
            kind = ParticipantKind.SPEAKER
        plan.append((pk, kind))
    plan = plan[:count]
    password = make_password(None)
    new_users = User.objects.bulk_create(
        User(username=f"expo-demo-{n:05d}", display_name=_name(rng), password=password)
        for n, (pk, _kind) in enumerate(plan)
        if pk not in demo_users
    )
    users = iter(new_users)
    rows = []
    days = [event.starts_on, event.starts_on + dt.timedelta(days=1)]
    for n, (pk, kind) in enumerate(plan):
        membership = demo_users.get(pk)
        user = membership.user if membership else next(users)
        checked = rng.random() < 0.6
        rows.append(
            Registration(
                event=event,
                type=types[kind],
                user=user,
                organization_id=pk,
                name=user.display_name or user.username,
                state=RegistrationState.PENDING
                if kind == ParticipantKind.GUEST and n % 2
                else RegistrationState.APPROVED,
                badge_code=new_badge_code(),
                shares_contact=rng.random() < 0.4,
                phone=f"139{rng.randrange(10**8):08d}",
                checked_in_at=_at(rng.choice(days), 8, rng.randrange(60)) if checked else None,
                checked_in_door=rng.choice(["北门", "南门", "东门"]) if checked else "",
            )
        )
    regs = Registration.objects.bulk_create(rows)
    taken = defaultdict(int)
    for r in regs:
        taken[r.type_id] += 1
    for rtype in types.values():
        rtype.taken = taken[rtype.pk]
    RegistrationType.objects.bulk_update(list(types.values()), ["taken"])
    # created_at spread over the weeks before the event
    for r in regs:
        r.created_at = now - dt.timedelta(days=rng.randrange(1, 30), minutes=rng.randrange(600))
    Registration.objects.bulk_update(regs, ["created_at"], batch_size=500)
    return regs


def _agendas_and_attendance(rng, regs, sessions, now):
    items, seen = [], []
    for r in regs[::3]:
        for s in rng.sample(sessions, 3):
            items.append(AgendaItem(registration=r, session=s))
            if s.ends_at <= now and r.checked_in_at and rng.random() < 0.7:
                seen.append(Attendance(session=s, registration=r, at=s.starts_at))
    AgendaItem.objects.bulk_create(items, ignore_conflicts=True)
    Attendance.objects.bulk_create(seen, ignore_conflicts=True)


def _meetings(event, rng, regs, booths, count, time_limit, now):
    exhibitors = [r for r in regs if r.type.kind == ParticipantKind.EXHIBITOR]
    visitors = [
        r for r in regs if r.type.kind != ParticipantKind.EXHIBITOR and r.state == "approved"
    ]
    if not exhibitors or not visitors:
        return {}
    pairs, rows = set(), []
    while len(rows) < count and len(pairs) < len(exhibitors) * len(visitors):
        v, e = rng.choice(visitors), rng.choice(exhibitors)
        if (v.pk, e.pk) in pairs:
            continue
        pairs.add((v.pk, e.pk))
        roll = rng.random()
        state = (
            MeetingState.REQUESTED
            if roll < 0.15
            else MeetingState.DECLINED
            if roll < 0.25
            else MeetingState.CANCELLED
            if roll < 0.3
            else MeetingState.ACCEPTED
        )
        requester, recipient = (v, e) if rng.random() < 0.8 else (e, v)
        rows.append(
            MeetingRequest(
                event=event,
                requester=requester,
                recipient=recipient,
                reason=rng.choice(
                    ["了解视觉检测方案", "洽谈 MES 实施", "咨询设备更新贷款", "数字化车间改造合作"]
                ),
                priority=rng.choice([1, 1, 1, 2, 2, 3]),
                state=state,
                decline_reason="时间已排满" if state == MeetingState.DECLINED else "",
            )
        )
    MeetingRequest.objects.bulk_create(rows, batch_size=500)
    problem, meetings = build_problem(event)
    result = schedule(problem, time_limit=time_limit)
    times = {s.id: (s.start, s.end) for s in event_slots(event)}
    tables = defaultdict(int)
    for p in sorted(result.meetings, key=lambda p: (p.slot, p.request)):
        m = meetings[p.request]
        tables[p.slot] += 1
        m.placement, m.slot, m.table = Placement.PUBLISHED, p.slot, tables[p.slot]
        m.starts_at, m.ends_at = times[p.slot]
        if m.ends_at <= now:
            m.requester_outcome = rng.choice(
                [Outcome.HELD, Outcome.HELD, Outcome.FOLLOW_UP, Outcome.NO_SHOW]
            )
            m.recipient_outcome = m.requester_outcome
    for u in result.unplaced:
        m = meetings[u.request]
        m.unplaced_reason, m.unplaced_detail, m.unplaced_helps = (
            u.reason,
            u.detail[:500],
            u.helps[:500],
        )
        m.unplaced_params = unplaced_params(u)
    MeetingRequest.objects.bulk_update(
        list(meetings.values()),
        [
            "placement",
            "slot",
            "table",
            "starts_at",
            "ends_at",
            "unplaced_reason",
            "unplaced_detail",
            "unplaced_helps",
            "unplaced_params",
            "requester_outcome",
            "recipient_outcome",
        ],
        batch_size=500,
    )
    Event.objects.filter(pk=event.pk).update(schedule_published_at=now)
    states = defaultdict(int)
    for m in rows:
        states[str(m.state)] += 1
    states["placed"] = result.placed
    states["unplaced"] = len(result.unplaced)
    return dict(states)


def _visits_and_leads(rng, regs, booths, now):
    by_org = {r.organization_id: r for r in regs}
    visitors = [r for r in regs if r.type.kind != ParticipantKind.EXHIBITOR and r.checked_in_at]
    visits, leads, seen = [], [], set()
    for _ in range(min(3000, len(visitors) * len(booths))):
        r, b = rng.choice(visitors), rng.choice(booths)
        if (r.pk, b.pk) in seen:
            continue
        seen.add((r.pk, b.pk))
        visits.append(
            BoothVisit(
                booth=b, registration=r, at=r.checked_in_at, shares_contact=rng.random() < 0.5
            )
        )
        if rng.random() < 0.3 and b.exhibitor_id in by_org:
            leads.append(
                Lead(
                    booth=b,
                    registration=r,
                    note=rng.choice(["有改造需求，下月回访", "关注设备更新贷款", "需要演示"]),
                    rating=rng.randrange(1, 6),
                    created_by=by_org[b.exhibitor_id].user,
                )
            )
    BoothVisit.objects.bulk_create(visits, batch_size=500)
    Lead.objects.bulk_create(leads, batch_size=500)
    return len(visits), len(leads)


def _needs(event, regs):
    visitors = {r.organization_id: r for r in regs if r.type.kind == ParticipantKind.VISITOR}
    demands = (
        Demand.objects.filter(enterprise_id__in=list(visitors), state=DemandState.PUBLISHED)
        .order_by("-updated_at", "id")
        .values_list("pk", "enterprise_id")[:40]
    )
    needs = ProcurementNeed.objects.bulk_create(
        ProcurementNeed(event=event, registration=visitors[org], demand_id=pk)
        for pk, org in demands
    )
    return len(needs)
