"""Matchmaking (供需对接): providers' and banks' offerings (供给) with their cases, enterprises'
demands (需求), introductions between the two sides with the contact-sharing consent they
need, the signals the ranking learns from, and open challenges (揭榜挂帅) with applications.

Region and industry are stored as GB/T 2260 / GB/T 4754 codes (the format of the ranking
contract); the services check them against the registry's reference tables.

Fields and constraints only; every write goes through ``services``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.registry.models import Contact, Organization

from .enums import (
    ApplicationState,
    BudgetBand,
    ChallengeState,
    DemandState,
    IntroductionState,
    OfferingKind,
    OfferingState,
    Side,
    SignalKind,
    SuggestionDirection,
    SupplyGapReportState,
    Timeline,
)
from .vocabulary import category_choices

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


def money(verbose_name, **kwargs):
    """An amount in yuan (元), two decimal places."""
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=2, validators=NON_NEGATIVE, **kwargs
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


class Offering(models.Model):
    """What a solution provider or a bank offers: a solution, product, service or financial
    product, with the categories, industries and regions it serves."""

    provider = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("provider"),
    )
    kind = models.CharField(
        pgettext_lazy("offering kind", "kind"), max_length=20, choices=OfferingKind.choices
    )
    title = models.CharField(pgettext_lazy("listing", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    industries = models.JSONField(_("industries served"), default=list, blank=True)
    regions = models.JSONField(_("regions with local service"), default=list, blank=True)
    certifications = models.JSONField(_("certifications"), default=list, blank=True)
    #: category labels of an imported catalogue that are none of ours (searched as text)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    price_min_yuan = money(_("price from (yuan)"), null=True, blank=True)
    price_max_yuan = money(_("price up to (yuan)"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=OfferingState.choices,
        default=OfferingState.DRAFT,
        db_index=True,
    )
    created_by = _user_fk(verbose_name=_("created by"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        indexes = [models.Index(fields=["provider", "state"])]

    def __str__(self) -> str:
        return self.title


class Case(models.Model):
    """A reference case of an offering: the customer's industry and region, and the result."""

    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="cases", verbose_name=_("offering")
    )
    title = models.CharField(pgettext_lazy("listing", "title"), max_length=200)
    customer_industry = models.CharField(_("customer industry"), max_length=4, blank=True)
    region = models.CharField(_("region"), max_length=6, blank=True)
    result = models.TextField(_("result"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["offering_id", "-year", "id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.title


class Demand(models.Model):
    """What an enterprise needs, in its own words, with the requirements that must hold and
    those that would be nice. The contact is passed on only after acceptance, with consent."""

    enterprise = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="demands",
        verbose_name=_("enterprise"),
    )
    title = models.CharField(pgettext_lazy("listing", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=40, choices=category_choices)
    industry = models.CharField(_("industry"), max_length=4, blank=True)
    region = models.CharField(_("region"), max_length=6)
    budget_band = models.CharField(
        _("budget"), max_length=12, choices=BudgetBand.choices, default=BudgetBand.OPEN
    )
    budget_min_yuan = money(_("budget from (yuan)"), null=True, blank=True)
    budget_max_yuan = money(_("budget up to (yuan)"), null=True, blank=True)
    timeline = models.CharField(
        _("timeline"), max_length=8, choices=Timeline.choices, default=Timeline.OPEN
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    must = models.JSONField(_("must-have requirements"), default=list, blank=True)
    nice = models.JSONField(_("nice-to-have requirements"), default=list, blank=True)
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact person"),
    )
    # a financing demand raised from a transformation project (banks meet projects through it)
    project = models.ForeignKey(
        "policies.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="financing_demands",
        verbose_name=_("transformation project"),
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=DemandState.choices,
        default=DemandState.DRAFT,
        db_index=True,
    )
    created_by = _user_fk(verbose_name=_("created by"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        indexes = [models.Index(fields=["enterprise", "state"])]

    def __str__(self) -> str:
        return self.title


def deal_evidence_path(instance: Introduction, filename: str) -> str:
    return (
        f"matchmaking/deals/{instance.pk}/{instance.deal_evidence_sha256[:16]}{_suffix(filename)}"
    )


def application_file_path(instance: ChallengeApplication, filename: str) -> str:
    return (
        f"matchmaking/challenges/{instance.challenge_id}/{instance.file_sha256[:16]}"
        f"{_suffix(filename)}"
    )


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot >= 0 else ""


class Introduction(models.Model):
    """A demand and an offering brought together: suggested → requested → accepted → met →
    deal, or declined / closed / expired. Owned by ``services.set_introduction_state``."""

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="introductions", verbose_name=_("demand")
    )
    offering = models.ForeignKey(
        Offering,
        on_delete=models.CASCADE,
        related_name="introductions",
        verbose_name=_("offering"),
    )
    requested_by = models.CharField(_("requested by"), max_length=12, choices=Side.choices)
    requested_by_user = _user_fk(verbose_name=_("requested by user"))
    message = models.TextField(_("message"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=IntroductionState.choices,
        default=IntroductionState.REQUESTED,
        db_index=True,
    )
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    meeting_note = models.TextField(_("meeting note"), blank=True)
    deal_at = models.DateTimeField(_("deal recorded"), null=True, blank=True)
    deal_value_yuan = money(_("deal value (yuan)"), null=True, blank=True)
    deal_evidence = models.FileField(
        _("deal evidence"), upload_to=deal_evidence_path, max_length=300, blank=True
    )
    deal_evidence_name = models.CharField(max_length=200, blank=True)
    deal_evidence_sha256 = models.CharField(max_length=64, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    closed_reason = models.TextField(_("reason"), blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "offering"], name="matchmaking_introduction_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.demand} ↔ {self.offering}"


class ConsentRecord(models.Model):
    """A contact person's consent to pass their name, phone and e-mail to the other side of
    one introduction (PIPL Art. 23). Withdrawn consent stays on record with ``withdrawn_at``."""

    introduction = models.ForeignKey(
        Introduction,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("introduction"),
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="+", verbose_name=_("contact person")
    )
    granted_by = _user_fk(verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    purpose = models.TextField(_("purpose"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["introduction_id", "-granted_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.contact_id} → {self.introduction_id}"


class MatchSignal(models.Model):
    """What happened to an offering in an introduction; the ranking reads the counts."""

    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="signals", verbose_name=_("offering")
    )
    demand = models.ForeignKey(
        Demand,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
        verbose_name=_("demand"),
    )
    kind = models.CharField(
        pgettext_lazy("signal kind", "kind"), max_length=12, choices=SignalKind.choices
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match signal")
        verbose_name_plural = _("match signals")
        indexes = [models.Index(fields=["offering", "kind"])]

    def __str__(self) -> str:
        return f"{self.offering_id} {self.kind}"


class Challenge(models.Model):
    """An open challenge (揭榜挂帅): a hard problem with eligibility rules, a budget and a
    deadline; providers apply, the operator reviews and announces the result publicly.

    ``eligibility``: ``{"region_prefix": "32", "certifications": ["CMMI3"], "min_cases": 2}``
    (each key optional)."""

    title = models.CharField(pgettext_lazy("listing", "title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=40, choices=category_choices)
    eligibility = models.JSONField(_("eligibility"), default=dict, blank=True)
    budget_yuan = money(_("budget (yuan)"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ChallengeState.choices,
        default=ChallengeState.DRAFT,
        db_index=True,
    )
    announcement = models.TextField(_("announcement"), blank=True)
    created_by = _user_fk(verbose_name=_("created by"))
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def __str__(self) -> str:
        return self.title


class ChallengeApplication(models.Model):
    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("challenge"),
    )
    provider = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="challenge_applications",
        verbose_name=_("provider"),
    )
    proposal = models.TextField(_("proposal"))
    file = models.FileField(
        _("attachment"), upload_to=application_file_path, max_length=300, blank=True
    )
    file_name = models.CharField(max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
        db_index=True,
    )
    review_note = models.TextField(_("review note"), blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    submitted_by = _user_fk(verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["challenge_id", "-score", "submitted_at", "id"]
        verbose_name = _("challenge application")
        verbose_name_plural = _("challenge applications")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "provider"], name="matchmaking_application_unique_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} → {self.challenge}"


class SupplyGapReport(models.Model):
    """The supply gaps as the periodic task computed them (``compute_supply_gaps``): the page
    serves the newest finished report with its time, never ranking in the request. A row in
    state ``queued`` is a refresh someone asked for; there is at most one (the constraint), so
    a double click enqueues the computation once."""

    state = models.CharField(
        _("state"),
        max_length=8,
        choices=SupplyGapReportState.choices,
        default=SupplyGapReportState.QUEUED,
    )
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True, db_index=True)
    #: what the computation used: {"threshold": 0.35, "limit": 500}
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    #: the groups, as ``stats.gap_rows`` writes them
    groups = models.JSONField(_("groups"), default=list, blank=True)
    demand_count = models.PositiveIntegerField(_("demands"), default=0)

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("supply-gap report")
        verbose_name_plural = _("supply-gap reports")
        constraints = [
            models.UniqueConstraint(
                fields=["state"],
                condition=models.Q(state="queued"),
                name="matchmaking_gap_report_one_queued",
            )
        ]

    def __str__(self) -> str:
        return f"supply gaps {self.state} {self.computed_at or self.requested_at}"


class SuggestionPreference(models.Model):
    """Whether an organisation is told of new matches (a provider: demands its offerings fit;
    an enterprise: offerings its open demands fit). On unless it turned it off."""

    organization = models.OneToOneField(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="match_suggestion_preference",
        verbose_name=_("organisation"),
    )
    enabled = models.BooleanField(_("tell us of new matches"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("match-suggestion preference")
        verbose_name_plural = _("match-suggestion preferences")

    def __str__(self) -> str:
        return f"{self.organization_id}: {'on' if self.enabled else 'off'}"


class MatchSuggestion(models.Model):
    """One suggestion sent: a demand and an offering told to one side. Unique per pair and
    direction, so the task is safe to run twice; counted per recipient and day for the cap."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="suggestions")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="suggestions")
    direction = models.CharField(_("direction"), max_length=16, choices=SuggestionDirection.choices)
    recipient = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("told"),
    )
    fit = models.PositiveSmallIntegerField(_("fit"), default=0)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match suggestion")
        verbose_name_plural = _("match suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "offering", "direction"], name="matchmaking_suggestion_once"
            )
        ]
        indexes = [models.Index(fields=["recipient", "created_at"])]

    def __str__(self) -> str:
        return f"{self.demand_id}×{self.offering_id} → {self.recipient_id}"
