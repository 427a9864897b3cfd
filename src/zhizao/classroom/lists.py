"""The classroom catalogue as a ``common/lists.py`` spec: what a member can search, filter,
sort and export among the courses it may see. The view annotates every row with ``learners``
(enrolments) and ``rating`` (mean stars) in the same query."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhizao.common.lists import Choice, Column, ListSpec, Sort
from zhizao.matchmaking.vocabulary import category_choices
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization

from .enums import CourseLevel
from .models import LiveClass
from .selectors import subdomain_choices

_UPCOMING = (("yes", _("Has an upcoming live class")), ("no", _("No upcoming live class")))


def _society_choices() -> list[tuple[str, str]]:
    return [
        (str(pk), name)
        for pk, name in Organization.objects.filter(
            kind=OrganizationKind.SOCIETY, courses__isnull=False
        )
        .distinct()
        .order_by("name_sort", "id")
        .values_list("pk", "name")
    ]


def _upcoming(value: str) -> Q:
    courses = LiveClass.objects.filter(session__ends_at__gt=timezone.now()).values("course_id")
    return Q(pk__in=courses) if value == "yes" else ~Q(pk__in=courses)


def _labels(codes, choices) -> str:
    names = dict(choices)
    return "、".join(str(names.get(code, code)) for code in codes)


CATALOGUE = ListSpec(
    name="classroom-catalogue",
    title=_("Cloud classroom"),
    search=("search_text",),
    search_placeholder=_("Course, lecturer or society"),
    filters=(
        Choice(
            "society", _("Society"), "society_id", _society_choices, all_label=_("All societies")
        ),
        Choice("level", _("Level"), "level", CourseLevel.choices, all_label=_("All levels")),
        Choice(
            "subdomain",
            _("Maturity sub-domain"),
            "subdomains",
            subdomain_choices,
            all_label=_("All sub-domains"),
            json=True,
        ),
        Choice(
            "category",
            _("Category"),
            "categories",
            category_choices,
            all_label=_("All categories"),
            json=True,
        ),
        Choice("live", _("Live classes"), "pk", _UPCOMING, lookup=_upcoming),
    ),
    sorts=(
        Sort("newest", _("Published"), ("published_at", "created_at")),
        Sort("learners", _("Learners"), ("learners",)),
        Sort("rating", _("Rating"), ("rating",)),
        Sort("title", _("Course"), ("title_sort",)),
    ),
    default_sort="-newest",
    columns=(
        Column(_("Course"), lambda c: c.title),
        Column(_("Society"), lambda c: c.society.name),
        Column(_("Level"), lambda c: c.get_level_display()),
        Column(_("Maturity sub-domains"), lambda c: _labels(c.subdomains, subdomain_choices())),
        Column(_("Categories"), lambda c: _labels(c.categories, category_choices())),
        Column(_("Learners"), lambda c: c.learners),
        Column(_("Rating"), lambda c: round(float(c.rating), 1) if c.rating is not None else ""),
    ),
)
