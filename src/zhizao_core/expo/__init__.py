"""1:1 meeting scheduling for expos (云上洽谈) in the pure core: accepted meeting requests into
time slots and tables, exact, with a reason and a remedy for every request left out. No Django
here (an import contract checks it). Format and model: docs/expo.md.

    problem = parse_problem(json_data)            # or build the dataclasses directly
    result = schedule(problem, time_limit=None)   # batch: max total priority, then fewest gaps
    result = place_incremental(problem, published, "R42")      # never moves a published one
    result, moves = reoptimise(problem, published, unpublished) # moves only unpublished ones
    to_json(result)
"""

from .formats import parse_problem, to_json
from .model import (
    REASONS,
    Interval,
    MeetingRequest,
    Participant,
    Placement,
    ScheduleError,
    ScheduleProblem,
    ScheduleResult,
    Slot,
    Unplaced,
)
from .solve import (
    DEFAULT_SOLVER,
    SOLVERS,
    Instance,
    greedy,
    place_incremental,
    reoptimise,
    schedule,
)

__all__ = [
    "DEFAULT_SOLVER",
    "REASONS",
    "SOLVERS",
    "Instance",
    "Interval",
    "MeetingRequest",
    "Participant",
    "Placement",
    "ScheduleError",
    "ScheduleProblem",
    "ScheduleResult",
    "Slot",
    "Unplaced",
    "greedy",
    "parse_problem",
    "place_incremental",
    "reoptimise",
    "schedule",
    "to_json",
]
