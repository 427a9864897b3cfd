"""What every app's services share: the audit call with an event name, and the model update
(diff, save the changed fields, audit) that every ``update_*`` service does.

Each app keeps its own vocabulary — which events are creations, state changes, deletions — in
its ``services`` (``EVENT_ACTIONS``) and gets its audit function from ``event_audit``:

    audit = event_audit("policies", EVENT_ACTIONS)
    audit(actor, "policy_created", policy, changes=...)

Every event an app's services pass to ``audit`` (and every ``event=`` of ``update_fields``)
is named in its ``EVENT_ACTIONS`` (``tests/common/test_audit_vocabulary.py`` reads the sources);
each event has a label (``event_audit(app, actions, labels)``), which the audit log and its
export show instead of the code (``event_label``).

``update_fields`` is the body of an update service once the object is locked and the input is
checked:

    changes = update_fields(actor, locked, values, fields=ITEM_FIELDS, event="policies.item_updated")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from .audit import Actor, diff, record
from .models import AuditAction, AuditEntry

Audit = Callable[..., AuditEntry]


def audit_event(
    actor: Actor,
    event: str,
    obj: models.Model | None = None,
    *,
    action: str = AuditAction.UPDATE,
    context: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> AuditEntry:
    """An audit entry with the generic ``action`` (created, updated, state changed, …) and the
    precise ``event`` ("<app>.<event>") in its context."""
    return record(actor, action, obj, context={"event": event, **dict(context or {})}, **kwargs)


# Every app's vocabulary, registered by ``event_audit``: {app: actions} and {"app.event": label}.
_VOCABULARIES: dict[str, Mapping[str, str]] = {}
_LABELS: dict[str, Any] = {}


def event_audit(
    app: str, actions: Mapping[str, str], labels: Mapping[str, Any] | None = None
) -> Audit:
    """The audit function of an app: ``audit(actor, event, obj=None, **kwargs)``; the action
    of an event comes from ``actions`` (an update when the event is not listed). ``labels``
    (lazy translations) name the events in the audit log."""
    _VOCABULARIES[app] = actions
    for event, label in (labels or {}).items():
        _LABELS[f"{app}.{event}"] = label

    def audit(actor: Actor, event: str, obj: models.Model | None = None, **kwargs: Any):
        return audit_event(
            actor,
            f"{app}.{event}",
            obj,
            action=actions.get(event, AuditAction.UPDATE),
            **kwargs,
        )

    audit.__doc__ = f"An audit entry for a {app} write: the generic action and the event."
    return audit


def vocabulary(app: str) -> Mapping[str, str]:
    """The events of ``app`` and their generic actions (empty: the app registered none)."""
    return _VOCABULARIES.get(app, {})


def event_label(code: str) -> str:
    """What the audit log shows for the event ``"<app>.<event>"``: its label, or the code."""
    label = _LABELS.get(code)
    return str(label) if label is not None else code


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` of ``obj``."""
    return {name: getattr(obj, name) for name in fields}


def _plain(value: Any) -> Any:
    # 0.0345 and 0.034500 (as read back from a DecimalField) are the same amount.
    return value.normalize() if isinstance(value, Decimal) else value


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` of the fields that changed, amounts compared by value."""
    return diff({k: _plain(v) for k, v in before.items()}, {k: _plain(v) for k, v in after.items()})


def _auto_now_fields(obj: models.Model) -> list[str]:
    return [
        f.name
        for f in obj._meta.concrete_fields
        if getattr(f, "auto_now", False) and not getattr(f, "primary_key", False)
    ]


def update_fields(
    actor: Actor,
    obj: models.Model,
    data: Mapping[str, Any],
    *,
    fields: Iterable[str],
    action: str = AuditAction.UPDATE,
    event: str = "",
    context: Mapping[str, Any] | None = None,
    prepare: Callable[[models.Model], None] | None = None,
    also_save: Iterable[str] = (),
    audit_object: models.Model | None = None,
    change_prefix: str = "",
) -> dict[str, list[Any]]:
    """Set the ``fields`` given in ``data`` on ``obj``; when any changed, save the changed
    ones (with ``also_save`` and the ``auto_now`` fields) and record ONE audit entry of the
    changes. Returns the changes (``{}``: nothing saved, nothing recorded).

    ``prepare(obj)`` runs after the assignment and before the comparison: derived fields,
    ``full_clean``, checks that need the new values (raise to refuse; nothing is saved).
    ``audit_object`` records the entry on another object (a version's changes on its item);
    ``change_prefix`` prefixes the change keys (``"v3."``). Call inside the service's
    transaction, on a locked row."""
    fields = tuple(fields)
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValueError(f"not fields of {type(obj).__name__}: {unknown}")
    before = snapshot(obj, fields)
    for name, value in data.items():
        setattr(obj, name, value)
    if prepare is not None:
        prepare(obj)
    changes = changes_between(before, snapshot(obj, fields))
    if not changes:
        return {}
    columns = dict.fromkeys([*changes, *also_save, *_auto_now_fields(obj)])
    obj.save(update_fields=list(columns))
    if event:
        entry_context = {"event": event, **dict(context or {})}
    else:
        entry_context = dict(context or {})
    record(
        actor,
        action,
        audit_object if audit_object is not None else obj,
        changes={f"{change_prefix}{k}": v for k, v in changes.items()},
        context=entry_context,
    )
    return changes


__all__ = [
    "audit_event",
    "changes_between",
    "event_audit",
    "event_label",
    "snapshot",
    "update_fields",
    "vocabulary",
]


def record_export(
    actor: Actor,
    *,
    list_name: str,
    title: str,
    fmt: str,
    rows: int,
    filters: Mapping[str, Any],
) -> AuditEntry:
    """The audit entry of a list export that carries personal data (``common/lists.py``):
    which list, in which format, how many rows, with which filters."""
    return record(
        actor,
        AuditAction.EXPORT,
        None,
        object_repr=title,
        context={"list": list_name, "format": fmt, "rows": rows, "filters": dict(filters)},
    )
