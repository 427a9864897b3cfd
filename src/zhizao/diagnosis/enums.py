from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EnterpriseType(models.TextChoices):
    DISCRETE = "discrete", _("Discrete manufacturing")
    PROCESS = "process", _("Process manufacturing")


class AssessmentKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    ONSITE = "onsite", _("On-site diagnosis")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assessment state", "In progress")
    SUBMITTED = "submitted", pgettext_lazy("assessment state", "Submitted")


class AnswerValue(models.TextChoices):
    FULL = "1", _("Fully met")
    MOSTLY = "0.8", _("Mostly met")
    PARTLY = "0.5", _("Partly met")
    NOT_MET = "0", _("Not met")
    NA = "na", _("Not applicable")


class CampaignState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign state", "Being prepared")
    RUNNING = "running", pgettext_lazy("campaign state", "Running")
    CLOSED = "closed", pgettext_lazy("campaign state", "Closed")


class TargetState(models.TextChoices):
    UNASSIGNED = "unassigned", _("Not assigned")
    PLANNED = "planned", _("Planned")
    VISITED = "visited", _("Visited")
    REPORTED = "reported", _("Reported")
