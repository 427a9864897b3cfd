"""Expert review (专家评审): the expert pool (专家库) with organisation history and declared
relations, review rounds of a call (网评 / 会评), the experts' availability and appraisal per
round, assignments with their substitutes and the 回避 exclusions of the run that made them,
reviews against the call's rubric, panel decisions, and the rankings that become the proposed
list.

Fields and constraints only; every write goes through ``services``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import (
    AggregationMethod,
    AssignmentMethod,
    AssignmentSource,
    AssignmentState,
    BidInterest,
    ExpertTitle,
    PanelOutcome,
    RelationKind,
    ReviewState,
    RoundKind,
    RoundState,
    Rule,
    Visibility,
)


def _user_fk(**kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **kwargs,
    )


class Expert(models.Model):
    """An expert of the pool: one expert membership (its organisation is the expert's current
    organisation), the fields it reviews in and what 回避 needs to know about it."""

    membership = models.OneToOneField(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="expert_profile",
        verbose_name=_("membership"),
    )
    name = models.CharField(_("name"), max_length=100)
    person_id = models.CharField(
        _("person id"),
        max_length=40,
        blank=True,
        help_text=_("The id applications use for this person in their team lists."),
    )
    divisions = models.JSONField(_("industry divisions (GB/T 4754)"), default=list, blank=True)
    domains = models.JSONField(_("technical domains"), default=list, blank=True)
    keywords = models.TextField(_("research and practice keywords"), blank=True)
    title = models.CharField(
        _("professional title"), max_length=20, choices=ExpertTitle.choices, blank=True
    )
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    attributes = models.JSONField(_("attributes"), default=list, blank=True)
    max_load = models.PositiveSmallIntegerField(
        _("most applications per round"), null=True, blank=True
    )
    is_active = models.BooleanField(_("in the pool"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PastOrganisation(models.Model):
    """An organisation the expert worked for, until a date (the 3-year 回避 window)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="past_organisations")
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    until = models.DateField(_("until"))

    class Meta:
        verbose_name = _("former organisation")
        verbose_name_plural = _("former organisations")
        ordering = ["-until", "id"]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.until}"


class Relation(models.Model):
    """A person the expert declared a relation with (kinship, supervisor–student, co-author):
    an application whose team lists that person is excluded."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="relations")
    person = models.CharField(_("person (id or name)"), max_length=100)
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("declared relation")
        verbose_name_plural = _("declared relations")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"


class ReviewRound(models.Model):
    """One review round of a call: online (网评) or panel (会评), k experts per application."""

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="review_rounds")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        pgettext_lazy("round kind", "kind"), max_length=10, choices=RoundKind.choices
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("experts per application"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
    )
    visibility = models.CharField(
        _("other experts' reviews visible"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.NEVER,
    )
    deadline = models.DateTimeField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=12, choices=RoundState.choices, default=RoundState.DRAFT
    )
    panel_rules = models.JSONField(_("panel rules"), default=list, blank=True)
    # the last assignment run: method, and for a draw everything needed to replay it
    method = models.CharField(
        _("assignment method"), max_length=10, choices=AssignmentMethod.choices, blank=True
    )
    seed = models.BigIntegerField(_("seed"), null=True, blank=True)
    cap = models.DecimalField(
        _("largest chance of any pair"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    pool = models.JSONField(_("candidate pool"), default=list, blank=True)
    # the whole input of the last run, in the format of ``zhizao review draw`` (replayable)
    snapshot = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(_("assignment summary"), default=dict, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class RoundExpert(models.Model):
    """An expert's availability for a round, and the office's appraisal after it."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="rounds")
    available = models.BooleanField(_("available"), default=True)
    max_load = models.PositiveSmallIntegerField(_("most applications"), null=True, blank=True)
    timeliness = models.PositiveSmallIntegerField(
        _("timeliness (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    quality = models.PositiveSmallIntegerField(
        _("quality (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    appraisal_note = models.CharField(_("appraisal note"), max_length=300, blank=True)
    appraised_at = models.DateTimeField(_("appraised"), null=True, blank=True)

    class Meta:
        ordering = ["round_id", "expert_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "expert"], name="review_round_expert_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.expert_id}"


class Bid(models.Model):
    """An expert's interest in reviewing one application of a round, where the call allows
    bidding; it moves the pair's fit (``zhizao_core.review.affinity``)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="bids")
    application = models.ForeignKey("calls.Application", on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="bids")
    interest = models.CharField(_("interest"), max_length=10, choices=BidInterest.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("bid")
        ordering = ["round_id", "expert_id", "application_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application", "expert"], name="review_bid_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} ← {self.expert_id}: {self.interest}"


class Assignment(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(
        "calls.Application", on_delete=models.PROTECT, related_name="review_assignments"
    )
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AssignmentState.choices,
        default=AssignmentState.ACTIVE,
    )
    source = models.CharField(_("source"), max_length=12, choices=AssignmentSource.choices)
    affinity = models.DecimalField(_("fit"), max_digits=5, decimal_places=4, default=Decimal("0"))
    parts = models.JSONField(_("fit explained"), default=dict, blank=True)
    ended_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "-affinity", "expert_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application", "expert"], name="review_assignment_unique"
            )
        ]
        indexes = [models.Index(fields=["expert", "state"])]

    def __str__(self) -> str:
        return f"{self.application_id} ← {self.expert_id}"


class Substitute(models.Model):
    """The next best eligible experts of an application, reserved for recusals."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="substitutes")
    application = models.ForeignKey("calls.Application", on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("order"))
    affinity = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0"))
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["application_id", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application", "expert"], name="review_substitute_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} ← {self.expert_id} (#{self.rank})"


class Exclusion(models.Model):
    """An application × expert pair the last run excluded by 回避, with its reason in words."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="exclusions")
    application = models.ForeignKey("calls.Application", on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    reason = models.CharField(_("reason"), max_length=300)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["application_id", "expert_id"]
        indexes = [models.Index(fields=["round", "application"])]

    def __str__(self) -> str:
        return f"{self.application_id} × {self.expert_id}: {self.rule}"


class DeclaredConflict(models.Model):
    """A conflict an expert declared on an application (recusal), kept for later runs."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey("calls.Application", on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application", "expert"], name="review_conflict_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} × {self.expert_id}"


class Review(models.Model):
    """An expert's scores for one assignment against the call's rubric (exact decimals)."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    comments = models.JSONField(_("comments"), default=dict, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    total = models.DecimalField(_("total"), max_digits=9, decimal_places=4, null=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    def __str__(self) -> str:
        return f"{self.assignment_id} ({self.state})"


class PanelDecision(models.Model):
    """What a panel meeting (会评) decided on one application: a vote or a consensus score."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="decisions")
    application = models.ForeignKey("calls.Application", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(
        pgettext_lazy("panel decision", "outcome"), max_length=10, choices=PanelOutcome.choices
    )
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    consensus_score = models.DecimalField(
        _("consensus score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = _user_fk()
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application"], name="review_panel_decision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.application_id}"


class Ranking(models.Model):
    """An aggregation of a round's submitted reviews with the settings used, its results and
    explanations, and the proposed list it gives (handed to 公示 once)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="rankings")
    method = models.CharField(
        _("method"), max_length=14, choices=AggregationMethod.choices, default="mean"
    )
    trim = models.PositiveSmallIntegerField(_("trim"), default=1)
    divergence = models.DecimalField(
        _("divergence threshold"), max_digits=7, decimal_places=2, default=Decimal("20")
    )
    cutoff = models.DecimalField(
        _("cut-off score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    results = models.JSONField(default=list)
    outliers = models.JSONField(default=list)
    proposal = models.JSONField(default=list)
    created_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.method}"
