"""Demo data of expert review (after the calls demo): 40 experts with fields, organisations,
former organisations and declared relations — the demo account ``expert`` among them — and,
on the current year's 双十 call (十大科技进展), an online review round in progress: the
assignment done (exact optimum), about half of the reviews submitted. Idempotent: a second
run changes nothing.

Written through the services (the one write path), as the platform operator."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhizao.accounts.demo import DEMO_PASSWORD, _fixed_org, ensure_demo_accounts
from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership, User
from zhizao.calls.enums import ApplicationState, CallKind
from zhizao.calls.models import Application, Call
from zhizao.common.audit import Actor
from zhizao.registry.models import Organization

from . import services
from .enums import AssignmentState, RoundState
from .errors import ReviewError
from .models import Assignment, Expert, ReviewRound
from .services.reviews import criteria_of

DEMO_SEED = 20261207
ROUND_NAME = "网评（第一轮）"
DEMO_EXPERT_WORK = 4  # applications of the round for the demo login ``expert``
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN = ["建国", "志强", "海燕", "晓明", "立新", "丽华", "文杰", "振华", "静", "伟", "敏", "磊"]
DIVISIONS = ["34", "35", "38", "39", "40", "36", "33", "29", "26", "27"]
DOMAINS = [
    "machine_vision",
    "industrial_robot",
    "cnc",
    "predictive_maintenance",
    "digital_twin",
    "iiot_platform",
    "mes",
    "industrial_network",
    "energy_management",
    "industrial_security",
]
KEYWORDS = {
    "machine_vision": "机器视觉, 缺陷检测, 深度学习",
    "industrial_robot": "工业机器人, 运动控制, 柔性装配",
    "cnc": "数控机床, 精密加工, 数控系统",
    "predictive_maintenance": "预测性维护, 振动分析, 故障诊断",
    "digital_twin": "数字孪生, 仿真, 虚拟调试",
    "iiot_platform": "工业互联网平台, 边缘计算, 设备联网",
    "mes": "制造执行系统, 生产排程, 质量追溯",
    "industrial_network": "5G, 时间敏感网络, 工业以太网",
    "energy_management": "能源管理, 碳排放, 能效优化",
    "industrial_security": "工业信息安全, 态势感知, 等级保护",
}
TITLES = ["senior", "senior", "associate", "associate", "intermediate"]


def _operator() -> Actor:
    membership = (
        Membership.objects.filter(role=Role.OPERATOR, is_active=True, user__username="operator")
        .select_related("user", "organization")
        .first()
    )
    return Actor(
        user=membership.user,
        organization_id=membership.organization_id,
        organization_name=membership.organization.name,
        role=membership.role,
    )


def _expert_orgs() -> list[Organization]:
    """Twelve universities and institutes for the experts (the registry's first ones, topped up
    with fixed demo institutes so that the organisation cap never starves a round)."""
    universities = Organization.objects.filter(kind="university", is_active=True)
    orgs = list(universities.order_by("name_sort", "id")[:12])
    for n in range(len(orgs), 12):
        orgs.append(
            _fixed_org(f"智能制造演示研究院第{n + 1}分院", "university", "320102", 990100 + n)
        )
    return orgs


def _ensure_experts(actor: Actor, rng: random.Random) -> list[Expert]:
    orgs = _expert_orgs()
    manufacturers = list(
        Organization.objects.filter(kind="manufacturer", is_active=True).order_by(
            "name_sort", "id"
        )[:40]
    )
    experts = []
    accounts = [("expert", None)] + [(f"expert{i:02d}", i) for i in range(1, 40)]
    for username, number in accounts:
        if number is None:
            membership = Membership.objects.filter(
                user__username="expert", role=Role.EXPERT
            ).first()
            name = str(membership.user)
        else:
            name = SURNAMES[number % len(SURNAMES)] + GIVEN[number % len(GIVEN)]
            user, created = User.objects.get_or_create(
                username=username, defaults={"display_name": f"{name}（专家）"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            membership = Membership.objects.filter(user=user, role=Role.EXPERT).first()
            if membership is None:
                membership = Membership.objects.create(
                    user=user, organization=orgs[number % len(orgs)], role=Role.EXPERT
                )
        existing = Expert.objects.filter(membership=membership).first()
        if existing:
            experts.append(existing)
            continue
        domains = rng.sample(DOMAINS, 2)
        expert = services.create_expert(
            actor,
            membership,
            name=name,
            person_id=f"E-{len(experts) + 1:03d}",
            title=rng.choice(TITLES),
            years_experience=rng.randint(8, 35),
            divisions=rng.sample(DIVISIONS, 2),
            domains=domains,
            keywords="，".join(KEYWORDS[d] for d in domains),
            attributes=["economic"] if len(experts) % 8 == 7 else ["technical"],
            max_load=8,
        )
        # a former employer for one expert in four (some inside the 3-year window)
        if manufacturers and len(experts) % 4 == 1:
            past = manufacturers[len(experts) % len(manufacturers)]
            if past.pk != membership.organization_id:
                services.add_past_organisation(
                    actor,
                    expert,
                    organization=past,
                    until=timezone.localdate() - dt.timedelta(days=200 * (len(experts) % 9 + 1)),
                )
        if len(experts) % 5 == 2:
            services.add_relation(
                actor,
                expert,
                person=f"P-{len(experts):03d}",
                kind=rng.choice(["coauthor", "supervisor", "kinship"]),
            )
        experts.append(expert)
    return experts


def _score(rng: random.Random, criterion) -> str:
    top = criterion.max_score
    value = (top * Decimal(rng.randint(60, 95)) / 100).quantize(Decimal("0.5"))
    return str(min(value, top))


def _actor(membership) -> Actor:
    return Actor(
        user=membership.user,
        organization_id=membership.organization_id,
        organization_name=membership.organization.name,
        role=membership.role,
    )


def _give_demo_expert_work(actor: Actor, review_round, expert: Expert) -> None:
    """The demo login ``expert`` (赵教授) gets ``DEMO_EXPERT_WORK`` applications of the round:
    those the optimum gave him, topped up by manual changes through the service (the weakest
    fit on an application makes room; a change the 回避 rules refuse is skipped, nothing kept)."""
    mine = Assignment.objects.filter(
        round=review_round, expert=expert, state=AssignmentState.ACTIVE
    )
    have = mine.count()
    candidates = (
        Application.objects.filter(
            review_assignments__round=review_round,
            review_assignments__state=AssignmentState.ACTIVE,
        )
        .exclude(pk__in=mine.values("application_id"))
        .distinct()
        .order_by("id")
    )
    for application in candidates:
        if have >= DEMO_EXPERT_WORK:
            return
        weakest = (
            Assignment.objects.filter(
                round=review_round, application=application, state=AssignmentState.ACTIVE
            )
            .order_by("affinity", "id")
            .first()
        )
        try:
            with transaction.atomic():
                services.remove_assignment(actor, weakest, reason="调整评审分工")
                services.add_assignment(actor, review_round, application, expert)
        except ReviewError:
            continue
        have += 1


def _demo_expert_reviews(rng, call, criteria, assignments: list[Assignment]) -> None:
    """赵教授's work in progress: the first two reviews submitted, the third a draft, the rest
    pending; the applicant of the last one is his employer of long ago (outside the 回避 window,
    so the rules do not exclude it): a conflict he may declare himself on its page."""
    if not assignments:
        return
    expert_actor = _actor(assignments[0].expert.membership)
    for assignment in assignments[:2]:
        services.save_review(
            expert_actor,
            assignment,
            scores={c.code: _score(rng, c) for c in criteria},
            comments={c.code: "创新点明确，应用成效有数据支撑。" for c in criteria},
            submit=True,
        )
    if len(assignments) > 2 and criteria:
        services.save_review(
            expert_actor,
            assignments[2],
            scores={criteria[0].code: _score(rng, criteria[0])},
            comments={},
            submit=False,
        )
    if len(assignments) > 3:
        last = assignments[-1]
        years_back = (call.conflict_years or 3) + 2
        services.add_past_organisation(
            _operator(),
            last.expert,
            organization=last.application.applicant,
            until=dt.date(timezone.localdate().year - years_back, 6, 30),
        )


def load_review_demo(*, seed: int = DEMO_SEED) -> dict:
    rng = random.Random(seed)
    ensure_demo_accounts()
    actor = _operator()
    with transaction.atomic():
        experts = _ensure_experts(actor, rng)
    call = (
        Call.objects.filter(kind=CallKind.TECH_ADVANCE, year=timezone.localdate().year)
        .order_by("id")
        .first()
    )
    result = {"experts": len(experts), "round": None, "assignments": 0, "submitted": 0}
    if call is None:
        result["note"] = "no 双十 call of this year (run the calls demo first)"
        return result
    review_round = ReviewRound.objects.filter(call=call, name=ROUND_NAME).first()
    if review_round is None:
        if not Application.objects.filter(call=call, state=ApplicationState.FORMAL_PASSED).exists():
            result["note"] = "the 双十 call has no application past formal review"
            return result
        office = actor
        review_round = services.create_round(
            office,
            call,
            name=ROUND_NAME,
            kind="online",
            # 17:00 local time twelve days on, as an office sets a deadline (not the minute
            # the demo happened to run)
            deadline=timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0)
            + dt.timedelta(days=12),
            reviewers_per_application=min(5, max(1, call.reviewers_per_application)),
            visibility="after_own",
        )
        services.run_assignment(office, review_round, method="optimal")
        review_round.refresh_from_db()
        if review_round.summary.get("problems"):
            result["note"] = "; ".join(review_round.summary["problems"])
            return result
        demo_expert = experts[0]
        _give_demo_expert_work(office, review_round, demo_expert)
        services.open_round(office, review_round)
        criteria = criteria_of(call)
        active = list(
            Assignment.objects.filter(round=review_round, state=AssignmentState.ACTIVE)
            .select_related(
                "application__applicant",
                "expert__membership__user",
                "expert__membership__organization",
            )
            .order_by("id")
        )
        others = [a for a in active if a.expert_id != demo_expert.pk]
        for assignment in others[: len(others) // 2]:
            services.save_review(
                _actor(assignment.expert.membership),
                assignment,
                scores={c.code: _score(rng, c) for c in criteria},
                comments={c.code: "材料完整，技术路线清晰。" for c in criteria},
                submit=True,
            )
        _demo_expert_reviews(
            rng, call, criteria, [a for a in active if a.expert_id == demo_expert.pk]
        )
    review_round.refresh_from_db()
    active = Assignment.objects.filter(round=review_round, state=AssignmentState.ACTIVE)
    result.update(
        round=review_round.name,
        state=RoundState(review_round.state).label,
        assignments=active.count(),
        submitted=active.filter(review__state="submitted").count(),
    )
    return result
