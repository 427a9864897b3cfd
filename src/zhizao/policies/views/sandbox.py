"""政策沙盘: change a rate, a threshold or a cap of an item in a copy and compare it with the
rule in force over the whole registry."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from zhizao.accounts.selectors import actor_for_request

from .. import access, engine
from ..errors import PolicyError
from ..services import sandbox
from .scans import localized


@login_required
def sandbox_new(request, key):
    membership = request.membership
    if not access.can_scan(membership):
        raise Http404
    item = access.access_item(membership, key, write=True)
    version = item.current_version
    fields = sandbox.editable_fields(version, lang=engine.language()) if version else []
    error = None
    as_of_text = request.POST.get("as_of") or timezone.localdate().isoformat()
    if request.method == "POST" and version is not None:
        changes = {f["path"]: request.POST.get(f["path"], "") for f in fields}
        for field in fields:
            field["new"] = changes[field["path"]]
        try:
            try:
                as_of = dt.date.fromisoformat(as_of_text)
            except ValueError:
                raise PolicyError("bad_date", "YYYY-MM-DD", field="as_of") from None
            run = sandbox.run_sandbox(
                actor_for_request(request), version, changes=changes, as_of=as_of
            )
        except PolicyError as exc:
            error = exc.message
        else:
            return redirect("policies:sandbox_detail", pk=run.pk)
    return render(
        request,
        "policies/sandbox_form.html",
        {
            "item": item,
            "policy": item.policy,
            "version": version,
            "fields": fields,
            "error": error,
            "as_of": as_of_text,
        },
        status=400 if error else 200,
    )


@login_required
def sandbox_detail(request, pk):
    run = access.access_scan(request.membership, pk)
    if not run.is_sandbox:
        raise Http404
    summary = run.summary
    item = run.item_version.item
    # what changed, named as the form names it (利率, 每个项目上限), never by its path
    labels = {
        f["path"]: f["label"]
        for f in sandbox.editable_fields(run.item_version, lang=engine.language())
    }
    changes = [{**c, "label": labels.get(c["path"], c["path"])} for c in summary.get("changes", [])]
    return render(
        request,
        "policies/sandbox_detail.html",
        {
            "run": run,
            "item": item,
            "policy": item.policy,
            "summary": summary,
            "changes": changes,
            "by_city": localized(summary.get("by_city", [])),
            "by_division": localized(summary.get("by_division", [])),
        },
    )
