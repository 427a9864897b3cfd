"""Reads for expert review: the pool list with filters, the round's overview, the exclusion
reasons, and the replay of a stored draw."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from zhizao_core.review.draw import random_draw

from .adapters import digest, problem_from_data
from .enums import DECLARABLE_STATES, AssignmentMethod, AssignmentState, ReviewState
from .models import Assignment, Exclusion, Expert, ReviewRound, RoundExpert


def round_overview(review_round) -> dict:
    """Counts for the round page: applications, active assignments, submitted reviews."""
    active = Assignment.objects.filter(round=review_round, state=AssignmentState.ACTIVE)
    counts = active.aggregate(
        n=Count("id"),
        submitted=Count("id", filter=Q(review__state=ReviewState.SUBMITTED)),
    )
    return {"assignments": counts["n"], "submitted": counts["submitted"]}


def exclusions_by_application(review_round, *, application_id=None):
    qs = Exclusion.objects.filter(round=review_round).select_related("application", "expert")
    if application_id:
        qs = qs.filter(application_id=application_id)
    grouped = defaultdict(list)
    for x in qs.order_by("application_id", "expert__name", "expert_id"):
        grouped[x.application].append(x)
    return dict(grouped)


def replay_draw(review_round) -> dict:
    """Run the stored draw again from the stored problem, seed and cap: the same draw comes
    out (``same``), which anyone can check with ``zhizao review draw`` on the snapshot."""
    if review_round.method != AssignmentMethod.DRAW or not review_round.snapshot:
        return {"replayable": False}
    problem = problem_from_data(review_round.snapshot)
    result = random_draw(problem, seed=review_round.seed, cap=review_round.cap)
    replayed = digest(result.assignments)
    stored = review_round.summary.get("digest")
    return {
        "replayable": True,
        "seed": review_round.seed,
        "cap": review_round.cap,
        "pool": len(review_round.pool),
        "stored": stored,
        "replayed": replayed,
        "same": replayed == stored,
        "total_affinity": str(result.total_affinity),
    }


def expert_loads(review_round) -> dict[int, int]:
    return dict(
        Assignment.objects.filter(round=review_round, state=AssignmentState.ACTIVE)
        .values_list("expert_id")
        .annotate(n=Count("id"))
        .values_list("expert_id", "n")
    )


def pool_experts():
    return Expert.objects.filter(is_active=True).select_related("membership__organization")


def declarable_rounds():
    """The rounds experts may still declare their availability in (before assignment ends)."""
    return ReviewRound.objects.filter(state__in=DECLARABLE_STATES).select_related("call")


def my_round_availability(expert, rounds) -> list[dict]:
    """Per round: the expert's declaration (None: not declared, counted as available)."""
    rows = {
        r.round_id: r
        for r in RoundExpert.objects.filter(expert=expert, round__in=[x.pk for x in rounds])
    }
    return [{"round": r, "declared": rows.get(r.pk)} for r in rounds]
