"""Matchmaking figures: the introduction funnel (suggested → requested → accepted → met →
deal, each counted in the month the stage was reached) and the deal value."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.insights.providers import Figure, register_figure

from .models import Introduction


def _reached(field: str):
    def queryset():
        return Introduction.objects.filter(**{f"{field}__isnull": False})

    return queryset


FUNNEL = (
    ("suggested", "created_at", _("Introductions suggested")),
    ("requested", "requested_at", _("Introductions requested")),
    ("accepted", "accepted_at", _("Introductions accepted")),
    ("met", "met_at", _("Meetings held")),
    ("deal", "deal_at", _("Deals recorded")),
)
for _order, (_stage, _field, _label) in enumerate(FUNNEL, start=50):
    register_figure(
        Figure(
            name=f"matchmaking.{_stage}",
            label=_label,
            area="matchmaking",
            queryset=_reached(_field),
            date=_field,
            organization="demand__enterprise",
            order=_order,
        )
    )
register_figure(
    Figure(
        name="matchmaking.deal_value",
        label=_("Deal value"),
        area="matchmaking",
        queryset=_reached("deal_at"),
        date="deal_at",
        organization="demand__enterprise",
        amount="deal_value_yuan",
        unit="yuan",
        order=56,
    )
)
