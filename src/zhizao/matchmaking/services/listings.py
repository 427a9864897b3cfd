"""Writes for offerings (供给) with their cases, and demands (需求)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhizao.common.audit import Actor
from zhizao.common.services import changes_between, snapshot, update_fields
from zhizao.common.worker import enqueue_after_commit
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Contact, Organization

from .. import codes, index
from ..enums import BUDGET_BOUNDS, BudgetBand, DemandState, OfferingKind, OfferingState, Timeline
from ..errors import MatchError
from ..models import Case, Demand, Offering
from ..vocabulary import is_category
from .base import (
    audit,
    code_list,
    industry_code,
    region_code,
    requirements,
    string_list,
    text,
    to_yuan,
    user_of,
)
from .introductions import close_open_introductions

OFFERING_FIELDS = (
    "kind",
    "title",
    "description",
    "categories",
    "industries",
    "regions",
    "certifications",
    "tags",
    "price_min_yuan",
    "price_max_yuan",
)
DEMAND_FIELDS = (
    "title",
    "description",
    "category",
    "industry",
    "region",
    "budget_band",
    "budget_min_yuan",
    "budget_max_yuan",
    "timeline",
    "needed_by",
    "must",
    "nice",
    "contact",
    "project",
)
CASE_FIELDS = ("title", "customer_industry", "region", "result", "year")
SUPPLIER_KINDS = {OrganizationKind.PROVIDER, OrganizationKind.BANK}


SUGGEST_FOR_DEMAND = "zhizao.matchmaking.tasks.suggest_matches_for_demand_task"
SUGGEST_FOR_OFFERING = "zhizao.matchmaking.tasks.suggest_matches_for_offering_task"


def _after_commit_offering(offering_id: int) -> None:
    transaction.on_commit(lambda: index.offering_changed(offering_id))


def _after_commit_demand(demand_id: int) -> None:
    transaction.on_commit(lambda: index.demand_changed(demand_id))


# --- offerings ------------------------------------------------------------------------------


def _check_offering(values: dict, provider: Organization) -> dict:
    kind = values.get("kind")
    if kind not in OfferingKind.values:
        raise MatchError("bad_kind", _("Choose the kind of offering."), field="kind")
    if provider.kind == OrganizationKind.BANK and kind != OfferingKind.FINANCIAL:
        raise MatchError(
            "bank_financial_only", _("A bank offers financial products."), field="kind"
        )
    if provider.kind == OrganizationKind.PROVIDER and kind == OfferingKind.FINANCIAL:
        raise MatchError(
            "provider_not_financial",
            _("Financial products are offered by banks."),
            field="kind",
        )
    values["title"] = text(
        values.get("title"),
        field="title",
        label=pgettext("listing", "Title"),
        required=True,
        max_length=200,
    )
    values["description"] = text(
        values.get("description"),
        field="description",
        label=pgettext("listing", "Description"),
        max_length=5000,
    )
    values["categories"] = code_list(
        values.get("categories"),
        field="categories",
        check=is_category,
        message=_("Unknown category."),
    )
    values["industries"] = code_list(
        values.get("industries"),
        field="industries",
        check=codes.industry_exists,
        message=_("Unknown industry code."),
    )
    values["regions"] = code_list(
        values.get("regions"),
        field="regions",
        check=codes.region_exists,
        message=_("Unknown region code."),
    )
    values["certifications"] = string_list(values.get("certifications"), field="certifications")
    values["tags"] = string_list(values.get("tags"), field="tags")
    values["price_min_yuan"] = to_yuan(
        values.get("price_min_yuan"), field="price_min_yuan", label=_("Price from")
    )
    values["price_max_yuan"] = to_yuan(
        values.get("price_max_yuan"), field="price_max_yuan", label=_("Price up to")
    )
    low, high = values["price_min_yuan"], values["price_max_yuan"]
    if low is not None and high is not None and high < low:
        raise MatchError(
            "bad_price_range",
            _("The upper price cannot be below the lower one."),
            field="price_max_yuan",
        )
    return values


def create_offering(actor: Actor, provider: Organization, **fields) -> Offering:
    """A draft offering of a solution provider or a bank."""
    if provider.kind not in SUPPLIER_KINDS:
        raise MatchError("not_supplier", _("Only solution providers and banks publish offerings."))
    unknown = set(fields) - set(OFFERING_FIELDS)
    if unknown:
        raise ValueError(f"not offering fields: {sorted(unknown)}")
    values = _check_offering(dict(fields), provider)
    with transaction.atomic():
        offering = Offering.objects.create(provider=provider, created_by=user_of(actor), **values)
        audit(
            actor,
            "offering_created",
            offering,
            changes=changes_between({}, snapshot(offering, OFFERING_FIELDS)),
            context={"provider": provider.pk},
        )
    return offering


def update_offering(actor: Actor, offering: Offering, **fields) -> Offering:
    unknown = set(fields) - set(OFFERING_FIELDS)
    if unknown:
        raise ValueError(f"not offering fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Offering.objects.select_for_update().select_related("provider").get(pk=offering.pk)
        if locked.state == OfferingState.WITHDRAWN:
            raise MatchError("withdrawn", _("A withdrawn offering cannot be changed."))
        values = _check_offering({**snapshot(locked, OFFERING_FIELDS), **fields}, locked.provider)
        update_fields(
            actor,
            locked,
            values,
            fields=OFFERING_FIELDS,
            event="matchmaking.offering_updated",
            prepare=_check_publishable_offering
            if locked.state == OfferingState.PUBLISHED
            else None,
        )
        _after_commit_offering(locked.pk)
    return locked


def _check_publishable_offering(offering: Offering) -> None:
    if not offering.categories:
        raise MatchError(
            "no_category",
            _("Choose at least one category before publishing."),
            field="categories",
        )
    if not offering.description.strip():
        raise MatchError(
            "no_description",
            _("Describe the offering before publishing."),
            field="description",
        )


def set_offering_state(actor: Actor, offering: Offering, state: str) -> Offering:
    """Publish (from draft or withdrawn) or withdraw (from published)."""
    allowed = {
        OfferingState.DRAFT: {OfferingState.PUBLISHED},
        OfferingState.PUBLISHED: {OfferingState.WITHDRAWN},
        OfferingState.WITHDRAWN: {OfferingState.PUBLISHED},
    }
    with transaction.atomic():
        locked = Offering.objects.select_for_update().get(pk=offering.pk)
        if state not in allowed.get(locked.state, set()):
            raise MatchError(
                "bad_transition",
                _("An offering cannot go from %(a)s to %(b)s.")
                % {"a": locked.get_state_display(), "b": state},
                field="state",
            )
        if state == OfferingState.PUBLISHED:
            _check_publishable_offering(locked)
            locked.published_at = timezone.now()
        before = locked.state
        locked.state = state
        locked.save(update_fields=["state", "published_at", "updated_at"])
        audit(actor, "offering_state", locked, changes={"state": [before, state]})
        if state == OfferingState.WITHDRAWN:
            close_open_introductions(
                actor, offering=locked, reason=_("The offering was withdrawn.")
            )
        _after_commit_offering(locked.pk)
        if state == OfferingState.PUBLISHED:  # tell the enterprises it fits, in the background
            enqueue_after_commit(SUGGEST_FOR_OFFERING, locked.pk)
    return locked


def publish_offering(actor: Actor, offering: Offering) -> Offering:
    return set_offering_state(actor, offering, OfferingState.PUBLISHED)


def save_and_publish_offering(actor: Actor, provider: Organization, **fields) -> Offering:
    """Create an offering and publish it in one transaction: when publishing is refused (no
    category, no description) nothing is written, so a second try cannot leave a duplicate."""
    with transaction.atomic():
        return publish_offering(actor, create_offering(actor, provider, **fields))


def change_offering(
    actor: Actor, offering: Offering, *, state: str | None = None, **fields
) -> Offering:
    """Change fields and then the state in one transaction (the API's PATCH): when the state
    change is refused, the fields are not saved either."""
    with transaction.atomic():
        if fields:
            offering = update_offering(actor, offering, **fields)
        if state and state != offering.state:
            offering = set_offering_state(actor, offering, state)
    return offering


def withdraw_offering(actor: Actor, offering: Offering) -> Offering:
    return set_offering_state(actor, offering, OfferingState.WITHDRAWN)


def _check_case(values: dict) -> dict:
    values["title"] = text(
        values.get("title"),
        field="title",
        label=pgettext("listing", "Title"),
        required=True,
        max_length=200,
    )
    values["customer_industry"] = industry_code(
        values.get("customer_industry"), field="customer_industry"
    )
    values["region"] = region_code(values.get("region"), field="region", required=False)
    values["result"] = text(
        values.get("result"), field="result", label=_("Result"), max_length=2000
    )
    year = values.get("year")
    if year in (None, ""):
        values["year"] = None
    else:
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise MatchError("bad_year", _("Give the year as a number."), field="year") from None
        if not 1990 <= year <= timezone.now().year:
            raise MatchError("bad_year", _("The year is out of range."), field="year")
        values["year"] = year
    return values


def add_case(actor: Actor, offering: Offering, **fields) -> Case:
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValueError(f"not case fields: {sorted(unknown)}")
    values = _check_case(dict(fields))
    with transaction.atomic():
        locked = Offering.objects.select_for_update().get(pk=offering.pk)
        if locked.state == OfferingState.WITHDRAWN:
            raise MatchError("withdrawn", _("A withdrawn offering cannot be changed."))
        if locked.cases.count() >= 50:
            raise MatchError("too_many_cases", _("At most 50 cases per offering."))
        case = Case.objects.create(offering=locked, **values)
        locked.save(update_fields=["updated_at"])  # the index sees the new case
        audit(
            actor,
            "case_added",
            case,
            changes=changes_between({}, snapshot(case, CASE_FIELDS)),
            context={"offering": locked.pk},
        )
        _after_commit_offering(locked.pk)
    return case


def remove_case(actor: Actor, case: Case) -> None:
    with transaction.atomic():
        offering = Offering.objects.select_for_update().get(pk=case.offering_id)
        audit(
            actor,
            "case_removed",
            case,
            changes=changes_between(snapshot(case, CASE_FIELDS), {}),
            context={"offering": offering.pk},
        )
        case.delete()
        offering.save(update_fields=["updated_at"])
        _after_commit_offering(offering.pk)


# --- demands --------------------------------------------------------------------------------


def _check_demand(values: dict, enterprise: Organization) -> dict:
    values["title"] = text(
        values.get("title"),
        field="title",
        label=pgettext("listing", "Title"),
        required=True,
        max_length=200,
    )
    values["description"] = text(
        values.get("description"),
        field="description",
        label=pgettext("listing", "Description"),
        max_length=5000,
    )
    if not is_category(values.get("category") or ""):
        raise MatchError("bad_category", _("Choose a category."), field="category")
    values["industry"] = industry_code(values.get("industry"), field="industry")
    values["region"] = region_code(values.get("region"), field="region")
    band = values.get("budget_band") or BudgetBand.OPEN
    if band not in BudgetBand.values:
        raise MatchError("bad_budget", _("Choose a budget band."), field="budget_band")
    values["budget_band"] = band
    values["budget_min_yuan"], values["budget_max_yuan"] = BUDGET_BOUNDS[band]
    timeline = values.get("timeline") or Timeline.OPEN
    if timeline not in Timeline.values:
        raise MatchError("bad_timeline", _("Choose a timeline."), field="timeline")
    values["timeline"] = timeline
    values["must"] = requirements(values.get("must"), field="must")
    values["nice"] = requirements(values.get("nice"), field="nice")
    contact = values.get("contact")
    if contact is not None:
        if isinstance(contact, int | str):
            contact = Contact.objects.filter(pk=contact).first()
        if contact is None or contact.organization_id != enterprise.pk:
            raise MatchError(
                "bad_contact", _("Choose a contact person of your organisation."), field="contact"
            )
    values["contact"] = contact
    project = values.get("project")
    if project is not None and project.enterprise_id != enterprise.pk:
        raise MatchError(
            "bad_project", _("Choose a project of your organisation."), field="project"
        )
    values["project"] = project
    return values


def _check_publishable_demand(demand: Demand) -> None:
    if not demand.description.strip():
        raise MatchError(
            "no_description",
            _("Describe what you need before publishing."),
            field="description",
        )


def create_demand(actor: Actor, enterprise: Organization, **fields) -> Demand:
    """A draft demand of a manufacturer."""
    if enterprise.kind != OrganizationKind.MANUFACTURER:
        raise MatchError("not_manufacturer", _("Only manufacturers post demands."))
    unknown = set(fields) - set(DEMAND_FIELDS)
    if unknown:
        raise ValueError(f"not demand fields: {sorted(unknown)}")
    values = _check_demand(dict(fields), enterprise)
    with transaction.atomic():
        demand = Demand.objects.create(enterprise=enterprise, created_by=user_of(actor), **values)
        audit(
            actor,
            "demand_created",
            demand,
            changes=changes_between({}, snapshot(demand, DEMAND_FIELDS)),
            context={"enterprise": enterprise.pk},
        )
    return demand


def update_demand(actor: Actor, demand: Demand, **fields) -> Demand:
    unknown = set(fields) - set(DEMAND_FIELDS)
    if unknown:
        raise ValueError(f"not demand fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Demand.objects.select_for_update().select_related("enterprise").get(pk=demand.pk)
        if locked.state == DemandState.CLOSED:
            raise MatchError("closed", _("A closed demand cannot be changed."))
        values = _check_demand({**snapshot(locked, DEMAND_FIELDS), **fields}, locked.enterprise)
        update_fields(
            actor,
            locked,
            values,
            fields=DEMAND_FIELDS,
            event="matchmaking.demand_updated",
            prepare=_check_publishable_demand if locked.state == DemandState.PUBLISHED else None,
        )
        _after_commit_demand(locked.pk)
    return locked


def set_demand_state(actor: Actor, demand: Demand, state: str) -> Demand:
    """Publish a draft, or close a draft or published demand (closing is final)."""
    allowed = {
        DemandState.DRAFT: {DemandState.PUBLISHED, DemandState.CLOSED},
        DemandState.PUBLISHED: {DemandState.CLOSED},
    }
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if state not in allowed.get(locked.state, set()):
            raise MatchError(
                "bad_transition",
                _("A demand cannot go from %(a)s to %(b)s.")
                % {"a": locked.get_state_display(), "b": state},
                field="state",
            )
        if state == DemandState.PUBLISHED:
            _check_publishable_demand(locked)
            locked.published_at = timezone.now()
        before = locked.state
        locked.state = state
        locked.save(update_fields=["state", "published_at", "updated_at"])
        audit(actor, "demand_state", locked, changes={"state": [before, state]})
        if state == DemandState.CLOSED:
            close_open_introductions(actor, demand=locked, reason=_("The demand was closed."))
        _after_commit_demand(locked.pk)
        if state == DemandState.PUBLISHED:  # tell the providers of its best matches
            enqueue_after_commit(SUGGEST_FOR_DEMAND, locked.pk)
    return locked


def publish_demand(actor: Actor, demand: Demand) -> Demand:
    return set_demand_state(actor, demand, DemandState.PUBLISHED)


def save_and_publish_demand(actor: Actor, enterprise: Organization, **fields) -> Demand:
    """Create a demand and publish it in one transaction (nothing is written when publishing
    is refused)."""
    with transaction.atomic():
        return publish_demand(actor, create_demand(actor, enterprise, **fields))


def change_demand(actor: Actor, demand: Demand, *, state: str | None = None, **fields) -> Demand:
    """Change fields and then the state in one transaction (the API's PATCH): when the state
    change is refused, the fields are not saved either."""
    with transaction.atomic():
        if fields:
            demand = update_demand(actor, demand, **fields)
        if state and state != demand.state:
            demand = set_demand_state(actor, demand, state)
    return demand


def close_demand(actor: Actor, demand: Demand) -> Demand:
    return set_demand_state(actor, demand, DemandState.CLOSED)
