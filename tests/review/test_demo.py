"""The review demo on a 双十 call with applications past formal review: 40 experts, an online
round in progress with about half of the reviews submitted; a second run changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from tests.factories import make_organization
from zhizao.accounts.demo import ensure_demo_accounts
from zhizao.calls.models import Application, Call, CallCategory, RubricCriterion
from zhizao.common.models import AuditEntry
from zhizao.review.demo import load_review_demo
from zhizao.review.models import Assignment, Expert, Review


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
    audits = AuditEntry.objects.filter(context__event__startswith="review.").count()
    again = load_review_demo()
    assert again["assignments"] == 18
    assert Assignment.objects.count() == 18
    assert AuditEntry.objects.filter(context__event__startswith="review.").count() == audits
