"""The expert's pages: its assignments only (blind to the applicant where the call says so),
the scoring form from the call's rubric, other reviews per the round's visibility, recusal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request
from zhizao.calls import blind as blind_rules
from zhizao.calls.enums import FieldType
from zhizao.common.lists import list_page
from zhizao.common.pagination import paginate

from .. import access, lists, selectors, services
from ..enums import ReviewState
from ..errors import ReviewError
from ..forms import BidForm, MyAvailabilityForm, ReasonForm, ReviewForm
from ..models import Bid, Review
from ..services.reviews import criteria_of


@login_required
@list_page(lists.MY_ASSIGNMENTS)
def my_assignments(request):
    membership = request.membership
    if access.own_expert(membership) is None:
        raise Http404
    listing = lists.MY_ASSIGNMENTS.run(
        request,
        access.assignments_for_expert(membership).select_related(
            "application__applicant", "review"
        ),
    )
    if listing.response:
        return listing.response
    rows = [
        {
            "assignment": a,
            "title": a.application.display_title(a.round.call.blind_review),
            "review": getattr(a, "review", None),
        }
        for a in listing.page_obj.object_list
    ]
    return render(request, "review/my_assignments.html", {**listing.context(), "rows": rows})


def _hidden(field, blind: bool) -> bool:
    """A field an expert does not see on a blind review (``calls.blind``)."""
    return blind and (
        field.blind_hidden
        or blind_rules.identifies(code=field.code, label=field.label, prefill=field.prefill)
    )


def answers_for_expert(application, blind: bool) -> list[tuple[str, object]]:
    """The application's plain answers as (question label, value), in the form's order: the
    expert reads the questions, never their codes. A blind review leaves out the fields that
    name or reach the applicant, and hides its name, phone numbers and e-mail addresses inside
    the free-text answers. Files and tables have their own sections."""
    data = application.data or {}
    names = blind_rules.applicant_names(application.applicant.name) if blind else []
    return [
        (
            f.label,
            blind_rules.redact(data[f.code], names)
            if blind and f.type == FieldType.TEXT
            else data[f.code],
        )
        for f in application.call.fields.all()
        if isinstance(data.get(f.code), str | int) and data[f.code] != "" and not _hidden(f, blind)
    ]


def tables_for_expert(application, blind: bool) -> list[dict]:
    """The application's table answers (a team, a budget) with their column labels, rows in
    the applicant's order. On a blind review a hidden table is left out, a column about
    contact details (联系电话, 邮箱) reads （联系方式已隐去）, and the applicant's name, phone
    numbers and e-mail addresses are hidden in every other cell."""
    data = application.data or {}
    names = blind_rules.applicant_names(application.applicant.name) if blind else []
    hidden = _("(contact details hidden)")
    out = []
    for f in application.call.fields.all():
        rows = data.get(f.code)
        if f.type != FieldType.TABLE or not isinstance(rows, list) or not rows:
            continue
        if _hidden(f, blind):
            continue
        columns = (f.options or {}).get("columns") or []
        contact = [
            blind and blind_rules.identifies(code=c.get("code") or "", label=c.get("label") or "")
            for c in columns
        ]
        out.append(
            {
                "label": f.label,
                "columns": [c.get("label") or c.get("code") for c in columns],
                "rows": [
                    [
                        hidden
                        if contact[i] and str(r.get(c.get("code"), ""))
                        else (
                            blind_rules.redact(str(r.get(c.get("code"), "")), names)
                            if blind
                            else str(r.get(c.get("code"), ""))
                        )
                        for i, c in enumerate(columns)
                    ]
                    for r in rows
                    if isinstance(r, dict)
                ],
            }
        )
    return out


def files_for_expert(application, blind: bool = False) -> list[dict]:
    """The application's files by their question, for the expert to download; the applicant's
    own file name is not shown (on a blind review it may carry the applicant's name), and a
    blind review leaves out the files of hidden fields (a business licence names the applicant)."""
    files = {row.field_code: row for row in application.files.all()}
    return [
        {"code": f.code, "label": f.label, "size": files[f.code].size}
        for f in application.call.fields.all()
        if f.type == FieldType.FILE and f.code in files and not _hidden(f, blind)
    ]


@login_required
def assignment_detail(request, pk):
    membership = request.membership
    assignment = access.access_assignment(membership, pk)
    review = Review.objects.filter(assignment=assignment).first()
    criteria = criteria_of(assignment.round.call)
    form = ReviewForm(request.POST or None, criteria=criteria, review=review)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.save_review(
                actor_for_request(request), assignment, submit=submit, **form.service_values()
            )
        except ReviewError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Review submitted.") if submit else _("Draft saved."))
            return redirect("review:assignment_detail", pk=pk)
    application = assignment.application
    blind = assignment.round.call.blind_review
    others = [
        {
            "n": i,
            "review": r,
            "name": r.assignment.expert.name,
            "scores": [(c.name, r.scores[c.code]) for c in criteria if c.code in r.scores],
        }
        for i, r in enumerate(access.visible_reviews(assignment), start=1)
    ]
    return render(
        request,
        "review/assignment_detail.html",
        {
            "assignment": assignment,
            "application": application,
            "title": application.display_title(blind),
            "blind": blind,
            "answers": answers_for_expert(application, blind),
            "tables": tables_for_expert(application, blind),
            "files": files_for_expert(application, blind),
            "form": form,
            "review": review,
            "submitted": review is not None and review.state == ReviewState.SUBMITTED,
            "criteria": criteria,
            "others": others,
            "recuse_form": ReasonForm(),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def assignment_file(request, pk, code):
    """One of the application's files, for an expert assigned to it (and only while the
    assignment is active); saved under its question's name, not the applicant's file name."""
    assignment = access.access_assignment(request.membership, pk)
    application = assignment.application
    row = application.files.filter(field_code=code).first()
    field = application.call.fields.filter(code=code, type=FieldType.FILE).first()
    if row is None or field is None or _hidden(field, assignment.round.call.blind_review):
        raise Http404
    suffix = "." + row.name.rsplit(".", 1)[-1].lower() if "." in row.name else ""
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=f"{field.label}{suffix}")


@login_required
@require_POST
def assignment_recuse(request, pk):
    assignment = access.access_assignment(request.membership, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the conflict is."))
        return redirect("review:assignment_detail", pk=pk)
    try:
        services.declare_conflict(
            actor_for_request(request), assignment, reason=form.cleaned_data["reason"]
        )
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("review:assignment_detail", pk=pk)
    messages.success(request, _("Conflict declared; the application was reassigned."))
    return redirect("review:my_assignments")


@login_required
def my_availability(request):
    """The expert's availability per round still being prepared: available or not, and the
    most applications it takes there (the assignment honours both)."""
    expert = access.own_expert(request.membership)
    if expert is None:
        raise Http404
    page = paginate(request, selectors.declarable_rounds().order_by("deadline", "id"))
    rows = selectors.my_round_availability(expert, list(page.object_list))
    for row in rows:
        declared = row["declared"]
        row["form"] = MyAvailabilityForm(
            initial={
                "available": declared.available if declared else True,
                "max_load": declared.max_load if declared else None,
            },
            prefix=f"r{row['round'].pk}",
        )
    return render(
        request,
        "review/my_availability.html",
        {"rows": rows, "page_obj": page, "expert": expert},
    )


@login_required
@require_POST
def availability_declare(request, pk):
    expert = access.own_expert(request.membership)
    review_round = selectors.declarable_rounds().filter(pk=pk).first()
    if expert is None or review_round is None:
        raise Http404
    form = MyAvailabilityForm(request.POST, prefix=f"r{pk}")
    if not form.is_valid():
        messages.error(request, _("The load is 1 to 200."))
        return redirect("review:my_availability")
    try:
        services.set_availability(
            actor_for_request(request),
            review_round,
            expert,
            available=form.cleaned_data["available"],
            max_load=form.cleaned_data.get("max_load"),
        )
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("review:my_availability")
    messages.success(request, _("Availability saved."))
    return redirect("review:my_availability")


@login_required
def my_bids(request, pk):
    """Bidding on a round whose call allows it: the summaries of the applications the expert
    is not excluded from (blind to the applicant where the call says so), one interest each."""
    expert = access.own_expert(request.membership)
    review_round = selectors.declarable_rounds().filter(pk=pk, call__allow_bidding=True).first()
    if expert is None or review_round is None:
        raise Http404
    applications = services.biddable_applications(review_round, expert)
    if request.method == "POST":
        form = BidForm(request.POST)
        application = None
        if form.is_valid():
            application = next(
                (a for a in applications if a.pk == form.cleaned_data["application"]), None
            )
            if application is None:
                raise Http404
            try:
                services.place_bid(
                    actor_for_request(request),
                    review_round,
                    application,
                    interest=form.cleaned_data["interest"],
                )
            except ReviewError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Bid saved."))
                return redirect("review:my_bids", pk=pk)
        else:
            messages.error(request, _("Choose how much you want to review it."))
        return redirect("review:my_bids", pk=pk)
    blind = review_round.call.blind_review
    page = paginate(request, applications)
    bids = dict(
        Bid.objects.filter(
            round=review_round, expert=expert, application__in=[a.pk for a in page.object_list]
        ).values_list("application_id", "interest")
    )
    rows = [
        {
            "application": a,
            "title": a.display_title(blind),
            "summary": blind_rules.summary_for_expert(a, blind),
            "bid": bids.get(a.pk, ""),
            "form": BidForm(initial={"application": a.pk, "interest": bids.get(a.pk, "willing")}),
        }
        for a in page.object_list
    ]
    return render(
        request,
        "review/my_bids.html",
        {"round": review_round, "rows": rows, "page_obj": page, "blind": blind},
    )
