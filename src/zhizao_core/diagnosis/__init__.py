"""Maturity diagnosis on plain data: models, exact scoring, the gap roadmap, peer benchmarks
and campaign allocation. No Django here (an import contract checks it)."""

from .model import ENTERPRISE_TYPES, Model, ModelError, Problem, Requirement, parse_model
from .peers import MIN_GROUP, PeerGroup, peer_group, percentile_of
from .roadmap import GapItem, LevelGap, roadmap
from .scoring import (
    ANSWER_CHOICES,
    NA,
    Result,
    answer_code,
    normalize_answer,
    parse_answers,
    percent,
    round_half_up,
    score,
    score_file,
)

__all__ = [
    "ANSWER_CHOICES",
    "ENTERPRISE_TYPES",
    "MIN_GROUP",
    "NA",
    "GapItem",
    "LevelGap",
    "Model",
    "ModelError",
    "PeerGroup",
    "Problem",
    "Requirement",
    "Result",
    "answer_code",
    "normalize_answer",
    "parse_answers",
    "parse_model",
    "peer_group",
    "percent",
    "percentile_of",
    "roadmap",
    "round_half_up",
    "score",
    "score_file",
]
