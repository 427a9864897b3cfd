"""Open challenges (揭榜挂帅): operators create, open, review and announce them; providers
and banks that meet the eligibility rules apply before the deadline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhizao.accounts.enums import Role
from zhizao.common.audit import Actor
from zhizao.common.notifications import notify
from zhizao.common.services import changes_between, snapshot, update_fields
from zhizao.registry.models import Organization

from ..eligibility import check_eligibility
from ..enums import (
    APPLICATION_TRANSITIONS,
    CHALLENGE_TRANSITIONS,
    ApplicationState,
    ChallengeState,
)
from ..errors import MatchError
from ..models import Challenge, ChallengeApplication
from ..vocabulary import is_category
from .base import (
    audit,
    read_upload,
    string_list,
    text,
    to_yuan,
    user_of,
)
from .listings import SUPPLIER_KINDS

CHALLENGE_FIELDS = ("title", "description", "category", "eligibility", "budget_yuan", "deadline")


def _require_operator(actor: Actor) -> None:
    if actor.role != Role.OPERATOR:
        raise MatchError("not_operator", _("Only operators run open challenges."))


def _check_eligibility_rules(rules) -> dict:
    if rules in (None, ""):
        return {}
    if not isinstance(rules, dict) or set(rules) - {"region_prefix", "certifications", "min_cases"}:
        raise MatchError(
            "bad_eligibility",
            _("Eligibility takes region_prefix, certifications and min_cases."),
            field="eligibility",
        )
    out: dict = {}
    prefix = str(rules.get("region_prefix") or "").strip()
    if prefix:
        if not prefix.isdigit() or len(prefix) not in (2, 4, 6):
            raise MatchError(
                "bad_region_prefix",
                _("The region prefix is 2, 4 or 6 digits of a region code."),
                field="eligibility",
            )
        out["region_prefix"] = prefix
    certs = string_list(rules.get("certifications"), field="eligibility")
    if certs:
        out["certifications"] = certs
    min_cases = rules.get("min_cases")
    if min_cases not in (None, "", 0, "0"):
        try:
            min_cases = int(min_cases)
        except (TypeError, ValueError):
            raise MatchError(
                "bad_min_cases", _("The minimum number of cases is a number."), field="eligibility"
            ) from None
        if not 0 < min_cases <= 100:
            raise MatchError(
                "bad_min_cases", _("The minimum number of cases is 1 to 100."), field="eligibility"
            )
        out["min_cases"] = min_cases
    return out


def _check_challenge(values: dict) -> dict:
    values["title"] = text(
        values.get("title"),
        field="title",
        label=pgettext("listing", "Title"),
        required=True,
        max_length=200,
    )
    values["description"] = text(
        values.get("description"),
        field="description",
        label=pgettext("listing", "Description"),
        required=True,
        max_length=10000,
    )
    if not is_category(values.get("category") or ""):
        raise MatchError("bad_category", _("Choose a category."), field="category")
    values["eligibility"] = _check_eligibility_rules(values.get("eligibility"))
    values["budget_yuan"] = to_yuan(
        values.get("budget_yuan"), field="budget_yuan", label=_("Budget")
    )
    deadline = values.get("deadline")
    if isinstance(deadline, str):
        try:
            deadline = dt.date.fromisoformat(deadline)
        except ValueError:
            deadline = None
    if not isinstance(deadline, dt.date):
        raise MatchError("required", _("Give the deadline."), field="deadline")
    values["deadline"] = deadline
    return values


def create_challenge(actor: Actor, **fields) -> Challenge:
    _require_operator(actor)
    unknown = set(fields) - set(CHALLENGE_FIELDS)
    if unknown:
        raise ValueError(f"not challenge fields: {sorted(unknown)}")
    values = _check_challenge(dict(fields))
    with transaction.atomic():
        challenge = Challenge.objects.create(created_by=user_of(actor), **values)
        audit(
            actor,
            "challenge_created",
            challenge,
            changes=changes_between({}, snapshot(challenge, CHALLENGE_FIELDS)),
        )
    return challenge


def update_challenge(actor: Actor, challenge: Challenge, **fields) -> Challenge:
    _require_operator(actor)
    unknown = set(fields) - set(CHALLENGE_FIELDS)
    if unknown:
        raise ValueError(f"not challenge fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if locked.state != ChallengeState.DRAFT:
            raise MatchError("not_draft", _("Only a draft challenge can be changed."))
        values = _check_challenge({**snapshot(locked, CHALLENGE_FIELDS), **fields})
        update_fields(
            actor, locked, values, fields=CHALLENGE_FIELDS, event="matchmaking.challenge_updated"
        )
    return locked


def set_challenge_state(
    actor: Actor, challenge: Challenge, state: str, *, announcement: str = "", now=None
) -> Challenge:
    """draft → open (deadline not passed) → reviewing → announced (with an announcement
    text; at least one award)."""
    _require_operator(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if state not in CHALLENGE_TRANSITIONS.get(locked.state, ()):
            raise MatchError(
                "bad_transition",
                _("A challenge cannot go from %(a)s to %(b)s.")
                % {"a": locked.get_state_display(), "b": state},
                field="state",
            )
        fields = ["state", "updated_at"]
        if state == ChallengeState.OPEN:
            if locked.deadline < timezone.localdate(now):
                raise MatchError("deadline_passed", _("The deadline has passed."), field="deadline")
            locked.opened_at = now
            fields.append("opened_at")
        if state == ChallengeState.ANNOUNCED:
            if not locked.applications.filter(state=ApplicationState.AWARDED).exists():
                raise MatchError("no_award", _("Award at least one application first."))
            locked.announcement = text(
                announcement,
                field="announcement",
                label=_("Announcement"),
                required=True,
                max_length=5000,
            )
            locked.announced_at = now
            fields += ["announcement", "announced_at"]
            pending = locked.applications.filter(
                state__in=[ApplicationState.SUBMITTED, ApplicationState.SHORTLISTED]
            )
            for application in pending:
                _set_application(actor, application, ApplicationState.REJECTED, note="")
        before = locked.state
        locked.state = state
        locked.save(update_fields=fields)
        audit(actor, "challenge_state", locked, changes={"state": [before, state]})
        if state == ChallengeState.ANNOUNCED:
            link = reverse("matchmaking:challenge_public", args=[locked.pk])
            for application in locked.applications.select_related("provider"):
                notify(
                    application.provider,
                    title=_("Result announced: %(title)s") % {"title": locked.title},
                    body=application.get_state_display(),
                    link=link,
                )
    return locked


def apply_to_challenge(
    actor: Actor,
    challenge: Challenge,
    provider: Organization,
    *,
    proposal: str,
    file=None,
    now=None,
) -> ChallengeApplication:
    """A provider's application: the challenge is open, the deadline not passed, the provider
    meets every eligibility rule, one application per provider."""
    now = now or timezone.now()
    if provider.kind not in SUPPLIER_KINDS or actor.organization_id != provider.pk:
        raise MatchError("not_supplier", _("Only solution providers and banks apply."))
    proposal = text(
        proposal, field="proposal", label=_("Proposal"), required=True, max_length=10000
    )
    upload = read_upload(file, field="file") if file is not None else None
    try:
        with transaction.atomic():
            locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
            if locked.state != ChallengeState.OPEN:
                raise MatchError("not_open", _("This challenge does not take applications."))
            if locked.deadline < timezone.localdate(now):
                raise MatchError("deadline_passed", _("The deadline has passed."))
            eligibility = check_eligibility(locked.eligibility, provider)
            if not eligibility.eligible:
                raise MatchError(
                    "not_eligible",
                    _("Not eligible: %(missing)s") % {"missing": "；".join(eligibility.missing)},
                )
            application = ChallengeApplication(
                challenge=locked, provider=provider, proposal=proposal, submitted_by=user_of(actor)
            )
            if upload is not None:
                name, content, sha256 = upload
                application.file_name = name
                application.file_sha256 = sha256
                application.file.save(name, ContentFile(content), save=False)
            application.save()
            audit(
                actor,
                "application_submitted",
                application,
                context={"challenge": locked.pk, "provider": provider.pk},
            )
    except IntegrityError:
        raise MatchError("duplicate", _("You have already applied.")) from None
    return application


def _set_application(actor, application, state, *, note, score=None):
    if state not in APPLICATION_TRANSITIONS.get(application.state, ()):
        raise MatchError(
            "bad_transition",
            _("An application cannot go from %(a)s to %(b)s.")
            % {"a": application.get_state_display(), "b": state},
            field="state",
        )
    before = application.state
    application.state = state
    if note:
        application.review_note = note
    if score is not None:
        application.score = score
    application.save(update_fields=["state", "review_note", "score", "updated_at"])
    audit(
        actor,
        "application_state",
        application,
        changes={"state": [before, state]},
        context={"challenge": application.challenge_id},
    )


def review_application(
    actor: Actor, application: ChallengeApplication, state: str, *, note: str = "", score=None
) -> ChallengeApplication:
    """Shortlist, reject or award an application while the challenge is under review
    (shortlisting and rejecting also while it is open)."""
    _require_operator(actor)
    note = text(note, field="note", label=_("Review note"), max_length=2000)
    if score not in (None, ""):
        try:
            score = Decimal(str(score))
        except InvalidOperation:
            raise MatchError("bad_score", _("The score is a number."), field="score") from None
        if not Decimal("0") <= score <= Decimal("100") or score != score.quantize(Decimal("0.1")):
            raise MatchError("bad_score", _("The score is 0 to 100."), field="score")
    else:
        score = None
    with transaction.atomic():
        challenge = Challenge.objects.select_for_update().get(pk=application.challenge_id)
        locked = ChallengeApplication.objects.select_for_update().get(pk=application.pk)
        allowed = (
            {ChallengeState.REVIEWING}
            if state == ApplicationState.AWARDED
            else {ChallengeState.OPEN, ChallengeState.REVIEWING}
        )
        if challenge.state not in allowed:
            raise MatchError(
                "not_reviewing", _("Applications are reviewed after the challenge closes.")
            )
        _set_application(actor, locked, state, note=note, score=score)
    return locked
