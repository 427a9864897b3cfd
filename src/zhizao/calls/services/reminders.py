"""Deadline reminders (hourly, from the schedule): applicants with an unsubmitted draft and
nominating bodies with applications waiting, three days before their stage closes; applicants
returned for correction, two days before the correction deadline. Each reminder is sent once
(the notification it leaves is the record)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.models import Notification

from ..enums import ApplicationState, CallState, StageKind
from ..models import Application, CallStage
from .base import application_link, tell

A = ApplicationState
STAGE_NOTICE = dt.timedelta(days=3)
CORRECTION_NOTICE = dt.timedelta(days=2)


def _once(organization, title: str, link: str, body: str) -> bool:
    if Notification.objects.filter(
        recipient_organization=organization, title=title[:200], link=link
    ).exists():
        return False
    tell(organization, title=title, body=body, link=link)
    return True


def remind_deadlines(*, now: dt.datetime | None = None) -> int:
    """Send the reminders that are due; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        stages = CallStage.objects.filter(
            call__state=CallState.OPEN,
            kind__in=[StageKind.APPLY, StageKind.NOMINATE],
            closes__gt=now,
            closes__lte=now + STAGE_NOTICE,
        ).select_related("call")
        for stage in stages:
            call = stage.call
            closes = timezone.localtime(stage.closes).strftime("%Y-%m-%d %H:%M")
            if stage.kind == StageKind.APPLY:
                for app in Application.objects.filter(call=call, state=A.DRAFT).select_related(
                    "applicant"
                ):
                    sent += _once(
                        app.applicant,
                        _("Submit “%(title)s” by %(when)s.") % {"title": app.title, "when": closes},
                        application_link(app),
                        _("The application stage of “%(call)s” closes then.")
                        % {"call": call.title},
                    )
            else:
                nominators = {
                    a.nominator
                    for a in Application.objects.filter(call=call, state=A.SUBMITTED)
                    .exclude(nominator=None)
                    .select_related("nominator")
                }
                for org in sorted(nominators, key=lambda o: o.pk):
                    sent += _once(
                        org,
                        _("Nominate for “%(call)s” by %(when)s.")
                        % {"call": call.title, "when": closes},
                        reverse("calls:nominations", args=[call.pk]),
                        _("Applications addressed to you are waiting for your decision."),
                    )
        for app in Application.objects.filter(
            state=A.RETURNED,
            correction_deadline__gt=now,
            correction_deadline__lte=now + CORRECTION_NOTICE,
        ).select_related("applicant"):
            when = timezone.localtime(app.correction_deadline).strftime("%Y-%m-%d %H:%M")
            sent += _once(
                app.applicant,
                _("Correct “%(title)s” by %(when)s.") % {"title": app.title, "when": when},
                application_link(app),
                app.correction_request,
            )
    return sent
