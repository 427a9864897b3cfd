"""The rule editor (officers and operators): the draft of an item as form rows, a live preview
in words, example cases run on every view, the advanced JSON, and publishing."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request
from zhizao_core.policy import RuleError

from .. import access, engine
from ..describe import describe_rule
from ..enums import VersionState
from ..errors import PolicyError
from ..forms_editor import AdvancedForm, CaseForm, RuleEditor, case_initial
from ..services import editor as editor_services
from ..services.editor import RuleInvalid


def _item(request, key):
    return access.access_item(request.membership, key, write=True)


def _preview(item, version, lang) -> tuple[str, str]:
    """(sentence, problems) of a stored version."""
    if version is None or not version.rule:
        return "", ""
    try:
        return describe_rule(engine.version_rule_data(item, version), lang), ""
    except RuleError as exc:
        return "", engine.problems_text(exc, lang)


def _fresh_editor(item, base, lang) -> RuleEditor:
    policy = item.policy
    return RuleEditor.from_rule(
        item,
        base.rule if base else {},
        number=editor_services.next_number(item),
        valid_from=base.valid_from if base else policy.valid_from,
        valid_to=base.valid_to if base else policy.valid_to,
        note=base.note if base is not None and base.state == VersionState.DRAFT else "",
        lang=lang,
    )


def _render(request, item, *, editor=None, case_form=None, advanced=None, status=200):
    lang = engine.language()
    base = editor_services.editing_base(item)
    draft = base if base is not None and base.state == VersionState.DRAFT else None
    editor = editor or _fresh_editor(item, base, lang)
    runs, rule_problem = editor_services.run_cases(item, base, lang=lang) if base else ([], "")
    if case_form is None:
        index = request.GET.get("case")
        initial = None
        if index is not None and index.isdigit() and base is not None:
            cases = base.test_cases or []
            if int(index) < len(cases):
                initial = case_initial(cases[int(index)], int(index))
        case_form = CaseForm(
            initial=initial or {"as_of": item.policy.valid_from, "expect_eligible": "yes"},
            subject=item.subject,
        )
    if advanced is None:
        advanced = AdvancedForm(
            initial={
                "rule_json": json.dumps(base.rule if base else {}, ensure_ascii=False, indent=2),
                "cases_json": json.dumps(
                    base.test_cases if base else [], ensure_ascii=False, indent=2
                ),
            }
        )
    sentence, problems = _preview(item, base, lang)
    editable_cases = (
        [case_initial(case, i) is not None for i, case in enumerate(base.test_cases or [])]
        if base
        else []
    )
    return render(
        request,
        "policies/editor.html",
        {
            "item": item,
            "policy": item.policy,
            "base": base,
            "draft": draft,
            "next_number": editor_services.next_number(item),
            "editor": editor,
            "unsupported": getattr(editor, "unsupported", []),
            "preview": sentence,
            "preview_problems": (problems or rule_problem) if base and base.rule else "",
            "runs": list(zip(runs, editable_cases, strict=False)),
            "all_pass": bool(runs) and all(run.passed for run in runs),
            "case_form": case_form,
            "advanced": advanced,
            "is_project": item.subject == "project",
        },
        status=status,
    )


@login_required
def item_editor(request, key):
    item = _item(request, key)
    if request.method != "POST":
        return _render(request, item)
    lang = engine.language()
    base = editor_services.editing_base(item)
    editor = RuleEditor(
        item,
        number=editor_services.next_number(item),
        data=request.POST,
        lang=lang,
        base_rule=base.rule if base else {},
    )
    if request.POST.get("action") == "more":
        return _render(request, item, editor=editor.with_more_rows(request.POST))
    if editor.is_valid():
        try:
            version = editor_services.save_draft(
                actor_for_request(request),
                item,
                rule=editor.rule_data(),
                note=editor.general.cleaned_data.get("note") or "",
            )
        except RuleInvalid as error:
            editor.add_engine_problems(error.problems, lang)
        except PolicyError as error:
            editor.general.add_error(None, error.message)
        else:
            messages.success(
                request, _("Rule saved in draft version %(n)s.") % {"n": version.number}
            )
            return redirect("policies:item_editor", key=item.key)
    return _render(request, item, editor=editor)


@login_required
@require_POST
def item_editor_preview(request, key):
    """The rule in words from the form as it is now (htmx, on every change)."""
    item = _item(request, key)
    lang = engine.language()
    base = editor_services.editing_base(item)
    editor = RuleEditor(
        item,
        number=editor_services.next_number(item),
        data=request.POST,
        lang=lang,
        base_rule=base.rule if base else {},
    )
    sentence, problems = "", []
    if editor.is_valid():
        data = editor_services.normalized_rule(item, editor.number, editor.rule_data())
        try:
            sentence = describe_rule(data, lang)
        except RuleError as exc:
            editor.add_engine_problems(exc.problems, lang)
            problems = editor.engine_errors
    else:
        problems = editor.all_errors()
    return render(
        request,
        "policies/editor_preview.html",
        {"preview": sentence, "preview_problems": "；".join(problems)},
    )


@login_required
@require_POST
def item_editor_case(request, key):
    item = _item(request, key)
    form = CaseForm(request.POST, subject=item.subject)
    if form.is_valid():
        try:
            editor_services.save_case(
                actor_for_request(request),
                item,
                case=form.case(),
                index=form.cleaned_data.get("index"),
            )
        except PolicyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Example case saved."))
            return redirect(reverse("policies:item_editor", args=[item.key]) + "#cases")
    return _render(request, item, case_form=form)


@login_required
@require_POST
def item_editor_case_delete(request, key, index):
    item = _item(request, key)
    try:
        editor_services.delete_case(actor_for_request(request), item, index=index)
    except PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Example case removed."))
    return redirect(reverse("policies:item_editor", args=[item.key]) + "#cases")


@login_required
@require_POST
def item_editor_json(request, key):
    item = _item(request, key)
    form = AdvancedForm(request.POST)
    if form.is_valid():
        try:
            editor_services.save_draft(
                actor_for_request(request),
                item,
                rule=form.cleaned_data["rule_json"],
                test_cases=form.cleaned_data["cases_json"],
            )
        except RuleInvalid as error:
            for problem in error.as_list():
                form.add_error("rule_json", problem["message"])
        except PolicyError as error:
            form.add_error(
                "cases_json" if error.field == "test_cases" else "rule_json", error.message
            )
        else:
            messages.success(request, _("Rule data saved."))
            return redirect("policies:item_editor", key=item.key)
    return _render(request, item, advanced=form)


@login_required
@require_POST
def item_editor_publish(request, key):
    item = _item(request, key)
    try:
        version = editor_services.publish_draft(actor_for_request(request), item)
    except PolicyError as error:
        messages.error(request, error.message)
        return redirect("policies:item_editor", key=item.key)
    messages.success(request, _("Version %(n)s published.") % {"n": version.number})
    return redirect("policies:item_detail", key=item.key)
