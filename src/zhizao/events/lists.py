"""The events lists as ``common/lists.py`` specs: the events (signed in and public), an
event's registrations and an exhibitor's leads at its booth — what can be searched, filtered,
sorted and exported on each."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.lists import Choice, Column, DateRange, ListSpec, Sort, state_filter

from .enums import EventState, ParticipantKind, RegistrationState


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _dates(event) -> str:
    return f"{event.starts_on.isoformat()} — {event.ends_on.isoformat()}"


_EVENT_SORTS = (
    Sort("starts", _("Dates"), ("starts_on", "ends_on")),
    Sort("host", _("Host"), ("host__name_sort",)),
)

EVENTS = ListSpec(
    name="events-events",
    title=_("Events and expo"),
    search=("title", "venue", "host_units", "host__name"),
    search_placeholder=_("Title, venue or host"),
    filters=(
        state_filter(EventState.choices),
        DateRange("starts", _("Starts on"), "starts_on", datetime=False),
    ),
    sorts=_EVENT_SORTS,
    default_sort="-starts",
    columns=(
        Column(_("Event"), lambda e: e.title),
        Column(_("Dates"), _dates),
        Column(_("Venue"), lambda e: e.venue),
        Column(_("Host"), lambda e: e.host.name),
        Column(_("State"), lambda e: e.get_state_display()),
    ),
)

PUBLIC_EVENTS = ListSpec(
    name="events-public",
    title=_("Events"),
    search=("title", "venue", "host_units", "host__name"),
    search_placeholder=_("Title, venue or host"),
    filters=(DateRange("starts", _("Starts on"), "starts_on", datetime=False),),
    sorts=_EVENT_SORTS,
    default_sort="-starts",
    columns=(
        Column(_("Event"), lambda e: e.title),
        Column(_("Dates"), _dates),
        Column(_("Venue"), lambda e: e.venue),
        Column(_("Host units"), lambda e: e.host_units or e.host.name),
    ),
)

_CHECKED_IN = (("yes", _("Checked in")), ("no", _("Not checked in")))

REGISTRATIONS = ListSpec(
    name="events-registrations",
    title=_("Registrations"),
    # The badge code is what a scanner reads: the organiser may look a badge up by it.
    search=("name", "organization__name", "badge_code"),
    search_placeholder=_("Name, organisation or badge code"),
    filters=(
        state_filter(RegistrationState.choices),
        Choice(
            "kind",
            _("Participant type"),
            "type__kind",
            ParticipantKind.choices,
            all_label=_("All participant types"),
        ),
        Choice(
            "checked",
            _("Check-in"),
            "checked_in_at",
            _CHECKED_IN,
            lookup=lambda v: Q(checked_in_at__isnull=v != "yes"),
        ),
        DateRange("registered", _("Registered at"), "created_at"),
    ),
    sorts=(
        Sort("registered", _("Registered at"), ("created_at",)),
        Sort("organization", _("Organisation"), ("organization__name_sort",)),
        Sort("checked", _("Checked in"), ("checked_in_at",)),
    ),
    default_sort="-registered",
    columns=(
        Column(pgettext_lazy("person", "Name"), lambda r: r.name),
        Column(_("Organisation"), lambda r: r.organization.name),
        Column(_("Participant type"), lambda r: r.type.get_kind_display()),
        Column(_("State"), lambda r: r.get_state_display()),
        Column(_("Registered at"), lambda r: _when(r.created_at)),
        Column(_("Checked in"), lambda r: _when(r.checked_in_at)),
    ),
    # Names of people: every export is audit-logged. Phones and e-mails are not exported.
    personal_data=True,
)


_RATINGS = [(str(n), str(n)) for n in range(5, 0, -1)]
_CONTACT = (("shared", _("Contact shared")), ("withheld", _("Contact not shared")))


def _contact(lead, field: str) -> str:
    """The visitor's phone or e-mail, only when he consented to this exhibitor (the queryset
    is ``access.leads_with_contact_for``)."""
    return getattr(lead.registration, field) if lead.contact_shared else ""


LEADS = ListSpec(
    name="events-leads",
    title=_("Leads"),
    search=("registration__name", "registration__organization__name", "note"),
    search_placeholder=_("Visitor, organisation or note"),
    filters=(
        Choice("rating", _("Rating"), "rating", _RATINGS, all_label=_("All ratings")),
        DateRange("day", _("Collected"), "created_at"),
        Choice(
            "contact",
            _("Contact details"),
            "contact_shared",
            _CONTACT,
            all_label=_("With or without contact"),
            lookup=lambda v: Q(contact_shared=v == "shared"),
        ),
    ),
    sorts=(
        Sort("collected", _("Collected"), ("created_at",)),
        Sort("rating", _("Rating"), ("rating", "created_at")),
        Sort("name", pgettext_lazy("person", "Name"), ("registration__name",)),
    ),
    default_sort="-collected",
    columns=(
        Column(_("Collected"), lambda lead: _when(lead.created_at)),
        Column(pgettext_lazy("person", "Name"), lambda lead: lead.registration.name),
        Column(_("Organisation"), lambda lead: lead.registration.organization.name),
        Column(_("Rating"), lambda lead: lead.rating),
        Column(_("Note"), lambda lead: lead.note),
        Column(_("Phone"), lambda lead: _contact(lead, "phone")),
        Column(_("E-mail"), lambda lead: _contact(lead, "email")),
    ),
    # Names of people and, with their consent, their contacts: every export is audit-logged.
    personal_data=True,
)
