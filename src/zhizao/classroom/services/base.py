"""What every classroom service shares: the audit call, text and link checks."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhizao.common.audit import Actor
from zhizao.common.models import AuditAction
from zhizao.common.services import event_audit
from zhizao.common.validators import is_web_url

from ..errors import ClassroomError

CLASSROOM_ACTIONS = {
    "course_created": AuditAction.CREATE,
    "lesson_created": AuditAction.CREATE,
    "lesson_deleted": AuditAction.DELETE,
    "quiz_saved": AuditAction.UPDATE,
    "enrolled": AuditAction.CREATE,
    "lesson_completed": AuditAction.STATE,
    "quiz_attempted": AuditAction.CREATE,
    "course_completed": AuditAction.STATE,
    "certificate_issued": AuditAction.CREATE,
    "certificate_revoked": AuditAction.STATE,
    "rated": AuditAction.CREATE,
    "rating_answered": AuditAction.UPDATE,
    "course_state": AuditAction.STATE,
    "live_class_created": AuditAction.CREATE,
    "recording_attached": AuditAction.UPDATE,
    # plain updates, named so that the vocabulary is complete
    "course_updated": AuditAction.UPDATE,
}

# What the audit log shows for each event instead of its code.
CLASSROOM_LABELS = {
    "course_created": gettext_lazy("Course created"),
    "lesson_created": gettext_lazy("Lesson created"),
    "lesson_deleted": gettext_lazy("Lesson deleted"),
    "quiz_saved": gettext_lazy("Quiz saved"),
    "enrolled": gettext_lazy("Enrolled in a course"),
    "lesson_completed": gettext_lazy("Lesson completed"),
    "quiz_attempted": gettext_lazy("Quiz taken"),
    "course_completed": gettext_lazy("Course completed"),
    "certificate_issued": gettext_lazy("Certificate issued"),
    "certificate_revoked": gettext_lazy("Certificate revoked"),
    "rated": gettext_lazy("Course rated"),
    "rating_answered": gettext_lazy("Course rating answered"),
    "course_state": gettext_lazy("Course state changed"),
    "live_class_created": gettext_lazy("Live class created"),
    "recording_attached": gettext_lazy("Recording attached"),
    "course_updated": gettext_lazy("Course edited"),
}

audit = event_audit("classroom", CLASSROOM_ACTIONS, CLASSROOM_LABELS)


def user_of(actor: Actor):
    return actor.user if actor.user_id else None


def not_allowed() -> ClassroomError:
    return ClassroomError("not_allowed", _("You may not do this."))


def text(value, *, field: str, label: str, required: bool = False, max_length: int = 0) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not value:
        raise ClassroomError(
            "required", _("%(field)s is required.") % {"field": label}, field=field
        )
    if max_length and len(value) > max_length:
        raise ClassroomError(
            "too_long",
            _("%(field)s is longer than %(n)s characters.") % {"field": label, "n": max_length},
            field=field,
        )
    return value


def link(value, *, field: str) -> str:
    value = (value or "").strip()
    if value and (not is_web_url(value) or len(value) > 500):
        raise ClassroomError("bad_link", _("Give http(s) links only."), field=field)
    return value


def links(values, *, field: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.splitlines()
    out: list[str] = []
    for value in values:
        value = link(str(value), field=field)
        if value and value not in out:
            out.append(value)
    if len(out) > 20:
        raise ClassroomError("too_many", _("Too many entries."), field=field)
    return out


def names(values, *, field: str, max_length: int = 100) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.splitlines()
    out = [str(v).strip()[:max_length] for v in values if str(v).strip()]
    if len(out) > 20:
        raise ClassroomError("too_many", _("Too many entries."), field=field)
    return out
