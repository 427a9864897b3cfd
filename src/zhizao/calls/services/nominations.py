"""Nominations (推荐): a nominating body nominates applications addressed to it within its
quota (the quota rows are locked, so two nominations at once cannot both take the last
place), ranks its nominees and withdraws a nomination before the deadline."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor

from ..access import NOMINATOR_ROLES, can_manage_call, is_nominator
from ..enums import NOMINATED_STATES, ApplicationState, StageKind
from ..errors import CallError
from ..models import Application, Call, NominationQuota
from ..selectors import stage_open
from .applications import lock, move
from .base import audit, is_system

A = ApplicationState


def _deadline(call: Call, now: dt.datetime) -> None:
    if not stage_open(call, StageKind.NOMINATE, now):
        raise CallError(
            "deadline_passed", _("The nomination stage is closed: the deadline has passed.")
        )


def nominate_application(
    actor: Actor, application: Application, *, now: dt.datetime | None = None
) -> Application:
    """Nominate a submitted application addressed to the actor's body. Beyond the quota (in
    total or in the application's category) it is refused and nothing changes."""
    now = now or timezone.now()
    with transaction.atomic():
        # the quota rows first, in a fixed order: the lock that serialises nominations
        rows = list(
            NominationQuota.objects.select_for_update()
            .filter(call_id=application.call_id, nominator_id=application.nominator_id)
            .order_by("id")
        )
        locked = lock(application)
        if not (is_system(actor) or is_nominator(actor, locked)):
            raise CallError("not_allowed", _("You cannot do this for this application."))
        _deadline(locked.call, now)
        if locked.state != A.SUBMITTED:
            raise CallError(
                "not_submitted",
                _("Only a submitted application can be nominated (it is “%(s)s”).")
                % {"s": locked.get_state_display()},
            )
        applying = [r for r in rows if r.category_id in (None, locked.category_id)]
        if not applying:
            raise CallError("no_quota", _("Your body has no quota in this call."))
        nominated = Application.objects.filter(
            call_id=locked.call_id, nominator_id=locked.nominator_id, state__in=NOMINATED_STATES
        )
        for row in applying:
            used = (
                nominated
                if row.category_id is None
                else nominated.filter(category_id=row.category_id)
            ).count()
            if used >= row.quota:
                raise CallError(
                    "quota_full",
                    _("The quota is used up: %(used)d of %(quota)d nominated%(category)s.")
                    % {
                        "used": used,
                        "quota": row.quota,
                        "category": f"（{row.category.name}）" if row.category_id else "",
                    },
                    field="quota",
                )
        locked.nominated_at = now
        locked.nomination_rank = nominated.count() + 1
        return move(actor, locked, A.NOMINATED, fields=("nominated_at", "nomination_rank"), now=now)


def withdraw_nomination(
    actor: Actor, application: Application, *, now: dt.datetime | None = None
) -> Application:
    """Withdraw a nomination before the nomination deadline: the application is submitted
    again (not nominated) and the place is free."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock(application)
        if not (is_system(actor) or is_nominator(actor, locked)):
            raise CallError("not_allowed", _("You cannot do this for this application."))
        _deadline(locked.call, now)
        if locked.state != A.NOMINATED:
            raise CallError("not_nominated", _("The application is not nominated."))
        locked.nominated_at = None
        locked.nomination_rank = None
        return move(actor, locked, A.SUBMITTED, fields=("nominated_at", "nomination_rank"), now=now)


def rank_nominees(
    actor: Actor, call: Call, *, nominator_id: int, order: list[int], now: dt.datetime | None = None
) -> list[Application]:
    """The body's order of its nominees: ``order`` lists every nominated application id once."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Application.objects.select_for_update()
            .filter(call=call, nominator_id=nominator_id, state__in=NOMINATED_STATES)
            .order_by("id")
        )
        own_body = (
            actor.role in NOMINATOR_ROLES
            and actor.organization_id == nominator_id
            and NominationQuota.objects.filter(call=call, nominator_id=nominator_id).exists()
        )
        if not (is_system(actor) or own_body or can_manage_call(actor, call)):
            raise CallError("not_allowed", _("You cannot do this for this call."))
        _deadline(call, now)
        ids = [int(i) for i in order]
        if sorted(ids) != sorted(r.pk for r in rows):
            raise CallError(
                "bad_order", _("List every nominated application exactly once."), field="order"
            )
        by_id = {r.pk: r for r in rows}
        before = {r.pk: r.nomination_rank for r in rows}
        for rank, pk in enumerate(ids, start=1):
            row = by_id[pk]
            if row.nomination_rank != rank:
                row.nomination_rank = rank
                row.save(update_fields=["nomination_rank", "updated_at"])
        audit(
            actor,
            "nominees_ranked",
            call,
            changes={"ranks": [before, {pk: i for i, pk in enumerate(ids, start=1)}]},
            context={"nominator": nominator_id},
        )
    return [by_id[pk] for pk in ids]
