"""公示 (public page, signed objections), the office's handling of objections, closing the
公示, publishing the catalogue; public catalogues with search and export; the working-day
calendar (operators)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhizao.accounts.middleware import membership_optional
from zhizao.accounts.models import User
from zhizao.accounts.roles import is_operator
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.exports import csv_stream, xlsx_bytes
from zhizao.common.lists import list_page
from zhizao.common.pagination import paginate
from zhizao_core.text.normalize import normalize_search_text

from .. import access, lists
from ..calendar import work_calendar
from ..enums import CalendarDayKind, ObjectionState
from ..errors import CallError
from ..forms import AnswerObjectionForm, ObjectionForm, VerifyIdentityForm
from ..models import CalendarDay, Publicity, VerifiedIdentity
from ..services import catalogues
from ..services import publicity as services
from .common import done


def _publicity(call_pk) -> Publicity:
    row = Publicity.objects.select_related("call__host").filter(call_id=call_pk).first()
    if row is None:
        raise Http404
    return row


@membership_optional
def publicity_page(request, pk):
    """The public 公示 page: the proposed list, the period, how to object. Anyone may read it;
    a logged-in user files a signed objection; the office sees the objections."""
    membership = getattr(request, "membership", None)
    publicity = _publicity(pk)
    call = publicity.call
    manage = access.can_manage_call(membership, call)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if membership is None:
            # logged in without an organisation to act for: choose one first
            return redirect(
                f"{reverse('accounts:choose_membership')}?{urlencode({'next': request.get_full_path()})}"
            )
        if form.is_valid():
            d = form.cleaned_data
            entry = (
                publicity.entries.filter(application_id=d["application"])
                .select_related("application")
                .first()
            )
            try:
                if entry is None:
                    raise CallError(
                        "not_listed", _("The application is not on this list."), field="application"
                    )
                services.file_objection(
                    actor_for_request(request),
                    publicity,
                    entry.application,
                    name=d["name"],
                    phone=d["phone"],
                    body=d["body"],
                )
            except CallError as error:
                form.apply_error(error)
            else:
                messages.success(
                    request, _("Your objection was filed. Only the handling office sees your name.")
                )
                return redirect("calls:publicity", pk=call.pk)
    entries = publicity.entries.select_related("application__applicant", "category").order_by(
        "rank", "application_id"
    )
    return render(
        request,
        "calls/publicity.html",
        {
            "call": call,
            "publicity": publicity,
            "entries": entries,
            "form": form,
            "manage": manage,
            "objections": list(publicity.objections.select_related("application"))
            if manage
            else [],
            "can_object": access.can_object(membership),
            "is_open": publicity.state == "open"
            and publicity.opens_on <= timezone.localdate() <= publicity.closes_on,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def objection_detail(request, pk):
    """The office reads an objection; an officer takes it up and becomes its handling officer,
    the only one who sees who objected, and answers it."""
    membership = request.membership
    objection = access.access_objection(membership, pk)
    if request.method == "POST" and request.POST.get("action") == "take":
        error = None
        try:
            services.take_up_objection(actor_for_request(request), objection)
        except CallError as exc:
            error = exc
        return done(
            request, error, _("You handle this objection now."), "calls:objection_detail", pk
        )
    form = AnswerObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_objection(
                actor_for_request(request),
                objection,
                answer=form.cleaned_data["answer"],
                reopen_review=form.cleaned_data["reopen_review"],
            )
        except CallError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("The objection is answered."))
            return redirect("calls:objection_detail", pk=objection.pk)
    return render(
        request,
        "calls/objection_detail.html",
        {
            "objection": objection,
            "form": form,
            "open": objection.state == ObjectionState.OPEN,
            "sees_objector": access.sees_objector(membership, objection),
            "handler": objection.handler_id,
            "mine": objection.handler_id == request.user.pk,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def publicity_close(request, pk):
    call = access.access_call(request.membership, pk, manage=True)
    error = None
    try:
        services.close_publicity(actor_for_request(request), _publicity(call.pk))
    except CallError as exc:
        error = exc
    return done(request, error, _("The public notice is closed."), "calls:publicity", call.pk)


@login_required
@require_POST
def catalogue_publish(request, pk):
    call = access.access_call(request.membership, pk, manage=True)
    try:
        catalogue = catalogues.publish_catalogue(
            actor_for_request(request),
            call,
            title=request.POST.get("title", ""),
            reference=request.POST.get("reference", ""),
        )
    except CallError as error:
        messages.error(request, error.message)
        return redirect("calls:publicity", pk=call.pk)
    messages.success(request, _("The catalogue is published."))
    return redirect("calls:catalogue_detail", pk=catalogue.pk)


# --- catalogues -----------------------------------------------------------------------------


@membership_optional
@list_page(lists.CATALOGUES)
def catalogue_list(request):
    listing = lists.CATALOGUES.run(
        request, access.catalogues_for(getattr(request, "membership", None))
    )
    if listing.response:
        return listing.response
    return render(
        request,
        "calls/catalogue_list.html",
        {**listing.context(), "catalogues": listing.page_obj.object_list},
    )


def _entries(catalogue, q: str):
    qs = catalogue.entries.select_related("organization").order_by("rank", "id")
    key = normalize_search_text(q)
    if key:
        qs = qs.filter(search_text__contains=key)
    return qs


@membership_optional
def catalogue_detail(request, pk):
    catalogue = access.access_catalogue(getattr(request, "membership", None), pk)
    q = request.GET.get("q", "").strip()
    page = paginate(request, _entries(catalogue, q), size=50)
    return render(
        request,
        "calls/catalogue_detail.html",
        {"catalogue": catalogue, "page_obj": page, "entries": page.object_list, "q": q},
    )


@membership_optional
def catalogue_export(request, pk, fmt):
    catalogue = access.access_catalogue(getattr(request, "membership", None), pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header = [
        _("Rank"),
        pgettext("document", "Title"),
        _("Organisation"),
        _("Unified social credit code"),
        _("Category"),
    ]
    rows = [
        [e.rank or "", e.title, e.organization.name, e.organization.uscc, e.category]
        for e in _entries(catalogue, request.GET.get("q", ""))
    ]
    name = f"catalogue-{catalogue.pk}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_stream(header, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        xlsx_bytes(header, rows, sheet=_("Catalogue")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- the working-day calendar ---------------------------------------------------------------


@login_required
def calendar_page(request):
    membership = request.membership
    if not is_operator(membership):
        raise Http404
    if request.method == "POST":
        error = None
        try:
            day = dt.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            error = CallError("bad_date", _("Enter a date as 2026-06-30."), field="date")
        else:
            kind = request.POST.get("kind") or None
            try:
                services.set_calendar_day(
                    actor_for_request(request),
                    date=day,
                    kind=kind,
                    name=request.POST.get("name", ""),
                )
            except CallError as exc:
                error = exc
        return done(request, error, _("Calendar saved."), "calls:calendar")
    year = request.GET.get("year") or str(timezone.localdate().year)
    days = CalendarDay.objects.filter(date__year=int(year) if year.isdigit() else 0)
    calendar = work_calendar()
    return render(
        request,
        "calls/calendar.html",
        {
            "days": list(days),
            "year": year,
            "kinds": CalendarDayKind.choices,
            "example_start": timezone.localdate(),
            "example_end": calendar.period_end(timezone.localdate(), 5),
        },
    )


@login_required
@list_page(lists.IDENTITIES)
def identities_page(request):
    """Operators record verified identities (实名核验): only a verified user files a signed
    objection. The list of them is ``lists.IDENTITIES``."""
    membership = request.membership
    if not is_operator(membership):
        raise Http404
    form = VerifyIdentityForm(request.POST or None)
    if request.method == "POST":
        error = None
        user = User.objects.filter(username=(request.POST.get("username") or "").strip()).first()
        verified = request.POST.get("action") != "revoke"
        if user is None:
            error = CallError("unknown_user", _("No user has this login name."), field="username")
        elif verified and not form.is_valid():
            error = CallError("required", _("Give the real name you checked."), field="real_name")
        else:
            try:
                services.set_identity_verified(
                    actor_for_request(request),
                    user,
                    verified=verified,
                    real_name=form.cleaned_data.get("real_name", "") if verified else "",
                    note=form.cleaned_data.get("note", "") if verified else "",
                )
            except CallError as exc:
                error = exc
        return done(request, error, _("Identity saved."), "calls:identities")
    listing = lists.IDENTITIES.run(
        request, VerifiedIdentity.objects.select_related("user", "verified_by")
    )
    if listing.response:
        return listing.response
    return render(
        request,
        "calls/identities.html",
        {**listing.context(), "form": VerifyIdentityForm()},
    )
