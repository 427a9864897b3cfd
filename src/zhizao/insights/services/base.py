from django.utils.translation import gettext_lazy

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

# What the audit log shows for each event instead of its code.
EVENT_LABELS = {
    "report_drafted": gettext_lazy("Report drafted"),
    "report_published": gettext_lazy("Report published"),
    "activity_added": gettext_lazy("Activity added"),
    "activity_removed": gettext_lazy("Activity removed"),
    "news_added": gettext_lazy("News added"),
    "news_removed": gettext_lazy("News removed"),
    "jurisdiction_set": gettext_lazy("Jurisdiction set"),
    "public_figures_set": gettext_lazy("Public figures set"),
    "refresh_requested": gettext_lazy("Figures refresh requested"),
    "report_updated": gettext_lazy("Report edited"),
}
audit = event_audit("insights", EVENT_ACTIONS, EVENT_LABELS)
