"""Assignment of experts to the applications of a round: the exact optimum or a replayable
random draw (随机抽取) under the same 回避 rules, loads and panel rules; substitutes reserved;
manual changes checked against the same rules; recusal with reassignment.

Small rounds run inline; big ones on a worker (``run_assignment_task``), the result stored on
the round either way."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhizao.calls.services.base import tell
from zhizao.common.audit import SYSTEM, Actor
from zhizao.common.worker import enqueue_after_commit
from zhizao_core.review import InfeasibleAssignment, check_assignment, exclusions
from zhizao_core.review.assign import solve_assignment
from zhizao_core.review.draw import random_draw

from ..adapters import (
    build_problem,
    digest,
    plain,
    problem_to_data,
    round_applications,
    round_experts,
)
from ..enums import AssignmentMethod, AssignmentSource, AssignmentState, ReviewState, RoundState
from ..errors import ReviewError
from ..models import (
    Assignment,
    DeclaredConflict,
    Exclusion,
    Expert,
    ReviewRound,
    Substitute,
)
from .base import audit, expert_of, require_office
from .rounds import notify_assignment, set_round_state

SUBSTITUTES = 2
DEFAULT_CAP = Decimal("0.5")


def inline_limit() -> int:
    return getattr(settings, "ZHIZAO_REVIEW_INLINE_PAIRS", 20000)


def _cap(value) -> Decimal:
    if value in (None, ""):
        return DEFAULT_CAP
    try:
        cap = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ReviewError(
            "bad_cap", _("The cap is a number between 0 and 1."), field="cap"
        ) from None
    if not (Decimal("0") < cap <= Decimal("1")) or cap != cap.quantize(Decimal("0.0001")):
        raise ReviewError("bad_cap", _("The cap is a number between 0 and 1."), field="cap")
    return cap


def run_assignment(
    actor: Actor, review_round: ReviewRound, *, method: str, seed=None, cap=None
) -> ReviewRound:
    """The office starts an assignment run. Refused once experts have submitted reviews.
    Up to ``ZHIZAO_REVIEW_INLINE_PAIRS`` application × expert pairs it runs now; a bigger
    round runs on a worker and the page shows it running."""
    require_office(actor, review_round.call)
    if method not in AssignmentMethod.values:
        raise ReviewError(
            "bad_method", _("Choose the exact optimum or a random draw."), field="method"
        )
    cap_value = _cap(cap) if method == AssignmentMethod.DRAW else None
    if method == AssignmentMethod.DRAW:
        if seed in (None, ""):
            seed = secrets.randbelow(2**31)
        try:
            seed = int(seed)
        except (TypeError, ValueError):
            raise ReviewError("bad_seed", _("The seed is a whole number."), field="seed") from None
        if not 0 <= seed < 2**63:
            raise ReviewError("bad_seed", _("The seed is a whole number."), field="seed")
    else:
        seed = None
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if locked.state not in (RoundState.DRAFT, RoundState.ASSIGNING):
            raise ReviewError(
                "bad_state", _("The experts already have their assignments; use manual changes.")
            )
        if locked.summary.get("running"):
            raise ReviewError("running", _("An assignment run is already under way."))
        set_round_state(actor, locked, RoundState.ASSIGNING)
        locked.method, locked.seed, locked.cap = method, seed, cap_value
        locked.summary = {"running": True, "requested_by": actor.label}
        locked.save(update_fields=["method", "seed", "cap", "summary"])
        audit(
            actor,
            "assignment_run",
            locked,
            changes={
                "method": [None, method],
                "seed": [None, seed],
                "cap": [None, None if cap_value is None else str(cap_value)],
            },
        )
        pairs = round_applications(locked).count() * round_experts(locked).count()
        if pairs > inline_limit():
            enqueue_after_commit("zhizao.review.tasks.run_assignment_task", locked.pk)
            review_round.refresh_from_db()
            return locked
    compute_assignment(locked.pk)
    review_round.refresh_from_db()
    return review_round


def compute_assignment(round_id: int) -> dict:
    """Solve the round's problem with its stored method (seed, cap) and store the result:
    assignments, substitutes, the exclusions with their reasons, the pool and the problem
    itself (replayable). Safe to run twice: it replaces the previous run's rows."""
    review_round = ReviewRound.objects.select_related("call").get(pk=round_id)
    problem, applications, experts, parts = build_problem(review_round)
    excluded = exclusions(problem)
    summary: dict = {"applications": len(applications), "experts": len(experts)}
    result = None
    try:
        if review_round.method == AssignmentMethod.DRAW:
            result = random_draw(problem, seed=review_round.seed, cap=review_round.cap)
        else:
            result = solve_assignment(problem)
    except InfeasibleAssignment as error:
        summary["problems"] = list(error.problems)
        summary["problems_en"] = list(getattr(error, "problems_en", error.problems))
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=round_id)
        Substitute.objects.filter(round=locked).delete()
        Exclusion.objects.filter(round=locked).delete()
        # a new run replaces the previous run's assignments (reviews cannot exist yet)
        Assignment.objects.filter(round=locked, review__isnull=True).delete()
        Exclusion.objects.bulk_create(
            [
                Exclusion(
                    round=locked,
                    application_id=int(x.application),
                    expert_id=int(x.expert),
                    rule=x.rule,
                    reason=x.reason[:300],
                    detail={k: str(v) for k, v in (x.detail or {}).items()},
                )
                for x in excluded
            ]
        )
        if result is not None:
            source = (
                AssignmentSource.DRAW
                if review_round.method == AssignmentMethod.DRAW
                else AssignmentSource.OPTIMAL
            )
            Assignment.objects.bulk_create(
                [
                    Assignment(
                        round=locked,
                        application_id=int(app_id),
                        expert_id=int(expert_id),
                        source=source,
                        affinity=problem.affinity.get((app_id, expert_id), Decimal("0")),
                        parts=_plain(parts.get((app_id, expert_id), {})),
                    )
                    for app_id, expert_ids in result.assignments.items()
                    for expert_id in expert_ids
                ]
            )
            Substitute.objects.bulk_create(_substitutes(locked, problem, result, excluded))
            summary.update(
                total_affinity=str(result.total_affinity),
                worst_application_affinity=str(result.worst_application_affinity),
                solver=getattr(result, "solver", ""),
                digest=digest(result.assignments),
                exclusions=len(excluded),
            )
        locked.summary = summary
        locked.pool = sorted(int(e) for e in experts)
        locked.snapshot = problem_to_data(problem)
        locked.assigned_at = timezone.now()
        locked.save(update_fields=["summary", "pool", "snapshot", "assigned_at"])
        audit(
            SYSTEM,
            "assignment_stored",
            locked,
            changes={"digest": [None, summary.get("digest")]},
            context={"problems": summary.get("problems", [])},
        )
    return summary


def _plain(parts) -> dict:
    return plain(parts) if isinstance(parts, dict) else {}


def _substitutes(review_round, problem, result, excluded) -> list[Substitute]:
    """Per application, the next best eligible experts not assigned to it."""
    barred = {(x.application, x.expert) for x in excluded}
    rows = []
    expert_ids = [e.id for e in problem.experts]
    for app in problem.applications:
        chosen = set(result.assignments.get(app.id, ()))
        candidates = sorted(
            (e for e in expert_ids if e not in chosen and (app.id, e) not in barred),
            key=lambda e: (-problem.affinity.get((app.id, e), Decimal("0")), int(e)),
        )
        for rank, expert_id in enumerate(candidates[:SUBSTITUTES], start=1):
            rows.append(
                Substitute(
                    round=review_round,
                    application_id=int(app.id),
                    expert_id=int(expert_id),
                    rank=rank,
                    affinity=problem.affinity.get((app.id, expert_id), Decimal("0")),
                )
            )
    return rows


# --- manual changes ----------------------------------------------------------------------------


def _active_experts(review_round, application_id) -> list[str]:
    return [
        str(e)
        for e in Assignment.objects.filter(
            round=review_round, application_id=application_id, state=AssignmentState.ACTIVE
        ).values_list("expert_id", flat=True)
    ]


def _current(review_round, application_id) -> dict[str, tuple[str, ...]]:
    """The other applications' active experts (for the load check)."""
    out: dict[str, list[str]] = {}
    rows = Assignment.objects.filter(round=review_round, state=AssignmentState.ACTIVE).exclude(
        application_id=application_id
    )
    for app_id, expert_id in rows.values_list("application_id", "expert_id"):
        out.setdefault(str(app_id), []).append(str(expert_id))
    return {k: tuple(v) for k, v in out.items()}


def _check(problem, review_round, application_id, expert_ids: list[str]) -> list[str]:
    """Refusals of the same rules for these experts on this application; the count of k is
    left to the opening of the round (a manual change adds or replaces one at a time)."""
    lang = "en" if (get_language() or "").startswith("en") else "zh"
    refusals = check_assignment(
        problem,
        str(application_id),
        expert_ids,
        current=_current(review_round, application_id),
        lang=lang,
    )
    return [r for r in refusals if not _only_count(r)]


def _refusals(review_round, application, expert_ids: list[str]) -> tuple[list[str], object]:
    problem, _apps, _experts, parts = build_problem(review_round)
    return _check(problem, review_round, application.pk, expert_ids), (problem, parts)


def add_assignment(
    actor: Actor, review_round: ReviewRound, application, expert: Expert
) -> Assignment:
    """The office places an expert on an application by hand; the same rules decide and a
    refusal is named."""
    require_office(actor, review_round.call)
    if application.call_id != review_round.call_id:
        raise ReviewError("not_in_call", _("This application is not in the round's call."))
    if review_round.state not in (RoundState.ASSIGNING, RoundState.REVIEWING):
        raise ReviewError("bad_state", _("Run the assignment first."))
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        current = _active_experts(locked, application.pk)
        if str(expert.pk) in current:
            raise ReviewError("duplicate", _("This expert is already assigned to it."))
        if Assignment.objects.filter(round=locked, application=application, expert=expert).exists():
            raise ReviewError(
                "was_assigned", _("This expert was assigned before and left; choose another.")
            )
        refusals, (problem, parts) = _refusals(locked, application, [*current, str(expert.pk)])
        if refusals:
            raise ReviewError("refused", "；".join(refusals), field="expert")
        assignment = Assignment.objects.create(
            round=locked,
            application=application,
            expert=expert,
            source=AssignmentSource.MANUAL,
            affinity=problem.affinity.get((str(application.pk), str(expert.pk)), Decimal("0")),
            parts=_plain(parts.get((str(application.pk), str(expert.pk)), {})),
        )
        audit(
            actor,
            "assignment_added",
            assignment,
            changes={"application": [None, application.pk], "expert": [None, expert.pk]},
        )
        if locked.state == RoundState.REVIEWING:
            transaction.on_commit(lambda: notify_assignment(assignment))
    return assignment


def _only_count(refusal: str) -> bool:
    """A refusal about how many experts the application has (k is checked when the round
    opens)."""
    return refusal.startswith(("每个申报须有", "the application needs exactly"))


def remove_assignment(actor: Actor, assignment: Assignment, *, reason: str) -> Assignment:
    require_office(actor, assignment.round.call)
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("required", _("Give the reason."), field="reason")
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.state != AssignmentState.ACTIVE:
            raise ReviewError("not_active", _("This assignment has already ended."))
        if hasattr(locked, "review") and locked.review.state == ReviewState.SUBMITTED:
            raise ReviewError("reviewed", _("This expert has already submitted the review."))
        locked.state = AssignmentState.REMOVED
        locked.ended_reason = reason[:300]
        locked.save(update_fields=["state", "ended_reason"])
        audit(
            actor,
            "assignment_removed",
            locked,
            changes={"state": ["active", "removed"]},
            context={"reason": reason},
        )
    return locked


# --- recusal -------------------------------------------------------------------------------------


def declare_conflict(actor: Actor, assignment: Assignment, *, reason: str) -> Assignment | None:
    """The assigned expert declares a conflict (回避) on the application: the assignment ends,
    the conflict is kept for later runs, and the application gets a replacement — a reserved
    substitute first, else the best eligible expert — each checked by the same rules. Returns
    the new assignment, or None when nobody eligible is left (the office is told)."""
    expert = expert_of(actor)
    if expert is None or expert.pk != assignment.expert_id:
        raise ReviewError("not_yours", _("Only the assigned expert declares a conflict."))
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("required", _("Say what the conflict is."), field="reason")
    review_round = assignment.round
    with transaction.atomic():
        locked_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.state != AssignmentState.ACTIVE:
            raise ReviewError("not_active", _("This assignment has already ended."))
        if hasattr(locked, "review") and locked.review.state == ReviewState.SUBMITTED:
            raise ReviewError("reviewed", _("You have already submitted this review."))
        locked.state = AssignmentState.RECUSED
        locked.ended_reason = reason[:300]
        locked.save(update_fields=["state", "ended_reason"])
        DeclaredConflict.objects.get_or_create(
            round=locked_round,
            application_id=locked.application_id,
            expert_id=locked.expert_id,
            defaults={"reason": reason[:300]},
        )
        audit(
            actor,
            "recusal",
            locked,
            changes={"state": ["active", "recused"]},
            context={"reason": reason},
        )
        replacement = _reassign(locked_round, locked)
        _notify_recusal(locked_round, locked, replacement)
    return replacement


def _reassign(review_round, ended: Assignment) -> Assignment | None:
    application = ended.application
    current = _active_experts(review_round, application.pk)
    problem, _apps, experts, parts = build_problem(review_round)
    app_id = str(application.pk)
    tried = set(
        str(e)
        for e in Assignment.objects.filter(round=review_round, application=application).values_list(
            "expert_id", flat=True
        )
    )
    substitutes = [
        str(s.expert_id)
        for s in Substitute.objects.filter(
            round=review_round, application=application, used=False
        ).order_by("rank")
    ]
    others = sorted(
        (e for e in experts if e not in substitutes),
        key=lambda e: (-problem.affinity.get((app_id, e), Decimal("0")), int(e)),
    )
    for source, candidates in (
        (AssignmentSource.SUBSTITUTE, substitutes),
        (AssignmentSource.RESOLVE, others),
    ):
        for expert_id in candidates:
            if expert_id in tried or expert_id not in experts:
                continue
            if _check(problem, review_round, application.pk, [*current, expert_id]):
                continue
            new = Assignment.objects.create(
                round=review_round,
                application=application,
                expert_id=int(expert_id),
                source=source,
                affinity=problem.affinity.get((app_id, expert_id), Decimal("0")),
                parts=_plain(parts.get((app_id, expert_id), {})),
            )
            Substitute.objects.filter(
                round=review_round, application=application, expert_id=int(expert_id)
            ).update(used=True)
            audit(
                SYSTEM,
                "assignment_added",
                new,
                changes={"expert": [ended.expert_id, int(expert_id)]},
                context={"source": source, "replaces": ended.pk},
            )
            return new
    return None


def _notify_recusal(review_round, ended: Assignment, replacement: Assignment | None) -> None:
    link = reverse("review:round_detail", args=[review_round.pk])
    if replacement is None:
        body = _("Nobody eligible is left for this application; assign an expert by hand.")
    else:
        body = _("A replacement expert was assigned.")
    call = review_round.call
    tell(
        call.host,
        title=_("An expert declared a conflict in %(round)s") % {"round": review_round.name},
        body=body,
        link=link,
    )
    if replacement is not None and review_round.state == RoundState.REVIEWING:
        replacement = Assignment.objects.select_related(
            "round", "expert__membership__organization", "expert__membership__user"
        ).get(pk=replacement.pk)
        notify_assignment(replacement)
