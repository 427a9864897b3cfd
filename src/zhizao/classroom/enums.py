from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CourseLevel(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


# Video files a lesson accepts: extension → (content type, how the file starts).
VIDEO_TYPES = {
    "mp4": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
}
