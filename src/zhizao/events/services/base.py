"""What every events service shares: the audit call, text checks and the permission check."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhizao.common.audit import Actor
from zhizao.common.models import AuditAction
from zhizao.common.services import event_audit
from zhizao.common.validators import is_web_url

from ..errors import EventError
from ..models import Event

EVENT_ACTIONS = {
    "event_created": AuditAction.CREATE,
    "block_created": AuditAction.CREATE,
    "forum_created": AuditAction.CREATE,
    "session_created": AuditAction.CREATE,
    "speaker_created": AuditAction.CREATE,
    "registration_type_created": AuditAction.CREATE,
    "registered": AuditAction.CREATE,
    "hall_created": AuditAction.CREATE,
    "zone_created": AuditAction.CREATE,
    "booth_created": AuditAction.CREATE,
    "lead_collected": AuditAction.CREATE,
    "booth_visited": AuditAction.CREATE,
    "meeting_requested": AuditAction.CREATE,
    "procurement_need_posted": AuditAction.CREATE,
    "agenda_added": AuditAction.CREATE,
    "agenda_removed": AuditAction.DELETE,
    "attended": AuditAction.CREATE,
    "event_state": AuditAction.STATE,
    "registration_state": AuditAction.STATE,
    "checked_in": AuditAction.STATE,
    "meeting_state": AuditAction.STATE,
    "schedule_run": AuditAction.STATE,
    "schedule_published": AuditAction.STATE,
    "meeting_placed": AuditAction.STATE,
    "meeting_outcome": AuditAction.STATE,
    "event_updated": AuditAction.UPDATE,
    "session_updated": AuditAction.UPDATE,
    "registration_type_updated": AuditAction.UPDATE,
    "booth_updated": AuditAction.UPDATE,
    "lead_updated": AuditAction.UPDATE,
    "availability_updated": AuditAction.UPDATE,
    "visit_consent": AuditAction.UPDATE,
    "demo_loaded": AuditAction.UPDATE,
    "exported": AuditAction.EXPORT,
}

# What the audit log shows for each event instead of its code.
EVENT_LABELS = {
    "event_created": gettext_lazy("Event created"),
    "block_created": gettext_lazy("Programme block created"),
    "forum_created": gettext_lazy("Forum created"),
    "session_created": gettext_lazy("Session created"),
    "speaker_created": gettext_lazy("Speaker created"),
    "registration_type_created": gettext_lazy("Registration type created"),
    "registered": gettext_lazy("Registered for an event"),
    "hall_created": gettext_lazy("Hall created"),
    "zone_created": gettext_lazy("Zone created"),
    "booth_created": gettext_lazy("Booth created"),
    "lead_collected": gettext_lazy("Lead collected"),
    "booth_visited": gettext_lazy("Booth visited"),
    "meeting_requested": gettext_lazy("Meeting requested"),
    "procurement_need_posted": gettext_lazy("Procurement need posted"),
    "agenda_added": gettext_lazy("Session added to the agenda"),
    "agenda_removed": gettext_lazy("Session removed from the agenda"),
    "attended": gettext_lazy("Session attended"),
    "event_state": gettext_lazy("Event state changed"),
    "registration_state": gettext_lazy("Registration state changed"),
    "checked_in": gettext_lazy("Checked in"),
    "meeting_state": gettext_lazy("Meeting state changed"),
    "schedule_run": gettext_lazy("Meeting schedule drafted"),
    "schedule_published": gettext_lazy("Meeting schedule published"),
    "meeting_placed": gettext_lazy("Meeting placed"),
    "meeting_outcome": gettext_lazy("Meeting outcome recorded"),
    "event_updated": gettext_lazy("Event edited"),
    "session_updated": gettext_lazy("Session edited"),
    "registration_type_updated": gettext_lazy("Registration type edited"),
    "booth_updated": gettext_lazy("Booth edited"),
    "lead_updated": gettext_lazy("Lead edited"),
    "availability_updated": gettext_lazy("Meeting availability edited"),
    "visit_consent": gettext_lazy("Contact sharing at a booth changed"),
    "demo_loaded": gettext_lazy("Demo data loaded"),
    "exported": gettext_lazy("Table exported"),
}

audit = event_audit("events", EVENT_ACTIONS, EVENT_LABELS)


def touch_public(event_id: int) -> None:
    """The event's public pages changed: raise its ``public_version`` (the key of their cached
    fragments, ``events.public_cache``) in the caller's transaction."""
    Event.objects.filter(pk=event_id).update(public_version=F("public_version") + 1)


def user_of(actor: Actor):
    return actor.user if actor.user_id else None


def refuse(code: str, message: str, *, field: str | None = None) -> EventError:
    return EventError(code, message, field=field)


def not_allowed() -> EventError:
    return EventError("not_allowed", _("You may not do this."))


def text(value, *, field: str, label: str, required: bool = False, max_length: int = 0) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not value:
        raise EventError("required", _("%(field)s is required.") % {"field": label}, field=field)
    if max_length and len(value) > max_length:
        raise EventError(
            "too_long",
            _("%(field)s is longer than %(n)s characters.") % {"field": label, "n": max_length},
            field=field,
        )
    return value


def links(values, *, field: str) -> list[str]:
    """http(s) links, one per entry (a list, or text with one per line)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = values.splitlines()
    out: list[str] = []
    for value in values:
        value = str(value).strip()
        if not value or value in out:
            continue
        if not is_web_url(value) or len(value) > 500:
            raise EventError("bad_link", _("Give http(s) links only."), field=field)
        out.append(value)
    if len(out) > 20:
        raise EventError("too_many", _("Too many entries."), field=field)
    return out


def names(values, *, field: str, max_length: int = 100) -> list[str]:
    """Short entries (a list, or text with one per line)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = values.splitlines()
    out = [str(v).strip()[:max_length] for v in values if str(v).strip()]
    if len(out) > 50:
        raise EventError("too_many", _("Too many entries."), field=field)
    return out
