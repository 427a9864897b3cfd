"""Expert review's figures for the dashboards and the monthly report: review rounds started
(counted for the call's selection office) and expert reviews submitted (counted for the
applicant; the records page shows organisations and dates only, never a score)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.insights.providers import Figure, register_figure

from .enums import ReviewState
from .models import Review, ReviewRound

register_figure(
    Figure(
        name="review.rounds",
        label=_("Review rounds started"),
        area="calls",
        queryset=lambda: ReviewRound.objects.all(),
        date="created_at",
        organization="call__host",
        order=72,
    )
)
register_figure(
    Figure(
        name="review.reviews",
        label=_("Expert reviews submitted"),
        area="calls",
        queryset=lambda: Review.objects.filter(
            state=ReviewState.SUBMITTED, submitted_at__isnull=False
        ),
        date="submitted_at",
        organization="assignment__application__applicant",
        order=73,
        private=True,
    )
)
