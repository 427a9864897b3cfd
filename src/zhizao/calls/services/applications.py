"""Applications: the one state machine (``set_application_state``), creating, answering the
form, submitting, withdrawing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from zhizao.common.audit import Actor
from zhizao.common.notifications import notify

from ..access import can_manage_call, is_applicant, is_nominator
from ..enums import TRANSITIONS, ApplicationState
from ..errors import CallError
from ..models import Application
from .base import application_link, audit, is_system, text

A = ApplicationState

#: what the applicant is told when its application reaches a state
NOTIFIED_STATES = {
    A.RETURNED: N_("Your application “%(title)s” was returned for correction."),
    A.FORMAL_PASSED: N_("Your application “%(title)s” passed formal review."),
    A.FORMAL_REJECTED: N_("Your application “%(title)s” was rejected in formal review."),
    A.NOMINATED: N_("Your application “%(title)s” was nominated."),
    A.SELECTED: N_("Your application “%(title)s” was selected."),
    A.NOT_SELECTED: N_("Your application “%(title)s” was not selected."),
}


def _allowed(actor: Actor, application: Application, before: str, to: str) -> bool:
    """Who may make which move: the applicant submits, pulls back to draft and withdraws;
    the nominating body nominates and withdraws its nomination (back to submitted); the
    selection office (or an operator) does everything else and may also withdraw."""
    if is_system(actor):
        return True
    if to in (A.SUBMITTED,) and before in (A.DRAFT, A.RETURNED):
        return is_applicant(actor, application)
    if to == A.DRAFT:
        return is_applicant(actor, application)
    if to == A.WITHDRAWN:
        return is_applicant(actor, application) or can_manage_call(actor, application.call)
    if to == A.NOMINATED or (to == A.SUBMITTED and before == A.NOMINATED):
        return is_nominator(actor, application) or can_manage_call(actor, application.call)
    return can_manage_call(actor, application.call)


def move(
    actor: Actor,
    locked: Application,
    to: str,
    *,
    reason: str = "",
    fields: tuple[str, ...] = (),
    context: dict | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """Move a LOCKED application (inside the caller's transaction) to ``to``: checks the
    transition and who may make it, saves ``state`` with ``fields``, bumps the version,
    records the audit entry, notifies the applicant. Other services of this app call it after
    setting their own fields; nobody else assigns ``Application.state``."""
    before = locked.state
    if to not in A.values:
        raise CallError("bad_state", _("Unknown state: %(s)s") % {"s": to}, field="to")
    if to not in TRANSITIONS.get(before, ()):
        raise CallError(
            "bad_transition",
            _("An application cannot go from %(a)s to %(b)s.")
            % {"a": A(before).label, "b": A(to).label},
            field="to",
        )
    if not _allowed(actor, locked, before, to):
        raise CallError("not_allowed", _("You cannot do this for this application."))
    now = now or timezone.now()
    locked.state = to
    locked.version += 1
    save = ["state", "version", "updated_at", *fields]
    if to == A.SUBMITTED and before in (A.DRAFT, A.RETURNED):
        locked.submitted_at = now
        save.append("submitted_at")
    if to in (A.FORMAL_REJECTED, A.NOT_SELECTED) and reason:
        locked.decision_reason = reason
        save.append("decision_reason")
    locked.save(update_fields=list(dict.fromkeys(save)))
    audit(
        actor,
        "application_state",
        locked,
        changes={"state": [before, to]},
        context={**({"reason": reason} if reason else {}), **(context or {})},
    )
    message = NOTIFIED_STATES.get(to)
    if message and not is_applicant(actor, locked):
        notify(
            locked.applicant,
            title=_(message) % {"title": locked.title},
            body=reason,
            link=application_link(locked),
        )
    return locked


def lock(application: Application | int) -> Application:
    pk = application if isinstance(application, int) else application.pk
    return (
        Application.objects.select_for_update()
        .select_related("call", "applicant", "category", "nominator")
        .get(pk=pk)
    )


def set_application_state(
    actor: Actor,
    application: Application,
    *,
    to: str,
    reason: str = "",
    expected: str | None = None,
) -> Application:
    """The one audited state transition of an application. ``expected`` is the state the
    caller saw: when another officer moved the application meanwhile, the move is refused and
    nothing changes (two officers can never move one application into two outcomes)."""
    reason = text(reason, field="reason", label=_("Reason"), max_length=2000)
    with transaction.atomic():
        locked = lock(application)
        if expected is not None and locked.state != expected:
            raise CallError(
                "state_changed",
                _("The application is now “%(s)s”: someone changed it meanwhile.")
                % {"s": locked.get_state_display()},
                field="to",
            )
        return move(actor, locked, to, reason=reason)
