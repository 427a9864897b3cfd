"""Formal review (形式审查) by the selection office: the automatic checks, the manual
checklist, return for correction with a deadline, reject with a reason, pass."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor

from ..access import can_manage_call
from ..enums import ApplicationState
from ..errors import CallError
from ..models import Application
from ..selectors import CHECKLIST, formal_checks
from .applications import lock, move
from .base import audit, is_system, text

A = ApplicationState
UNDER_FORMAL_REVIEW = (A.SUBMITTED, A.NOMINATED)


def _office(actor: Actor, locked: Application, expected: str | None) -> None:
    if not (is_system(actor) or can_manage_call(actor, locked.call)):
        raise CallError("not_allowed", _("Only the selection office may do this."))
    if expected is not None and locked.state != expected:
        raise CallError(
            "state_changed",
            _("The application is now “%(s)s”: someone changed it meanwhile.")
            % {"s": locked.get_state_display()},
        )
    if locked.state not in UNDER_FORMAL_REVIEW:
        raise CallError(
            "not_in_formal_review",
            _("The application is “%(s)s”, not waiting for formal review.")
            % {"s": locked.get_state_display()},
        )
    if locked.call.requires_nomination and locked.state != A.NOMINATED:
        raise CallError("not_nominated", _("The application has not been nominated yet."))


def set_checklist(actor: Actor, application: Application, items: dict) -> Application:
    """The manual checklist: each item of ``CHECKLIST`` ticked or not."""
    known = {code for code, _label in CHECKLIST}
    unknown = sorted(set(items) - known)
    if unknown:
        raise CallError("bad_item", _("Unknown checklist item."), field=unknown[0])
    with transaction.atomic():
        locked = lock(application)
        _office(actor, locked, None)
        before = dict(locked.checklist)
        locked.checklist = {**before, **{k: bool(v) for k, v in items.items()}}
        if locked.checklist != before:
            locked.save(update_fields=["checklist", "updated_at"])
            audit(actor, "checklist_set", locked, changes={"checklist": [before, locked.checklist]})
    return locked


def pass_formal_review(
    actor: Actor,
    application: Application,
    *,
    expected: str | None = None,
    today: dt.date | None = None,
) -> Application:
    """Passed: every automatic check holds (an undecided eligibility needs the office's
    checklist) and the manual checklist is complete."""
    with transaction.atomic():
        locked = lock(application)
        _office(actor, locked, expected)
        failed = [c for c in formal_checks(locked, today=today) if c.ok is False]
        if failed:
            raise CallError(
                "checks_failed",
                _("Automatic checks failed: %(checks)s")
                % {"checks": "；".join(f"{c.label}：{c.detail}" for c in failed)},
                field=failed[0].code,
            )
        open_items = [str(label) for code, label in CHECKLIST if not locked.checklist.get(code)]
        if open_items:
            raise CallError(
                "checklist_open",
                _("Tick the checklist first: %(items)s")
                % {"items": "；".join(_(item) for item in open_items)},
                field="checklist",
            )
        return move(actor, locked, A.FORMAL_PASSED)


def return_for_correction(
    actor: Actor,
    application: Application,
    *,
    request: str,
    deadline: dt.datetime,
    expected: str | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """退回补正: the applicant sees what to correct and corrects it by ``deadline``."""
    now = now or timezone.now()
    request = text(
        request, field="request", label=_("What to correct"), max_length=2000, required=True
    )
    if deadline is None or deadline <= now:
        raise CallError(
            "bad_deadline", _("The deadline for the correction is in the future."), field="deadline"
        )
    with transaction.atomic():
        locked = lock(application)
        _office(actor, locked, expected)
        locked.correction_request = request
        locked.correction_deadline = deadline
        return move(
            actor,
            locked,
            A.RETURNED,
            reason=request,
            fields=("correction_request", "correction_deadline"),
            context={"deadline": deadline.isoformat()},
            now=now,
        )


def reject_application(
    actor: Actor, application: Application, *, reason: str, expected: str | None = None
) -> Application:
    """Rejected in formal review, with the reason the applicant sees."""
    reason = text(reason, field="reason", label=_("Reason"), max_length=2000, required=True)
    with transaction.atomic():
        locked = lock(application)
        _office(actor, locked, expected)
        return move(actor, locked, A.FORMAL_REJECTED, reason=reason)
