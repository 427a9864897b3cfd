"""The one way to write the audit trail. Services call ``record``; nothing else writes it.

Signals are deliberately not used: bulk writes (imports) and ``QuerySet.update`` would slip
past them. Every service that changes an audited object records the change itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditAction, AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who performs a write: the user, the organisation and role they act in, and from where."""

    user: Any = None
    organization_id: int | None = None
    organization_name: str = ""
    role: str = ""
    ip_address: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def label(self) -> str:
        if self.user is None:
            return "system"
        return getattr(self.user, "username", "") or "system"


SYSTEM = Actor()


def jsonable(value: Any) -> Any:
    """A value as it is stored in the ``changes`` JSON: plain, readable, comparable."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(jsonable(item) for item in value)
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    changes: dict[str, list[Any]] = {}
    for key in after:
        old, new = jsonable(before.get(key)), jsonable(after.get(key))
        if old != new:
            changes[key] = [old, new]
    return changes


def build_entry(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    content_type: ContentType | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    if obj is not None:
        content_type = content_type or ContentType.objects.get_for_model(
            obj, for_concrete_model=True
        )
        object_id = str(obj.pk)
        object_repr = object_repr if object_repr is not None else str(obj)[:300]
    return AuditEntry(
        actor=actor.user if actor.user_id else None,
        actor_name=actor.label,
        acting_organization_id=actor.organization_id,
        acting_organization_name=actor.organization_name[:200],
        acting_role=actor.role,
        action=action,
        content_type=content_type,
        object_id=object_id or "",
        object_repr=(object_repr or "")[:300],
        changes=dict(changes or {}),
        context={**dict(actor.extra), **dict(context or {})},
        ip_address=actor.ip_address,
    )


def record(actor: Actor, action: str, obj: models.Model | None = None, **kwargs: Any) -> AuditEntry:
    entry = build_entry(actor, action, obj, **kwargs)
    entry.save()
    return entry


AUDIT_FIELDS = (
    "created_at",
    "actor",
    "actor_name",
    "acting_organization_id",
    "acting_organization_name",
    "acting_role",
    "action",
    "content_type",
    "object_id",
    "object_repr",
    "changes",
    "context",
    "ip_address",
)


def entry_row(
    actor: Actor,
    action: str,
    *,
    created_at,
    content_type_id: int | None,
    object_id: str,
    object_repr: str,
    changes: Mapping[str, Any],
    context: Mapping[str, Any],
) -> tuple:
    """One audit entry as a row for ``insert_entry_rows`` (bulk writes)."""
    from .bulk import prepare_json

    return (
        created_at,
        actor.user_id,
        actor.label,
        actor.organization_id,
        actor.organization_name[:200],
        actor.role,
        action,
        content_type_id,
        object_id,
        object_repr[:300],
        prepare_json(AuditEntry, "changes", dict(changes)),
        prepare_json(AuditEntry, "context", {**dict(actor.extra), **dict(context)}),
        actor.ip_address,
    )


def insert_entry_rows(rows: Iterable[tuple]) -> int:
    from .bulk import insert_rows

    return insert_rows(AuditEntry, AUDIT_FIELDS, rows)


__all__ = [
    "SYSTEM",
    "Actor",
    "AuditAction",
    "build_entry",
    "diff",
    "entry_row",
    "insert_entry_rows",
    "record",
]
