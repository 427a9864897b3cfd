"""公示 and objections (异议): the proposed list on a public page for N working days, signed
objections from logged-in users, answers that may reopen an application's review; the
working-day calendar the period is counted on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor

from ..access import can_manage_call, can_object
from ..calendar import work_calendar
from ..enums import ApplicationState, CalendarDayKind, ObjectionState, PublicityState
from ..errors import CallError
from ..models import (
    Application,
    CalendarDay,
    Call,
    Objection,
    Publicity,
    PublicityEntry,
    VerifiedIdentity,
)
from .applications import lock, move
from .base import audit, is_system, tell, text

A = ApplicationState


def _office(actor: Actor, call: Call) -> None:
    if not (is_system(actor) or can_manage_call(actor, call)):
        raise CallError("not_allowed", _("Only the selection office may do this."))


def open_publicity(
    actor: Actor,
    call: Call,
    entries: list[dict],
    *,
    today: dt.date | None = None,
    contact: str = "",
) -> Publicity:
    """Publish the proposed list: ``entries`` = [{"application_id", "rank", "score",
    "category_id"}], every application proposed. The 公示 runs ``publicity_working_days``
    working days from today (or the next working day)."""
    today = today or timezone.localdate()
    contact = text(contact, field="contact", label=_("Contact"), max_length=200)
    if not entries:
        raise CallError("empty_list", _("The proposed list is empty."), field="entries")
    cleaned = []
    seen = set()
    for i, entry in enumerate(entries):
        try:
            pk = int(entry["application_id"])
            rank = int(entry["rank"])
            score = Decimal(str(entry["score"])).quantize(Decimal("0.01"))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            raise CallError(
                "bad_entry",
                _("Each entry has an application, a rank and a score."),
                field=f"entries[{i}]",
            ) from None
        if pk in seen or rank < 1:
            raise CallError(
                "bad_entry", _("Each application once, rank 1 or more."), field=f"entries[{i}]"
            )
        seen.add(pk)
        cleaned.append((pk, rank, score, entry.get("category_id")))
    with transaction.atomic():
        locked_call = Call.objects.select_for_update().get(pk=call.pk)
        _office(actor, locked_call)
        if Publicity.objects.filter(call=locked_call).exists():
            raise CallError("already_open", _("The call's public notice has already been opened."))
        calendar = work_calendar()
        opens = today if calendar.is_working_day(today) else calendar.add_working_days(today, 1)
        publicity = Publicity.objects.create(
            call=locked_call,
            opens_on=opens,
            closes_on=calendar.period_end(opens, locked_call.publicity_working_days),
            contact=contact,
            opened_by=actor.user if actor.user_id else None,
        )
        for i, (pk, rank, score, category_id) in enumerate(cleaned):
            application = Application.objects.filter(pk=pk, call=locked_call).first()
            if application is None:
                raise CallError(
                    "bad_entry", _("Not an application of this call."), field=f"entries[{i}]"
                )
            locked = lock(application)
            if locked.state != A.PROPOSED:
                raise CallError(
                    "not_proposed",
                    _("“%(title)s” is “%(s)s”, not proposed.")
                    % {"title": locked.title, "s": locked.get_state_display()},
                    field=f"entries[{i}]",
                )
            locked.final_rank, locked.final_score = rank, score
            move(actor, locked, A.PUBLICITY, fields=("final_rank", "final_score"))
            PublicityEntry.objects.create(
                publicity=publicity,
                application=locked,
                category_id=category_id or locked.category_id,
                rank=rank,
                score=score,
            )
        audit(
            actor,
            "publicity_opened",
            locked_call,
            changes={"publicity": [None, f"{publicity.opens_on}–{publicity.closes_on}"]},
            context={"entries": len(cleaned)},
        )
    return publicity


def file_objection(
    actor: Actor,
    publicity: Publicity,
    application: Application,
    *,
    name: str,
    body: str,
    phone: str = "",
    today: dt.date | None = None,
) -> Objection:
    """A signed objection: a logged-in user whose identity an operator has verified
    (``VerifiedIdentity``); anonymous and unverified ones are refused."""
    today = today or timezone.localdate()
    if actor.user_id is None:
        raise CallError(
            "anonymous", _("Log in to file an objection: anonymous objections are not accepted.")
        )
    if not can_object(actor):
        raise CallError(
            "unverified",
            _(
                "Only a user whose identity the platform has verified files an objection: ask "
                "the platform operator to verify your real name."
            ),
        )
    name = text(name, field="name", label=_("Your name"), max_length=100, required=True)
    body = text(body, field="body", label=_("Objection"), max_length=5000, required=True)
    phone = text(phone, field="phone", label=_("Phone"), max_length=40)
    with transaction.atomic():
        locked = (
            Publicity.objects.select_for_update(of=("self",))
            .select_related("call")
            .get(pk=publicity.pk)
        )
        if locked.state != PublicityState.OPEN or not (
            locked.opens_on <= today <= locked.closes_on
        ):
            raise CallError("closed", _("The public notice is not open for objections."))
        if not locked.entries.filter(application_id=application.pk).exists():
            raise CallError(
                "not_listed", _("The application is not on this list."), field="application"
            )
        objection = Objection.objects.create(
            publicity=locked,
            application_id=application.pk,
            objector=actor.user,
            objector_name=name,
            objector_phone=phone,
            body=body,
        )
        audit(actor, "objection_filed", objection, context={"application": application.pk})
        tell(
            locked.call.host,
            title=_("An objection was filed in the public notice of “%(call)s”.")
            % {"call": locked.call.title},
            link=reverse("calls:objection_detail", args=[objection.pk]),
        )
    return objection


def take_up_objection(actor: Actor, objection: Objection) -> Objection:
    """An officer of the selection office takes the objection up and becomes its handling
    officer, the only one who sees who objected. Once taken, nobody else can take it."""
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("publicity__call")
            .get(pk=objection.pk)
        )
        _office(actor, locked.publicity.call)
        if not actor.user_id:
            raise CallError("not_allowed", _("Only an officer takes up an objection."))
        if locked.handler_id == actor.user_id:
            return locked
        if locked.handler_id is not None:
            raise CallError("taken", _("Another officer handles this objection."))
        locked.handler_id = actor.user_id
        locked.save(update_fields=["handler"])
        audit(actor, "objection_taken", locked, changes={"handler": [None, actor.user_id]})
    return locked


def set_identity_verified(
    actor: Actor, user, *, verified: bool, real_name: str = "", note: str = ""
) -> VerifiedIdentity | None:
    """Operators record that they checked a user's real identity (实名核验), or withdraw it."""
    if not (is_system(actor) or actor.role == "operator"):
        raise CallError("not_allowed", _("Only operators verify identities."))
    with transaction.atomic():
        row = VerifiedIdentity.objects.select_for_update().filter(user=user).first()
        if not verified:
            if row is None:
                return None
            row.delete()
            audit(
                actor,
                "identity_unverified",
                user,
                changes={"verified": [True, False]},
            )
            return None
        real_name = text(
            real_name, field="real_name", label=_("Real name"), max_length=100, required=True
        )
        note = text(note, field="note", label=_("How it was checked"), max_length=200)
        if row is not None:
            raise CallError("already", _("This user's identity is already verified."))
        row = VerifiedIdentity.objects.create(
            user=user,
            real_name=real_name,
            note=note,
            verified_by=actor.user if actor.user_id else None,
        )
        audit(
            actor,
            "identity_verified",
            user,
            changes={"verified": [False, True]},
            context={"real_name": real_name, "note": note},
        )
    return row


def answer_objection(
    actor: Actor, objection: Objection, *, answer: str, reopen_review: bool = False
) -> Objection:
    """The office answers; ``reopen_review`` sends the application back to expert review
    (publicity → in_review through the one state machine)."""
    answer = text(answer, field="answer", label=_("Answer"), max_length=5000, required=True)
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("publicity__call")
            .get(pk=objection.pk)
        )
        _office(actor, locked.publicity.call)
        if locked.handler_id is not None and locked.handler_id != actor.user_id:
            raise CallError("taken", _("Another officer handles this objection."))
        if locked.state != ObjectionState.OPEN:
            raise CallError("answered", _("The objection has already been answered."))
        if locked.handler_id is None and actor.user_id:
            locked.handler_id = actor.user_id  # who answers handles it
        locked.answer = answer
        locked.state = ObjectionState.ANSWERED
        locked.handled_by = actor.user if actor.user_id else None
        locked.answered_at = timezone.now()
        if reopen_review:
            application = lock(locked.application_id)
            move(actor, application, A.IN_REVIEW, reason=answer, context={"objection": locked.pk})
            PublicityEntry.objects.filter(application=application).delete()
            locked.reopened_review = True
        locked.save(
            update_fields=[
                "answer",
                "state",
                "handled_by",
                "handler",
                "answered_at",
                "reopened_review",
            ]
        )
        audit(
            actor,
            "objection_answered",
            locked,
            changes={"state": [ObjectionState.OPEN, ObjectionState.ANSWERED]},
            context={"reopened_review": bool(reopen_review)},
        )
    return locked


def close_publicity(
    actor: Actor, publicity: Publicity, *, today: dt.date | None = None
) -> Publicity:
    """After its last day and with every objection answered."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            Publicity.objects.select_for_update(of=("self",))
            .select_related("call")
            .get(pk=publicity.pk)
        )
        _office(actor, locked.call)
        if locked.state != PublicityState.OPEN:
            raise CallError("closed", _("The public notice is already closed."))
        if today <= locked.closes_on:
            raise CallError(
                "still_open",
                _("The public notice runs until %(day)s.") % {"day": locked.closes_on.isoformat()},
            )
        if locked.objections.filter(state=ObjectionState.OPEN).exists():
            raise CallError("open_objections", _("Answer every objection first."))
        locked.state = PublicityState.CLOSED
        locked.save(update_fields=["state"])
        audit(actor, "publicity_closed", locked.call, changes={"publicity": ["open", "closed"]})
    return locked


def set_calendar_day(actor: Actor, *, date: dt.date, kind: str | None, name: str = "") -> None:
    """Operators keep the calendar: a holiday, an adjusted working day, or (``kind`` None) an
    ordinary day again."""
    if not (is_system(actor) or actor.role == "operator"):
        raise CallError("not_allowed", _("Only operators edit the calendar."))
    if kind not in (None, *CalendarDayKind.values):
        raise CallError("bad_kind", _("Choose holiday or adjusted working day."), field="kind")
    name = text(name, field="name", label=_("Name"), max_length=60)
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=date).first()
        before = row.kind if row else None
        if kind is None:
            if row:
                row.delete()
        else:
            CalendarDay.objects.update_or_create(date=date, defaults={"kind": kind, "name": name})
        if before != kind:
            audit(actor, "calendar_day_set", None, changes={date.isoformat(): [before, kind]})
