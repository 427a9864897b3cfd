"""The registry (企业库): organisations and the reference data that classify them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from zhizao.common.validators import validate_web_url

from .enums import (
    ChainPosition,
    ImportState,
    IndustryLevel,
    NameChangeState,
    OrganizationKind,
    RegionLevel,
    SizeClass,
)


class BilingualName(models.Model):
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "zh-hans").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class Region(BilingualName):
    """GB/T 2260 administrative division. Retired codes stay, with ``valid_to`` set."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Industry(BilingualName):
    """GB/T 4754-2017 national economic industry classification."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    level = models.CharField(_("level"), max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


class Cluster(BilingualName):
    """An advanced-manufacturing cluster (先进制造业集群)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")


class IndustrialChain(BilingualName):
    """A priority industrial chain under the chain-leader system (链长制)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chains",
        verbose_name=_("cluster"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    leader = models.ForeignKey(
        "Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_chains",
        verbose_name=_("chain-leader enterprise"),
    )
    weak_link_threshold = models.PositiveSmallIntegerField(
        _("weak-link threshold"),
        default=3,
        help_text=_("A node with fewer local enterprises than this is a weak link."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("industrial chain")
        verbose_name_plural = _("industrial chains")


class ChainNode(BilingualName):
    chain = models.ForeignKey(IndustrialChain, on_delete=models.CASCADE, related_name="nodes")
    code = models.SlugField(_("code"), max_length=80, unique=True)
    position = models.CharField(_("position"), max_length=12, choices=ChainPosition.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)
    industries = models.JSONField(_("industry codes"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)

    class Meta:
        ordering = ["chain_id", "sort_order", "id"]
        verbose_name = _("chain node")
        verbose_name_plural = _("chain nodes")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    kind = models.CharField(
        pgettext_lazy("organisation", "kind"),
        max_length=20,
        choices=OrganizationKind.choices,
        db_index=True,
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("region")
    )
    # Denormalised prefixes of ``region`` and ``industry`` so that filters are index lookups.
    province_code = models.CharField(max_length=6, db_index=True, editable=False)
    city_code = models.CharField(max_length=6, db_index=True, editable=False)
    industry = models.ForeignKey(
        Industry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("industry"),
    )
    industry_division = models.CharField(max_length=2, blank=True, db_index=True, editable=False)
    industry_group = models.CharField(max_length=3, blank=True, db_index=True, editable=False)
    size = models.CharField(
        _("size"), max_length=10, choices=SizeClass.choices, blank=True, db_index=True
    )
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue_wan = models.DecimalField(
        _("revenue (10,000 yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.CharField(
        _("website"), max_length=200, blank=True, validators=[validate_web_url]
    )
    description = models.TextField(_("description"), blank=True)
    products = models.JSONField(_("main products"), default=list, blank=True)
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True)
    clusters = models.ManyToManyField(
        Cluster, blank=True, related_name="organizations", verbose_name=_("clusters")
    )
    chain_nodes = models.ManyToManyField(
        ChainNode, blank=True, related_name="organizations", verbose_name=_("chain nodes")
    )
    # Normalised text of name, products and capabilities, searched by substring.
    search_text = models.TextField(editable=False, default="")
    # GBK byte order of the name: pinyin order for the common characters, on any database.
    name_sort = models.CharField(max_length=400, editable=False, default="", db_index=True)
    # The name as two names are compared (zhizao_core.text.organization_name_key): no two active
    # organisations share it.
    name_key = models.CharField(max_length=800, editable=False, default="")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_sort", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["kind", "name_sort"]),
            # Counting and paging the active registry (with or without a kind) from an index.
            models.Index(fields=["is_active", "name_sort"], name="registry_org_active_name"),
            models.Index(
                fields=["is_active", "kind", "name_sort"], name="registry_org_active_kind"
            ),
            models.Index(fields=["city_code", "name_sort"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                condition=Q(is_active=True),
                name="registry_org_active_name_unique",
                violation_error_message=_(
                    "This name is already used by another organisation in the registry."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class NameChangeRequest(models.Model):
    """A change of an organisation's registered name, waiting for an operator's review. The
    organisation keeps its name until the request is approved."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="name_change_requests",
        verbose_name=_("organisation"),
    )
    old_name = models.CharField(_("current name"), max_length=200)
    new_name = models.CharField(_("new name"), max_length=200)
    reason = models.TextField(_("reason for the change"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=NameChangeState.choices,
        default=NameChangeState.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The organisation the requester acted for (the organisation itself, or the operator's
    # for a request raised by an import): the decision is notified there.
    requester_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    import_batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("name change request")
        verbose_name_plural = _("name change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(state="pending"),
                name="registry_one_pending_name_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"


class Contact(models.Model):
    """A person at an organisation. Names, phones and e-mails are personal data (PIPL)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(pgettext_lazy("person", "title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        ordering = ["organization_id", "-is_primary", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


def import_upload_path(instance: ImportBatch, filename: str) -> str:
    return f"imports/{instance.pk}/{uuid.uuid4().hex}"


class ImportBatch(models.Model):
    """One uploaded file of organisations, from upload through check to commit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    acting_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=import_upload_path, max_length=300, blank=True)
    original_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(max_length=8)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField(default=0)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ImportState.choices,
        default=ImportState.UPLOADED,
        db_index=True,
    )
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    phase = models.CharField(max_length=20, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    valid = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # Rows that would rename an existing organisation: they become name-change requests.
    name_changes = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    unknown_columns = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.original_name
