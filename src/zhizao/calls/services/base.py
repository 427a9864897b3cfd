"""What every calls service shares: the audit call, the actor's membership-like view,
text checks and notifications."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhizao.accounts.models import Membership
from zhizao.common.audit import Actor
from zhizao.common.models import AuditAction
from zhizao.common.notifications import notify
from zhizao.common.services import event_audit

from ..errors import CallError

EVENT_ACTIONS = {
    "call_created": AuditAction.CREATE,
    "call_state": AuditAction.STATE,
    "bands_set": AuditAction.UPDATE,
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
    "named_exclusions_set": AuditAction.UPDATE,
    "objection_taken": AuditAction.UPDATE,
    "identity_verified": AuditAction.CREATE,
    "identity_unverified": AuditAction.DELETE,
    # plain updates, named so that the vocabulary is complete
    "answer_saved": AuditAction.UPDATE,
    "application_updated": AuditAction.UPDATE,
    "call_updated": AuditAction.UPDATE,
    "category_saved": AuditAction.UPDATE,
    "checklist_set": AuditAction.UPDATE,
    "eligibility_set": AuditAction.UPDATE,
    "field_removed": AuditAction.UPDATE,
    "field_saved": AuditAction.UPDATE,
    "nominees_ranked": AuditAction.UPDATE,
    "quota_set": AuditAction.UPDATE,
    "rubric_set": AuditAction.UPDATE,
    "stages_set": AuditAction.UPDATE,
}

# What the audit log shows for each event instead of its code.
EVENT_LABELS = {
    "call_created": gettext_lazy("Call created"),
    "call_state": gettext_lazy("Call state changed"),
    "bands_set": gettext_lazy("Score bands set"),
    "application_created": gettext_lazy("Application started"),
    "application_state": gettext_lazy("Application state changed"),
    "file_added": gettext_lazy("Application file added"),
    "file_removed": gettext_lazy("Application file removed"),
    "publicity_opened": gettext_lazy("Public notice opened"),
    "publicity_closed": gettext_lazy("Public notice closed"),
    "objection_filed": gettext_lazy("Objection filed"),
    "objection_answered": gettext_lazy("Objection answered"),
    "catalogue_published": gettext_lazy("Catalogue published"),
    "calendar_day_set": gettext_lazy("Working calendar day set"),
    "calendar_day_removed": gettext_lazy("Working calendar day removed"),
    "named_exclusions_set": gettext_lazy("Named exclusions set"),
    "objection_taken": gettext_lazy("Objection taken up"),
    "identity_verified": gettext_lazy("Identity verified"),
    "identity_unverified": gettext_lazy("Identity verification withdrawn"),
    "answer_saved": gettext_lazy("Application answer saved"),
    "application_updated": gettext_lazy("Application edited"),
    "call_updated": gettext_lazy("Call edited"),
    "category_saved": gettext_lazy("Call category saved"),
    "checklist_set": gettext_lazy("Checklist set"),
    "eligibility_set": gettext_lazy("Eligibility conditions set"),
    "field_removed": gettext_lazy("Form field removed"),
    "field_saved": gettext_lazy("Form field saved"),
    "nominees_ranked": gettext_lazy("Nominees ranked"),
    "quota_set": gettext_lazy("Quota set"),
    "rubric_set": gettext_lazy("Scoring rubric set"),
    "stages_set": gettext_lazy("Stages set"),
}

audit = event_audit("calls", EVENT_ACTIONS, EVENT_LABELS)
logger = logging.getLogger(__name__)


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


def tell(organization, *, title: str, body: str = "", link: str = "") -> None:
    """A notification in the platform to an organisation, and after the commit an e-mail to
    its members who have an address (Django's e-mail backend: the console in the demo)."""
    notify(organization, title=title, body=body, link=link)
    emails = sorted(
        {
            e
            for e in Membership.objects.filter(
                organization=organization, is_active=True, user__is_active=True
            ).values_list("user__email", flat=True)
            if e
        }
    )
    if emails:
        message = "\n\n".join(part for part in (body, link) if part)
        transaction.on_commit(lambda: _send(title[:200], message or title, emails))


def _send(subject: str, message: str, emails: list[str]) -> None:
    """The e-mail copy of a notification; a mail server that fails does not undo the write
    (the notification in the platform stands) and is logged."""
    try:
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, emails)
    except Exception:
        logger.exception("calls: e-mail to %s failed", ", ".join(emails))
