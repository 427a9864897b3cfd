"""Plain data of expert review: applications, experts, the assignment problem and its result,
review scores, rubric criteria and aggregation results. No Django (an import contract checks it).

Affinities are decimals with at most 4 places in 0..1; the engines scale them by 10⁴ to integers
so that every optimum is exact and every total is an exact ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

__all__ = [
    "AFFINITY_PLACES",
    "AggregateResult",
    "Application",
    "AssignmentProblem",
    "AssignmentResult",
    "Collaboration",
    "Criterion",
    "Exclusion",
    "Expert",
    "InfeasibleAssignment",
    "OutlierExpert",
    "PanelRule",
    "PastOrganisation",
    "ReviewScore",
]

AFFINITY_PLACES = 4
SCALE = 10**AFFINITY_PLACES
RULES = (
    "organisation",
    "past_organisation",
    "relation",
    "declared",
    "collaboration",
    "region",
    "named",
)


@dataclass(frozen=True)
class Application:
    id: str
    organisations: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    region: str = ""  # GB/T 2260 code
    industry: str = ""  # GB/T 4754 code
    category: str = ""
    text: str = ""
    named_exclusions: tuple[str, ...] = ()  # expert ids the applicant asks to exclude


@dataclass(frozen=True)
class PastOrganisation:
    uscc: str
    until: date


@dataclass(frozen=True)
class Collaboration:
    organisation: str  # uscc
    on: date
    kind: str = ""  # "joint_project", "introduction", ...


@dataclass(frozen=True)
class Expert:
    id: str
    organisation: str = ""
    past_organisations: tuple[PastOrganisation, ...] = ()
    relations: tuple[str, ...] = ()
    max_load: int | None = None
    min_load: int = 0
    region: str = ""
    attributes: frozenset[str] = frozenset()
    collaborations: tuple[Collaboration, ...] = ()


@dataclass(frozen=True)
class PanelRule:
    """A panel-composition rule for every application.

    * ``at_least_attribute``: at least ``count`` experts carrying ``attribute`` (e.g. "economic").
    * ``at_most_per_region``: at most ``count`` experts whose region code shares its first
      ``prefix_len`` digits (4: one city, 2: one province).
    """

    kind: str
    attribute: str = ""
    prefix_len: int = 0
    count: int = 1


@dataclass
class AssignmentProblem:
    call_date: date
    applications: list[Application] = field(default_factory=list)
    experts: list[Expert] = field(default_factory=list)
    reviewers_per_application: int = 3
    max_experts_per_organisation: int = 1
    conflict_years: int = 3
    affinity: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    conflicts: frozenset[tuple[str, str]] = frozenset()
    same_region_prefix: int | None = None
    max_named_exclusions: int = 3
    panel_rules: tuple[PanelRule, ...] = ()
    fixed: frozenset[tuple[str, str]] = frozenset()
    # Only the pairs listed in ``affinity`` are candidates (a sparse problem: the top affinities
    # per application). False (the contract of the command): every pair not excluded is a
    # candidate, missing affinities score 0.
    listed_pairs_only: bool = False
    # Bulk input for large problems (benchmarks, big rounds): instead of ``affinity``, a tuple of
    # three equal-length integer numpy arrays (application index, expert index, affinity × 10⁴).
    affinity_scaled: object = None


@dataclass(frozen=True)
class Exclusion:
    application: str
    expert: str
    rule: str
    reason: str  # Chinese words, e.g. "专家现任单位为申报单位"
    detail: dict = field(default_factory=dict)  # JSON-ready: dates as ISO strings
    reason_en: str = ""

    def as_json(self) -> dict:
        return {"application": self.application, "expert": self.expert, "rule": self.rule}


@dataclass
class AssignmentResult:
    total_affinity: Decimal
    assignments: dict[str, tuple[str, ...]]
    loads: dict[str, int]
    exclusions: list[Exclusion]
    # (application, expert) -> {"affinity": Decimal, "fixed": bool, "probability": Decimal|None}
    per_pair: dict[tuple[str, str], dict]
    method: str  # "optimal" | "draw"
    seed: int | None = None
    cap: Decimal | None = None
    worst_application_affinity: Decimal = Decimal(0)
    solver: str = "min_cost_flow"  # or "cp_sat" when panel rules need an integer programme
    # The draw only: (application, expert) -> probability of the pair (never above the cap).
    probabilities: dict[tuple[str, str], Decimal] = field(default_factory=dict)

    def application_affinity(self, application: str) -> Decimal:
        return sum(
            (self.per_pair[(application, e)]["affinity"] for e in self.assignments[application]),
            Decimal(0),
        )


class InfeasibleAssignment(Exception):
    """No assignment meets the constraints. ``problems`` names why, in Chinese;
    ``problems_en`` the same in English; ``codes`` holds (code, params) for each."""

    def __init__(self, problems: list[str], problems_en: list[str] | None = None, codes=None):
        self.problems = problems
        self.problems_en = problems_en or problems
        self.codes = codes or []
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Criterion:
    id: str
    weight: Decimal
    max: Decimal
    ranked: bool = True  # False: recorded, not in the total (weight must then be 0)


@dataclass(frozen=True)
class ReviewScore:
    application: str
    expert: str
    criteria: dict[str, Decimal]


@dataclass
class AggregateResult:
    application: str
    score: Decimal  # rounded half-up to 2 places
    raw_mean: Decimal  # mean of the review totals, rounded half-up to 2 places
    spread: Decimal  # max - min of the review totals (exact)
    rank: int
    reviews: int
    trimmed: bool
    divergent: bool
    dropped: list[tuple[str, Decimal]] = field(default_factory=list)
    offsets: dict[str, Decimal] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)
    explanation_en: list[str] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)  # expert -> review total (exact)
    method: str = "mean"

    def as_json(self) -> dict:
        return {
            "application": self.application,
            "score": str(self.score),
            "rank": self.rank,
            "reviews": self.reviews,
            "trimmed": self.trimmed,
            "divergent": self.divergent,
        }


@dataclass
class OutlierExpert:
    expert: str
    reason: str  # "same score for every application" | "mean far from the panel"
    figures: dict = field(default_factory=dict)
    explanation: str = ""
    explanation_en: str = ""
