"""What every calls service shares: the audit call, the actor's membership-like view,
text checks and notifications."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.common.models import AuditAction
from zhizao.common.services import event_audit

from ..errors import CallError

EVENT_ACTIONS = {
    "call_created": AuditAction.CREATE,
    "call_state": AuditAction.STATE,
    "application_created": AuditAction.CREATE,
    "application_state": AuditAction.STATE,
    "file_added": AuditAction.CREATE,
    "file_removed": AuditAction.DELETE,
    "publicity_opened": AuditAction.CREATE,
    "publicity_closed": AuditAction.STATE,
    "objection_filed": AuditAction.CREATE,
    "objection_answered": AuditAction.STATE,
    "catalogue_published": AuditAction.CREATE,
    "calendar_day_set": AuditAction.UPDATE,
    "calendar_day_removed": AuditAction.DELETE,
}

audit = event_audit("calls", EVENT_ACTIONS)


def is_system(actor: Actor) -> bool:
    """The platform itself (a task, a command, the demo): no user and no role."""
    return actor.user_id is None and not actor.role


def text(value, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise CallError("required", _("%(label)s is required.") % {"label": label}, field=field)
    if len(value) > max_length:
        raise CallError(
            "too_long",
            _("%(label)s has at most %(n)d characters.") % {"label": label, "n": max_length},
            field=field,
        )
    return value


def application_link(application) -> str:
    return reverse("calls:application_detail", args=[application.pk])
