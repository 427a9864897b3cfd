"""An operator's request for a refresh of the summary tables: enqueued once, after commit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhizao.accounts.roles import Role
from zhizao.common.audit import Actor
from zhizao.common.worker import enqueue_after_commit

from ..errors import InsightsError
from .base import audit


def request_refresh(actor: Actor) -> None:
    if actor.role != Role.OPERATOR:
        raise InsightsError("not_operator", _("Only operators refresh the figures."))
    audit(actor, "refresh_requested", None)
    enqueue_after_commit("zhizao.insights.tasks.rebuild_facts_task")
