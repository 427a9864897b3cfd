"""Big rounds run on a worker with the result stored; reminders go once a day per round to
experts whose reviews are due within three days."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhizao.common.models import Notification
from zhizao.review import services
from zhizao.review.models import Assignment


def test_a_big_round_runs_on_the_worker(rw, settings, django_capture_on_commit_callbacks):
    settings.ZHIZAO_REVIEW_INLINE_PAIRS = 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.run_assignment(rw.office_actor, rw.round, method="optimal")
    rw.round.refresh_from_db()
    assert rw.round.summary == {"running": True, "requested_by": "rv-office"}
    assert not Assignment.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()  # the immediate backend runs the task now
    rw.round.refresh_from_db()
    assert "running" not in rw.round.summary
    assert rw.round.summary["exclusions"] == 4
    assert Assignment.objects.filter(round=rw.round).count() == 6


def test_reminders_once_a_day_to_pending_experts(
    rw, mailoutbox, django_capture_on_commit_callbacks
):
    for user in rw.users.values():
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    first = Assignment.objects.filter(round=rw.round, state="active").order_by("id").first()
    key = next(k for k, e in rw.experts.items() if e.pk == first.expert_id)
    services.save_review(
        rw.actor(key),
        first,
        scores={"innovation": "80", "impact": "80"},
        comments={"innovation": "好"},
        submit=True,
    )
    before = Notification.objects.filter(title__startswith="提醒").count()
    far = rw.round.deadline - dt.timedelta(days=5)
    assert services.send_reminders(now=far) == 0
    near = rw.round.deadline - dt.timedelta(days=2)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=near) == 5
    assert services.send_reminders(now=near) == 0
    assert len(mailoutbox) == 5
    assert mailoutbox[0].subject.startswith("提醒：您在 网评第一轮 的评审将于")
    assert Notification.objects.filter(title__startswith="提醒").count() == before + 5
    assert timezone.localdate(near) == rw.round.__class__.objects.get(pk=rw.round.pk).reminded_on
