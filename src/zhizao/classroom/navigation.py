"""The classroom's entry in the side navigation (every member) and its courses in the
diagnosis report's gap roadmap."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import (
    ANONYMOUS,
    Action,
    Figure,
    LinkGroup,
    Shortcut,
    WorkbenchPart,
    register_nav,
    register_organization_links,
    register_workbench,
)
from zhizao.diagnosis.recommenders import register_gap_recommender

from . import selectors
from .access import can_learn, courses_for, editable_courses_for, own_enrolments
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
    "live_classes",
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


# --- workbench: the learner's courses and live classes; the society's unanswered ratings ------

WORKBENCH_LIMIT = 5


def learner_workbench(request, membership) -> WorkbenchPart | None:
    """The courses in progress with a link to resume the last lesson opened (the first lesson
    when none was), how many, and the upcoming live classes of the courses enrolled in.
    3 queries."""
    if not can_learn(membership):
        return None
    in_progress = own_enrolments(membership).filter(completed_at__isnull=True)
    rows = list(selectors.resume_points(in_progress).select_related("course")[:WORKBENCH_LIMIT])
    count = in_progress.count()
    actions = [
        Action(
            label=gettext("Resume “%(course)s”") % {"course": e.course.title},
            url=(
                reverse("classroom:lesson", args=[e.resume_lesson])
                if e.resume_lesson
                else reverse("classroom:course_detail", args=[e.course_id])
            ),
            kind=_("Course"),
        )
        for e in rows
    ]
    for live in selectors.upcoming_live_classes(membership)[:WORKBENCH_LIMIT]:
        actions.append(
            Action(
                label=gettext("Live class “%(title)s”") % {"title": live.session.title},
                url=reverse("classroom:course_detail", args=[live.course_id]),
                due=timezone.localtime(live.session.starts_at).date(),
                starts=timezone.localtime(live.session.starts_at),
                detail=live.course.title,
                kind=_("Live class"),
            )
        )
    return WorkbenchPart(
        actions=actions,
        figures=[
            Figure(
                label=_("Courses in progress"),
                value=str(count),
                url=reverse("classroom:my_learning"),
            )
        ],
        shortcuts=[Shortcut(_("Cloud classroom"), reverse("classroom:catalogue"))],
    )


def society_workbench(request, membership) -> WorkbenchPart:
    """The society's courses with ratings it has not answered yet (most waiting first). 1 query."""
    courses = selectors.courses_with_unanswered_ratings(
        editable_courses_for(membership).filter(society_id=membership.organization_id)
    )[:WORKBENCH_LIMIT]
    return WorkbenchPart(
        actions=[
            Action(
                label=gettext("Answer the ratings of “%(course)s” (%(n)d waiting)")
                % {"n": c.unanswered, "course": c.title},
                url=reverse("classroom:course_edit", args=[c.pk]),
                kind=_("Course rating"),
            )
            for c in courses
        ],
        shortcuts=[Shortcut(_("My courses"), reverse("classroom:my_courses"))],
    )


LEARNER_ROLES = ("enterprise", "provider", "bank", "officer", "expert", "society")

register_workbench(
    "classroom.learner", roles=LEARNER_ROLES, provide=learner_workbench, order=70, queries=3
)
register_workbench(
    "classroom.society", roles=("society",), provide=society_workbench, order=71, queries=1
)


def public_workbench(request, membership) -> WorkbenchPart:
    """A visitor (an employer, say) checks a training certificate. No queries."""
    return WorkbenchPart(
        shortcuts=[Shortcut(_("Verify a certificate"), reverse("classroom:verify"))]
    )


register_workbench(
    "classroom.public", roles=(ANONYMOUS,), provide=public_workbench, order=96, queries=0
)
