"""Review rounds: create a round of a call, open it to the experts (applications move to
in_review through the calls state machine), close it; the one owner of a round's state."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.calls.enums import ApplicationState
from zhizao.calls.errors import CallError
from zhizao.calls.services.applications import set_application_state
from zhizao.common.audit import Actor
from zhizao.common.notifications import notify

from ..adapters import round_applications
from ..enums import AssignmentState, RoundKind, RoundState, Visibility
from ..errors import ReviewError
from ..models import Assignment, ReviewRound
from .base import audit, require_office

logger = logging.getLogger(__name__)

ROUND_TRANSITIONS = {
    RoundState.DRAFT: {RoundState.ASSIGNING},
    RoundState.ASSIGNING: {RoundState.ASSIGNING, RoundState.REVIEWING},
    RoundState.REVIEWING: {RoundState.CLOSED},
    RoundState.CLOSED: {RoundState.REVIEWING, RoundState.PROPOSED},
    RoundState.PROPOSED: {RoundState.REVIEWING},
}
PANEL_RULE_KINDS = {"at_least_attribute", "at_most_per_region"}


def _panel_rules(rules) -> list[dict]:
    out = []
    for rule in rules or []:
        if not isinstance(rule, dict) or rule.get("kind") not in PANEL_RULE_KINDS:
            raise ReviewError(
                "bad_panel_rule", _("A panel rule is not understood."), field="panel_rules"
            )
        try:
            count = int(rule.get("count", 1))
            prefix = int(rule.get("prefix_len", 0))
        except (TypeError, ValueError):
            raise ReviewError(
                "bad_panel_rule", _("A panel rule is not understood."), field="panel_rules"
            ) from None
        out.append(
            {
                "kind": rule["kind"],
                "attribute": str(rule.get("attribute", ""))[:40],
                "prefix_len": prefix,
                "count": count,
            }
        )
    return out


def create_round(
    actor: Actor,
    call,
    *,
    name: str,
    kind: str,
    deadline: dt.datetime,
    reviewers_per_application: int | None = None,
    visibility: str = Visibility.NEVER,
    panel_rules=None,
) -> ReviewRound:
    require_office(actor, call)
    name = (name or "").strip()
    if not name:
        raise ReviewError("required", _("Give the round a name."), field="name")
    if kind not in RoundKind.values:
        raise ReviewError("bad_kind", _("Choose online review or panel meeting."), field="kind")
    if visibility not in Visibility.values:
        raise ReviewError("bad_visibility", _("Choose who sees other reviews."), field="visibility")
    if not isinstance(deadline, dt.datetime):
        raise ReviewError("required", _("Give the deadline."), field="deadline")
    if deadline <= timezone.now():
        raise ReviewError("deadline_past", _("The deadline is in the past."), field="deadline")
    k = reviewers_per_application or call.reviewers_per_application
    try:
        k = int(k)
    except (TypeError, ValueError):
        k = 0
    if not 1 <= k <= 15:
        raise ReviewError(
            "out_of_range",
            _("Experts per application is 1 to 15."),
            field="reviewers_per_application",
        )
    with transaction.atomic():
        review_round = ReviewRound.objects.create(
            call=call,
            name=name[:200],
            kind=kind,
            deadline=deadline,
            reviewers_per_application=k,
            visibility=visibility,
            panel_rules=_panel_rules(panel_rules),
            created_by=actor.user,
        )
        audit(
            actor,
            "round_created",
            review_round,
            changes={"call": [None, call.pk], "kind": [None, kind], "k": [None, k]},
        )
    return review_round


def set_round_state(actor: Actor | None, review_round: ReviewRound, to: str, *, reason: str = ""):
    """The one owner of a round's state: checks the transition on the locked row, saves,
    audits. Call inside the caller's transaction."""
    locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if to not in ROUND_TRANSITIONS.get(locked.state, set()):
        raise ReviewError(
            "bad_state",
            _("The round cannot go from “%(from)s” to “%(to)s”.")
            % {"from": locked.get_state_display(), "to": RoundState(to).label},
        )
    before = locked.state
    locked.state = to
    locked.save(update_fields=["state"])
    if before != to:
        audit(
            actor,
            "round_state",
            locked,
            changes={"state": [before, to]},
            context={"reason": reason} if reason else None,
        )
    review_round.state = to
    return locked


def _expert_link(assignment_id: int) -> str:
    return reverse("review:assignment_detail", args=[assignment_id])


def tell_expert(membership, *, title: str, body: str = "", link: str = "") -> None:
    """A notification in the platform to the expert (its user in its organisation) and, after
    the commit, an e-mail when the user has an address (Django's e-mail backend)."""
    notify(membership.organization, user=membership.user, title=title, body=body, link=link)
    email = membership.user.email
    if email:
        message = "\n\n".join(part for part in (body, link) if part) or title
        transaction.on_commit(lambda: _send(title[:200], message, email))


def _send(subject: str, message: str, email: str) -> None:
    """The e-mail copy; a mail server that fails does not undo the write (the notification in
    the platform stands) and is logged."""
    try:
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [email])
    except Exception:
        logger.exception("review: e-mail to %s failed", email)


def notify_assignment(assignment: Assignment) -> None:
    tell_expert(
        assignment.expert.membership,
        title=_("New review assignment: %(title)s") % {"title": assignment.round.name},
        body=_("Please submit your review by %(deadline)s.")
        % {"deadline": timezone.localtime(assignment.round.deadline).strftime("%Y-%m-%d %H:%M")},
        link=_expert_link(assignment.pk),
    )


def open_round(actor: Actor, review_round: ReviewRound) -> ReviewRound:
    """Hand the assignments to the experts: every application must have its k experts; the
    applications move to in_review; every expert is notified."""
    require_office(actor, review_round.call)
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if locked.state != RoundState.ASSIGNING:
            raise ReviewError("bad_state", _("Run the assignment first."))
        active = Assignment.objects.filter(round=locked, state=AssignmentState.ACTIVE)
        counts: dict[int, int] = {}
        for app_id in active.values_list("application_id", flat=True):
            counts[app_id] = counts.get(app_id, 0) + 1
        short = [
            a.title
            for a in round_applications(locked)
            if counts.get(a.pk, 0) < locked.reviewers_per_application
        ]
        if short:
            raise ReviewError(
                "short",
                _("These applications have fewer than %(k)s experts: %(titles)s")
                % {"k": locked.reviewers_per_application, "titles": "、".join(short[:10])},
            )
        try:
            for application in round_applications(locked):
                if application.state == ApplicationState.FORMAL_PASSED:
                    set_application_state(
                        actor,
                        application,
                        to=ApplicationState.IN_REVIEW,
                        reason=locked.name,
                        expected=ApplicationState.FORMAL_PASSED,
                    )
        except CallError as error:
            raise ReviewError(error.code, error.message) from None
        set_round_state(actor, locked, RoundState.REVIEWING)
        now = timezone.now()
        for assignment in active.select_related(
            "round", "expert__membership__organization", "expert__membership__user"
        ):
            notify_assignment(assignment)
        active.update(notified_at=now)
    review_round.state = locked.state
    return locked


def close_round(actor: Actor, review_round: ReviewRound) -> ReviewRound:
    require_office(actor, review_round.call)
    with transaction.atomic():
        set_round_state(actor, review_round, RoundState.CLOSED)
    return review_round


def reopen_round(actor: Actor, review_round: ReviewRound, *, reason: str = "") -> ReviewRound:
    require_office(actor, review_round.call)
    with transaction.atomic():
        set_round_state(actor, review_round, RoundState.REVIEWING, reason=reason)
    return review_round
