"""我的项目: an enterprise's transformation projects with the investment split and loans;
officers and operators read every project."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts import roles
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page

from .. import access, lists, services
from ..errors import PolicyError
from ..forms import DocumentForm, LoanForm, ProjectForm


@login_required
@list_page(lists.PROJECTS)
def project_list(request):
    membership = request.membership
    if not (access.has_projects(membership) or roles.is_staff(membership)):
        raise Http404
    projects = access.projects_for(membership).annotate(n_loans=Count("loans"))
    listing = lists.PROJECTS.run(request, projects)
    if listing.response:
        return listing.response
    return render(
        request,
        "policies/project_list.html",
        {
            **listing.context(),
            "projects": listing.page_obj.object_list,
            "can_create": access.has_projects(membership),
            "is_staff": roles.is_staff(membership),
        },
    )


@login_required
def project_new(request):
    membership = request.membership
    if not access.has_projects(membership):
        raise Http404
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(
                actor_for_request(request), membership.organization, **form.cleaned_data
            )
        except PolicyError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Project saved."))
            return redirect("policies:project_detail", pk=project.pk)
    return render(request, "policies/project_form.html", {"form": form, "project": None})


@login_required
def project_edit(request, pk):
    project = access.access_project(request.membership, pk, write=True)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(actor_for_request(request), project, **form.cleaned_data)
        except PolicyError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Project saved."))
            return redirect("policies:project_detail", pk=project.pk)
    return render(request, "policies/project_form.html", {"form": form, "project": project})


@login_required
def project_detail(request, pk, *, loan_form=None, document_form=None, status=200):
    membership = request.membership
    project = access.access_project(membership, pk)
    return render(
        request,
        "policies/project_detail.html",
        {
            "project": project,
            "loans": project.loans.select_related("lender").order_by("start_date", "id"),
            "documents": project.documents.order_by("uploaded_at", "id"),
            "can_edit": access.can_edit_project(membership, project),
            "loan_form": loan_form or LoanForm(),
            "document_form": document_form or DocumentForm(),
        },
        status=status,
    )


@login_required
@require_POST
def loan_add(request, pk):
    project = access.access_project(request.membership, pk, write=True)
    form = LoanForm(request.POST)
    if form.is_valid():
        try:
            services.add_loan(actor_for_request(request), project, **form.cleaned_data)
        except PolicyError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Loan added."))
            return redirect("policies:project_detail", pk=project.pk)
    return project_detail(request, project.pk, loan_form=form, status=400)


@login_required
def loan_edit(request, pk):
    loan = access.access_loan(request.membership, pk, write=True)
    form = LoanForm(request.POST or None, instance=loan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_loan(actor_for_request(request), loan, **form.cleaned_data)
        except PolicyError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Loan saved."))
            return redirect("policies:project_detail", pk=loan.project_id)
    return render(request, "policies/loan_form.html", {"form": form, "loan": loan})


@login_required
@require_POST
def loan_delete(request, pk):
    loan = access.access_loan(request.membership, pk, write=True)
    services.remove_loan(actor_for_request(request), loan)
    messages.success(request, _("Loan removed."))
    return redirect("policies:project_detail", pk=loan.project_id)
