"""Writes for expert review. Each function checks who acts and its business rules, writes in
one transaction and records an audit entry; pages, the API, tasks and commands call these."""

from .assignment import (
    add_assignment,
    compute_assignment,
    declare_conflict,
    remove_assignment,
    run_assignment,
)
from .bids import biddable_applications, place_bid
from .experts import (
    add_past_organisation,
    add_relation,
    appraise_expert,
    create_expert,
    remove_past_organisation,
    remove_relation,
    set_availability,
    set_expert_active,
    update_expert,
)
from .imports import import_experts, plan_import
from .notifications import send_reminders
from .ranking import propose_ranking, rank_round
from .reviews import record_panel_decision, save_review
from .rounds import close_round, create_round, open_round, reopen_round, set_round_state

__all__ = [
    "add_assignment",
    "add_past_organisation",
    "add_relation",
    "appraise_expert",
    "biddable_applications",
    "close_round",
    "compute_assignment",
    "create_expert",
    "create_round",
    "declare_conflict",
    "import_experts",
    "open_round",
    "place_bid",
    "plan_import",
    "propose_ranking",
    "rank_round",
    "record_panel_decision",
    "remove_assignment",
    "remove_past_organisation",
    "remove_relation",
    "reopen_round",
    "run_assignment",
    "save_review",
    "send_reminders",
    "set_availability",
    "set_expert_active",
    "set_round_state",
    "update_expert",
]
