"""The classroom's entry in the side navigation (every member) and its courses in the
diagnosis report's gap roadmap."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import (
    LinkGroup,
    Shortcut,
    register_nav,
    register_organization_links,
)
from zhizao.diagnosis.recommenders import register_gap_recommender

from .access import courses_for
from .selectors import courses_for_subdomains

PAGES = (
    "catalogue",
    "my_learning",
    "course_detail",
    "lesson",
    "quiz",
    "my_courses",
    "course_new",
    "course_edit",
    "staff",
    "statistics",
)


def _member(membership) -> bool:
    return membership is not None


register_nav(
    "classroom:catalogue",
    label=_("Cloud classroom"),
    icon="award",
    order=78,
    active_on=tuple(f"classroom:{name}" for name in PAGES),
    visible=_member,
)


def _courses_for_gaps(subdomain_ids) -> dict[str, list[dict]]:
    found = courses_for_subdomains(subdomain_ids)
    return {
        sub: [
            {"title": c["title"], "url": reverse("classroom:course_detail", args=[c["id"]])}
            for c in courses
        ]
        for sub, courses in found.items()
    }


# The diagnosis report's gap roadmap shows, per gap, the published courses for its sub-domain.
register_gap_recommender("classroom", label=_("Courses that help:"), provide=_courses_for_gaps)


LINKS_SHOWN = 10


def organization_links(request, membership, organization) -> list[LinkGroup]:
    """A society's courses the viewer may open (1 query)."""
    group = LinkGroup(title=gettext("Cloud classroom courses"))
    group.links = [
        Shortcut(c.title, reverse("classroom:course_detail", args=[c.pk]))
        for c in courses_for(membership)
        .filter(society=organization)
        .order_by("-published_at", "-id")
        .only("id", "title")[:LINKS_SHOWN]
    ]
    return [group]


register_organization_links("classroom", provide=organization_links, order=40, queries=1)
