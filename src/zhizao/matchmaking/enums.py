"""The vocabulary of matchmaking (供需对接): listing states, introduction states with the
transitions between them, signals, budget bands, timelines and open challenges (揭榜挂帅).
Category and kind codes come from ``zhizao_core.matching.vocabulary``."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OfferingKind(models.TextChoices):
    SOLUTION = "solution", _("Solution")
    PRODUCT = "product", _("Product")
    SERVICE = "service", _("Service")
    FINANCIAL = "financial", _("Financial product")


class OfferingState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("listing state", "Draft")
    PUBLISHED = "published", pgettext_lazy("listing state", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("listing state", "Withdrawn")


class DemandState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("listing state", "Draft")
    PUBLISHED = "published", pgettext_lazy("listing state", "Published")
    CLOSED = "closed", pgettext_lazy("listing state", "Closed")


class SupplyGapReportState(models.TextChoices):
    QUEUED = "queued", _("Computing")
    DONE = "done", _("Computed")


class Side(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise (demand side)")
    PROVIDER = "provider", _("Provider (supply side)")


class IntroductionState(models.TextChoices):
    SUGGESTED = "suggested", pgettext_lazy("introduction state", "Suggested")
    REQUESTED = "requested", pgettext_lazy("introduction state", "Requested")
    ACCEPTED = "accepted", pgettext_lazy("introduction state", "Accepted")
    DECLINED = "declined", pgettext_lazy("introduction state", "Declined")
    MET = "met", pgettext_lazy("introduction state", "Met")
    DEAL = "deal", pgettext_lazy("introduction state", "Deal")
    CLOSED = "closed", pgettext_lazy("introduction state", "Closed")
    EXPIRED = "expired", pgettext_lazy("introduction state", "Expired")


S = IntroductionState
#: state → the states it may move to; the one state machine (services.set_introduction_state)
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUGGESTED: frozenset({S.REQUESTED, S.DECLINED, S.CLOSED, S.EXPIRED}),
    S.REQUESTED: frozenset({S.ACCEPTED, S.DECLINED, S.CLOSED, S.EXPIRED}),
    S.ACCEPTED: frozenset({S.MET, S.CLOSED}),
    S.MET: frozenset({S.DEAL, S.CLOSED}),
    S.DEAL: frozenset(),
    S.DECLINED: frozenset(),
    S.CLOSED: frozenset(),
    S.EXPIRED: frozenset(),
}
OPEN_STATES = frozenset({S.SUGGESTED, S.REQUESTED, S.ACCEPTED, S.MET})
#: states in which both sides see each other (contacts with consent)
CONNECTED_STATES = frozenset({S.ACCEPTED, S.MET, S.DEAL})
#: the funnel, in order: a stage counts every introduction that reached it
FUNNEL = (S.SUGGESTED, S.REQUESTED, S.ACCEPTED, S.MET, S.DEAL)
#: days an unanswered request stays open
EXPIRY_DAYS = 14


class SignalKind(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("signal", "Accepted")
    DECLINED = "declined", pgettext_lazy("signal", "Declined")
    DEAL = "deal", pgettext_lazy("signal", "Deal")


class BudgetBand(models.TextChoices):
    """Budget bands in yuan; ``BUDGET_BOUNDS`` gives each band's min and max."""

    UNDER_100K = "lt100k", _("Under 100,000 yuan")
    K100_500K = "100k-500k", _("100,000–500,000 yuan")
    K500_1M = "500k-1m", _("500,000–1 million yuan")
    M1_5M = "1m-5m", _("1–5 million yuan")
    M5_20M = "5m-20m", _("5–20 million yuan")
    OVER_20M = "gt20m", _("Over 20 million yuan")
    OPEN = "open", _("To be discussed")


BUDGET_BOUNDS: dict[str, tuple[Decimal | None, Decimal | None]] = {
    BudgetBand.UNDER_100K: (None, Decimal("100000")),
    BudgetBand.K100_500K: (Decimal("100000"), Decimal("500000")),
    BudgetBand.K500_1M: (Decimal("500000"), Decimal("1000000")),
    BudgetBand.M1_5M: (Decimal("1000000"), Decimal("5000000")),
    BudgetBand.M5_20M: (Decimal("5000000"), Decimal("20000000")),
    BudgetBand.OVER_20M: (Decimal("20000000"), None),
    BudgetBand.OPEN: (None, None),
}


class Timeline(models.TextChoices):
    URGENT = "1m", _("Within a month")
    QUARTER = "3m", _("Within three months")
    HALF_YEAR = "6m", _("Within six months")
    YEAR = "12m", _("Within a year")
    OPEN = "open", _("No fixed date")


class ChallengeState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("challenge state", "Draft")
    OPEN = "open", pgettext_lazy("challenge state", "Open for applications")
    REVIEWING = "reviewing", pgettext_lazy("challenge state", "Under review")
    ANNOUNCED = "announced", pgettext_lazy("challenge state", "Announced")


CHALLENGE_TRANSITIONS: dict[str, frozenset[str]] = {
    ChallengeState.DRAFT: frozenset({ChallengeState.OPEN}),
    ChallengeState.OPEN: frozenset({ChallengeState.REVIEWING}),
    ChallengeState.REVIEWING: frozenset({ChallengeState.ANNOUNCED}),
    ChallengeState.ANNOUNCED: frozenset(),
}
PUBLIC_CHALLENGE_STATES = frozenset(
    {ChallengeState.OPEN, ChallengeState.REVIEWING, ChallengeState.ANNOUNCED}
)


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("application state", "Submitted")
    SHORTLISTED = "shortlisted", pgettext_lazy("application state", "Shortlisted")
    REJECTED = "rejected", pgettext_lazy("application state", "Not selected")
    AWARDED = "awarded", pgettext_lazy("application state", "Awarded")


APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationState.SUBMITTED: frozenset(
        {ApplicationState.SHORTLISTED, ApplicationState.REJECTED}
    ),
    ApplicationState.SHORTLISTED: frozenset({ApplicationState.AWARDED, ApplicationState.REJECTED}),
    ApplicationState.REJECTED: frozenset(),
    ApplicationState.AWARDED: frozenset(),
}


class SuggestionDirection(models.TextChoices):
    """Who a match suggestion was sent to."""

    TO_PROVIDER = "to_provider", _("to the provider (a new demand fits its offering)")
    TO_ENTERPRISE = "to_enterprise", _("to the enterprise (a new offering fits its demand)")
