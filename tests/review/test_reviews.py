"""Scoring against the call's rubric (drafts, required comments, exact decimals), visibility
of other reviews, aggregation and ranking with the explanation, panel decisions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhizao.common.models import AuditEntry
from zhizao.review import access, services
from zhizao.review.errors import ReviewError
from zhizao.review.models import Assignment, Ranking, Review


@pytest.fixture
def reviewing(rw):
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    return rw


def _key(w, assignment):
    return next(k for k, e in w.experts.items() if e.pk == assignment.expert_id)


def _score_all(w, values):
    """values: application index -> list of (innovation, impact) in expert order."""
    for i, app in enumerate(w.apps):
        rows = list(
            Assignment.objects.filter(round=w.round, application=app, state="active").order_by(
                "expert_id"
            )
        )
        for assignment, (inn, imp) in zip(rows, values[i], strict=True):
            services.save_review(
                w.actor(_key(w, assignment)),
                assignment,
                scores={"innovation": inn, "impact": imp},
                comments={"innovation": "有创新"},
                submit=True,
            )


def test_draft_then_submit_with_exact_total(reviewing):
    w = reviewing
    assignment = Assignment.objects.filter(round=w.round, state="active").first()
    actor = w.actor(_key(w, assignment))
    review = services.save_review(actor, assignment, scores={"innovation": "85.5"})
    assert review.state == "draft"
    assert review.total is None
    with pytest.raises(ReviewError) as error:
        services.save_review(
            actor, assignment, scores={"innovation": "85.5", "impact": "90"}, submit=True
        )
    assert error.value.code == "comment_required"
    review.refresh_from_db()
    assert review.state == "draft"
    review = services.save_review(
        actor,
        assignment,
        scores={"innovation": "85.5", "impact": "90"},
        comments={"innovation": "视觉引导精度高"},
        submit=True,
    )
    review.refresh_from_db()
    assert review.state == "submitted"
    assert review.total == Decimal("87.3000")  # 0.6 × 85.5 + 0.4 × 90
    audits = AuditEntry.objects.count()
    with pytest.raises(ReviewError):
        services.save_review(actor, assignment, scores={"innovation": "10", "impact": "10"})
    review.refresh_from_db()
    assert review.total == Decimal("87.3000")
    assert AuditEntry.objects.count() == audits


def test_score_above_max_refused(reviewing):
    w = reviewing
    assignment = Assignment.objects.filter(round=w.round, state="active").first()
    with pytest.raises(ReviewError) as error:
        services.save_review(w.actor(_key(w, assignment)), assignment, scores={"impact": "100.5"})
    assert error.value.field == "score_impact"
    assert not Review.objects.exists()


def test_another_expert_cannot_score(reviewing):
    w = reviewing
    assignment = Assignment.objects.filter(round=w.round, state="active").first()
    other = next(k for k, e in w.experts.items() if e.pk != assignment.expert_id)
    with pytest.raises(ReviewError):
        services.save_review(w.actor(other), assignment, scores={"impact": "10"})
    assert not Review.objects.exists()


def test_visibility_after_own(reviewing):
    w = reviewing
    first, second = Assignment.objects.filter(
        round=w.round, application=w.apps[1], state="active"
    ).order_by("expert_id")
    services.save_review(
        w.actor(_key(w, first)),
        first,
        scores={"innovation": "80", "impact": "70"},
        comments={"innovation": "好"},
        submit=True,
    )
    assert list(access.visible_reviews(second)) == []
    services.save_review(
        w.actor(_key(w, second)),
        second,
        scores={"innovation": "60", "impact": "70"},
        comments={"innovation": "一般"},
        submit=True,
    )
    assert [r.assignment_id for r in access.visible_reviews(second)] == [first.pk]


def test_ranking_with_explanation(reviewing):
    w = reviewing
    _score_all(w, {0: [(90, 80), (80, 70)], 1: [(70, 70), (50, 40)], 2: [(90, 80), (80, 70)]})
    ranking = services.rank_round(w.office_actor, w.round, method="mean")
    rows = {r["application"]: r for r in ranking.results}
    # app 0: totals 86 and 76 → 81.00; app 1: 70 and 46 → 58.00, spread 24 > 20 → divergent
    assert rows[w.apps[0].pk]["score"] == "81.00"
    assert rows[w.apps[0].pk]["rank"] == 1
    assert rows[w.apps[2].pk]["rank"] == 1
    assert rows[w.apps[1].pk]["score"] == "58.00"
    assert rows[w.apps[1].pk]["rank"] == 3
    assert rows[w.apps[1].pk]["divergent"] is True
    assert rows[w.apps[1].pk]["spread"] == "24"
    assert rows[w.apps[0].pk]["explanation"]
    # quota 1 in the category with a tie at the top: the engine leaves the tie to the panel
    proposed = [p for p in ranking.proposal if p["proposed"]]
    assert [p["reason_code"] for p in ranking.proposal if not p["proposed"]]
    assert len(proposed) <= 1
    assert Ranking.objects.count() == 1


def test_only_the_office_ranks(reviewing):
    w = reviewing
    _score_all(w, {0: [(90, 80), (80, 70)], 1: [(70, 70), (50, 40)], 2: [(90, 80), (80, 70)]})
    with pytest.raises(ReviewError):
        services.rank_round(w.actor("free1"), w.round, method="mean")
    assert not Ranking.objects.exists()
