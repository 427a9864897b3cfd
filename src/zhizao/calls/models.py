"""Calls (申报通知) with their stages, categories, form and rubric; nominating bodies with
quotas; applications with their answers and files; 公示 with objections; the working-day
calendar; catalogues (名录) published from a call.

Fields and constraints only; every write goes through ``services``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.registry.models import Organization

from .enums import (
    ApplicationState,
    CalendarDayKind,
    CallKind,
    CallState,
    FieldType,
    ObjectionState,
    Prefill,
    PublicityState,
    StageKind,
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


class Call(models.Model):
    """A call for applications run by a selection office (the host organisation)."""

    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    kind = models.CharField(
        pgettext_lazy("call kind", "kind"), max_length=20, choices=CallKind.choices
    )
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"), blank=True)
    host = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="hosted_calls",
        verbose_name=_("selection office"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CallState.choices, default=CallState.DRAFT
    )
    blind_review = models.BooleanField(_("blind review"), default=False)
    publicity_working_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=5
    )
    conflict_years = models.PositiveSmallIntegerField(_("conflict window (years)"), default=3)
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3
    )
    max_experts_per_organisation = models.PositiveSmallIntegerField(
        _("experts of one organisation per application"), default=1
    )
    same_region_exclusion = models.PositiveSmallIntegerField(
        _("exclude experts of the same region (code prefix length)"), null=True, blank=True
    )
    max_named_exclusions = models.PositiveSmallIntegerField(
        _("experts an applicant may exclude"), default=3
    )
    allow_bidding = models.BooleanField(_("experts may bid"), default=False)
    eligibility = models.JSONField(_("eligibility rule"), default=dict, blank=True)
    #: with the rule: the applicant has no credit record in force (失信被执行人, serious
    #: violations, abnormal operation list, administrative penalties; ``policies.CreditRecord``)
    no_credit_record = models.BooleanField(_("no credit record in force"), default=False)
    requires_nomination = models.BooleanField(_("requires nomination"), default=False)
    recognition_title = models.CharField(
        _("title granted"), max_length=40, blank=True
    )  # policies.RecognitionTitle value, empty: none
    recognition_level = models.CharField(_("level of the title"), max_length=12, blank=True)
    template = models.CharField(_("template"), max_length=40, blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("call")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.title


class CallStage(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=12, choices=StageKind.choices)
    opens = models.DateTimeField(_("opens"), null=True, blank=True)
    closes = models.DateTimeField(_("closes"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("call stage")
        ordering = ["call_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="calls_stage_once"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class CallCategory(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    final_quota = models.PositiveIntegerField(_("places"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        ordering = ["call_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="calls_category_code"),
        ]

    def __str__(self) -> str:
        return self.name


class FormField(models.Model):
    """One question of a call's application form. ``options`` by type: text
    {max_length, min_length}; number/money {min, max}; choice {choices: [..]}; file
    {types: ["pdf", ..], max_mb}; table {columns: [{code, label}], max_rows}."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="fields")
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    help_text = models.CharField(_("help"), max_length=400, blank=True)
    type = models.CharField(_("type"), max_length=10, choices=FieldType.choices)
    required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    prefill = models.CharField(
        _("prefill from"), max_length=20, choices=Prefill.choices, blank=True, default=""
    )
    #: left out of what an expert reads on a blind review: always for the fields that name or
    #: reach the applicant (its name, credit code, address; a contact person, phone or e-mail),
    #: and any other field its organiser marks (``calls.blind.identifies``)
    blind_hidden = models.BooleanField(_("hidden on a blind review"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("form field")
        ordering = ["call_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="calls_field_code"),
        ]

    def __str__(self) -> str:
        return self.label


class RubricCriterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=4)
    max_score = models.DecimalField(
        _("maximum score"), max_digits=8, decimal_places=2, default=Decimal("100")
    )
    ranked = models.BooleanField(_("counts in the ranking"), default=True)
    comment_required = models.BooleanField(_("comment required"), default=False)
    bands = models.JSONField(_("bands"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rubric criterion")
        ordering = ["call_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="calls_criterion_code"),
        ]

    def __str__(self) -> str:
        return self.name


class NominationQuota(models.Model):
    """A nominating body of a call (推荐单位) and how many it may nominate: in total
    (``category`` empty) or in one category."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="quotas")
    nominator = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="nomination_quotas",
        verbose_name=_("nominating body"),
    )
    category = models.ForeignKey(
        CallCategory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quotas",
        verbose_name=_("category"),
    )
    quota = models.PositiveIntegerField(_("quota"))

    class Meta:
        verbose_name = _("nomination quota")
        ordering = ["call_id", "nominator_id", "category_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "nominator", "category"], name="calls_quota_once"
            ),
            models.UniqueConstraint(
                fields=["call", "nominator"],
                condition=models.Q(category__isnull=True),
                name="calls_quota_total_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominator_id}: {self.quota}"


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    category = models.ForeignKey(
        CallCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("category"),
    )
    applicant = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="call_applications",
        verbose_name=_("applicant"),
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    title_key = models.CharField(max_length=200, editable=False, default="", db_index=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        db_index=True,
    )
    data = models.JSONField(_("answers"), default=dict, blank=True)
    industry_code = models.CharField(_("industry"), max_length=5, blank=True)
    region_code = models.CharField(_("region"), max_length=6, blank=True)
    people = models.JSONField(_("team"), default=list, blank=True)
    named_exclusions = models.JSONField(
        _("experts excluded by the applicant"), default=list, blank=True
    )
    # nomination (推荐)
    nominator = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addressed_applications",
        verbose_name=_("nominating body"),
    )
    nomination_rank = models.PositiveSmallIntegerField(_("nomination rank"), null=True, blank=True)
    nominated_at = models.DateTimeField(_("nominated"), null=True, blank=True)
    # formal review (形式审查)
    checklist = models.JSONField(_("formal checklist"), default=dict, blank=True)
    correction_request = models.TextField(_("what to correct"), blank=True)
    correction_deadline = models.DateTimeField(_("correct by"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # result
    final_rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    final_score = models.DecimalField(
        _("score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("application")
        ordering = ["call_id", "id"]
        indexes = [models.Index(fields=["applicant", "title_key"])]

    def __str__(self) -> str:
        return self.title

    def display_title(self, blind: bool) -> str:
        """The title as an expert sees it: without the applicant's name when blind."""
        if blind:
            return self.title
        return f"{self.title}（{self.applicant.name}）"


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    field_code = models.CharField(_("field"), max_length=40)
    file = models.FileField(_("file"), upload_to="calls/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), validators=[MinValueValidator(0)])
    uploaded_by = _user_fk()
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("application file")
        ordering = ["application_id", "field_code", "id"]

    def __str__(self) -> str:
        return self.name


class Publicity(models.Model):
    """The 公示 of a call's proposed list: a public page open for objections from
    ``opens_on`` to ``closes_on`` (both working days, inclusive)."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="publicity")
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    state = models.CharField(
        _("state"), max_length=10, choices=PublicityState.choices, default=PublicityState.OPEN
    )
    contact = models.CharField(_("contact for objections"), max_length=200, blank=True)
    opened_by = _user_fk()
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        verbose_name = _("public notice")

    def __str__(self) -> str:
        return f"{self.call_id} {self.opens_on}–{self.closes_on}"


class PublicityEntry(models.Model):
    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="publicity_entry"
    )
    category = models.ForeignKey(
        CallCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("public notice entry")
        ordering = ["publicity_id", "rank", "application_id"]

    def __str__(self) -> str:
        return f"{self.rank}. {self.application_id}"


class Objection(models.Model):
    """A signed objection (异议) to an entry of a 公示. Only the handling officer sees who
    filed it."""

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="objections")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="objections"
    )
    objector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    objector_name = models.CharField(_("signed by"), max_length=100)
    objector_phone = models.CharField(_("phone"), max_length=40, blank=True)
    body = models.TextField(_("objection"))
    state = models.CharField(
        _("state"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    reopened_review = models.BooleanField(_("review reopened"), default=False)
    handled_by = _user_fk()
    # the one officer who takes the objection up: only this user sees who objected
    handler = _user_fk(verbose_name=_("handling officer"))
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.pk}"


class VerifiedIdentity(models.Model):
    """A user whose real identity an operator has checked (实名核验: the accounts app keeps no
    verified phone or real-name flag). Only a verified user files a signed objection."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="verified_identity",
        verbose_name=_("user"),
    )
    real_name = models.CharField(_("real name"), max_length=100)
    note = models.CharField(_("how it was checked"), max_length=200, blank=True)
    verified_by = _user_fk(verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified"), auto_now_add=True)

    class Meta:
        verbose_name = _("verified identity")
        verbose_name_plural = _("verified identities")
        ordering = ["-verified_at", "-id"]

    def __str__(self) -> str:
        return self.real_name


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday or an adjusted working day
    (调休上班). Seeded from ``zhizao_core.review`` data for 2026 and 2027; operators edit it."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(
        pgettext_lazy("calendar day kind", "kind"), max_length=10, choices=CalendarDayKind.choices
    )
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class Catalogue(models.Model):
    """A published list (名录): 双十 of a year, a province's smart factories, a first-set
    equipment catalogue."""

    call = models.OneToOneField(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="catalogue"
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    kind = models.CharField(
        pgettext_lazy("call kind", "kind"), max_length=20, choices=CallKind.choices
    )
    year = models.PositiveSmallIntegerField(_("year"))
    publisher = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="catalogues")
    reference = models.CharField(_("document number"), max_length=120, blank=True)
    published_on = models.DateField(_("published"))
    created_by = _user_fk()

    class Meta:
        verbose_name = _("catalogue")
        ordering = ["-year", "-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class CatalogueEntry(models.Model):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalogue_entry",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="catalogue_entries"
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    category = models.CharField(_("category"), max_length=120, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("catalogue entry")
        ordering = ["catalogue_id", "rank", "id"]

    def __str__(self) -> str:
        return self.title
