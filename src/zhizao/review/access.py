"""Who may see and change which expert, round, assignment and review. Every fetch goes
through here; a missing object and a forbidden one look the same (404).

- The expert pool: operators manage it; officers read it; an expert sees and edits its own
  profile only. Applicants and the public never reach any of it.
- Rounds: the selection office of the call (``calls.access.can_manage_call``) runs them.
- Assignments and reviews: an expert sees only its own active assignments (blind to the
  applicant when the call says so) and other experts' reviews per the round's visibility;
  never an application it is not assigned to (excluded pairs are never assigned).
"""

from __future__ import annotations

from django.http import Http404

from zhizao.accounts.roles import is_expert, is_operator, is_staff
from zhizao.calls.access import OFFICE_ROLES, can_manage_call
from zhizao.calls.models import Call

from .enums import AssignmentState, ReviewState, RoundState, Visibility
from .models import Assignment, Expert, Review, ReviewRound

EXPERT_VISIBLE_ROUND_STATES = (RoundState.REVIEWING, RoundState.CLOSED, RoundState.PROPOSED)


# --- the pool ---------------------------------------------------------------------------------


def can_manage_pool(membership) -> bool:
    return is_operator(membership)


def can_view_pool(membership) -> bool:
    return is_staff(membership)


def own_expert(membership) -> Expert | None:
    if not is_expert(membership):
        return None
    return Expert.objects.filter(membership_id=membership.pk, is_active=True).first()


def experts_for(membership):
    qs = Expert.objects.select_related("membership__organization")
    if can_view_pool(membership):
        return qs
    if is_expert(membership):
        return qs.filter(membership_id=membership.pk)
    return qs.none()


def can_edit_expert(membership, expert: Expert) -> bool:
    return can_manage_pool(membership) or (
        is_expert(membership) and expert.membership_id == membership.pk
    )


def access_expert(membership, pk, *, write: bool = False) -> Expert:
    expert = experts_for(membership).filter(pk=pk).first()
    if expert is None or (write and not can_edit_expert(membership, expert)):
        raise Http404
    return expert


# --- rounds -------------------------------------------------------------------------------------


def rounds_for(membership):
    """The rounds the acting membership runs (the selection office; operators all)."""
    qs = ReviewRound.objects.select_related("call")
    if membership is None:
        return qs.none()
    if is_operator(membership):
        return qs
    if membership.role in OFFICE_ROLES:
        return qs.filter(call__host_id=membership.organization_id)
    return qs.none()


def can_see_rounds(membership) -> bool:
    """The rounds list (and its navigation entry, no query): operators and office roles."""
    return membership is not None and (is_operator(membership) or membership.role in OFFICE_ROLES)


def can_run_rounds(membership) -> bool:
    """Operators, and members of an organisation that hosts a call, acting in an office role."""
    if membership is None:
        return False
    if is_operator(membership):
        return True
    return (
        membership.role in OFFICE_ROLES
        and Call.objects.filter(host_id=membership.organization_id).exists()
    )


def can_manage_round(membership, review_round: ReviewRound) -> bool:
    return can_manage_call(membership, review_round.call)


def access_round(membership, pk) -> ReviewRound:
    review_round = rounds_for(membership).filter(pk=pk).first()
    if review_round is None or not can_manage_round(membership, review_round):
        raise Http404
    return review_round


# --- an expert's assignments ------------------------------------------------------------------


def assignments_for_expert(membership):
    """The acting expert's active assignments in rounds handed to the experts."""
    if not is_expert(membership):
        return Assignment.objects.none()
    return Assignment.objects.filter(
        expert__membership_id=membership.pk,
        expert__is_active=True,
        state=AssignmentState.ACTIVE,
        round__state__in=EXPERT_VISIBLE_ROUND_STATES,
    ).select_related("round__call", "application", "application__category")


def access_assignment(membership, pk) -> Assignment:
    assignment = assignments_for_expert(membership).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


def visible_reviews(assignment: Assignment):
    """The other experts' reviews of the same application the expert may read, per the
    round's visibility (submitted ones only)."""
    review_round = assignment.round
    others = Review.objects.filter(
        assignment__round=review_round,
        assignment__application_id=assignment.application_id,
        assignment__state=AssignmentState.ACTIVE,
        state=ReviewState.SUBMITTED,
    ).exclude(assignment_id=assignment.pk)
    visibility = review_round.visibility
    if review_round.kind == "panel":
        visibility = Visibility.ALWAYS
    if visibility == Visibility.NEVER:
        return others.none()
    if visibility == Visibility.AFTER_OWN:
        own = Review.objects.filter(assignment=assignment, state=ReviewState.SUBMITTED)
        if not own.exists():
            return others.none()
    return others.select_related("assignment__expert").order_by("assignment__expert__name")


def office_assignments(review_round: ReviewRound):
    return (
        Assignment.objects.filter(round=review_round)
        .select_related("application__applicant", "expert", "review")
        .order_by("application_id", "state", "-affinity", "expert_id")
    )
