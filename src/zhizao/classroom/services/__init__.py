"""Every classroom write: courses, lessons and quizzes (societies, operators), learning
(enrolment, progress, quiz, certificate, rating) and live classes (through the events app)."""

from .courses import (
    add_lesson,
    answer_rating,
    check_video,
    create_course,
    save_quiz,
    set_course_state,
    update_course,
)
from .learning import (
    enrol,
    issue_certificate,
    progress_of,
    rate_course,
    save_progress,
    submit_quiz,
)
from .live import (
    attach_recording,
    join_live_class,
    schedule_live_class,
    send_live_class_reminders,
)

__all__ = [
    "add_lesson",
    "answer_rating",
    "attach_recording",
    "check_video",
    "create_course",
    "enrol",
    "issue_certificate",
    "join_live_class",
    "progress_of",
    "rate_course",
    "save_progress",
    "save_quiz",
    "schedule_live_class",
    "send_live_class_reminders",
    "set_course_state",
    "submit_quiz",
    "update_course",
]
