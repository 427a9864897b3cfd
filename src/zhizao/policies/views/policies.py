"""政策: the list (filters, search), a policy with its items and attachment, the officers'
create/edit forms and state changes, an item with its rule versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page

from .. import access, lists, services
from ..enums import PolicyState, VersionState
from ..errors import PolicyError
from ..forms import ItemForm, PolicyForm
from ..services.editor import publish_draft


@login_required
@list_page(lists.POLICIES)
def policy_list(request):
    membership = request.membership
    policies = access.policies_for(membership).annotate(n_items=Count("items"))
    listing = lists.POLICIES.run(request, policies)
    if listing.response:
        return listing.response
    return render(
        request,
        "policies/policy_list.html",
        {
            **listing.context(),
            "policies": listing.page_obj.object_list,
            "can_manage": access.can_manage_policies(membership),
        },
    )


@login_required
def policy_detail(request, pk):
    membership = request.membership
    policy = access.access_policy(membership, pk)
    items = access.items_for(membership).filter(policy=policy).order_by("id")
    return render(
        request,
        "policies/policy_detail.html",
        {
            "policy": policy,
            "items": items,
            "can_manage": access.can_manage_policies(membership),
            "states": PolicyState,
        },
    )


@login_required
def policy_attachment(request, pk):
    policy = access.access_policy(request.membership, pk)
    if not policy.attachment:
        raise Http404
    return FileResponse(
        policy.attachment.open("rb"), as_attachment=True, filename=policy.attachment_name
    )


@login_required
def policy_new(request):
    membership = request.membership
    if not access.can_manage_policies(membership):
        raise Http404
    form = PolicyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.create_policy(
                actor_for_request(request),
                attachment=form.cleaned_data.get("attachment"),
                **form.service_values(),
            )
        except PolicyError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Policy saved as a draft."))
            return redirect("policies:policy_detail", pk=policy.pk)
    return render(request, "policies/policy_form.html", {"form": form, "policy": None})


@login_required
def policy_edit(request, pk):
    policy = access.access_policy(request.membership, pk, write=True)
    form = PolicyForm(request.POST or None, request.FILES or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_policy(
                actor_for_request(request),
                policy,
                attachment=form.cleaned_data.get("attachment"),
                **form.service_values(),
            )
        except PolicyError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Policy saved."))
            return redirect("policies:policy_detail", pk=policy.pk)
    return render(request, "policies/policy_form.html", {"form": form, "policy": policy})


@login_required
@require_POST
def policy_state(request, pk):
    policy = access.access_policy(request.membership, pk, write=True)
    try:
        services.set_policy_state(actor_for_request(request), policy, request.POST.get("state"))
    except PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Policy state changed."))
    return redirect("policies:policy_detail", pk=policy.pk)


@login_required
def item_new(request, pk):
    policy = access.access_policy(request.membership, pk, write=True)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(actor_for_request(request), policy, **form.cleaned_data)
        except PolicyError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Item created with an empty draft rule."))
            return redirect("policies:item_detail", key=item.key)
    return render(request, "policies/item_form.html", {"form": form, "policy": policy})


RUNS_SHOWN = 20


@login_required
def item_detail(request, key):
    membership = request.membership
    item = access.access_item(membership, key)
    can_manage = access.can_manage_policies(membership)
    versions = item.versions.select_related("created_by", "published_by").order_by("-number")
    if not can_manage:
        versions = versions.exclude(state=VersionState.DRAFT)
    # its scans (with their name lists, where the payments are) and sandbox runs: the item is
    # where an officer follows the work on it
    runs = list(
        access.scans_for(membership)
        .filter(item_version__item=item)
        .prefetch_related("name_lists")
        .order_by("-created_at", "-id")[:RUNS_SHOWN]
    )
    return render(
        request,
        "policies/item_detail.html",
        {
            "scans": [r for r in runs if not r.is_sandbox],
            "sandbox_runs": [r for r in runs if r.is_sandbox],
            "item": item,
            "policy": item.policy,
            "versions": versions,
            "can_manage": can_manage,
            "has_draft": any(v.state == VersionState.DRAFT for v in versions),
        },
    )


@login_required
@require_POST
def item_version_new(request, key):
    item = access.access_item(request.membership, key, write=True)
    try:
        version = services.create_item_version(actor_for_request(request), item)
    except PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Draft version %(n)s started from the latest rule.") % {"n": version.number}
        )
    return redirect("policies:item_detail", key=item.key)


@login_required
@require_POST
def version_publish(request, pk):
    version = access.access_item_version(request.membership, pk, write=True)
    try:
        # the same checks as the editor: a valid rule and example cases that all pass
        publish_draft(actor_for_request(request), version.item)
    except PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Version %(n)s published.") % {"n": version.number})
    return redirect("policies:item_detail", key=version.item.key)
