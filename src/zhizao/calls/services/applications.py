"""Applications: the one state machine (``set_application_state``), creating, answering the
form, submitting, withdrawing."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from zhizao.common.audit import Actor
from zhizao.common.services import update_fields
from zhizao.registry.models import Organization

from ..access import can_apply, can_manage_call, is_applicant, is_nominator
from ..eligibility import check_eligibility
from ..enums import EDITABLE_STATES, TRANSITIONS, ApplicationState, FieldType, StageKind
from ..errors import CallError
from ..models import Application, ApplicationFile, Call
from ..selectors import missing_items, prefill_values, stage_open, title_key
from ..validators import clean_answer
from .base import application_link, audit, is_system, tell, text

A = ApplicationState

#: what the applicant is told when its application reaches a state
NOTIFIED_STATES = {
    A.RETURNED: N_("Your application “%(title)s” was returned for correction."),
    A.FORMAL_PASSED: N_("Your application “%(title)s” passed formal review."),
    A.FORMAL_REJECTED: N_("Your application “%(title)s” was rejected in formal review."),
    A.NOMINATED: N_("Your application “%(title)s” was nominated."),
    A.SELECTED: N_("Your application “%(title)s” was selected."),
    A.NOT_SELECTED: N_("Your application “%(title)s” was not selected."),
}


def _allowed(actor: Actor, application: Application, before: str, to: str) -> bool:
    """Who may make which move: the applicant submits, pulls back to draft and withdraws;
    the nominating body nominates and withdraws its nomination (back to submitted); the
    selection office (or an operator) does everything else and may also withdraw."""
    if is_system(actor):
        return True
    if to in (A.SUBMITTED,) and before in (A.DRAFT, A.RETURNED):
        return is_applicant(actor, application)
    if to == A.DRAFT:
        return is_applicant(actor, application)
    if to == A.WITHDRAWN:
        return is_applicant(actor, application) or can_manage_call(actor, application.call)
    if to == A.NOMINATED and before == A.RETURNED and application.nominated_at is not None:
        return is_applicant(actor, application)  # a correction keeps the nomination
    if to == A.NOMINATED or (to == A.SUBMITTED and before == A.NOMINATED):
        return is_nominator(actor, application) or can_manage_call(actor, application.call)
    return can_manage_call(actor, application.call)


def move(
    actor: Actor,
    locked: Application,
    to: str,
    *,
    reason: str = "",
    fields: tuple[str, ...] = (),
    context: dict | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """Move a LOCKED application (inside the caller's transaction) to ``to``: checks the
    transition and who may make it, saves ``state`` with ``fields``, bumps the version,
    records the audit entry, notifies the applicant. Other services of this app call it after
    setting their own fields; nobody else assigns ``Application.state``."""
    before = locked.state
    if to not in A.values:
        raise CallError("bad_state", _("Unknown state: %(s)s") % {"s": to}, field="to")
    if to not in TRANSITIONS.get(before, ()):
        raise CallError(
            "bad_transition",
            _("An application cannot go from %(a)s to %(b)s.")
            % {"a": A(before).label, "b": A(to).label},
            field="to",
        )
    if not _allowed(actor, locked, before, to):
        raise CallError("not_allowed", _("You cannot do this for this application."))
    now = now or timezone.now()
    locked.state = to
    locked.version += 1
    save = ["state", "version", "updated_at", *fields]
    if to in (A.SUBMITTED, A.NOMINATED) and before in (A.DRAFT, A.RETURNED):
        locked.submitted_at = now
        save.append("submitted_at")
    if to in (A.FORMAL_REJECTED, A.NOT_SELECTED) and reason:
        locked.decision_reason = reason
        save.append("decision_reason")
    locked.save(update_fields=list(dict.fromkeys(save)))
    audit(
        actor,
        "application_state",
        locked,
        changes={"state": [before, to]},
        context={**({"reason": reason} if reason else {}), **(context or {})},
    )
    message = NOTIFIED_STATES.get(to)
    if message and not is_applicant(actor, locked):
        tell(
            locked.applicant,
            title=_(message) % {"title": locked.title},
            body=reason,
            link=application_link(locked),
        )
    return locked


def lock(application: Application | int) -> Application:
    pk = application if isinstance(application, int) else application.pk
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "applicant", "category", "nominator")
        .get(pk=pk)
    )


def set_application_state(
    actor: Actor,
    application: Application,
    *,
    to: str,
    reason: str = "",
    expected: str | None = None,
) -> Application:
    """The one audited state transition of an application. ``expected`` is the state the
    caller saw: when another officer moved the application meanwhile, the move is refused and
    nothing changes (two officers can never move one application into two outcomes)."""
    reason = text(reason, field="reason", label=_("Reason"), max_length=2000)
    with transaction.atomic():
        locked = lock(application)
        if expected is not None and locked.state != expected:
            raise CallError(
                "state_changed",
                _("The application is now “%(s)s”: someone changed it meanwhile.")
                % {"s": locked.get_state_display()},
                field="to",
            )
        return move(actor, locked, to, reason=reason)


# --- the applicant's side -------------------------------------------------------------------

DETAIL_FIELDS = ("title", "category", "nominator", "people", "named_exclusions")


def _stage_closed_error(kind_label: str) -> CallError:
    return CallError(
        "deadline_passed",
        _("The %(stage)s stage is closed: the deadline has passed.") % {"stage": kind_label},
    )


def _check_details(call: Call, *, category, nominator, people, named_exclusions) -> None:
    if category is not None and category.call_id != call.pk:
        raise CallError("bad_category", _("Choose a category of this call."), field="category")
    if call.categories.exists() and category is None:
        raise CallError("required", _("Choose a category."), field="category")
    if call.requires_nomination:
        if nominator is None:
            raise CallError("required", _("Choose the nominating body."), field="nominator")
        if not call.quotas.filter(nominator=nominator).exists():
            raise CallError(
                "bad_nominator",
                _("Choose one of the call's nominating bodies."),
                field="nominator",
            )
    if len(people) > 50 or any(not isinstance(p, str) or len(p) > 100 for p in people):
        raise CallError("bad_people", _("Team: at most 50 names or ids."), field="people")
    clean_named_exclusions(call, named_exclusions)


#: kinds of an applicant-named exclusion (回避申请): one expert, or every expert of an
#: organisation
EXCLUSION_KINDS = ("expert", "organisation")
#: states in which the applicant may still change its named exclusions: until the review starts
EXCLUSION_STATES = frozenset({A.DRAFT, A.RETURNED, A.SUBMITTED, A.NOMINATED, A.FORMAL_PASSED})


def clean_named_exclusions(call: Call, entries) -> list:
    """The applicant's named exclusions checked: at most the call's ``max_named_exclusions``,
    each an expert or an organisation by name with the reason (a plain string is an expert's
    name or pool id, as older applications stored them); duplicates refused."""
    entries = list(entries or [])
    if len(entries) > call.max_named_exclusions:
        raise CallError(
            "too_many_exclusions",
            _("You may name at most %(n)d experts or organisations to exclude.")
            % {"n": call.max_named_exclusions},
            field="named_exclusions",
        )
    out: list = []
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(entries):
        if isinstance(entry, str):
            name = text(entry, field="named_exclusions", label=_("Name"), max_length=100)
            if name:
                key = ("expert", name)
                if key in seen:
                    raise CallError(
                        "duplicate",
                        _("%(name)s is named twice.") % {"name": name},
                        field="named_exclusions",
                    )
                seen.add(key)
                out.append(name)
            continue
        if not isinstance(entry, dict) or entry.get("kind") not in EXCLUSION_KINDS:
            raise CallError(
                "bad_exclusion",
                _("Each exclusion names an expert or an organisation."),
                field=f"named_exclusions[{i}].kind",
            )
        name = text(
            entry.get("name"),
            field=f"named_exclusions[{i}].name",
            label=_("Name"),
            max_length=100,
            required=True,
        )
        reason = text(
            entry.get("reason"),
            field=f"named_exclusions[{i}].reason",
            label=_("Reason"),
            max_length=300,
            required=True,
        )
        key = (entry["kind"], name)
        if key in seen:
            raise CallError(
                "duplicate",
                _("%(name)s is named twice.") % {"name": name},
                field=f"named_exclusions[{i}].name",
            )
        seen.add(key)
        out.append({"kind": entry["kind"], "name": name, "reason": reason})
    return out


def set_named_exclusions(actor: Actor, application: Application, entries) -> Application:
    """The applicant names up to the call's ``max_named_exclusions`` experts or organisations
    it asks to exclude from the review (回避申请), each with its reason, until the review
    starts. The office sees them; the assignment honours them (``review.adapters``)."""
    with transaction.atomic():
        locked = lock(application)
        if not is_applicant(actor, locked):
            raise CallError("not_allowed", _("You cannot do this for this application."))
        if locked.state not in EXCLUSION_STATES:
            raise CallError(
                "not_editable",
                _("The review has started: the exclusions can no longer be changed."),
            )
        clean = clean_named_exclusions(locked.call, entries)
        before = list(locked.named_exclusions or [])
        if clean == before:
            return locked
        locked.named_exclusions = clean
        locked.save(update_fields=["named_exclusions"])
        audit(
            actor,
            "named_exclusions_set",
            locked,
            changes={"named_exclusions": [before, clean]},
        )
    return locked


def start_application(
    actor: Actor,
    call: Call,
    *,
    title: str,
    category=None,
    nominator=None,
    people=(),
    named_exclusions=(),
    now: dt.datetime | None = None,
) -> Application:
    """A draft application of the actor's organisation, prefilled from the registry and from
    the latest verified maturity level."""
    now = now or timezone.now()
    if not can_apply(actor, call):
        raise CallError("not_allowed", _("This call does not take applications from you."))
    if not stage_open(call, StageKind.APPLY, now):
        raise _stage_closed_error(StageKind.APPLY.label)
    title = text(
        title, field="title", label=_("Title of the project"), max_length=200, required=True
    )
    people, named_exclusions = list(people), list(named_exclusions)
    _check_details(
        call,
        category=category,
        nominator=nominator,
        people=people,
        named_exclusions=named_exclusions,
    )
    organization = Organization.objects.get(pk=actor.organization_id)
    with transaction.atomic():
        application = Application.objects.create(
            call=call,
            category=category,
            applicant=organization,
            title=title,
            title_key=title_key(title),
            nominator=nominator,
            people=people,
            named_exclusions=named_exclusions,
            industry_code=organization.industry_id or "",
            region_code=organization.region_id or "",
            data=prefill_values(call, organization),
            created_by=actor.user if actor.user_id else None,
        )
        audit(actor, "application_created", application, context={"call": call.pk})
    return application


def _lock_editable(actor: Actor, application: Application) -> Application:
    locked = lock(application)
    if not is_applicant(actor, locked):
        raise CallError("not_allowed", _("You cannot do this for this application."))
    if locked.state not in EDITABLE_STATES:
        raise CallError(
            "not_editable",
            _("The application is “%(s)s”: it can no longer be changed.")
            % {"s": locked.get_state_display()},
        )
    return locked


def update_application(actor: Actor, application: Application, data: dict) -> dict:
    """Title, category, nominating body, team and named exclusions of a draft or returned
    application."""
    with transaction.atomic():
        locked = _lock_editable(actor, application)

        def prepare(obj):
            obj.title = text(
                obj.title,
                field="title",
                label=_("Title of the project"),
                max_length=200,
                required=True,
            )
            obj.title_key = title_key(obj.title)
            _check_details(
                obj.call,
                category=obj.category,
                nominator=obj.nominator,
                people=list(obj.people or []),
                named_exclusions=list(obj.named_exclusions or []),
            )

        changes = update_fields(
            actor,
            locked,
            data,
            fields=DETAIL_FIELDS,
            event="calls.application_updated",
            prepare=prepare,
            also_save=("title_key",),
        )
        if changes:
            locked.version += 1
            locked.save(update_fields=["version"])
        return changes


def save_answer(actor: Actor, application: Application, *, code: str, value) -> Application:
    """Autosave of one field: checks the answer against the field's definition and stores it
    (an empty answer removes it). Refused naming the field; nothing changes then."""
    with transaction.atomic():
        locked = _lock_editable(actor, application)
        field = locked.call.fields.filter(code=code).first()
        if field is None:
            raise CallError("unknown_field", _("No such field."), field=code)
        cleaned = clean_answer(field, value)
        before = locked.data.get(code)
        if cleaned == before:
            return locked
        data = dict(locked.data)
        if cleaned is None:
            data.pop(code, None)
        else:
            data[code] = cleaned
        locked.data = data
        locked.version += 1
        locked.save(update_fields=["data", "version", "updated_at"])
        audit(
            actor,
            "answer_saved",
            locked,
            changes={f"data.{code}": [before, cleaned]},
        )
    return locked


def add_file(actor: Actor, application: Application, *, code: str, upload) -> ApplicationFile:
    """Upload the file of a file field (replaces an earlier one); type and size checked."""
    with transaction.atomic():
        locked = _lock_editable(actor, application)
        field = locked.call.fields.filter(code=code, type=FieldType.FILE).first()
        if field is None:
            raise CallError("unknown_field", _("No such file field."), field=code)
        name = PurePath(getattr(upload, "name", "") or "file").name[:200]
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in field.options.get("types", []):
            raise CallError(
                "bad_file_type",
                _("%(label)s: the file must be %(types)s.")
                % {"label": field.label, "types": "、".join(field.options.get("types", []))},
                field=code,
            )
        size = getattr(upload, "size", 0) or 0
        if size > field.options.get("max_mb", 10) * 1024 * 1024:
            raise CallError(
                "file_too_large",
                _("%(label)s: at most %(n)d MB.")
                % {"label": field.label, "n": field.options.get("max_mb", 10)},
                field=code,
            )
        if size == 0:
            raise CallError(
                "empty_file",
                _("%(label)s: the file is empty.") % {"label": field.label},
                field=code,
            )
        before = locked.data.get(code)
        locked.files.filter(field_code=code).delete()
        row = ApplicationFile(
            application=locked,
            field_code=code,
            name=name,
            size=size,
            uploaded_by=actor.user if actor.user_id else None,
        )
        row.file.save(name, upload, save=False)
        row.save()
        locked.data = {**locked.data, code: {"file": row.pk, "name": name, "size": size}}
        locked.version += 1
        locked.save(update_fields=["data", "version", "updated_at"])
        audit(actor, "file_added", locked, changes={f"data.{code}": [before, name]})
    return row


def submit_application(
    actor: Actor, application: Application, *, now: dt.datetime | None = None
) -> Application:
    """Submit before the deadline (the server's clock; for a returned application its
    correction deadline), complete, and not ineligible by the call's rule."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_editable(actor, application)
        call = locked.call
        if locked.state == A.RETURNED:
            if locked.correction_deadline and now > locked.correction_deadline:
                raise CallError("deadline_passed", _("The deadline for the correction has passed."))
        elif not stage_open(call, StageKind.APPLY, now):
            raise _stage_closed_error(StageKind.APPLY.label)
        missing = missing_items(locked)
        if missing:
            raise CallError(
                "incomplete",
                _("Still missing: %(items)s")
                % {"items": "；".join(f"{m.label}（{m.problem}）" for m in missing)},
                field=missing[0].code,
            )
        result = check_eligibility(call, locked.applicant, as_of=now.date())
        if result.eligible is False:
            raise CallError(
                "ineligible",
                _("The applicant does not meet the call's conditions: %(why)s")
                % {"why": "；".join(result.steps)},
                field="eligibility",
            )
        back_to = A.SUBMITTED
        if locked.state == A.RETURNED and locked.nominated_at is not None:
            back_to = A.NOMINATED  # a correction keeps the nomination
        return move(
            actor, locked, back_to, now=now, context={"corrected": locked.state == A.RETURNED}
        )


def recall_application(
    actor: Actor, application: Application, *, now: dt.datetime | None = None
) -> Application:
    """Take a submitted (not yet nominated or reviewed) application back to draft to correct
    it, while the application stage is open."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock(application)
        if not stage_open(locked.call, StageKind.APPLY, now):
            raise _stage_closed_error(StageKind.APPLY.label)
        return move(actor, locked, A.DRAFT, now=now)


def withdraw_application(
    actor: Actor, application: Application, *, reason: str = ""
) -> Application:
    reason = text(reason, field="reason", label=_("Reason"), max_length=2000)
    with transaction.atomic():
        return move(actor, lock(application), A.WITHDRAWN, reason=reason)
