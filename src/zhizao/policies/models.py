"""Policies (政策文件) with their items and versioned rules, enterprises' transformation
projects (智改数转项目) with loans and documents, recognitions and credit records, and the
evaluation trail: decisions, scans, name lists (名单) and payments (拨付).

Fields and constraints only; every write goes through ``services``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.registry.models import Organization, Region

from .enums import (
    CreditKind,
    DecisionSource,
    Eligibility,
    EntryState,
    ItemCategory,
    ItemState,
    ItemSubject,
    NameListState,
    PolicyLevel,
    PolicyState,
    ProjectKind,
    ProjectStatus,
    RecognitionLevel,
    RecognitionTitle,
    ScanState,
    VersionState,
)

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


def money(verbose_name, **kwargs):
    """An amount in yuan (元), two decimal places."""
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=2, validators=NON_NEGATIVE, **kwargs
    )


def rate(verbose_name, **kwargs):
    """A rate as a fraction (0.0345 is 3.45 %)."""
    return models.DecimalField(verbose_name, max_digits=8, decimal_places=6, **kwargs)


def _user_fk(**kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **kwargs,
    )


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only row (payments)."""


# --- policies -------------------------------------------------------------------------------


def policy_attachment_path(instance: Policy, filename: str) -> str:
    return f"policies/{instance.attachment_sha256[:16]}-{filename[-80:]}"


class Policy(models.Model):
    """A policy document (政策文件) as issued, with its scope, validity and budget."""

    title = models.CharField(pgettext_lazy("document", "title"), max_length=300)
    doc_number = models.CharField(_("document number"), max_length=120, blank=True)
    issuing_unit = models.CharField(_("issued by"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=PolicyLevel.choices)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Where the policy applies; empty means no regional restriction."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    window_start = models.DateField(_("application opens"), null=True, blank=True)
    window_end = models.DateField(_("application closes"), null=True, blank=True)
    budget_yuan = money(_("budget (yuan)"), null=True, blank=True)
    first_come = models.BooleanField(_("first come, first served"), default=False)
    attachment = models.FileField(
        _("policy text"), upload_to=policy_attachment_path, max_length=300, blank=True
    )
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=PolicyState.choices, default=PolicyState.DRAFT
    )
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["state", "level", "-valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="policies_policy_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(window_start__isnull=True)
                | Q(window_end__isnull=True)
                | Q(window_end__gte=models.F("window_start")),
                name="policies_policy_window_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PolicyItem(models.Model):
    """One benefit of a policy (政策条目), evaluated by its current published rule."""

    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="items", verbose_name=_("policy")
    )
    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=ItemCategory.choices)
    subject = models.CharField(
        _("evaluated for"),
        max_length=12,
        choices=ItemSubject.choices,
        default=ItemSubject.ENTERPRISE,
    )
    proactive = models.BooleanField(_("granted without application"), default=False)
    budget_yuan = money(_("budget (yuan)"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ItemState.choices, default=ItemState.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("policy item")
        verbose_name_plural = _("policy items")
        ordering = ["policy_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_budget_yuan(self) -> Decimal | None:
        """The item's own budget, else its policy's."""
        return self.budget_yuan if self.budget_yuan is not None else self.policy.budget_yuan

    @property
    def current_version(self) -> PolicyItemVersion | None:
        """The published version (one query; use ``selectors.current_versions`` for lists)."""
        return self.versions.filter(state=VersionState.PUBLISHED).order_by("-number").first()


class PolicyItemVersion(models.Model):
    """A numbered rule of an item. Published versions are never changed: editing a published
    item starts a new draft that copies the rule."""

    item = models.ForeignKey(
        PolicyItem, on_delete=models.PROTECT, related_name="versions", verbose_name=_("item")
    )
    number = models.PositiveIntegerField(_("version"))
    rule = models.JSONField(_("rule"), default=dict, blank=True)
    test_cases = models.JSONField(_("test cases"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=VersionState.choices, default=VersionState.DRAFT
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_by = _user_fk()
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("rule version")
        ordering = ["item_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="policies_version_number"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state="published"),
                name="policies_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.state == VersionState.DRAFT


# --- projects -------------------------------------------------------------------------------


class Project(models.Model):
    """An enterprise's transformation project (智改数转项目) with its investment split.
    An unknown amount is None, never zero."""

    enterprise = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("enterprise"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        pgettext_lazy("project kind", "kind"), max_length=32, choices=ProjectKind.choices
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("location"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    completion_date = models.DateField(_("completion date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    equipment_yuan = money(_("equipment (yuan)"), null=True, blank=True)
    intelligent_equipment_yuan = money(
        _("of which intelligent equipment (yuan)"), null=True, blank=True
    )
    software_yuan = money(_("software (yuan)"), null=True, blank=True)
    services_yuan = money(_("services (yuan)"), null=True, blank=True)
    other_yuan = money(_("other (yuan)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    INVESTMENT_FIELDS = ("equipment_yuan", "software_yuan", "services_yuan", "other_yuan")

    class Meta:
        verbose_name = _("transformation project")
        verbose_name_plural = _("transformation projects")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(completion_date__gte=models.F("start_date")),
                name="policies_project_dates",
            ),
            models.CheckConstraint(
                condition=Q(intelligent_equipment_yuan__isnull=True)
                | Q(equipment_yuan__isnull=True)
                | Q(intelligent_equipment_yuan__lte=models.F("equipment_yuan")),
                name="policies_project_intelligent_within_equipment",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_investment_yuan(self) -> Decimal | None:
        """Equipment + software + services + other; None while any part is unknown."""
        parts = [getattr(self, name) for name in self.INVESTMENT_FIELDS]
        if any(part is None for part in parts):
            return None
        return sum(parts, Decimal("0"))


class Loan(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="loans", verbose_name=_("project")
    )
    lender = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lender"),
    )
    lender_name = models.CharField(_("lender"), max_length=200, blank=True)
    amount_yuan = money(_("amount (yuan)"))
    annual_rate = rate(_("annual interest rate"), validators=NON_NEGATIVE)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    interest_paid_yuan = money(_("interest paid (yuan)"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="policies_loan_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lender_name or self.lender_id} {self.amount_yuan}"


def project_document_path(instance: ProjectDocument, filename: str) -> str:
    return f"projects/{instance.project_id}/{instance.sha256[:16]}-{filename[-80:]}"


class ProjectDocument(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project")
    )
    file = models.FileField(upload_to=project_document_path, max_length=300)
    name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = _user_fk()
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("project document")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


# --- recognitions and credit ----------------------------------------------------------------


class Recognition(models.Model):
    """A title an enterprise holds (荣誉资质), e.g. 专精特新 at provincial level."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="recognitions",
        verbose_name=_("organisation"),
    )
    title = models.CharField(
        pgettext_lazy("recognition", "title"), max_length=40, choices=RecognitionTitle.choices
    )
    level = models.CharField(_("level"), max_length=12, choices=RecognitionLevel.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    reference = models.CharField(_("document number"), max_length=120, blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("recognition")
        ordering = ["organization_id", "title", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "title", "level"], name="policies_recognition_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.title}"


class CreditRecord(models.Model):
    """A credit record that may exclude an enterprise from benefits; in force while
    ``end_date`` is empty."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="credit_records",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(
        pgettext_lazy("credit record kind", "kind"), max_length=12, choices=CreditKind.choices
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit record")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["organization", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="policies_credit_dates",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


# --- evaluations ----------------------------------------------------------------------------


class Scan(models.Model):
    """One evaluation of an item version over every enterprise (or project) in scope."""

    item_version = models.ForeignKey(
        PolicyItemVersion, on_delete=models.PROTECT, related_name="scans"
    )
    as_of = models.DateField(_("as of"))
    state = models.CharField(
        _("state"), max_length=10, choices=ScanState.choices, default=ScanState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    evaluated = models.PositiveIntegerField(_("evaluated"), default=0)
    eligible_count = models.PositiveIntegerField(_("eligible"), default=0)
    unknown_count = models.PositiveIntegerField(_("cannot tell"), default=0)
    excluded_count = models.PositiveIntegerField(_("excluded by credit"), default=0)
    total_yuan = money(_("total (yuan)"), default=Decimal("0"))
    sandbox_rule = models.JSONField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("scan")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"scan {self.pk} of {self.item_version_id}"

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox_rule is not None


class Decision(models.Model):
    """One evaluation result kept as evidence: the version, the facts' date, the outcome and
    its explanation."""

    item_version = models.ForeignKey(
        PolicyItemVersion, on_delete=models.PROTECT, related_name="decisions"
    )
    enterprise = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="policy_decisions"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    as_of = models.DateField(_("as of"))
    eligible = models.CharField(_("eligible"), max_length=8, choices=Eligibility.choices)
    amount_yuan = money(_("amount (yuan)"), null=True, blank=True)
    binding_cap = models.CharField(_("binding cap"), max_length=120, blank=True)
    missing = models.JSONField(default=list, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=DecisionSource.choices)
    scan = models.ForeignKey(
        Scan, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["scan", "eligible"]),
            models.Index(fields=["enterprise", "item_version"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.eligible}"


class NameList(models.Model):
    """A list of beneficiaries (名单) drawn from a scan, announced for objections, then final."""

    scan = models.ForeignKey(Scan, on_delete=models.PROTECT, related_name="name_lists")
    item_version = models.ForeignKey(
        PolicyItemVersion, on_delete=models.PROTECT, related_name="name_lists"
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=300)
    state = models.CharField(
        _("state"), max_length=10, choices=NameListState.choices, default=NameListState.DRAFT
    )
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    objection_until = models.DateField(_("objections until"), null=True, blank=True)
    # What the public page showed when the list was announced (公示), frozen then: later edits
    # of the policy or the item do not change an announced list.
    announced_item_name = models.CharField(max_length=200, blank=True)
    announced_policy_title = models.CharField(max_length=300, blank=True)
    announced_doc_number = models.CharField(max_length=120, blank=True)
    announced_issuing_unit = models.CharField(max_length=200, blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("name list")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class NameListEntry(models.Model):
    """One beneficiary on a name list. Entries change state but are never deleted."""

    name_list = models.ForeignKey(NameList, on_delete=models.PROTECT, related_name="entries")
    enterprise = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="name_list_entries"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="name_list_entries"
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="entries")
    amount_yuan = money(_("amount (yuan)"))
    state = models.CharField(
        _("state"), max_length=10, choices=EntryState.choices, default=EntryState.LISTED
    )
    excluded_reason = models.CharField(_("reason for exclusion"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = _user_fk()
    # The beneficiary as announced (公示), frozen when the list is announced: a later rename
    # or move of the enterprise, or an edit of the project, does not change the public list.
    announced_name = models.CharField(_("enterprise (as announced)"), max_length=200, blank=True)
    announced_uscc = models.CharField(max_length=18, blank=True)
    announced_region = models.CharField(max_length=200, blank=True)
    announced_project = models.CharField(max_length=200, blank=True)
    announced_amount_yuan = money(_("amount (as announced)"), null=True, blank=True)

    class Meta:
        verbose_name = _("name list entry")
        ordering = ["name_list_id", "id"]
        constraints = [
            # (name_list, enterprise, project), with "no project" counted once as well.
            models.UniqueConstraint(
                fields=["name_list", "enterprise", "project"],
                condition=Q(project__isnull=False),
                name="policies_entry_once",
            ),
            models.UniqueConstraint(
                fields=["name_list", "enterprise"],
                condition=Q(project__isnull=True),
                name="policies_entry_once_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_list_id}/{self.enterprise_id}"


class Payment(models.Model):
    """One payment (拨付) to a beneficiary. Append-only: the model refuses updates and
    deletes, and database triggers (migration 0002) refuse them too. A correction is a new
    payment (a negative amount) with its own reference."""

    entry = models.ForeignKey(NameListEntry, on_delete=models.PROTECT, related_name="payments")
    stage = models.CharField(_("stage"), max_length=80)
    amount_yuan = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.stage} {self.amount_yuan}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("payments cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("payments cannot be deleted")
