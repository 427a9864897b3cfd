from zhizao.common.models import AuditAction
from zhizao.common.services import event_audit

EVENT_ACTIONS = {
    "report_drafted": AuditAction.CREATE,
    "report_published": AuditAction.STATE,
    "activity_added": AuditAction.CREATE,
    "activity_removed": AuditAction.DELETE,
    "news_added": AuditAction.CREATE,
    "news_removed": AuditAction.DELETE,
    # plain updates, named so that the vocabulary is complete
    "jurisdiction_set": AuditAction.UPDATE,
    "public_figures_set": AuditAction.UPDATE,
    "refresh_requested": AuditAction.UPDATE,
    "report_updated": AuditAction.UPDATE,
}
audit = event_audit("insights", EVENT_ACTIONS)
