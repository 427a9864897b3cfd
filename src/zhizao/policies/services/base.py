"""What every policies service shares: its audit vocabulary, money and date checks, file checks.
The audit call and the diff itself are ``zhizao.common.services``."""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from zhizao.common.models import AuditAction
from zhizao.common.services import event_audit

from ..errors import PolicyError

# The generic audit action of each event that is not a plain update.
EVENT_ACTIONS = {
    "policy_created": AuditAction.CREATE,
    "item_created": AuditAction.CREATE,
    "version_created": AuditAction.CREATE,
    "project_created": AuditAction.CREATE,
    "loan_added": AuditAction.CREATE,
    "document_uploaded": AuditAction.CREATE,
    "recognition_added": AuditAction.CREATE,
    "credit_record_added": AuditAction.CREATE,
    "policy_state": AuditAction.STATE,
    "version_published": AuditAction.STATE,
    "loan_removed": AuditAction.DELETE,
    "document_deleted": AuditAction.DELETE,
    "recognition_removed": AuditAction.DELETE,
    # plain updates, named so that the vocabulary is complete
    "credit_record_ended": AuditAction.UPDATE,
    "demo_loaded": AuditAction.UPDATE,
    "item_updated": AuditAction.UPDATE,
    "loan_updated": AuditAction.UPDATE,
    "policy_updated": AuditAction.UPDATE,
    "project_updated": AuditAction.UPDATE,
    "version_updated": AuditAction.UPDATE,
}

ATTACHMENT_EXTENSIONS = {".pdf", ".docx", ".txt"}
DOCUMENT_EXTENSIONS = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".docx",
    ".xlsx",
    ".pptx",
    ".txt",
    ".csv",
    ".doc",
    ".xls",
}


# An audit entry for a policies write: the generic action and the precise event.
audit = event_audit("policies", EVENT_ACTIONS)

YUAN = Decimal("0.01")
RATE = Decimal("0.000001")


def to_decimal(
    value, *, field: str, label: str, required: bool = False, places: Decimal = YUAN
) -> Decimal | None:
    """An amount in yuan (``places`` YUAN) or a rate (RATE), as stored: None stays None
    (unknown), never becomes 0; more decimal places than stored are refused, not rounded."""
    if value is None or value == "":
        if required:
            raise PolicyError(
                "required", _("%(field)s is required.") % {"field": label}, field=field
            )
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise PolicyError(
            "not_a_number", _("%(field)s must be a number.") % {"field": label}, field=field
        ) from None
    if not number.is_finite():
        raise PolicyError(
            "not_a_number", _("%(field)s must be a number.") % {"field": label}, field=field
        )
    if number < 0:
        raise PolicyError(
            "negative", _("%(field)s cannot be negative.") % {"field": label}, field=field
        )
    stored = number.quantize(places)
    if stored != number:
        raise PolicyError(
            "too_many_places",
            _("%(field)s has more decimal places than allowed.") % {"field": label},
            field=field,
        )
    return stored


def read_upload(
    upload, *, extensions: set[str], field: str, message: str
) -> tuple[str, bytes, str]:
    """Name, content and SHA-256 of an upload, after the extension and size checks."""
    name = PurePath(upload.name or "file").name[:200]
    if PurePath(name).suffix.lower() not in extensions:
        raise PolicyError("bad_file_type", message, field=field)
    limit = settings.ZHIZAO_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise PolicyError(
            "file_too_large",
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            field=field,
        )
    content = b"".join(upload.chunks())
    return name, content, hashlib.sha256(content).hexdigest()
