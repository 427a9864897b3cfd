"""A manager's view of its own staff's learning (with csv/xlsx export) and the operator's
figures per course and per society by month."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhizao.common.pagination import paginate
from zhizao.events.views.common import table_response

from .. import access, selectors


@dataclass
class Table:
    key: str
    header: list
    rows: object


@login_required
def staff(request):
    if not access.can_view_staff_progress(request.membership):
        raise Http404
    rows = selectors.staff_rows(access.staff_enrolments_for(request.membership))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        header = [
            _("Learner"),
            _("Course"),
            _("Society"),
            _("Enrolled"),
            _("Lessons completed"),
            _("Completed"),
            _("Hours"),
        ]
        return table_response(
            Table("staff", header, selectors.staff_table_rows(rows)), fmt, prefix="classroom"
        )
    page = paginate(request, rows, 50)
    return render(
        request, "classroom/staff.html", {"enrolments": page.object_list, "page_obj": page}
    )


@login_required
def statistics(request):
    if not access.can_view_statistics(request.membership):
        raise Http404
    by = "society" if request.GET.get("by") == "society" else "course"
    return render(
        request,
        "classroom/statistics.html",
        {"by": by, "rows": selectors.statistics(by=by)},
    )
