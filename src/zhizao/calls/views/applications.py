"""The applicant's pages: start an application, fill the form with autosave (htmx, one field
at a time, the "what is missing" list kept up to date), upload files, submit before the
deadline, recall or withdraw, see the status per stage and the result — never an expert."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request
from zhizao.registry.models import Organization

from .. import access
from ..enums import FINAL_STATES, STAGE_ORDER, ApplicationState, CallState, FieldType, StageKind
from ..errors import CallError
from ..forms import NamedExclusionsForm, StartApplicationForm
from ..models import CallCategory
from ..selectors import CHECKLIST, formal_checks, missing_items
from ..services import applications as services
from .common import done

A = ApplicationState
#: the stage an application in a state has reached
STATE_STAGE = {
    A.DRAFT: StageKind.APPLY,
    A.SUBMITTED: StageKind.APPLY,
    A.RETURNED: StageKind.FORMAL,
    A.NOMINATED: StageKind.NOMINATE,
    A.FORMAL_PASSED: StageKind.FORMAL,
    A.FORMAL_REJECTED: StageKind.FORMAL,
    A.IN_REVIEW: StageKind.ONLINE,
    A.PROPOSED: StageKind.PANEL,
    A.PUBLICITY: StageKind.PUBLICITY,
    A.SELECTED: StageKind.PUBLISH,
    A.NOT_SELECTED: StageKind.PUBLISH,
    A.WITHDRAWN: StageKind.APPLY,
}


@login_required
@require_POST
def application_new(request, pk):
    membership = request.membership
    call = access.access_call(membership, pk)
    if not access.can_apply(membership, call):
        raise Http404
    form = StartApplicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the title of the project."))
        return redirect("calls:call_detail", pk=call.pk)
    d = form.cleaned_data
    category = CallCategory.objects.filter(call=call, pk=d.get("category") or 0).first()
    nominator = Organization.objects.filter(pk=d.get("nominator") or 0).first()
    try:
        application = services.start_application(
            actor_for_request(request),
            call,
            title=d["title"],
            category=category,
            nominator=nominator,
        )
    except CallError as error:
        messages.error(request, error.message)
        return redirect("calls:call_detail", pk=call.pk)
    messages.success(request, _("Application started: it is saved as you fill it in."))
    return redirect("calls:application_detail", pk=application.pk)


def _field_rows(application, fields):
    files = {f.field_code: f for f in application.files.all()}
    rows = []
    for field in fields:
        value = application.data.get(field.code)
        rows.append(
            {
                "field": field,
                "value": value,
                "file": files.get(field.code),
                "table_rows": (value or []) + [{}] if field.type == FieldType.TABLE else None,
            }
        )
    return rows


def _stage_rows(application):
    call = application.call
    present = {s.kind: s for s in call.stages.all()}
    reached = STATE_STAGE.get(application.state, StageKind.APPLY)
    order = [k for k in STAGE_ORDER if k in present]
    reached_index = order.index(reached) if reached in order else 0
    return [
        {
            "kind": kind,
            "label": StageKind(kind).label,
            "stage": present[kind],
            "status": "done" if i < reached_index else "current" if i == reached_index else "todo",
        }
        for i, kind in enumerate(order)
    ]


@login_required
def application_detail(request, pk):
    membership = request.membership
    application = access.access_application(membership, pk)
    call = application.call
    fields = list(call.fields.all())
    is_applicant = access.is_applicant(membership, application)
    office = access.can_manage_call(membership, call)
    context = {
        "application": application,
        "call": call,
        "rows": _field_rows(application, fields),
        "missing": missing_items(application, fields),
        "can_edit": access.can_edit_application(membership, application),
        "is_applicant": is_applicant,
        # 回避申请 are named until review starts; afterwards the page shows them read-only
        "exclusions_open": application.state in services.EXCLUSION_STATES,
        "office": office,
        "is_nominator": access.is_nominator(membership, application),
        "stages": _stage_rows(application),
        # the applicant's 回避申请: its own, and the office's to honour
        "named_exclusions": (
            [
                e if isinstance(e, dict) else {"kind": "expert", "name": e, "reason": ""}
                for e in application.named_exclusions or []
            ]
            if is_applicant or office
            else []
        ),
        "show_result": application.state in FINAL_STATES
        and (
            call.state == CallState.PUBLISHED
            or application.state in (A.FORMAL_REJECTED, A.WITHDRAWN)
        ),
    }
    if office and application.state in (A.SUBMITTED, A.NOMINATED):
        context["checks"] = formal_checks(application)
        context["checklist"] = [
            (code, _(label), bool(application.checklist.get(code))) for code, label in CHECKLIST
        ]
    return render(request, "calls/application_detail.html", context)


@login_required
@require_POST
def application_answer(request, pk):
    """Autosave of one field (htmx answers with the field and the missing list)."""
    membership = request.membership
    application = access.access_application(membership, pk, write=True)
    code = request.POST.get("code", "")
    field = application.call.fields.filter(code=code).first()
    if field is None:
        raise Http404
    if field.type == FieldType.CHOICE:
        value = request.POST.getlist("value")
    else:
        value = request.POST.get("value", "")
    if field.type == FieldType.TABLE:
        columns = [c["code"] for c in field.options.get("columns", [])]
        cells = {c: request.POST.getlist(f"col_{c}") for c in columns}
        count = max((len(v) for v in cells.values()), default=0)
        value = [
            {c: (cells[c][i] if i < len(cells[c]) else "") for c in columns} for i in range(count)
        ]
    error = None
    try:
        application = services.save_answer(
            actor_for_request(request), application, code=code, value=value
        )
    except CallError as exc:
        error = exc
    if not request.htmx:
        return done(request, error, _("Saved."), "calls:application_detail", application.pk)
    application.refresh_from_db()
    fields = list(application.call.fields.all())
    row = next(r for r in _field_rows(application, fields) if r["field"].code == code)
    return render(
        request,
        "calls/_answer_response.html",
        {
            "application": application,
            "row": row,
            "error": error.message if error else "",
            "missing": missing_items(application, fields),
            "can_edit": True,
        },
    )


@login_required
@require_POST
def application_upload(request, pk):
    application = access.access_application(request.membership, pk, write=True)
    upload = request.FILES.get("file")
    error = None
    if upload is None:
        error = CallError("required", _("Choose a file."), field="file")
    else:
        try:
            services.add_file(
                actor_for_request(request),
                application,
                code=request.POST.get("code", ""),
                upload=upload,
            )
        except CallError as exc:
            error = exc
    return done(request, error, _("File uploaded."), "calls:application_detail", application.pk)


@login_required
def application_file(request, pk, code):
    application = access.access_application(request.membership, pk)
    row = application.files.filter(field_code=code).first()
    if row is None:
        raise Http404
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name)


@login_required
@require_POST
def application_action(request, pk):
    """The applicant's moves: submit, recall (back to draft to correct), withdraw."""
    application = access.access_application(request.membership, pk)
    if not access.is_applicant(request.membership, application):
        raise Http404
    action = request.POST.get("action", "")
    actor = actor_for_request(request)
    error = None
    try:
        if action == "submit":
            services.submit_application(actor, application)
        elif action == "recall":
            services.recall_application(actor, application)
        elif action == "withdraw":
            services.withdraw_application(actor, application, reason=request.POST.get("reason", ""))
        else:
            raise CallError("bad_action", _("Unknown action."))
    except CallError as exc:
        error = exc
    return done(request, error, _("Done."), "calls:application_detail", application.pk)


@login_required
def application_exclusions(request, pk):
    """The applicant's 回避申请: up to the call's limit of experts or organisations it asks to
    exclude from the review, each with its reason (the office sees them on the application)."""
    membership = request.membership
    application = access.access_application(membership, pk)
    if not access.is_applicant(membership, application):
        raise Http404
    call = application.call
    editable = application.state in services.EXCLUSION_STATES
    entries = list(application.named_exclusions or [])
    # rows for the call's limit; an older application may hold more, shown to be cut down
    form = NamedExclusionsForm(
        request.POST if request.method == "POST" else None,
        rows=max(call.max_named_exclusions, len(entries)),
        initial_entries=entries,
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.set_named_exclusions(actor_for_request(request), application, form.entries())
        except CallError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Your exclusion requests are saved."))
            return redirect("calls:application_detail", pk=application.pk)
    return render(
        request,
        "calls/application_exclusions.html",
        {
            "application": application,
            "call": call,
            "form": form,
            "editable": editable,
            "limit": call.max_named_exclusions,
        },
    )
