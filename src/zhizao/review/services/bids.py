"""Bidding (where the call allows it): an expert says how much it wants to review each
application of a round it is not excluded from (回避); the bid moves the pair's fit."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao_core.review import exclusions

from ..adapters import build_problem
from ..enums import DECLARABLE_STATES, BidInterest
from ..errors import ReviewError
from ..models import Bid
from .base import audit, expert_of


def biddable_applications(review_round, expert) -> list:
    """The round's applications the expert may bid on: the call allows bidding, the round is
    still prepared, the expert is available in it, and no 回避 rule excludes the pair."""
    if not review_round.call.allow_bidding or review_round.state not in DECLARABLE_STATES:
        return []
    problem, applications, experts, _parts = build_problem(review_round, expert_id=expert.pk)
    if str(expert.pk) not in experts:
        return []
    excluded = {x.application for x in exclusions(problem)}
    return [a for key, a in applications.items() if key not in excluded]


def place_bid(actor: Actor, review_round, application, *, interest: str) -> Bid:
    """The acting expert's bid on one application (replaces its earlier bid)."""
    expert = expert_of(actor)
    if expert is None:
        raise ReviewError("not_expert", _("Only an expert of the pool bids."))
    if not review_round.call.allow_bidding:
        raise ReviewError("no_bidding", _("This call does not take bids."))
    if review_round.state not in DECLARABLE_STATES:
        raise ReviewError(
            "round_started",
            _("This round has been handed to the experts; ask the selection office."),
        )
    if interest not in BidInterest.values:
        raise ReviewError(
            "bad_interest", _("Choose how much you want to review it."), field="interest"
        )
    if application.pk not in {a.pk for a in biddable_applications(review_round, expert)}:
        raise ReviewError("not_biddable", _("You cannot bid on this application."))
    with transaction.atomic():
        bid = (
            Bid.objects.select_for_update()
            .filter(round=review_round, application=application, expert=expert)
            .first()
        )
        old = bid.interest if bid else None
        if bid is None:
            bid = Bid.objects.create(
                round=review_round, application=application, expert=expert, interest=interest
            )
        elif old != interest:
            bid.interest = interest
            bid.save(update_fields=["interest", "updated_at"])
        if old != interest:
            audit(
                actor,
                "bid",
                expert,
                changes={f"bid {application.pk}": [old, interest]},
                context={"round": review_round.pk, "application": application.pk},
            )
    return bid
