"""The expert pool (专家库): profiles, former organisations, declared relations, availability
per round and the office's appraisal after a round."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.accounts.enums import Role
from zhizao.common.audit import Actor
from zhizao.common.services import update_fields
from zhizao.matchmaking.vocabulary import is_category
from zhizao.registry.models import Industry, Organization

from ..enums import DECLARABLE_STATES, ExpertAttribute, ExpertTitle, RelationKind
from ..errors import ReviewError
from ..models import Expert, PastOrganisation, Relation, RoundExpert
from .base import audit, expert_of, require_office, require_operator

PROFILE_FIELDS = (
    "name",
    "person_id",
    "divisions",
    "domains",
    "keywords",
    "title",
    "years_experience",
    "attributes",
    "max_load",
)
MAX_CODES = 20


def _code_list(values, *, field: str, check, message: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
    out: list[str] = []
    for value in values:
        value = str(value).strip()
        if not value or value in out:
            continue
        if not check(value):
            raise ReviewError("bad_code", f"{message} ({value})", field=field)
        out.append(value)
    if len(out) > MAX_CODES:
        raise ReviewError("too_many", message, field=field)
    return out


def _divisions(values) -> list[str]:
    known = set(Industry.objects.filter(level="division").values_list("code", flat=True))
    return _code_list(
        values,
        field="divisions",
        check=lambda c: c in known,
        message=_("Choose industry divisions (GB/T 4754, two digits) from the list."),
    )


def _clean_profile(values: dict) -> dict:
    out = {}
    if "name" in values:
        name = (values["name"] or "").strip()
        if not name:
            raise ReviewError("required", _("Give the expert's name."), field="name")
        out["name"] = name[:100]
    if "person_id" in values:
        out["person_id"] = (values["person_id"] or "").strip()[:40]
    if "divisions" in values:
        out["divisions"] = _divisions(values["divisions"])
    if "domains" in values:
        out["domains"] = _code_list(
            values["domains"],
            field="domains",
            check=is_category,
            message=_("Choose technical domains from the list."),
        )
    if "keywords" in values:
        out["keywords"] = (values["keywords"] or "").strip()[:2000]
    if "title" in values:
        title = values["title"] or ""
        if title and title not in ExpertTitle.values:
            raise ReviewError("bad_title", _("Choose a title from the list."), field="title")
        out["title"] = title
    if "years_experience" in values:
        try:
            years = int(values["years_experience"] or 0)
        except (TypeError, ValueError):
            raise ReviewError(
                "not_a_number",
                _("Years of experience is a whole number."),
                field="years_experience",
            ) from None
        if not 0 <= years <= 70:
            raise ReviewError(
                "out_of_range", _("Years of experience is 0 to 70."), field="years_experience"
            )
        out["years_experience"] = years
    if "attributes" in values:
        out["attributes"] = _code_list(
            values["attributes"],
            field="attributes",
            check=lambda c: c in ExpertAttribute.values,
            message=_("Choose attributes from the list."),
        )
    if "max_load" in values:
        load = values["max_load"]
        if load in (None, ""):
            out["max_load"] = None
        else:
            try:
                load = int(load)
            except (TypeError, ValueError):
                raise ReviewError(
                    "not_a_number", _("The load is a whole number."), field="max_load"
                ) from None
            if not 1 <= load <= 200:
                raise ReviewError("out_of_range", _("The load is 1 to 200."), field="max_load")
            out["max_load"] = load
    return out


def create_expert(actor: Actor, membership, **values) -> Expert:
    """Admit an expert membership to the pool (operators)."""
    require_operator(actor)
    if membership.role != Role.EXPERT or not membership.is_active:
        raise ReviewError(
            "not_expert",
            _("Only an active expert membership can join the pool."),
            field="membership",
        )
    values.setdefault("name", str(membership.user))
    clean = _clean_profile(values)
    with transaction.atomic():
        if Expert.objects.filter(membership=membership).exists():
            raise ReviewError("duplicate", _("This expert is already in the pool."))
        expert = Expert.objects.create(membership=membership, **clean)
        audit(actor, "expert_created", expert, changes={k: [None, v] for k, v in clean.items()})
    return expert


def _may_edit(actor: Actor, expert: Expert) -> None:
    if actor.role == Role.OPERATOR:
        return
    own = expert_of(actor)
    if own is None or own.pk != expert.pk:
        raise ReviewError("not_allowed", _("You may edit only your own expert profile."))


def update_expert(actor: Actor, expert: Expert, **values) -> Expert:
    """The operator or the expert itself changes the profile."""
    _may_edit(actor, expert)
    clean = _clean_profile(values)
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        update_fields(actor, locked, clean, fields=PROFILE_FIELDS, event="review.expert_updated")
    return locked


def set_expert_active(actor: Actor, expert: Expert, *, active: bool) -> Expert:
    require_operator(actor)
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        update_fields(
            actor, locked, {"is_active": active}, fields=("is_active",), event="review.expert_state"
        )
    return locked


def add_past_organisation(
    actor: Actor, expert: Expert, *, organization: Organization, until: dt.date
) -> PastOrganisation:
    _may_edit(actor, expert)
    if organization is None:
        raise ReviewError("required", _("Choose the organisation."), field="organization")
    if not isinstance(until, dt.date):
        raise ReviewError("required", _("Give the date the expert left."), field="until")
    if until > timezone.localdate():
        raise ReviewError("future", _("The date the expert left is in the future."), field="until")
    if organization.pk == expert.membership.organization_id:
        raise ReviewError(
            "current_organisation",
            _("This is the expert's current organisation."),
            field="organization",
        )
    with transaction.atomic():
        past = PastOrganisation.objects.create(
            expert=expert, organization=organization, until=until
        )
        audit(
            actor,
            "past_organisation_added",
            expert,
            changes={"past_organisation": [None, f"{organization.uscc} {until.isoformat()}"]},
        )
    return past


def remove_past_organisation(actor: Actor, past: PastOrganisation) -> None:
    _may_edit(actor, past.expert)
    with transaction.atomic():
        audit(
            actor,
            "past_organisation_removed",
            past.expert,
            changes={"past_organisation": [f"{past.organization_id} {past.until}", None]},
        )
        past.delete()


def add_relation(
    actor: Actor, expert: Expert, *, person: str, kind: str, note: str = ""
) -> Relation:
    _may_edit(actor, expert)
    person = (person or "").strip()
    if not person:
        raise ReviewError("required", _("Give the person's id or name."), field="person")
    if kind not in RelationKind.values:
        raise ReviewError("bad_kind", _("Choose the kind of relation."), field="kind")
    with transaction.atomic():
        relation = Relation.objects.create(
            expert=expert, person=person[:100], kind=kind, note=(note or "").strip()[:200]
        )
        audit(actor, "relation_added", expert, changes={"relation": [None, f"{kind} {person}"]})
    return relation


def remove_relation(actor: Actor, relation: Relation) -> None:
    _may_edit(actor, relation.expert)
    with transaction.atomic():
        audit(
            actor,
            "relation_removed",
            relation.expert,
            changes={"relation": [f"{relation.kind} {relation.person}", None]},
        )
        relation.delete()


def set_availability(
    actor: Actor, review_round, expert: Expert, *, available: bool, max_load=None
) -> RoundExpert:
    """The expert (for itself, until the round is handed to the experts) or the office says
    whether the expert reviews in this round, and its most applications there."""
    own = expert_of(actor)
    if own is not None and own.pk == expert.pk:
        if review_round.state not in DECLARABLE_STATES:
            raise ReviewError(
                "round_started",
                _("This round has been handed to the experts; ask the selection office."),
            )
    else:
        require_office(actor, review_round.call)
    if max_load not in (None, ""):
        max_load = _clean_profile({"max_load": max_load})["max_load"]
    else:
        max_load = None
    with transaction.atomic():
        row, _created = RoundExpert.objects.select_for_update().get_or_create(
            round=review_round, expert=expert
        )
        update_fields(
            actor,
            row,
            {"available": bool(available), "max_load": max_load},
            fields=("available", "max_load"),
            event="review.availability",
            audit_object=expert,
        )
    return row


def appraise_expert(
    actor: Actor, review_round, expert: Expert, *, timeliness: int, quality: int, note: str = ""
) -> RoundExpert:
    """The office rates an expert's timeliness and quality (1–5) after a round."""
    require_office(actor, review_round.call)
    scores = {}
    for field, value in (("timeliness", timeliness), ("quality", quality)):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ReviewError("not_a_number", _("Rate from 1 to 5."), field=field) from None
        if not 1 <= number <= 5:
            raise ReviewError("out_of_range", _("Rate from 1 to 5."), field=field)
        scores[field] = number
    if not review_round.assignments.filter(expert=expert).exists():
        raise ReviewError("not_in_round", _("This expert had no assignment in this round."))
    with transaction.atomic():
        row, _created = RoundExpert.objects.select_for_update().get_or_create(
            round=review_round, expert=expert
        )
        update_fields(
            actor,
            row,
            {
                **scores,
                "appraisal_note": (note or "").strip()[:300],
                "appraised_at": timezone.now(),
            },
            fields=("timeliness", "quality", "appraisal_note", "appraised_at"),
            event="review.appraisal",
            audit_object=expert,
        )
    return row
