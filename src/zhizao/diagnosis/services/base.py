"""What every diagnosis service shares: the audit vocabulary and the upload limits."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

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

# What the audit log shows for each event instead of its code.
EVENT_LABELS = {
    "assessment_started": gettext_lazy("Self-assessment started"),
    "campaign_created": gettext_lazy("Diagnosis campaign created"),
    "onsite_started": gettext_lazy("On-site diagnosis started"),
    "evidence_added": gettext_lazy("Evidence added"),
    "model_loaded": gettext_lazy("Maturity model loaded"),
    "assessment_submitted": gettext_lazy("Assessment submitted"),
    "campaign_state": gettext_lazy("Diagnosis campaign state changed"),
    "campaign_visit": gettext_lazy("Enterprise visit recorded"),
    "campaign_exported": gettext_lazy("Diagnosis campaign exported"),
    "answer_saved": gettext_lazy("Assessment answer saved"),
    "answers_marked_not_met": gettext_lazy("Answers marked as not met"),
    "campaign_allocated": gettext_lazy("Enterprises allocated to providers"),
    "campaign_provider_saved": gettext_lazy("Campaign provider saved"),
    "campaign_target_moved": gettext_lazy("Campaign enterprise moved"),
    "demo_loaded": gettext_lazy("Demo data loaded"),
    "enterprise_type_changed": gettext_lazy("Enterprise type changed"),
    "evidence_removed": gettext_lazy("Evidence removed"),
    "section_assigned": gettext_lazy("Section handed over"),
    "target_set": gettext_lazy("Target level set"),
}

# An audit entry for a diagnosis write: the generic action (created / updated / state changed /
# exported) and the precise event in the context.
audit = event_audit("diagnosis", EVENT_ACTIONS, EVENT_LABELS)

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
