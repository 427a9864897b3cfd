"""The supply gaps, computed in the background: ranking every published demand takes far
longer than a request may (44 s of CPU for a few hundred demands), so the periodic task
``compute_supply_gaps_task`` stores the result in a ``SupplyGapReport`` and the page shows the
newest one with its time. An operator may ask for a refresh; while one is pending, asking again
does nothing (at most one queued report, a database constraint)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhizao.common.audit import Actor
from zhizao.common.worker import enqueue_after_commit

from .. import stats
from ..enums import SupplyGapReportState
from ..models import SupplyGapReport
from .base import audit

#: the most demands one computation looks at (the newest published first)
GAP_DEMAND_LIMIT = 500
#: finished reports kept (the newest is shown)
KEEP_REPORTS = 5
#: a refresh still queued after this long was lost (its task failed): a new request replaces it
STALE_REQUEST = dt.timedelta(minutes=30)


COMPUTE_TASK = "zhizao.matchmaking.tasks.compute_supply_gaps_task"


def request_supply_gaps(actor: Actor, *, now: dt.datetime | None = None) -> bool:
    """Ask for the supply gaps to be computed again. The task is enqueued after commit, once:
    while a request is pending another returns False and enqueues nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        SupplyGapReport.objects.filter(
            state=SupplyGapReportState.QUEUED, requested_at__lt=now - STALE_REQUEST
        ).delete()
        try:
            with transaction.atomic():
                report = SupplyGapReport.objects.create(
                    state=SupplyGapReportState.QUEUED, requested_at=now
                )
        except IntegrityError:  # one is queued already
            return False
        audit(actor, "supply_gaps_requested", report)
        enqueue_after_commit(COMPUTE_TASK)
    return True


def compute_supply_gaps(*, now: dt.datetime | None = None) -> SupplyGapReport:
    """Rank the published demands (``stats.supply_gaps``) and store the groups as a finished
    report, stamped with the time the computation started; the requests made before that are
    answered, older reports beyond ``KEEP_REPORTS`` dropped. Safe to run again."""
    started = now or timezone.now()
    parameters = {"threshold": settings.ZHIZAO_MATCH_GAP_SCORE, "limit": GAP_DEMAND_LIMIT}
    groups = stats.supply_gaps(threshold=parameters["threshold"], limit=GAP_DEMAND_LIMIT)
    rows = stats.gap_rows(groups)
    with transaction.atomic():
        report = SupplyGapReport.objects.create(
            state=SupplyGapReportState.DONE,
            computed_at=started,
            parameters=parameters,
            groups=rows,
            demand_count=sum(len(g.demands) for g in groups),
        )
        SupplyGapReport.objects.filter(
            state=SupplyGapReportState.QUEUED, requested_at__lte=started
        ).delete()
        old = list(
            SupplyGapReport.objects.filter(state=SupplyGapReportState.DONE)
            .order_by("-computed_at", "-id")
            .values_list("pk", flat=True)[KEEP_REPORTS:]
        )
        if old:
            SupplyGapReport.objects.filter(pk__in=old).delete()
    return report
