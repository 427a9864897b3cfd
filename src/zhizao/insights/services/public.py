"""Which figures the public summary page shows (opt-in per figure, by operators)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.accounts.roles import Role
from zhizao.common.audit import Actor

from ..errors import InsightsError
from ..models import PublicFigure
from ..providers import figure
from .base import audit


def set_public_figures(actor: Actor, names: list[str]) -> list[str]:
    if actor.role != Role.OPERATOR:
        raise InsightsError("not_operator", _("Only operators choose the public figures."))
    unknown = [n for n in names if figure(n) is None]
    if unknown:
        raise InsightsError("figure", _("Unknown figure: %s") % ", ".join(unknown), field="figures")
    with transaction.atomic():
        before = sorted(PublicFigure.objects.values_list("figure", flat=True))
        after = sorted(set(names))
        PublicFigure.objects.exclude(figure__in=after).delete()
        for name in after:
            PublicFigure.objects.get_or_create(figure=name)
        if before != after:
            audit(actor, "public_figures_set", None, changes={"figures": [before, after]})
    return after
