"""What every diagnosis service shares: the audit vocabulary and the upload limits."""

from __future__ import annotations

from zhizao.common.models import AuditAction
from zhizao.common.services import event_audit

# The generic audit action of each event that is not a plain update.
EVENT_ACTIONS = {
    "assessment_started": AuditAction.CREATE,
    "campaign_created": AuditAction.CREATE,
    "onsite_started": AuditAction.CREATE,
    "evidence_added": AuditAction.CREATE,
    "model_loaded": AuditAction.CREATE,
    "assessment_submitted": AuditAction.STATE,
    "campaign_state": AuditAction.STATE,
    "campaign_visit": AuditAction.STATE,
    "campaign_exported": AuditAction.EXPORT,
    # plain updates, named so that the vocabulary is complete
    "answer_saved": AuditAction.UPDATE,
    "answers_marked_not_met": AuditAction.UPDATE,
    "campaign_allocated": AuditAction.UPDATE,
    "campaign_provider_saved": AuditAction.UPDATE,
    "campaign_target_moved": AuditAction.UPDATE,
    "demo_loaded": AuditAction.UPDATE,
    "enterprise_type_changed": AuditAction.UPDATE,
    "evidence_removed": AuditAction.UPDATE,
    "section_assigned": AuditAction.UPDATE,
    "target_set": AuditAction.UPDATE,
}

# An audit entry for a diagnosis write: the generic action (created / updated / state changed /
# exported) and the precise event in the context.
audit = event_audit("diagnosis", EVENT_ACTIONS)

EVIDENCE_EXTENSIONS = {
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
MAX_CAMPAIGN_TARGETS = 20_000
