"""The review lists as ``common/lists.py`` specs: the review rounds — what can be searched,
filtered, sorted and exported."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.lists import Choice, Column, DateRange, ListSpec, Sort, state_filter
from zhizao.matchmaking import codes
from zhizao.matchmaking.vocabulary import category_choices, category_name
from zhizao.registry.selectors import industry_filter_choices

from .enums import ExpertTitle, ReviewState, RoundKind, RoundState


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


KIND = pgettext_lazy("round kind", "Kind")

ROUNDS = ListSpec(
    name="review-rounds",
    title=_("Review rounds"),
    search=("name", "call__title"),
    search_placeholder=_("Round or call"),
    filters=(
        Choice("kind", KIND, "kind", RoundKind.choices, all_label=_("All kinds")),
        state_filter(RoundState.choices),
        DateRange("deadline", _("Deadline"), "deadline"),
    ),
    sorts=(
        Sort("deadline", _("Deadline"), ("deadline",)),
        Sort("created", _("Created"), ("created_at",)),
    ),
    default_sort="-created",
    columns=(
        Column(_("Round"), lambda r: r.name),
        Column(_("Call"), lambda r: r.call.title),
        Column(KIND, lambda r: r.get_kind_display()),
        Column(_("Deadline"), lambda r: _when(r.deadline)),
        Column(_("State"), lambda r: r.get_state_display()),
        Column(_("Created"), lambda r: _when(r.created_at)),
    ),
)


def _my_review(assignment) -> str:
    review = getattr(assignment, "review", None)
    return str(review.get_state_display() if review else NOT_STARTED)


NOT_STARTED = _("Not started")
_PROGRESS = (("not_started", NOT_STARTED), *ReviewState.choices)


def _progress(value: str) -> Q:
    if value == "not_started":
        return Q(review__isnull=True)
    return Q(review__state=value)


# An expert's own assignments (the view gives ``access.assignments_for_expert``). The search
# never looks at the applicant: in a blind round the expert must not find an application by
# its applicant's name.
MY_ASSIGNMENTS = ListSpec(
    name="review-my-assignments",
    title=_("My reviews"),
    search=("application__title", "round__name", "round__call__title"),
    search_placeholder=_("Application, round or call"),
    filters=(
        Choice(
            "progress",
            _("My review"),
            "review__state",
            _PROGRESS,
            lookup=_progress,
        ),
        DateRange("deadline", _("Deadline"), "round__deadline"),
    ),
    sorts=(
        Sort("deadline", _("Deadline"), ("round__deadline", "application_id")),
        Sort("assigned", _("Assigned at"), ("created_at",)),
    ),
    default_sort="deadline",
    columns=(
        Column(
            _("Application"),
            lambda a: a.application.display_title(a.round.call.blind_review),
        ),
        Column(_("Round"), lambda a: a.round.name),
        Column(_("Call"), lambda a: a.round.call.title),
        Column(_("Deadline"), lambda a: _when(a.round.deadline)),
        Column(_("My review"), _my_review),
    ),
)


_IN_POOL = (("yes", _("In the pool")), ("no", _("Out of the pool")))


def _divisions(expert) -> list[str]:
    return [codes.industry_name(d) for d in expert.divisions or []]


# The expert pool (staff only: ``access.experts_for``). Experts are people: every export is
# audit-logged. Names sort by the organisation's pinyin key; an expert has no stored pinyin key.
EXPERTS = ListSpec(
    name="review-experts",
    title=_("Expert pool"),
    search=("name", "keywords", "membership__organization__name"),
    search_placeholder=_("Name, keywords or organisation"),
    filters=(
        Choice(
            "division",
            _("Industry division"),
            "divisions",
            industry_filter_choices,
            all_label=_("All industries"),
            json=True,
        ),
        Choice(
            "domain",
            _("Technical domain"),
            "domains",
            category_choices,
            all_label=_("All domains"),
            json=True,
        ),
        Choice(
            "title",
            _("Professional title"),
            "title",
            ExpertTitle.choices,
            all_label=_("All titles"),
        ),
        Choice(
            "active",
            _("In the pool"),
            "is_active",
            _IN_POOL,
            lookup=lambda v: Q(is_active=v == "yes"),
        ),
    ),
    sorts=(
        Sort("organization", _("Organisation"), ("membership__organization__name_sort",)),
        Sort("years", _("Years of experience"), ("years_experience",)),
        Sort("updated", _("Updated"), ("updated_at",)),
    ),
    default_sort="organization",
    columns=(
        Column(pgettext_lazy("person", "Name"), lambda e: e.name),
        Column(_("Organisation"), lambda e: e.membership.organization.name),
        Column(_("Professional title"), lambda e: e.get_title_display()),
        Column(_("Years of experience"), lambda e: e.years_experience),
        Column(_("Industry divisions (GB/T 4754)"), _divisions),
        Column(_("Technical domains"), lambda e: [category_name(d) for d in e.domains or []]),
        Column(_("In the pool"), lambda e: str(_("yes") if e.is_active else _("no"))),
    ),
    personal_data=True,
)
