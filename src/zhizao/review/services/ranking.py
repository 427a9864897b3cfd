"""Aggregation and ranking of a round: the chosen method next to the raw mean with the spread,
an explanation per application, divergent-panel and outlier-expert flags, ranking with ties,
cut-off and per-category quotas → the proposed list → 公示 (``calls.services.open_publicity``).
Application states change through ``calls.services.set_application_state`` only."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.calls.enums import ApplicationState
from zhizao.calls.errors import CallError
from zhizao.calls.models import Application, CallCategory
from zhizao.calls.services.applications import set_application_state
from zhizao.calls.services.publicity import open_publicity
from zhizao.common.audit import Actor
from zhizao_core.review import Criterion, ReviewScore
from zhizao_core.review.aggregate import aggregate, outlier_experts
from zhizao_core.review.ranking import propose_list

from ..enums import AggregationMethod, AssignmentState, ReviewState, RoundState
from ..errors import ReviewError
from ..models import PanelDecision, Ranking, Review, ReviewRound
from .base import audit, decimal_value, require_office
from .reviews import criteria_of
from .rounds import set_round_state


def _s(value) -> str | None:
    return None if value is None else str(value)


def round_scores(review_round) -> tuple[list[Criterion], list[ReviewScore], dict]:
    """The rubric and the submitted reviews of the round's active assignments, as core data,
    and the expert names by id (for the office's page)."""
    criteria = [
        Criterion(
            id=c.code,
            weight=c.weight if c.ranked else Decimal("0"),
            max=c.max_score,
            ranked=c.ranked,
        )
        for c in criteria_of(review_round.call)
    ]
    reviews = (
        Review.objects.filter(
            assignment__round=review_round,
            assignment__state=AssignmentState.ACTIVE,
            state=ReviewState.SUBMITTED,
        )
        .select_related("assignment__expert")
        .order_by("assignment__application_id", "assignment__expert_id")
    )
    scores, names = [], {}
    for review in reviews:
        a = review.assignment
        names[str(a.expert_id)] = a.expert.name
        scores.append(
            ReviewScore(
                application=str(a.application_id),
                expert=str(a.expert_id),
                criteria={k: Decimal(v) for k, v in review.scores.items()},
            )
        )
    return criteria, scores, names


def rank_round(
    actor: Actor,
    review_round: ReviewRound,
    *,
    method: str = AggregationMethod.MEAN,
    trim=1,
    divergence="20",
    cutoff=None,
) -> Ranking:
    """Aggregate the submitted reviews, flag, rank and propose; stored as a Ranking."""
    require_office(actor, review_round.call)
    if method not in AggregationMethod.values:
        raise ReviewError("bad_method", _("Choose an aggregation method."), field="method")
    try:
        trim = int(trim or 0)
    except (TypeError, ValueError):
        raise ReviewError("not_a_number", _("Trim is a whole number."), field="trim") from None
    if not 0 <= trim <= 5:
        raise ReviewError("out_of_range", _("Trim is 0 to 5."), field="trim")
    divergence = decimal_value(divergence or "20", field="divergence", label=_("Divergence"))
    if divergence < 0:
        raise ReviewError("out_of_range", _("Divergence is 0 or more."), field="divergence")
    cutoff = (
        None
        if cutoff in (None, "")
        else decimal_value(cutoff, field="cutoff", label=_("Cut-off score"))
    )
    if review_round.state not in (RoundState.REVIEWING, RoundState.CLOSED):
        raise ReviewError("bad_state", _("There is nothing to rank in this round yet."))
    criteria, scores, names = round_scores(review_round)
    if not scores:
        raise ReviewError("no_reviews", _("No review has been submitted yet."))
    try:
        results = aggregate(criteria, scores, method=method, trim=trim, divergence=divergence)
        outliers = outlier_experts(criteria, scores)
    except ValueError as error:
        raise ReviewError("bad_scores", str(error)) from None
    apps = {
        str(a.pk): a
        for a in Application.objects.filter(
            pk__in=[int(r.application) for r in results]
        ).select_related("category")
    }
    categories = {k: (a.category.code if a.category_id else "") for k, a in apps.items()}
    quotas = {
        c.code: c.final_quota
        for c in CallCategory.objects.filter(call=review_round.call)
        if c.final_quota is not None
    }
    proposal = propose_list(results, categories=categories, quotas=quotas, cutoff=cutoff)
    decisions = {str(d.application_id): d for d in PanelDecision.objects.filter(round=review_round)}
    rows = []
    for r in results:
        app = apps[r.application]
        decision = decisions.get(r.application)
        rows.append(
            {
                "application": int(r.application),
                "title": app.title,
                "category": categories[r.application],
                "score": _s(r.score),
                "raw_mean": _s(r.raw_mean),
                "spread": _s(r.spread),
                "rank": r.rank,
                "reviews": r.reviews,
                "trimmed": r.trimmed,
                "divergent": r.divergent,
                "dropped": [[names.get(e, e), _s(t)] for e, t in r.dropped],
                "offsets": {names.get(e, e): _s(o) for e, o in r.offsets.items()},
                "totals": {names.get(e, e): _s(t) for e, t in getattr(r, "totals", {}).items()},
                "explanation": list(r.explanation),
                "explanation_en": list(getattr(r, "explanation_en", []) or r.explanation),
                "panel": None
                if decision is None
                else {
                    "outcome": decision.outcome,
                    "for": decision.votes_for,
                    "against": decision.votes_against,
                    "abstain": decision.votes_abstain,
                    "score": _s(decision.consensus_score),
                },
            }
        )
    outlier_rows = [
        {
            "expert": names.get(o.expert, o.expert),
            "expert_id": int(o.expert),
            "reason": o.reason,
            "explanation": getattr(o, "explanation", "") or o.reason,
            "explanation_en": getattr(o, "explanation_en", "") or o.reason,
            "figures": {k: _s(v) if isinstance(v, Decimal) else v for k, v in o.figures.items()},
        }
        for o in outliers
    ]
    proposal_rows = [_proposal_row(p, apps) for p in proposal]
    with transaction.atomic():
        ranking = Ranking.objects.create(
            round=review_round,
            method=method,
            trim=trim,
            divergence=divergence,
            cutoff=cutoff,
            results=rows,
            outliers=outlier_rows,
            proposal=proposal_rows,
            created_by=actor.user,
        )
        audit(
            actor,
            "ranking_created",
            ranking,
            changes={
                "method": [None, method],
                "proposed": [None, len([p for p in proposal_rows if p["proposed"]])],
            },
        )
    return ranking


def _get(item, name, default=None):
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _proposal_row(item, apps) -> dict:
    app_id = str(_get(item, "application"))
    app = apps.get(app_id)
    return {
        "application": int(app_id),
        "title": app.title if app else "",
        "category": _get(item, "category", "") or "",
        "category_id": app.category_id if app else None,
        "rank": _get(item, "rank"),
        "score": _s(_get(item, "score")),
        "proposed": bool(_get(item, "proposed", False)),
        "reason_code": _get(item, "reason", "") or "",
        "reason": _get(item, "text", "") or "",
        "reason_en": _get(item, "text_en", "") or "",
        "tie": bool(_get(item, "tie", False)),
    }


def propose_ranking(actor: Actor, ranking: Ranking) -> Ranking:
    """Hand the proposed list of a ranking to 公示: the proposed applications move to
    ``proposed`` and ``calls.services.open_publicity`` opens the public notice. Once."""
    review_round = ranking.round
    require_office(actor, review_round.call)
    with transaction.atomic():
        locked = Ranking.objects.select_for_update().get(pk=ranking.pk)
        if locked.handed_over_at is not None:
            raise ReviewError("already", _("This list has already been handed to 公示."))
        latest = Ranking.objects.filter(round=review_round).order_by("-created_at", "-id").first()
        if latest is None or latest.pk != locked.pk:
            raise ReviewError("stale", _("A newer ranking exists; propose that one."))
        entries = [row for row in locked.proposal if row["proposed"]]
        if not entries:
            raise ReviewError("empty", _("The list proposes no application."))
        if review_round.state == RoundState.REVIEWING:
            set_round_state(actor, review_round, RoundState.CLOSED)
        set_round_state(actor, review_round, RoundState.PROPOSED)
        try:
            for row in entries:
                application = Application.objects.get(pk=row["application"])
                if application.state == ApplicationState.IN_REVIEW:
                    set_application_state(
                        actor,
                        application,
                        to=ApplicationState.PROPOSED,
                        reason=review_round.name,
                        expected=ApplicationState.IN_REVIEW,
                    )
            open_publicity(
                actor,
                review_round.call,
                [
                    {
                        "application_id": row["application"],
                        "rank": row["rank"],
                        "score": Decimal(row["score"]),
                        "category_id": row["category_id"],
                    }
                    for row in entries
                ],
            )
        except CallError as error:
            raise ReviewError(error.code, error.message) from None
        locked.handed_over_at = timezone.now()
        locked.save(update_fields=["handed_over_at"])
        audit(actor, "list_proposed", locked, changes={"entries": [None, len(entries)]})
    return locked
