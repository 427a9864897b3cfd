"""Registry lists as ``common/lists.py`` specs. The organisation list keeps its own filter form
(cascading region and industry pickers, clusters, chains, relevance order) and export view, which
came first and are complete; the import list is built on the shared machinery."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhizao.common.lists import Choice, Column, DateRange, ListSpec, Sort, state_filter

from .enums import ImportState


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


IMPORTS = ListSpec(
    name="registry-imports",
    title=_("Imports"),
    search=("original_name", "created_by__username", "created_by__display_name"),
    search_placeholder=_("File or user name"),
    filters=(
        state_filter(ImportState.choices),
        DateRange("uploaded", _("Uploaded"), "created_at"),
    ),
    sorts=(
        Sort("uploaded", _("Uploaded"), ("created_at",)),
        Sort("rows", _("Rows"), ("rows",)),
        Sort("errors", _("Errors"), ("error_count",)),
    ),
    default_sort="-uploaded",
    columns=(
        Column(_("File"), lambda b: b.original_name),
        Column(_("Uploaded"), lambda b: _when(b.created_at)),
        Column(_("By"), lambda b: str(b.created_by) if b.created_by else ""),
        Column(_("State"), lambda b: b.get_state_display()),
        Column(_("Rows"), lambda b: b.rows),
        Column(_("Errors"), lambda b: b.error_count),
        Column(_("New"), lambda b: b.created),
        Column(_("Updated"), lambda b: b.updated),
        Column(_("Finished"), lambda b: _when(b.finished_at)),
    ),
    personal_data=True,  # the user names of who imported
)


def _requester(r):
    if r.import_batch_id:
        return str(_("Import"))
    user = r.requested_by
    return (user.display_name or user.username) if user else ""


# The pending name changes, oldest first (a review queue); the view passes only pending ones.
NAME_CHANGES = ListSpec(
    name="registry-name-changes",
    title=_("Name changes"),
    search=("old_name", "new_name", "organization__uscc", "reason"),
    search_placeholder=_("Name, credit code or reason"),
    filters=(
        Choice(
            "source",
            _("Requested by"),
            "import_batch",
            (("import", _("An import")), ("member", _("The organisation"))),
            all_label=_("Anyone"),
            lookup=lambda v: Q(import_batch__isnull=v != "import"),
        ),
        DateRange("requested", _("Requested"), "requested_at"),
    ),
    sorts=(
        Sort("requested", _("Requested"), ("requested_at",)),
        Sort("name", _("Current name"), ("organization__name_sort",)),
    ),
    default_sort="requested",
    personal_data=True,  # who asked
    page_size=50,
    columns=(
        Column(_("Unified social credit code"), lambda r: r.organization.uscc),
        Column(_("Current name"), lambda r: r.old_name),
        Column(_("New name"), lambda r: r.new_name),
        Column(_("Reason"), lambda r: r.reason),
        Column(_("Requested"), lambda r: _when(r.requested_at)),
        Column(_("Requested by"), _requester),
    ),
)
