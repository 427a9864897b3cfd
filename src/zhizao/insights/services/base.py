from zhizao.common.models import AuditAction
from zhizao.common.services import event_audit

EVENT_ACTIONS = {
    "report_drafted": AuditAction.CREATE,
    "report_published": AuditAction.STATE,
    "activity_added": AuditAction.CREATE,
    "activity_removed": AuditAction.DELETE,
    "news_added": AuditAction.CREATE,
    "news_removed": AuditAction.DELETE,
}
audit = event_audit("insights", EVENT_ACTIONS)
