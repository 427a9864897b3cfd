"""The vocabulary of expert review (专家评审): expert titles and relation kinds, round kinds,
visibility and states, how an assignment came about, review states and aggregation methods."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExpertTitle(models.TextChoices):
    SENIOR = "senior", _("Professor-level senior title (正高级)")
    ASSOCIATE = "associate", _("Associate senior title (副高级)")
    INTERMEDIATE = "intermediate", _("Intermediate title (中级)")
    OTHER = "other", pgettext_lazy("expert title", "Other")


class RelationKind(models.TextChoices):
    KINSHIP = "kinship", _("Kinship")
    SUPERVISOR = "supervisor", _("Supervisor and student")
    COAUTHOR = "coauthor", _("Co-author")
    OTHER = "other", pgettext_lazy("relation kind", "Other")


class ExpertAttribute(models.TextChoices):
    """Attributes the panel rules of a round can ask for."""

    ECONOMIC = "economic", _("Economic or financial expert")
    TECHNICAL = "technical", _("Technical expert")
    MANAGEMENT = "management", _("Management expert")


class RoundKind(models.TextChoices):
    ONLINE = "online", _("Online review (网评)")
    PANEL = "panel", _("Panel meeting (会评)")


class Visibility(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_OWN = "after_own", _("After the expert's own review")
    ALWAYS = "always", _("Always")


class RoundState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("round state", "Preparing")
    ASSIGNING = "assigning", pgettext_lazy("round state", "Assigning")
    REVIEWING = "reviewing", pgettext_lazy("round state", "Reviewing")
    CLOSED = "closed", pgettext_lazy("round state", "Closed")
    PROPOSED = "proposed", pgettext_lazy("round state", "List proposed")


class AssignmentMethod(models.TextChoices):
    OPTIMAL = "optimal", _("Exact optimum")
    DRAW = "draw", _("Random draw (随机抽取)")


class AssignmentSource(models.TextChoices):
    OPTIMAL = "optimal", _("Exact optimum")
    DRAW = "draw", _("Random draw")
    MANUAL = "manual", _("Manual")
    SUBSTITUTE = "substitute", _("Substitute")
    RESOLVE = "resolve", _("Re-solved")


class AssignmentState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("assignment state", "Assigned")
    RECUSED = "recused", pgettext_lazy("assignment state", "Recused")
    REMOVED = "removed", pgettext_lazy("assignment state", "Removed")


class ReviewState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("review state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("review state", "Submitted")


class AggregationMethod(models.TextChoices):
    MEAN = "mean", _("Mean")
    MEDIAN = "median", _("Median")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean")
    ZSCORE = "zscore", _("Per-expert z-score calibration")


class PanelOutcome(models.TextChoices):
    VOTE = "vote", _("Vote")
    CONSENSUS = "consensus", _("Consensus score")


class Rule(models.TextChoices):
    """The 回避 rules, in the order the engine applies them (the first that holds names the
    exclusion)."""

    ORGANISATION = "organisation", _("Same organisation")
    PAST_ORGANISATION = "past_organisation", _("Former organisation within the window")
    RELATION = "relation", _("Declared relation with the team")
    DECLARED = "declared", _("Declared conflict")
    COLLABORATION = "collaboration", _("Recorded collaboration")
    REGION = "region", _("Same region")
    NAMED = "named", _("Named by the applicant")


#: the rounds an expert may still declare its availability and bids in
DECLARABLE_STATES = (RoundState.DRAFT, RoundState.ASSIGNING)


class BidInterest(models.TextChoices):
    EAGER = "eager", _("Eager to review")
    WILLING = "willing", _("Willing to review")
    UNWILLING = "unwilling", _("Not willing to review")
