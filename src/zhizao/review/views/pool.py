"""The expert pool (专家库): list with search, filters and export; profiles with former
organisations and declared relations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page
from zhizao.matchmaking.vocabulary import category_name
from zhizao.registry.models import Organization

from .. import access, lists, services
from ..errors import ReviewError
from ..forms import (
    ExpertForm,
    ExpertImportForm,
    NewExpertForm,
    PastOrganisationForm,
    RelationForm,
)
from ..models import RoundExpert


@login_required
@list_page(lists.EXPERTS)
def expert_list(request):
    membership = request.membership
    if not access.can_view_pool(membership):
        raise Http404
    listing = lists.EXPERTS.run(request, access.experts_for(membership))
    if listing.response:
        return listing.response
    return render(
        request,
        "review/expert_list.html",
        {
            **listing.context(),
            "experts": listing.page_obj.object_list,
            "can_manage": access.can_manage_pool(membership),
        },
    )


def _free_memberships():
    return (
        Membership.objects.filter(role=Role.EXPERT, is_active=True, expert_profile__isnull=True)
        .select_related("user", "organization")
        .order_by("organization__name", "user__username")
    )


@login_required
def expert_new(request):
    membership = request.membership
    if not access.can_manage_pool(membership):
        raise Http404
    memberships = list(_free_memberships())
    form = NewExpertForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = next((m for m in memberships if str(m.pk) == data.pop("membership")), None)
        try:
            expert = services.create_expert(actor_for_request(request), chosen, **data)
        except ReviewError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Expert added to the pool."))
            return redirect("review:expert_detail", pk=expert.pk)
    return render(
        request,
        "review/expert_form.html",
        {"form": form, "expert": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def expert_detail(request, pk):
    membership = request.membership
    expert = access.access_expert(membership, pk)
    can_edit = access.can_edit_expert(membership, expert)
    return render(
        request,
        "review/expert_detail.html",
        {
            "expert": expert,
            "domains": [category_name(d) for d in expert.domains],
            "past": expert.past_organisations.select_related("organization"),
            "relations": expert.relations.all(),
            "rounds": RoundExpert.objects.filter(expert=expert)
            .select_related("round__call")
            .order_by("-round__created_at"),
            "can_edit": can_edit,
            "past_form": PastOrganisationForm(),
            "relation_form": RelationForm(),
        },
    )


@login_required
def expert_edit(request, pk):
    membership = request.membership
    expert = access.access_expert(membership, pk, write=True)
    form = ExpertForm(request.POST or None, initial=ExpertForm.initial_for(expert))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_expert(actor_for_request(request), expert, **form.cleaned_data)
        except ReviewError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("review:expert_detail", pk=expert.pk)
    return render(
        request,
        "review/expert_form.html",
        {"form": form, "expert": expert},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def expert_past_add(request, pk):
    expert = access.access_expert(request.membership, pk, write=True)
    form = PastOrganisationForm(request.POST)
    if form.is_valid():
        org = Organization.objects.filter(uscc=form.cleaned_data["uscc"].strip().upper()).first()
        try:
            services.add_past_organisation(
                actor_for_request(request),
                expert,
                organization=org,
                until=form.cleaned_data["until"],
            )
        except ReviewError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Former organisation added."))
    else:
        messages.error(request, _("Give the credit code and the date the expert left."))
    return redirect("review:expert_detail", pk=expert.pk)


@login_required
@require_POST
def expert_relation_add(request, pk):
    expert = access.access_expert(request.membership, pk, write=True)
    form = RelationForm(request.POST)
    if form.is_valid():
        try:
            services.add_relation(actor_for_request(request), expert, **form.cleaned_data)
        except ReviewError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Relation declared."))
    else:
        messages.error(request, _("Give the person and the kind of relation."))
    return redirect("review:expert_detail", pk=expert.pk)


@login_required
def my_profile(request):
    expert = access.own_expert(request.membership)
    if expert is None:
        raise Http404
    return redirect("review:expert_detail", pk=expert.pk)


@login_required
def expert_import(request):
    """Import experts from a file: "preview" shows what each row would do and its errors;
    "import" writes every row in one transaction (or nothing when any row has an error)."""
    if not access.can_manage_pool(request.membership):
        raise Http404
    form = ExpertImportForm(request.POST or None, request.FILES or None)
    plan = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data, name = upload.read(), upload.name
            if request.POST.get("action") == "import":
                try:
                    plan = services.import_experts(actor_for_request(request), data, name)
                except ReviewError as error:
                    form.apply_error(error)
                    plan = services.plan_import(data, name)
                else:
                    counts = plan["counts"]
                    messages.success(
                        request,
                        _("Imported: %(create)s new, %(update)s updated, %(unchanged)s unchanged.")
                        % counts,
                    )
                    return redirect("review:expert_import")
            else:
                plan = services.plan_import(data, name)
                if plan["error"]:
                    form.add_error("file", plan["error"])
                else:
                    status = 200
    return render(request, "review/expert_import.html", {"form": form, "plan": plan}, status=status)
