"""Maturity models (as loaded files), assessments with their answers and evidence, and
diagnosis campaigns. Scores are computed by ``zhizao_core.diagnosis``; what is stored here is
the input (answers) and, on submission, the result for listing and benchmarking."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.registry.models import Organization

from .cache import parsed_model
from .enums import (
    AnswerValue,
    AssessmentKind,
    AssessmentState,
    CampaignState,
    EnterpriseType,
    TargetState,
)
from .messages import lang_text


class MaturityModel(models.Model):
    """One version of a model file. Never edited: a changed file is a new version, and every
    assessment keeps the version it was answered on."""

    key = models.SlugField(_("model"), max_length=80)
    version = models.CharField(_("version"), max_length=40)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300)
    data = models.JSONField()
    sha256 = models.CharField(max_length=64)
    source_file = models.CharField(max_length=200, blank=True)
    is_default = models.BooleanField(_("default model"), default=False)
    is_current = models.BooleanField(_("current version"), default=True)
    requirement_count = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("maturity model")
        ordering = ["-is_default", "key", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="diagnosis_model_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def name(self) -> str:
        return lang_text({"zh": self.name_zh, "en": self.name_en})

    def parsed(self):
        return parsed_model(self)


class Assessment(models.Model):
    model = models.ForeignKey(
        MaturityModel, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("model")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(
        pgettext_lazy("assessment kind", "kind"),
        max_length=10,
        choices=AssessmentKind.choices,
        default=AssessmentKind.SELF,
    )
    enterprise_type = models.CharField(
        _("enterprise type"), max_length=10, choices=EnterpriseType.choices
    )
    state = models.CharField(
        _("state"), max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )
    provider = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="onsite_assessments",
        verbose_name=_("diagnosing provider"),
    )
    verifies = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verifications",
        verbose_name=_("self-assessment verified"),
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    # The result, stored on submission (scores rounded half-up to 6 places for sorting and
    # benchmarks; the report recomputes exactly from the answers).
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=6, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    asked_count = models.PositiveIntegerField(default=0)
    answered_count = models.PositiveIntegerField(default=0)
    # Latest submitted self-assessment of its organisation on this model: the benchmark pool.
    is_latest = models.BooleanField(default=False)
    # Peer-group keys copied from the registry at submission (the benchmark groups by them).
    industry_division = models.CharField(max_length=2, blank=True)
    city_code = models.CharField(max_length=6, blank=True)
    province_code = models.CharField(max_length=6, blank=True)
    size = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("assessment")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "kind", "state"]),
            models.Index(fields=["model", "is_latest", "industry_division", "score"]),
            models.Index(fields=["model", "is_latest", "city_code", "score"]),
            models.Index(fields=["model", "is_latest", "size", "score"]),
            models.Index(fields=["model", "is_latest", "score"]),
            models.Index(fields=["provider", "state"]),
            # the assessments list's default order (newest first): read in index order, not
            # sorted (SQLite: 11 ms -> 0.1 ms for a page of the demo's 2,679)
            models.Index(fields=["updated_at", "id"], name="diagnosis_assessment_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()} #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.state == AssessmentState.SUBMITTED


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    requirement_id = models.CharField(max_length=80)
    value = models.CharField(_("answer"), max_length=4, choices=AnswerValue.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement_id"], name="diagnosis_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id}={self.value}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"diagnosis/{instance.assessment_id}/{instance.sha256[:16]}-{filename[-80:]}"


class Evidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    requirement_id = models.CharField(max_length=80)
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class SectionAssignment(models.Model):
    """A domain of an assessment handed to a colleague in the same organisation."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="section_assignments"
    )
    domain_id = models.CharField(max_length=80)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diagnosis_sections"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now=True)
    #: when every asked requirement of the section had an answer (cleared if one is asked again)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain_id"], name="diagnosis_section_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain_id} → {self.assignee_id}"


class Campaign(models.Model):
    """A diagnosis campaign (免费巡诊): the government pays providers for on-site diagnoses."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    model = models.ForeignKey(MaturityModel, on_delete=models.PROTECT, verbose_name=_("model"))
    budget_yuan = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2)
    price_yuan = models.DecimalField(
        _("price per diagnosis (yuan)"), max_digits=12, decimal_places=2
    )
    target_filter = models.CharField(_("target enterprises (registry filter)"), max_length=1000)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    allocated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("diagnosis campaign")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def capacity(self) -> int:
        """How many diagnoses the budget pays for."""
        if not self.price_yuan or self.price_yuan <= 0:
            return 0
        return int(self.budget_yuan // self.price_yuan)


class CampaignProvider(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="providers")
    provider = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    quota = models.PositiveIntegerField(_("quota"))
    regions = models.JSONField(_("service regions"), default=list, blank=True)
    conflicts = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="+",
        verbose_name=_("enterprises it has a stake in"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "provider"], name="diagnosis_cp_once")
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.provider)


class CampaignTarget(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    enterprise = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="campaign_targets"
    )
    position = models.PositiveIntegerField(default=0)
    assigned = models.ForeignKey(
        CampaignProvider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
        verbose_name=_("provider"),
    )
    distance = models.CharField(max_length=20, blank=True)
    unassigned_reason = models.CharField(max_length=40, blank=True)
    manual = models.BooleanField(default=False)
    state = models.CharField(
        _("state"), max_length=12, choices=TargetState.choices, default=TargetState.UNASSIGNED
    )
    visited_at = models.DateField(_("visited on"), null=True, blank=True)
    visit_note = models.TextField(_("visit note"), blank=True, max_length=2000)
    assessment = models.OneToOneField(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaign_target"
    )
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "enterprise"], name="diagnosis_ct_once")
        ]
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return str(self.enterprise)
