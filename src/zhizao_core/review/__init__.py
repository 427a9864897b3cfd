"""Expert review in the pure core: 回避 rules with reasons, the exact optimal assignment
(min-cost flow; CP-SAT with panel rules), the replayable random draw with a per-pair probability
cap, manual-change checks, exact-decimal aggregation (mean, median, trimmed mean, z-score) with
explanations and outlier flags, the proposed list with quotas, the working-day calendar and the
expertise affinity. No Django (an import contract checks it). Formats: docs/review.md.
"""

from zhizao_core.review.affinity import ExpertProfile, affinity_score
from zhizao_core.review.aggregate import METHODS, aggregate, outlier_experts
from zhizao_core.review.assign import solve_assignment
from zhizao_core.review.check import check_assignment
from zhizao_core.review.draw import random_draw
from zhizao_core.review.model import (
    AggregateResult,
    Application,
    AssignmentProblem,
    AssignmentResult,
    Collaboration,
    Criterion,
    Exclusion,
    Expert,
    InfeasibleAssignment,
    OutlierExpert,
    PanelRule,
    PastOrganisation,
    ReviewScore,
)
from zhizao_core.review.problems import InputError, Problem
from zhizao_core.review.ranking import Proposal, propose_list
from zhizao_core.review.rules import exclusions, honoured_named_exclusions, window_start
from zhizao_core.review.workdays import WorkCalendar

__all__ = [
    "METHODS",
    "AggregateResult",
    "Application",
    "AssignmentProblem",
    "AssignmentResult",
    "Collaboration",
    "Criterion",
    "Exclusion",
    "Expert",
    "ExpertProfile",
    "InfeasibleAssignment",
    "InputError",
    "OutlierExpert",
    "PanelRule",
    "PastOrganisation",
    "Problem",
    "Proposal",
    "ReviewScore",
    "WorkCalendar",
    "affinity_score",
    "aggregate",
    "check_assignment",
    "exclusions",
    "honoured_named_exclusions",
    "outlier_experts",
    "propose_list",
    "random_draw",
    "solve_assignment",
    "window_start",
]
