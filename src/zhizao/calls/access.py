"""Who may see and change which call, application, nomination, 公示 and catalogue. Every
fetch goes through here; a missing object and a forbidden one look the same (404).

- Calls: the selection office (members of the host organisation acting as officer, operator
  or society) and platform operators manage them; everybody logged in sees calls that are not
  drafts; the public sees open and published ones.
- Applications: the applicant organisation sees its own; the nominating body sees those
  addressed to it once submitted; the selection office sees all of its calls'; operators all.
  Experts never see applications through this module (the review app decides what an expert
  sees, through its assignments).
- 公示 pages and catalogues are public; an objection's signer is seen by the selection office
  only (the handling officer), never by the applicant or the public."""

from __future__ import annotations

from django.db.models import Case, F, Q, Value, When
from django.http import Http404

from zhizao.accounts.enums import Role
from zhizao.accounts.roles import acts_for, belongs_to, is_operator, role_of

from .enums import EDITABLE_STATES, ApplicationState, CallState
from .models import Application, Call, Catalogue, Objection, VerifiedIdentity

#: roles in which a member of the host organisation runs the call (selection office)
OFFICE_ROLES = frozenset({Role.OPERATOR, Role.OFFICER, Role.SOCIETY})
#: roles that may be a nominating body (推荐单位): a member society, a city bureau
NOMINATOR_ROLES = frozenset({Role.SOCIETY, Role.OFFICER})
#: roles that may apply for their organisation
APPLICANT_ROLES = frozenset({Role.ENTERPRISE, Role.PROVIDER, Role.SOCIETY})
PUBLIC_CALL_STATES = frozenset({CallState.OPEN, CallState.CLOSED, CallState.PUBLISHED})


# --- calls ----------------------------------------------------------------------------------


def is_selection_office(membership, call: Call) -> bool:
    """A member of the call's host organisation acting as officer, operator or society."""
    return role_of(membership) in OFFICE_ROLES and belongs_to(membership, call.host_id)


def can_manage_call(membership, call: Call) -> bool:
    return is_operator(membership) or is_selection_office(membership, call)


def can_create_call(membership) -> bool:
    return role_of(membership) in OFFICE_ROLES


def calls_for(membership):
    qs = Call.objects.select_related("host")
    if membership is None:
        return qs.filter(state__in=PUBLIC_CALL_STATES)
    if is_operator(membership):
        return qs
    visible = Q(state__in=PUBLIC_CALL_STATES)
    if role_of(membership) in OFFICE_ROLES:
        visible |= Q(host_id=membership.organization_id)
    return qs.filter(visible)


def access_call(membership, pk, *, manage: bool = False) -> Call:
    call = calls_for(membership).filter(pk=pk).first()
    if call is None or (manage and not can_manage_call(membership, call)):
        raise Http404
    return call


def can_apply(membership, call: Call) -> bool:
    return call.state == CallState.OPEN and role_of(membership) in APPLICANT_ROLES


# --- applications ---------------------------------------------------------------------------


def applications_for(membership):
    qs = Application.objects.select_related("call", "applicant", "category", "nominator")
    if membership is None:
        return qs.none()
    if is_operator(membership):
        return qs
    org = membership.organization_id
    visible = Q(applicant_id=org) if acts_for(membership, org) else Q(pk__in=[])
    role = role_of(membership)
    if role in NOMINATOR_ROLES:
        visible |= Q(nominator_id=org) & ~Q(state=ApplicationState.DRAFT)
    if role in OFFICE_ROLES:
        visible |= Q(call__host_id=org) & ~Q(state=ApplicationState.DRAFT)
    return qs.filter(visible)


def access_application(membership, pk, *, write: bool = False) -> Application:
    application = applications_for(membership).filter(pk=pk).first()
    if application is None or (write and not can_edit_application(membership, application)):
        raise Http404
    return application


def is_applicant(membership, application: Application) -> bool:
    return role_of(membership) in APPLICANT_ROLES and acts_for(membership, application.applicant_id)


def can_edit_application(membership, application: Application) -> bool:
    return is_applicant(membership, application) and application.state in EDITABLE_STATES


def is_nominator(membership, application: Application) -> bool:
    return role_of(membership) in NOMINATOR_ROLES and belongs_to(
        membership, application.nominator_id
    )


def can_review_formally(membership, application: Application) -> bool:
    return can_manage_call(membership, application.call)


# --- 公示, objections, catalogues -------------------------------------------------------------


def objections_for(membership):
    """The objections a membership handles: the selection office's calls (operators: all)."""
    qs = Objection.objects.select_related("application", "publicity__call", "objector")
    if membership is None:
        return qs.none()
    if is_operator(membership):
        return qs
    if role_of(membership) in OFFICE_ROLES:
        return qs.filter(publicity__call__host_id=membership.organization_id)
    return qs.none()


def access_objection(membership, pk) -> Objection:
    objection = objections_for(membership).filter(pk=pk).first()
    if objection is None:
        raise Http404
    return objection


def identity_verified(user_id) -> bool:
    return bool(user_id) and VerifiedIdentity.objects.filter(user_id=user_id).exists()


def can_object(membership) -> bool:
    """A logged-in user acting in a membership whose real identity an operator has verified
    (``VerifiedIdentity``); a membership or an ``Actor`` alike."""
    return membership is not None and identity_verified(getattr(membership, "user_id", None))


def objections_shown(membership):
    """``objections_for`` with who objected only where the membership's user handles it
    (``shown_objector_name`` / ``shown_objector_phone`` None otherwise, ``handled_by_me``)."""
    user_id = getattr(membership, "user_id", None) or 0
    mine = Q(handler_id=user_id)
    return objections_for(membership).annotate(
        shown_objector_name=Case(When(mine, then=F("objector_name")), default=Value(None)),
        shown_objector_phone=Case(When(mine, then=F("objector_phone")), default=Value(None)),
        handled_by_me=Case(When(mine, then=Value(True)), default=Value(False)),
    )


def sees_objector(membership, objection: Objection) -> bool:
    """Only the handling officer (the one who took the objection up) sees who objected."""
    return (
        membership is not None
        and objection.handler_id is not None
        and objection.handler_id == getattr(membership, "user_id", None)
    )


def catalogues_for(membership):
    return Catalogue.objects.select_related("publisher", "call")


def access_catalogue(membership, pk) -> Catalogue:
    catalogue = catalogues_for(membership).filter(pk=pk).first()
    if catalogue is None:
        raise Http404
    return catalogue
