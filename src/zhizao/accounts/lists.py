"""The operators' user list as a ``common/lists.py`` spec. Its export carries personal data
(names, e-mail addresses): it is audit-logged."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from zhizao.common.lists import Choice, Column, DateRange, ListSpec, Sort

from .enums import Role
from .models import Membership

STATUSES = [
    ("active", _("Active")),
    ("locked", _("Locked")),
    ("deactivated", _("Deactivated")),
]


def _has_role(role: str) -> Q:
    return Q(pk__in=Membership.objects.filter(role=role, is_active=True).values("user_id"))


def _status(value: str) -> Q:
    now = timezone.now()
    if value == "deactivated":
        return Q(is_active=False)
    if value == "locked":
        return Q(is_active=True, locked_until__gt=now)
    return Q(is_active=True) & (Q(locked_until__isnull=True) | Q(locked_until__lte=now))


def _status_label(user) -> str:
    if not user.is_active:
        return gettext_now("Deactivated")
    if user.locked_until and user.locked_until > timezone.now():
        return gettext_now("Locked")
    return gettext_now("Active")


def _memberships(user) -> list[str]:
    return [
        f"{m.organization.name} · {m.get_role_display()}"
        + ("" if m.is_active else f" ({gettext_now('inactive')})")
        for m in user.memberships.all()
    ]


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


USERS = ListSpec(
    name="users",
    title=_("Users"),
    search=("username", "display_name", "first_name", "last_name", "email"),
    search_placeholder=_("User name or name"),
    filters=(
        Choice("role", _("Role"), "", Role.choices, all_label=_("All roles"), lookup=_has_role),
        Choice("status", _("Status"), "", STATUSES, all_label=_("All states"), lookup=_status),
        DateRange("joined", _("Created"), "date_joined"),
    ),
    sorts=(
        Sort("username", _("User name"), ("username",)),
        Sort("joined", _("Created"), ("date_joined",)),
        Sort("login", _("Last login"), ("last_login",)),
    ),
    default_sort="username",
    columns=(
        Column(_("User name"), lambda u: u.username),
        Column(_("Full name"), lambda u: u.display_name),
        Column(_("E-mail"), lambda u: u.email),
        Column(_("Organisations and roles"), _memberships),
        Column(_("Status"), _status_label),
        Column(
            _("Two-factor login"),
            lambda u: gettext_now("On") if u.totp_enabled else gettext_now("Off"),
        ),
        Column(_("Last login"), lambda u: _when(u.last_login)),
    ),
    personal_data=True,
)
