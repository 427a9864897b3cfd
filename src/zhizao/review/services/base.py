"""What every review service shares: the audit call, the permission checks on the acting
actor, and small input parsers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhizao.accounts.enums import Role
from zhizao.calls.access import can_manage_call
from zhizao.common.audit import Actor
from zhizao.common.models import AuditAction
from zhizao.common.services import event_audit

from ..errors import ReviewError
from ..models import Expert

EVENT_ACTIONS = {
    "expert_created": AuditAction.CREATE,
    "relation_added": AuditAction.CREATE,
    "past_organisation_added": AuditAction.CREATE,
    "round_created": AuditAction.CREATE,
    "assignment_run": AuditAction.CREATE,
    "assignment_added": AuditAction.CREATE,
    "bid": AuditAction.UPDATE,
    "assignment_removed": AuditAction.STATE,
    "recusal": AuditAction.STATE,
    "review_submitted": AuditAction.STATE,
    "round_state": AuditAction.STATE,
    "ranking_created": AuditAction.CREATE,
    "list_proposed": AuditAction.STATE,
    "relation_removed": AuditAction.DELETE,
    "past_organisation_removed": AuditAction.DELETE,
    # plain updates, named so that the vocabulary is complete
    "appraisal": AuditAction.UPDATE,
    "assignment_stored": AuditAction.UPDATE,
    "availability": AuditAction.UPDATE,
    "expert_state": AuditAction.UPDATE,
    "expert_updated": AuditAction.UPDATE,
    "panel_decision": AuditAction.UPDATE,
}

# What the audit log shows for each event instead of its code.
EVENT_LABELS = {
    "expert_created": gettext_lazy("Expert added"),
    "relation_added": gettext_lazy("Expert's conflict of interest recorded"),
    "past_organisation_added": gettext_lazy("Expert's former employer added"),
    "round_created": gettext_lazy("Review round created"),
    "assignment_run": gettext_lazy("Reviewers assigned automatically"),
    "assignment_added": gettext_lazy("Reviewer assigned"),
    "bid": gettext_lazy("Expert's reading preference recorded"),
    "assignment_removed": gettext_lazy("Reviewer assignment withdrawn"),
    "recusal": gettext_lazy("Expert recused"),
    "review_submitted": gettext_lazy("Review submitted"),
    "round_state": gettext_lazy("Review round state changed"),
    "ranking_created": gettext_lazy("Ranking drawn up"),
    "list_proposed": gettext_lazy("Proposed list put forward"),
    "relation_removed": gettext_lazy("Expert's conflict of interest removed"),
    "past_organisation_removed": gettext_lazy("Expert's former employer removed"),
    "appraisal": gettext_lazy("Expert appraised"),
    "assignment_stored": gettext_lazy("Reviewer assignments saved"),
    "availability": gettext_lazy("Expert availability changed"),
    "expert_state": gettext_lazy("Expert state changed"),
    "expert_updated": gettext_lazy("Expert edited"),
    "panel_decision": gettext_lazy("Panel decision recorded"),
}

audit = event_audit("review", EVENT_ACTIONS, EVENT_LABELS)


def require_operator(actor: Actor) -> None:
    if actor.role != Role.OPERATOR:
        raise ReviewError("not_operator", _("Only operators manage the expert pool."))


def is_office(actor: Actor, call) -> bool:
    """The selection office of the call (``calls.access.can_manage_call``: an operator, or a
    member of the host organisation acting as officer, operator or society)."""
    return can_manage_call(actor, call)


def require_office(actor: Actor, call) -> None:
    if not is_office(actor, call):
        raise ReviewError("not_office", _("Only the selection office of this call may do this."))


def expert_of(actor: Actor) -> Expert | None:
    """The expert profile the actor acts as (an expert membership), or None."""
    if actor.role != Role.EXPERT or actor.user_id is None:
        return None
    return (
        Expert.objects.select_related("membership")
        .filter(
            membership__user_id=actor.user_id,
            membership__organization_id=actor.organization_id,
            membership__is_active=True,
            is_active=True,
        )
        .first()
    )


def decimal_value(value, *, field: str, label: str, places: int = 2) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ReviewError(
            "not_a_number", _("%(field)s must be a number.") % {"field": label}, field=field
        ) from None
    if not number.is_finite():
        raise ReviewError(
            "not_a_number", _("%(field)s must be a number.") % {"field": label}, field=field
        )
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ReviewError(
            "too_many_places",
            _("%(field)s has more than %(n)s decimal places.") % {"field": label, "n": places},
            field=field,
        )
    return number
