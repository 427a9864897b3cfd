"""The vocabulary of calls (申报): call kinds and states, stage kinds, form field types,
application states with the transitions between them (the one state machine is
``services.applications.set_application_state``), 公示 and objection states, catalogues."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CallKind(models.TextChoices):
    TECH_ADVANCE = "tech_advance", _("Technology advances of the year (十大科技进展)")
    SMART_FACTORY = "smart_factory", _("Smart factory recognition")
    DEMO_WORKSHOP = "demo_workshop", _("Demonstration workshop recognition")
    FIRST_SET = "first_set", _("First-set equipment catalogue")
    SUBSIDY = "subsidy", _("Subsidy application")
    CUSTOM = "custom", pgettext_lazy("call kind", "Custom")


class CallState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("call state", "Draft")
    OPEN = "open", pgettext_lazy("call state", "Open")
    CLOSED = "closed", pgettext_lazy("call state", "Closed")
    PUBLISHED = "published", pgettext_lazy("call state", "Published")


CALL_TRANSITIONS: dict[str, frozenset[str]] = {
    CallState.DRAFT: frozenset({CallState.OPEN}),
    CallState.OPEN: frozenset({CallState.CLOSED}),
    CallState.CLOSED: frozenset({CallState.OPEN, CallState.PUBLISHED}),
    CallState.PUBLISHED: frozenset(),
}


class StageKind(models.TextChoices):
    """The stages of a call, in this order; a call may skip any of them."""

    APPLY = "apply", pgettext_lazy("call stage", "Application")  # 申报
    NOMINATE = "nominate", pgettext_lazy("call stage", "Nomination")  # 推荐
    FORMAL = "formal", pgettext_lazy("call stage", "Formal review")  # 形式审查
    ONLINE = "online", pgettext_lazy("call stage", "Online review")  # 网评
    PANEL = "panel", pgettext_lazy("call stage", "Panel review")  # 会评
    SITE = "site", pgettext_lazy("call stage", "Site inspection")  # 现场核查
    PUBLICITY = "publicity", pgettext_lazy("call stage", "Public notice")  # 公示
    PUBLISH = "publish", pgettext_lazy("call stage", "Publication")  # 发布


STAGE_ORDER: tuple[str, ...] = tuple(StageKind.values)


class FieldType(models.TextChoices):
    TEXT = "text", pgettext_lazy("form field", "Text")
    NUMBER = "number", pgettext_lazy("form field", "Number")
    MONEY = "money", pgettext_lazy("form field", "Amount (yuan)")
    DATE = "date", pgettext_lazy("form field", "Date")
    CHOICE = "choice", pgettext_lazy("form field", "Choice")
    FILE = "file", pgettext_lazy("form field", "File")
    TABLE = "table", pgettext_lazy("form field", "Table")


class Prefill(models.TextChoices):
    """Where a field's first value comes from."""

    NONE = "", pgettext_lazy("prefill", "Nothing")
    ORG_NAME = "org.name", _("Organisation name")
    ORG_USCC = "org.uscc", _("Unified social credit code")
    ORG_REGION = "org.region", _("Region")
    ORG_INDUSTRY = "org.industry", _("Industry")
    ORG_EMPLOYEES = "org.employees", _("Employees")
    ORG_REVENUE = "org.revenue", _("Revenue (10,000 yuan)")
    ORG_ADDRESS = "org.address", _("Address")
    MATURITY_LEVEL = "maturity.level", _("Latest verified maturity level")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application state", "Submitted")
    RETURNED = "returned", pgettext_lazy("application state", "Returned for correction")
    NOMINATED = "nominated", pgettext_lazy("application state", "Nominated")
    FORMAL_PASSED = "formal_passed", pgettext_lazy("application state", "Passed formal review")
    FORMAL_REJECTED = (
        "formal_rejected",
        pgettext_lazy("application state", "Rejected in formal review"),
    )
    IN_REVIEW = "in_review", pgettext_lazy("application state", "In expert review")
    PROPOSED = "proposed", pgettext_lazy("application state", "Proposed")
    PUBLICITY = "publicity", pgettext_lazy("application state", "In public notice")
    SELECTED = "selected", pgettext_lazy("application state", "Selected")
    NOT_SELECTED = "not_selected", pgettext_lazy("application state", "Not selected")
    WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")


A = ApplicationState
#: state → the states it may move to (the one state machine: set_application_state)
TRANSITIONS: dict[str, frozenset[str]] = {
    A.DRAFT: frozenset({A.SUBMITTED, A.WITHDRAWN}),
    A.SUBMITTED: frozenset(
        {A.DRAFT, A.NOMINATED, A.RETURNED, A.FORMAL_PASSED, A.FORMAL_REJECTED, A.WITHDRAWN}
    ),
    A.RETURNED: frozenset({A.SUBMITTED, A.NOMINATED, A.FORMAL_REJECTED, A.WITHDRAWN}),
    A.NOMINATED: frozenset(
        {A.SUBMITTED, A.RETURNED, A.FORMAL_PASSED, A.FORMAL_REJECTED, A.WITHDRAWN}
    ),
    A.FORMAL_PASSED: frozenset({A.IN_REVIEW, A.PROPOSED, A.NOT_SELECTED, A.WITHDRAWN}),
    A.FORMAL_REJECTED: frozenset(),
    A.IN_REVIEW: frozenset({A.PROPOSED, A.NOT_SELECTED, A.WITHDRAWN}),
    A.PROPOSED: frozenset({A.IN_REVIEW, A.PUBLICITY, A.NOT_SELECTED, A.WITHDRAWN}),
    A.PUBLICITY: frozenset({A.IN_REVIEW, A.SELECTED, A.NOT_SELECTED}),
    A.SELECTED: frozenset(),
    A.NOT_SELECTED: frozenset(),
    A.WITHDRAWN: frozenset(),
}
#: the states an applicant may still edit its answers in
EDITABLE_STATES = frozenset({A.DRAFT, A.RETURNED})
#: outcomes: results shown to the applicant once the call is published
FINAL_STATES = frozenset({A.SELECTED, A.NOT_SELECTED, A.FORMAL_REJECTED, A.WITHDRAWN})
#: states in which an application counts against a nominating body's quota
NOMINATED_STATES = frozenset(
    {A.NOMINATED, A.FORMAL_PASSED, A.IN_REVIEW, A.PROPOSED, A.PUBLICITY, A.SELECTED}
)


class PublicityState(models.TextChoices):
    OPEN = "open", pgettext_lazy("publicity state", "Open for objections")
    CLOSED = "closed", pgettext_lazy("publicity state", "Closed")


class ObjectionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection state", "Being handled")
    ANSWERED = "answered", pgettext_lazy("objection state", "Answered")


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (no work)")
    WORKDAY = "workday", _("Adjusted working day")
