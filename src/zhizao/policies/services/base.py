"""What every policies service shares: its audit vocabulary, money and date checks, file checks.
The audit call and the diff itself are ``zhizao.common.services``."""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    # the scans' and name lists' events (recorded by their own ``_audit``)
    "scan_started": AuditAction.CREATE,
    "scan_finished": AuditAction.STATE,
    "name_list_created": AuditAction.CREATE,
    "entry_excluded": AuditAction.STATE,
    "name_list_announced": AuditAction.STATE,
    "entry_confirmed": AuditAction.STATE,
    "entry_declined": AuditAction.STATE,
}

# What the audit log shows for each event instead of its code.
EVENT_LABELS = {
    "policy_created": gettext_lazy("Policy created"),
    "item_created": gettext_lazy("Policy item created"),
    "version_created": gettext_lazy("Policy item version created"),
    "project_created": gettext_lazy("Project created"),
    "loan_added": gettext_lazy("Loan added"),
    "document_uploaded": gettext_lazy("Document uploaded"),
    "recognition_added": gettext_lazy("Recognition added"),
    "credit_record_added": gettext_lazy("Credit record added"),
    "policy_state": gettext_lazy("Policy state changed"),
    "version_published": gettext_lazy("Policy item version published"),
    "loan_removed": gettext_lazy("Loan removed"),
    "document_deleted": gettext_lazy("Document deleted"),
    "recognition_removed": gettext_lazy("Recognition removed"),
    "credit_record_ended": gettext_lazy("Credit record ended"),
    "demo_loaded": gettext_lazy("Demo data loaded"),
    "item_updated": gettext_lazy("Policy item edited"),
    "loan_updated": gettext_lazy("Loan edited"),
    "policy_updated": gettext_lazy("Policy edited"),
    "project_updated": gettext_lazy("Project edited"),
    "version_updated": gettext_lazy("Policy item version edited"),
    "scan_started": gettext_lazy("Eligibility scan started"),
    "scan_finished": gettext_lazy("Eligibility scan finished"),
    "name_list_created": gettext_lazy("Name list drawn up"),
    "entry_excluded": gettext_lazy("Enterprise removed from the name list"),
    "name_list_announced": gettext_lazy("Name list announced"),
    "entry_confirmed": gettext_lazy("Enterprise confirmed on the name list"),
    "entry_declined": gettext_lazy("Enterprise declined the benefit"),
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
audit = event_audit("policies", EVENT_ACTIONS, EVENT_LABELS)

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
