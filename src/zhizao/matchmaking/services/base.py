"""What every matchmaking service shares: the audit call, amounts, codes, requirement rows,
uploaded files, and the acting side of an introduction."""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhizao.common.audit import Actor
from zhizao.common.models import AuditAction
from zhizao.common.services import event_audit

from .. import codes
from ..errors import MatchError

EVENT_ACTIONS = {
    "offering_created": AuditAction.CREATE,
    "case_added": AuditAction.CREATE,
    "demand_created": AuditAction.CREATE,
    "introduction_created": AuditAction.CREATE,
    "consent_granted": AuditAction.CREATE,
    "challenge_created": AuditAction.CREATE,
    "application_submitted": AuditAction.CREATE,
    "offering_state": AuditAction.STATE,
    "supply_gaps_requested": AuditAction.CREATE,
    "match_suggested": AuditAction.CREATE,
    "demand_state": AuditAction.STATE,
    "introduction_state": AuditAction.STATE,
    "consent_withdrawn": AuditAction.STATE,
    "challenge_state": AuditAction.STATE,
    "application_state": AuditAction.STATE,
    "case_removed": AuditAction.DELETE,
    # plain updates, named so that the vocabulary is complete
    "challenge_updated": AuditAction.UPDATE,
    "demand_updated": AuditAction.UPDATE,
    "demo_loaded": AuditAction.UPDATE,
    "offering_updated": AuditAction.UPDATE,
    "suggestion_preference": AuditAction.UPDATE,
}

# What the audit log shows for each event instead of its code.
EVENT_LABELS = {
    "offering_created": gettext_lazy("Offering created"),
    "case_added": gettext_lazy("Case added"),
    "demand_created": gettext_lazy("Demand posted"),
    "introduction_created": gettext_lazy("Introduction requested"),
    "consent_granted": gettext_lazy("Contact sharing agreed"),
    "challenge_created": gettext_lazy("Challenge posted"),
    "application_submitted": gettext_lazy("Challenge application submitted"),
    "offering_state": gettext_lazy("Offering state changed"),
    "supply_gaps_requested": gettext_lazy("Supply gaps requested"),
    "match_suggested": gettext_lazy("Match suggested"),
    "demand_state": gettext_lazy("Demand state changed"),
    "introduction_state": gettext_lazy("Introduction state changed"),
    "consent_withdrawn": gettext_lazy("Contact sharing withdrawn"),
    "challenge_state": gettext_lazy("Challenge state changed"),
    "application_state": gettext_lazy("Challenge application state changed"),
    "case_removed": gettext_lazy("Case removed"),
    "challenge_updated": gettext_lazy("Challenge edited"),
    "demand_updated": gettext_lazy("Demand edited"),
    "demo_loaded": gettext_lazy("Demo data loaded"),
    "offering_updated": gettext_lazy("Offering edited"),
    "suggestion_preference": gettext_lazy("Suggestion preference changed"),
}

EVIDENCE_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg", ".webp", ".docx", ".xlsx", ".txt"}
YUAN = Decimal("0.01")
MAX_LIST = 30
MAX_REQUIREMENTS = 12
REQUIREMENT_KINDS = {"certification", "region", "industry_case", "category", "text"}


# An audit entry for a matchmaking write: the generic action and the precise event.
audit = event_audit("matchmaking", EVENT_ACTIONS, EVENT_LABELS)


def user_of(actor: Actor):
    return actor.user if actor.user_id else None


def to_yuan(value, *, field: str, label: str, required: bool = False) -> Decimal | None:
    """An amount in yuan as stored: None stays None; negative, non-numbers and more than two
    decimal places are refused, not rounded."""
    if value is None or value == "":
        if required:
            raise MatchError(
                "required", _("%(field)s is required.") % {"field": label}, field=field
            )
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise MatchError(
            "not_a_number", _("%(field)s must be a number.") % {"field": label}, field=field
        ) from None
    if not number.is_finite() or number < 0:
        raise MatchError(
            "not_a_number",
            _("%(field)s must be a number of zero or more.") % {"field": label},
            field=field,
        )
    if number.quantize(YUAN) != number or number >= Decimal("1e14"):
        raise MatchError(
            "bad_amount", _("%(field)s is not a valid amount.") % {"field": label}, field=field
        )
    return number.quantize(YUAN)


def text(value, *, field: str, label: str, required: bool = False, max_length: int = 0) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not value:
        raise MatchError("required", _("%(field)s is required.") % {"field": label}, field=field)
    if max_length and len(value) > max_length:
        raise MatchError(
            "too_long",
            _("%(field)s is longer than %(n)s characters.") % {"field": label, "n": max_length},
            field=field,
        )
    return value


def region_code(value, *, field: str = "region", required: bool = True) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    if not codes.region_exists(value):
        raise MatchError("unknown_region", _("Choose a region from the list."), field=field)
    return value


def industry_code(value, *, field: str = "industry", required: bool = False) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    if not codes.industry_exists(value):
        raise MatchError("unknown_industry", _("Choose an industry from the list."), field=field)
    return value


def code_list(values, *, field: str, check, message: str) -> list[str]:
    """A list of distinct codes in the given order, each checked."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").replace(" ", ",").split(",")]
    if not isinstance(values, list | tuple):
        raise MatchError("bad_list", message, field=field)
    out: list[str] = []
    for value in values:
        value = str(value).strip()
        if not value or value in out:
            continue
        if not check(value):
            raise MatchError("bad_code", f"{message} ({value})", field=field)
        out.append(value)
    if len(out) > MAX_LIST:
        raise MatchError("too_many", message, field=field)
    return out


def string_list(values, *, field: str, max_length: int = 60) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace("，", ",").replace("、", ",").split(",")
    if not isinstance(values, list | tuple):
        raise MatchError("bad_list", _("Give a list."), field=field)
    out: list[str] = []
    for value in values:
        value = str(value).strip()
        if value and value not in out:
            if len(value) > max_length:
                raise MatchError("too_long", _("An entry is too long."), field=field)
            out.append(value)
    if len(out) > MAX_LIST:
        raise MatchError("too_many", _("Too many entries."), field=field)
    return out


def requirements(values, *, field: str) -> list:
    """Must / nice requirements in the contract's shape: Chinese strings ("CMMI3及以上",
    "本地服务团队") or objects ``{"kind", "value", "min_level"}``."""
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        raise MatchError("bad_requirements", _("Requirements must be a list."), field=field)
    out: list = []
    for position, value in enumerate(values):
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
            if len(value) > 100:
                raise MatchError(
                    "too_long",
                    _("Requirement %(n)s is longer than 100 characters.") % {"n": position + 1},
                    field=field,
                )
            if value not in out:
                out.append(value)
            continue
        if not isinstance(value, dict) or value.get("kind") not in REQUIREMENT_KINDS:
            raise MatchError(
                "bad_requirement",
                _("Requirement %(n)s is not understood.") % {"n": position + 1},
                field=field,
            )
        item = {"kind": value["kind"], "value": value.get("value")}
        if not isinstance(item["value"], str | int) or str(item["value"]).strip() == "":
            raise MatchError(
                "bad_requirement",
                _("Requirement %(n)s has no value.") % {"n": position + 1},
                field=field,
            )
        item["value"] = str(item["value"]).strip()[:100]
        if value.get("min_level") is not None:
            try:
                item["min_level"] = int(value["min_level"])
            except (TypeError, ValueError):
                raise MatchError(
                    "bad_requirement",
                    _("Requirement %(n)s has a level that is not a number.") % {"n": position + 1},
                    field=field,
                ) from None
        if item not in out:
            out.append(item)
    if len(out) > MAX_REQUIREMENTS:
        raise MatchError(
            "too_many",
            _("At most %(n)s requirements.") % {"n": MAX_REQUIREMENTS},
            field=field,
        )
    return out


def read_upload(upload, *, field: str, extensions=EVIDENCE_EXTENSIONS) -> tuple[str, bytes, str]:
    """Name, content and SHA-256 of an upload, after the extension and size checks."""
    name = PurePath(upload.name or "file").name[:200]
    if PurePath(name).suffix.lower() not in extensions:
        raise MatchError(
            "bad_file_type",
            _("Upload a PDF, image, Word, Excel or text file."),
            field=field,
        )
    limit = settings.ZHIZAO_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise MatchError(
            "file_too_large",
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            field=field,
        )
    content = b"".join(upload.chunks())
    return name, content, hashlib.sha256(content).hexdigest()
