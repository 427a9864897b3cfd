"""Reviews: an expert scores its assignment against the call's rubric (drafts, then submit;
required comments enforced at submission; exact decimals), and a panel meeting (会评) records
a vote or a consensus score per application."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.calls.models import RubricCriterion
from zhizao.common.audit import Actor
from zhizao_core.text.amounts import plain_number

from ..enums import AssignmentState, PanelOutcome, ReviewState, RoundKind, RoundState
from ..errors import ReviewError
from ..models import Assignment, PanelDecision, Review
from .base import audit, decimal_value, expert_of, require_office

MAX_COMMENT = 4000


def criteria_of(call) -> list[RubricCriterion]:
    return list(RubricCriterion.objects.filter(call=call).order_by("order", "id"))


def review_total(criteria, scores: dict) -> Decimal | None:
    """Σ weight × score over the ranked criteria, exact; None while one is missing."""
    total = Decimal("0")
    for criterion in criteria:
        if not criterion.ranked:
            continue
        value = scores.get(criterion.code)
        if value in (None, ""):
            return None
        total += criterion.weight * Decimal(value)
    return total


def save_review(
    actor: Actor,
    assignment: Assignment,
    *,
    scores: dict,
    comments: dict | None = None,
    comment: str = "",
    submit: bool = False,
) -> Review:
    """Save the expert's draft (any subset of criteria) or submit it (every criterion scored,
    required comments given). A submitted review no longer changes."""
    expert = expert_of(actor)
    if expert is None or expert.pk != assignment.expert_id:
        raise ReviewError("not_yours", _("Only the assigned expert scores this application."))
    review_round = assignment.round
    if review_round.state != RoundState.REVIEWING:
        raise ReviewError("not_reviewing", _("This round is not taking reviews."))
    if timezone.now() > review_round.deadline:
        raise ReviewError("deadline_passed", _("The deadline of this round has passed."))
    criteria = criteria_of(review_round.call)
    if not criteria:
        raise ReviewError("no_rubric", _("The call has no scoring rubric yet."))
    known = {c.code: c for c in criteria}
    comments = comments or {}
    clean_scores: dict[str, str] = {}
    for code, value in (scores or {}).items():
        if code not in known:
            raise ReviewError(
                "unknown_criterion", _("Unknown criterion %(code)s.") % {"code": code}
            )
        if value in (None, ""):
            continue
        criterion = known[code]
        number = decimal_value(value, field=f"score_{code}", label=criterion.name)
        if number < 0 or number > criterion.max_score:
            raise ReviewError(
                "out_of_range",
                _("%(name)s is scored 0 to %(max)s.")
                % {"name": criterion.name, "max": plain_number(criterion.max_score)},
                field=f"score_{code}",
            )
        clean_scores[code] = str(number)
    clean_comments = {}
    for code, text in comments.items():
        if code not in known:
            continue
        text = (text or "").strip()
        if len(text) > MAX_COMMENT:
            raise ReviewError("too_long", _("A comment is too long."), field=f"comment_{code}")
        if text:
            clean_comments[code] = text
    comment = (comment or "").strip()[:MAX_COMMENT]
    if submit:
        for criterion in criteria:
            if criterion.code not in clean_scores:
                raise ReviewError(
                    "missing_score",
                    _("Score “%(name)s” before submitting.") % {"name": criterion.name},
                    field=f"score_{criterion.code}",
                )
            if criterion.comment_required and criterion.code not in clean_comments:
                raise ReviewError(
                    "comment_required",
                    _("“%(name)s” needs a comment.") % {"name": criterion.name},
                    field=f"comment_{criterion.code}",
                )
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.state != AssignmentState.ACTIVE:
            raise ReviewError("not_active", _("This assignment has ended."))
        review, _created = Review.objects.get_or_create(assignment=locked)
        if review.state == ReviewState.SUBMITTED:
            raise ReviewError("submitted", _("This review has already been submitted."))
        review.scores = clean_scores
        review.comments = clean_comments
        review.comment = comment
        review.total = review_total(criteria, clean_scores)
        if submit:
            review.state = ReviewState.SUBMITTED
            review.submitted_at = timezone.now()
        review.save()
        if submit:
            audit(
                actor,
                "review_submitted",
                locked,
                changes={"state": ["draft", "submitted"], "total": [None, str(review.total)]},
            )
    return review


def record_panel_decision(
    actor: Actor,
    review_round,
    application,
    *,
    outcome: str,
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
    consensus_score=None,
    note: str = "",
) -> PanelDecision:
    """The office records what the panel meeting decided on an application."""
    require_office(actor, review_round.call)
    if review_round.kind != RoundKind.PANEL:
        raise ReviewError("not_panel", _("Only a panel meeting records votes."))
    if review_round.state not in (RoundState.REVIEWING, RoundState.CLOSED):
        raise ReviewError("not_reviewing", _("This round is not taking reviews."))
    if not review_round.assignments.filter(application=application).exists():
        raise ReviewError("not_in_round", _("This application is not in the round."))
    if outcome not in PanelOutcome.values:
        raise ReviewError("bad_outcome", _("Choose a vote or a consensus score."), field="outcome")
    values = {"outcome": outcome, "note": (note or "").strip()[:2000]}
    if outcome == PanelOutcome.VOTE:
        for field, value in (
            ("votes_for", votes_for),
            ("votes_against", votes_against),
            ("votes_abstain", votes_abstain),
        ):
            try:
                number = int(value or 0)
            except (TypeError, ValueError):
                raise ReviewError(
                    "not_a_number", _("Votes are whole numbers."), field=field
                ) from None
            if not 0 <= number <= 200:
                raise ReviewError("out_of_range", _("Votes are 0 to 200."), field=field)
            values[field] = number
        values["consensus_score"] = None
    else:
        if consensus_score in (None, ""):
            raise ReviewError("required", _("Give the consensus score."), field="consensus_score")
        score = decimal_value(consensus_score, field="consensus_score", label=_("Consensus score"))
        if not Decimal("0") <= score <= Decimal("100"):
            raise ReviewError("out_of_range", _("The score is 0 to 100."), field="consensus_score")
        values.update(consensus_score=score, votes_for=0, votes_against=0, votes_abstain=0)
    with transaction.atomic():
        decision, created = PanelDecision.objects.select_for_update().get_or_create(
            round=review_round,
            application=application,
            defaults={**values, "recorded_by": actor.user},
        )
        if not created:
            for key, value in values.items():
                setattr(decision, key, value)
            decision.recorded_by = actor.user
            decision.save()
        audit(
            actor,
            "panel_decision",
            decision,
            changes={
                k: [None, str(v) if v is not None else None]
                for k, v in values.items()
                if k != "note"
            },
        )
    return decision
