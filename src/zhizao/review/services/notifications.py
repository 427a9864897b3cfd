"""Reminders to experts before a round's deadline (a periodic job, once a day per round)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import AssignmentState, ReviewState, RoundState
from ..models import Assignment, ReviewRound
from .rounds import tell_expert

REMINDER_DAYS = 3


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """For every reviewing round whose deadline is within ``REMINDER_DAYS`` days, remind each
    expert with an unsubmitted review — at most once a day per round (the conditional update
    on ``reminded_on`` decides, so two workers never both send). Returns how many reminders."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    rounds = ReviewRound.objects.filter(
        state=RoundState.REVIEWING,
        deadline__gt=now,
        deadline__lte=now + dt.timedelta(days=REMINDER_DAYS),
    ).exclude(reminded_on=today)
    for review_round in rounds:
        with transaction.atomic():
            claimed = (
                ReviewRound.objects.filter(pk=review_round.pk)
                .exclude(reminded_on=today)
                .update(reminded_on=today)
            )
            if not claimed:
                continue
            pending = (
                Assignment.objects.filter(round=review_round, state=AssignmentState.ACTIVE)
                .exclude(review__state=ReviewState.SUBMITTED)
                .select_related("expert__membership__organization", "expert__membership__user")
            )
            deadline = timezone.localtime(review_round.deadline).strftime("%Y-%m-%d %H:%M")
            for assignment in pending:
                tell_expert(
                    assignment.expert.membership,
                    title=_("Reminder: your review in %(round)s is due %(deadline)s")
                    % {"round": review_round.name, "deadline": deadline},
                    link=reverse("review:assignment_detail", args=[assignment.pk]),
                )
                sent += 1
    return sent
