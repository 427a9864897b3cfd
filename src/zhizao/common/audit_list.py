"""The audit log page as a ``common/lists.py`` spec. The log holds names and addresses of
people: its export is itself audit-logged."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lists import Choice, Column, DateRange, Exact, ListSpec, Sort
from .models import AuditAction, AuditEntry
from .services import event_label


def _type_choices() -> list[tuple[str, str]]:
    """The object types that occur in the log (one query)."""
    types = ContentType.objects.filter(
        pk__in=AuditEntry.objects.values("content_type").distinct()
    ).order_by("app_label", "model")
    return [(f"{t.app_label}.{t.model}", str(t.name)) for t in types]


def _of_type(value: str) -> Q:
    app_label, _sep, model = value.partition(".")
    return Q(content_type__app_label=app_label, content_type__model=model)


def _plain(value) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def _changes(entry) -> str:
    if entry.changes:
        return "；".join(
            f"{field}: {_plain(pair[0]) or '—'} → {_plain(pair[1]) or '—'}"
            for field, pair in entry.changes.items()
        )
    return "；".join(
        event_label(str(v)) if k == "event" else f"{k}: {_plain(v)}"
        for k, v in (entry.context or {}).items()
    )


AUDIT_LOG = ListSpec(
    name="audit-log",
    title=_("Audit log"),
    search=("actor_name", "acting_organization_name", "object_repr"),
    search_placeholder=_("User, organisation or object"),
    filters=(
        Choice("action", _("Action"), "action", AuditAction.choices, all_label=_("All actions")),
        Choice(
            "type", _("Object type"), "", _type_choices, all_label=_("All types"), lookup=_of_type
        ),
        Exact("user", _("User name"), "actor_name"),
        DateRange("time", _("Time"), "created_at"),
    ),
    sorts=(Sort("time", _("Time"), ("created_at",)),),
    default_sort="-time",
    columns=(
        Column(_("Time"), lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S")),
        Column(_("User"), lambda e: e.actor_name),
        Column(_("IP address"), lambda e: e.ip_address or ""),
        Column(_("Organisation"), lambda e: e.acting_organization_name),
        Column(_("Action"), lambda e: e.get_action_display()),
        Column(_("Object type"), lambda e: str(e.content_type.name) if e.content_type else ""),
        Column(_("Object"), lambda e: e.object_repr),
        Column(_("Changes"), _changes),
    ),
    page_size=50,
    personal_data=True,
)
