"""A project's documents: upload (checked and audited), download, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request

from .. import access, services
from ..errors import PolicyError
from ..forms import DocumentForm
from .projects import project_detail


@login_required
@require_POST
def document_upload(request, pk):
    project = access.access_project(request.membership, pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.upload_document(
                actor_for_request(request), project, form.cleaned_data["file"]
            )
        except PolicyError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("Document “%(name)s” uploaded.") % {"name": document.name})
            return redirect("policies:project_detail", pk=project.pk)
    return project_detail(request, project.pk, document_form=form, status=400)


@login_required
def document_download(request, pk):
    document = access.access_document(request.membership, pk)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


@login_required
@require_POST
def document_delete(request, pk):
    document = access.access_document(request.membership, pk, write=True)
    project_id = document.project_id
    services.delete_document(actor_for_request(request), document)
    messages.success(request, _("Document deleted."))
    return redirect("policies:project_detail", pk=project_id)
