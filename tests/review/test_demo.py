"""The review demo on a 双十 call with applications past formal review: 40 experts, an online
round in progress with about half of the reviews submitted, the demo login ``expert`` (赵教授)
with work of every kind on his workbench; a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_organization
from zhizao.accounts.demo import DEMO_PASSWORD, ensure_demo_accounts
from zhizao.calls.models import Application, Call, CallCategory, RubricCriterion
from zhizao.common.models import AuditEntry
from zhizao.review.demo import load_review_demo
from zhizao.review.models import Assignment, Exclusion, Expert, PastOrganisation, Review


def test_review_demo(db):
    ensure_demo_accounts()
    platform = make_organization(
        name="演示评审联盟", kind="society", region="310101", industry=None
    )
    call = Call.objects.create(
        title=f"{timezone.localdate().year}年度智能制造十大科技进展",
        kind="tech_advance",
        year=timezone.localdate().year,
        host=platform,
        state="closed",
        reviewers_per_application=3,
    )
    category = CallCategory.objects.create(call=call, code="tech", name="技术类")
    RubricCriterion.objects.create(call=call, code="a", name="创新性", weight=Decimal("0.5"))
    RubricCriterion.objects.create(call=call, code="b", name="成效", weight=Decimal("0.5"))
    for i in range(6):
        Application.objects.create(
            call=call,
            category=category,
            applicant=make_organization(name=f"演示申报企业{i}", region="320214", industry="3491"),
            title=f"机器视觉检测项目{i}",
            state="formal_passed",
        )
    result = load_review_demo()
    assert result.get("note") is None, result
    assert result["experts"] == 40
    assert Expert.objects.count() == 40
    assert result["assignments"] == 18
    assert result["submitted"] == 9
    assert Review.objects.filter(state="submitted").count() == 9
    # 赵教授 (the demo login) has four applications of the open round: two scored, one draft,
    # one not started whose applicant employed him long ago (outside the 3-year 回避 window, so
    # not excluded: a conflict he may declare)
    zhao = Expert.objects.get(membership__user__username="expert")
    mine = list(
        Assignment.objects.filter(expert=zhao, state="active")
        .order_by("id")
        .select_related("round", "application")
    )
    assert len(mine) == 4
    assert {a.round.state for a in mine} == {"reviewing"}
    assert {a.round.kind for a in mine} == {"online"}
    # the deadline an office would set: 17:00 local time, twelve days on
    deadline = timezone.localtime(mine[0].round.deadline)
    assert (deadline.date(), deadline.hour, deadline.minute) == (
        timezone.localdate() + dt.timedelta(days=12),
        17,
        0,
    )
    states = [getattr(Review.objects.filter(assignment=a).first(), "state", None) for a in mine]
    assert states == ["submitted", "submitted", "draft", None]
    past = PastOrganisation.objects.get(expert=zhao)
    assert past.organization_id == mine[-1].application.applicant_id
    assert past.until.year == timezone.localdate().year - 5
    assert not Exclusion.objects.filter(expert=zhao, application=mine[-1].application).exists()
    # his workbench shows the two reviews waiting, the earliest deadline first
    client = Client()
    client.cookies["django_language"] = "en"
    assert client.login(username="expert", password=DEMO_PASSWORD)
    bench = client.get(reverse("home")).context["workbench"]
    assert [a.url for a in bench.actions] == [
        reverse("review:assignment_detail", args=[a.pk]) for a in mine[2:]
    ]
    assert [(str(f.label), f.value) for f in bench.figures if f.url.endswith("/mine/")] == [
        ("Reviews waiting for me", "2")
    ]
    page = client.get(reverse("review:my_assignments"))
    for a in mine:
        assert a.application.title in page.content.decode()
    audits = AuditEntry.objects.filter(context__event__startswith="review.").count()
    rows = Assignment.objects.count()
    again = load_review_demo()
    assert again["assignments"] == 18
    assert Assignment.objects.filter(state="active").count() == 18
    assert Assignment.objects.count() == rows
    assert AuditEntry.objects.filter(context__event__startswith="review.").count() == audits
