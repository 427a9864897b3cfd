"""Matchmaking background tasks: thin, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import coalesced, retries_transient_errors, retry_safe, runs_alone

from . import index
from .services import (
    compute_supply_gaps,
    expire_introductions,
    suggest_matches_for_demand,
    suggest_matches_for_offering,
)


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def expire_introductions_task() -> int:
    """Requests unanswered for 14 days expire, with a notice to both sides (hourly)."""
    return expire_introductions()


@retry_safe(max_attempts=3)
@task
def compute_supply_gaps_task() -> int:
    """The supply gaps, ranked in the background and stored for the page (hourly, and when an
    operator asks). Returns the number of demands without a good match."""
    return compute_supply_gaps().demand_count


@retry_safe(max_attempts=3)
@task
def suggest_matches_for_demand_task(demand_id: int) -> int:
    """A demand was published: tell the providers of its best matches (a few, capped a day)."""
    return suggest_matches_for_demand(demand_id)


@retry_safe(max_attempts=3)
@task
def suggest_matches_for_offering_task(offering_id: int) -> int:
    """An offering was published: tell the enterprises whose open demands it fits."""
    return suggest_matches_for_offering(offering_id)


@retry_safe(max_attempts=3)
@coalesced
@task
@runs_alone
def refresh_match_snapshot_task() -> dict | None:
    """The ranking index snapshot the web processes map: built at the first run, then the
    rows changed since it applied and saved again (every two minutes; nothing written when nothing
    changed). Safe to run twice: each run saves a complete snapshot and then points to it. So
    one waiting run is enough (``coalesced``: the schedule and the web processes that find no
    snapshot enqueue it only when none waits), and a run that starts while another is in
    progress returns None at once (``runs_alone``: the first build embeds every listing, minutes
    of CPU; the periodic run after it brings in what it missed)."""
    return index.build_snapshot()
