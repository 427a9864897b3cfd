from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    YUAN = "yuan", _("yuan")


class ActivitySource(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    RECORDS = "records", _("From the platform's records")
