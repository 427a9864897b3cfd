"""A small review world: a call of the platform office with a two-criterion rubric, three
applications that passed formal review, and six experts — one of the first applicant's own
staff, one who left the second applicant inside the 3-year window and one who left it just
outside, one related to a team member, and two free ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.calls.models import Application, Call, CallCategory, RubricCriterion
from zhizao.review import services
from zhizao.review.adapters import _years_before


@dataclass
class ReviewWorld:
    office: object = None
    office_actor: object = None
    call: object = None
    apps: list = field(default_factory=list)
    experts: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    applicant_users: list = field(default_factory=list)
    orgs: dict = field(default_factory=dict)
    round: object = None

    def actor(self, name):
        return actor_for(self.users[name])


def build_review_world(*, k: int = 2, blind: bool = True) -> ReviewWorld:
    w = ReviewWorld()
    platform = make_organization(
        name="评审测试联盟秘书处", kind="society", region="310101", industry=None
    )
    w.office = make_user("rv-office", role=Role.OPERATOR, organization=platform)
    w.office_actor = actor_for(w.office)
    x = make_organization(name="评审测试甲机器人有限公司", region="320214", industry="3491")
    y = make_organization(name="评审测试乙视觉科技有限公司", region="320411", industry="3921")
    w.orgs = {"x": x, "y": y, "platform": platform}
    w.applicant_users = [
        make_user("rv-app-x", role=Role.ENTERPRISE, organization=x),
        make_user("rv-app-y", role=Role.ENTERPRISE, organization=y),
    ]
    w.call = Call.objects.create(
        title="2026年度智能制造十大科技进展",
        kind="tech_advance",
        year=2026,
        host=platform,
        state="closed",
        blind_review=blind,
        reviewers_per_application=k,
    )
    category = CallCategory.objects.create(call=w.call, code="tech", name="技术类", final_quota=1)
    RubricCriterion.objects.create(
        call=w.call,
        code="innovation",
        name="创新性",
        weight=Decimal("0.6"),
        max_score=Decimal("100"),
        comment_required=True,
        bands=[{"min": 80, "max": 100, "descriptor": "国际领先"}],
        order=1,
    )
    RubricCriterion.objects.create(
        call=w.call, code="impact", name="应用成效", weight=Decimal("0.4"), order=2
    )
    titles = [
        ("工业机器人视觉引导装配系统", x),
        ("注塑件机器视觉缺陷检测", y),
        ("数控机床预测性维护平台", x),
    ]
    for i, (title, org) in enumerate(titles):
        w.apps.append(
            Application.objects.create(
                call=w.call,
                category=category,
                applicant=org,
                title=title,
                state="formal_passed",
                data={"summary": title},
                people=["P-001"] if i == 0 else [],
            )
        )
    today = timezone.localdate()
    window = _years_before(today, 3)
    specs = {
        "own": ("评审测试专家甲", x, None),
        "past_in": ("评审测试专家乙", None, (y, window)),
        "past_out": ("评审测试专家丙", None, (y, window - dt.timedelta(days=1))),
        "related": ("评审测试专家丁", None, None),
        "free1": ("评审测试专家戊", None, None),
        "free2": ("评审测试专家己", None, None),
    }
    for n, (key, (name, org, past)) in enumerate(specs.items()):
        org = org or make_organization(
            name=f"评审测试大学{n}", kind="university", region="310101", industry=None
        )
        user = make_user(f"rv-{key}", role=Role.EXPERT, organization=org, display_name=name)
        w.users[key] = user
        expert = services.create_expert(
            w.office_actor,
            user.memberships.get(),
            name=name,
            divisions=["34"],
            domains=["machine_vision", "industrial_robot"],
            keywords="机器视觉, 工业机器人",
            years_experience=10 + n,
            max_load=3,
        )
        if past:
            services.add_past_organisation(
                w.office_actor, expert, organization=past[0], until=past[1]
            )
        w.experts[key] = expert
    services.add_relation(w.office_actor, w.experts["related"], person="P-001", kind="coauthor")
    w.round = services.create_round(
        w.office_actor,
        w.call,
        name="网评第一轮",
        kind="online",
        deadline=timezone.now() + dt.timedelta(days=10),
        reviewers_per_application=k,
        visibility="after_own",
    )
    return w


@pytest.fixture
def rw(db):
    return build_review_world()
