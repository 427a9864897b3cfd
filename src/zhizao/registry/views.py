"""Registry pages. Each view parses input, checks permission through an ``access_*`` fetch or a
``can_*`` check of ``registry/access.py`` on ``request.membership``, calls one service or selector, and renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from zhizao.accounts.selectors import actor_for_request
from zhizao.common.exports import csv_stream, xlsx_bytes
from zhizao.common.navigation import organization_links

from . import access, lists, selectors
from .enums import IMPORT_ACTIVE_STATES, ImportState, NameChangeState, OrganizationKind
from .errors import RegistryError
from .exporters import export_header, export_rows
from .forms import (
    ChainForm,
    ChainNodeForm,
    ContactForm,
    ImportUploadForm,
    OrganizationFilterForm,
    OrganizationForm,
    OrganizationSearchForm,
)
from .importing_template import template_columns, template_csv, template_xlsx
from .models import Contact, IndustrialChain, Organization, Region
from .services import chains as chain_services
from .services import exports as export_services
from .services import imports as import_services
from .services import organizations as org_services
from .services.files import TableError


class ActingMixin(LoginRequiredMixin):
    """Logged in, and acting in some membership."""

    pass


def _filter_choices() -> dict[str, list[tuple[str, str, str]]]:
    return selectors.filter_choices(get_language() or settings.LANGUAGE_CODE)


def _options_html(choices, selected: str, *, with_parent: bool) -> str:
    if with_parent:
        return format_html_join(
            "",
            '<option value="{}" data-parent="{}"{}>{}</option>',
            (
                (v, p, mark_safe(" selected") if v == selected else "", label)
                for v, label, p in choices
            ),
        )
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((v, mark_safe(" selected") if v == selected else "", label) for v, label, _p in choices),
    )


INDUSTRY_LEVELS = ("group", "industry_class")


def _filter_options(data) -> dict:
    """Pre-rendered <option> lists of the filter form, the current values selected. The
    cascading levels hold only the children of the level above (a province's cities, a city's
    districts; a division's groups, a group's classes), never every district or class of the
    registry; a choice left over from another parent is dropped (as ``_most_specific`` does)."""
    choices = _filter_choices()
    rendered = {}
    for name in ("province", "cluster", "chain"):
        rendered[name] = _options_html(choices[name], data.get(name, ""), with_parent=False)
    for chain in (("province", "city", "district"), ("division", "group", "industry_class")):
        parent = (data.get(chain[0]) or "").strip()
        for name in chain[1:]:
            # names only, as the next level fetched by the picker shows them
            level = [
                (c[0], c[1].split(" ", 1)[-1] if name in INDUSTRY_LEVELS else c[1], c[2])
                for c in choices[name]
                if parent and c[2] == parent
            ]
            value = (data.get(name) or "").strip()
            rendered[name] = _options_html(level, value, with_parent=False)
            rendered[f"{name}_hidden"] = not level
            parent = value if any(c[0] == value for c in level) else ""
    # Divisions grouped by section.
    selected = data.get("division", "")
    groups = []
    for code, label, _p in choices["_sections"]:
        inner = [c for c in choices["division"] if c[2] == code]
        if inner:
            groups.append(
                format_html(
                    '<optgroup label="{}">{}</optgroup>',
                    label,
                    _options_html(inner, selected, with_parent=False),
                )
            )
    rendered["division"] = mark_safe("".join(groups))  # noqa: S308 (built with format_html)
    return {"options": rendered}


class OrganizationListView(ActingMixin, View):
    template_name = "registry/organization_list.html"

    def get(self, request):
        if not access.can_browse(request.membership):
            raise Http404
        form = OrganizationFilterForm(request.GET or None)
        form.is_valid()
        filters = form.to_filter() if request.GET else selectors.OrganizationFilter()
        queryset = selectors.organizations_for_listing(filters)
        per_page = form.page_size() if request.GET else 25
        paginator = Paginator(queryset, per_page)
        page = paginator.get_page(request.GET.get("page"))
        context = {
            "form": form,
            "filters": filters,
            "page_obj": page,
            "paginator": paginator,
            "organizations": page.object_list,
            "kinds": OrganizationKind.choices,
            "can_export": access.can_export_organizations(request.membership),
            "can_add": access.can_add_organization(request.membership),
            "can_review_names": access.can_review_name_changes(request.membership),
            "can_view_contacts": access.can_view_contacts(request.membership),
            "current_sort": filters.sort,
            **_filter_options(request.GET),
        }
        if request.htmx and request.htmx.target == "results":
            return render(request, f"{self.template_name}#results", context)
        return render(request, self.template_name, context)


class OrganizationExportView(ActingMixin, View):
    def get(self, request, fmt: str):
        if fmt not in {"csv", "xlsx"} or not access.can_export_organizations(request.membership):
            raise Http404
        form = OrganizationFilterForm(request.GET or None)
        form.is_valid()
        filters = form.to_filter() if request.GET else selectors.OrganizationFilter()
        with_contacts = request.GET.get("contacts") == "1" and access.can_view_contacts(
            request.membership
        )
        queryset = export_services.export_organizations(
            actor_for_request(request), filters=filters, fmt=fmt, with_contacts=with_contacts
        )
        header = export_header(with_contacts=with_contacts)
        rows = export_rows(queryset, with_contacts=with_contacts)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if fmt == "csv":
            response = StreamingHttpResponse(
                csv_stream(header, rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="registry-{stamp}.csv"'
            return response
        data = xlsx_bytes(header, rows, sheet=_("Organisations"))
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="registry-{stamp}.xlsx"'
        return response


class OrganizationDetailView(ActingMixin, View):
    def get(self, request, pk: int):
        org = access.access_organization(request.membership, pk)
        tab = request.GET.get("tab", "profile")
        can_history = access.can_view_history(request.membership, org)
        if tab == "history" and not can_history:
            tab = "profile"
        context = {
            "org": org,
            "tab": tab,
            "region_path": selectors.region_path(org.region),
            "contacts": selectors.contacts_for_organization(org),
            "can_view_contacts": access.can_view_contacts(request.membership, org),
            "can_change_contacts": access.can_change_contacts(request.membership, org),
            "can_edit": access.can_change_organization(request.membership, org),
            "can_history": can_history,
            "can_archive": access.can_archive_organization(request.membership, org),
            "clusters": list(org.clusters.all()),
            "chain_nodes": list(org.chain_nodes.select_related("chain")),
            "led_chains": list(org.led_chains.all()),
            "history": selectors.history_for_object(org) if tab == "history" else [],
            "pending_name_change": selectors.pending_name_change(org) if can_history else None,
            "field_labels": _field_labels(),
            # what the other apps hold about it that the viewer may open (their providers)
            "related": organization_links(request, request.membership, org)
            if tab == "profile"
            else [],
        }
        return render(request, "registry/organization_detail.html", context)


def _field_labels() -> dict[str, str]:
    labels = {
        f.name: str(f.verbose_name)
        for f in Organization._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    labels.update(
        {
            "region_id": labels.get("region", ""),
            "industry_id": labels.get("industry", ""),
            "contact": _("Contact"),
            "contact.name": _("Contact name"),
            "contact.title": _("Contact title"),
            "contact.phone": _("Contact phone"),
            "contact.email": _("Contact e-mail"),
            "contact.is_primary": _("Primary contact"),
            "file": _("File"),
            "state": _("State"),
            "leader_id": _("Chain leader"),
            "weak_link_threshold": _("Weak-link threshold"),
            "name_zh": _("Chinese name"),
            "name_en": _("English name"),
        }
    )
    return labels


class OrganizationEditView(ActingMixin, View):
    template_name = "registry/organization_form.html"

    def _org(self, request, pk):
        return access.access_organization(
            request.membership, pk, can=access.can_change_organization
        )

    def _context(self, request, form, org) -> dict:
        return {"form": form, "org": org, "pending_name_change": selectors.pending_name_change(org)}

    def get(self, request, pk: int):
        org = self._org(request, pk)
        form = OrganizationForm(
            instance=org,
            can_change_identity=access.can_add_organization(request.membership),
            can_rename=access.can_rename_organization(request.membership, org),
        )
        return render(request, self.template_name, self._context(request, form, org))

    def post(self, request, pk: int):
        org = self._org(request, pk)
        can_rename = access.can_rename_organization(request.membership, org)
        form = OrganizationForm(
            request.POST,
            instance=Organization.objects.get(pk=org.pk),
            can_change_identity=access.can_add_organization(request.membership),
            can_rename=can_rename,
        )
        if form.is_valid():
            try:
                result = org_services.update_organization(
                    actor_for_request(request),
                    org,
                    data=form.profile_data(),
                    clusters=[c.pk for c in form.cleaned_data["clusters"]],
                    chain_nodes=[n.pk for n in form.cleaned_data["chain_nodes"]],
                    rename_directly=can_rename,
                    name_change_reason=form.cleaned_data.get("name_change_reason") or "",
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if result.changes:
                    messages.success(
                        request, _("Saved %(n)d changes.") % {"n": len(result.changes)}
                    )
                elif result.name_change is None:
                    messages.info(request, _("Nothing changed."))
                if result.name_change is not None:
                    messages.info(
                        request,
                        _(
                            "The new name “%(name)s” waits for an operator's review; until then "
                            "the registered name stays."
                        )
                        % {"name": result.name_change.new_name},
                    )
                return redirect("registry:organization_detail", pk=org.pk)
        return render(request, self.template_name, self._context(request, form, org), status=400)


class OrganizationCreateView(ActingMixin, View):
    template_name = "registry/organization_form.html"

    def _check(self, request):
        if not access.can_add_organization(request.membership):
            raise Http404

    def get(self, request):
        self._check(request)
        return render(request, self.template_name, {"form": OrganizationForm(), "org": None})

    def post(self, request):
        self._check(request)
        form = OrganizationForm(request.POST)
        if form.is_valid():
            try:
                org = org_services.create_organization(
                    actor_for_request(request),
                    data=form.profile_data(),
                    clusters=[c.pk for c in form.cleaned_data["clusters"]],
                    chain_nodes=[n.pk for n in form.cleaned_data["chain_nodes"]],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Organisation created."))
                return redirect("registry:organization_detail", pk=org.pk)
        return render(request, self.template_name, {"form": form, "org": None}, status=400)


class OrganizationArchiveView(ActingMixin, View):
    """POST only: archive or restore (operators)."""

    def post(self, request, pk: int):
        org = access.access_organization(
            request.membership, pk, can=access.can_archive_organization
        )
        active = request.POST.get("action") == "restore"
        try:
            changed = org_services.set_organization_active(
                actor_for_request(request), org, active=active
            )
        except RegistryError as error:
            messages.error(request, error.message)
            return redirect("registry:organization_detail", pk=org.pk)
        if changed:
            messages.success(
                request,
                _("Organisation restored.")
                if active
                else _(
                    "Organisation archived: it no longer appears in lists, searches and exports."
                ),
            )
        return redirect("registry:organization_detail", pk=org.pk)


class ContactEditView(ActingMixin, View):
    template_name = "registry/contact_form.html"

    def _load(self, request, pk, contact_id):
        org = access.access_organization(request.membership, pk, can=access.can_change_contacts)
        contact = None
        if contact_id is not None:
            contact = Contact.objects.filter(pk=contact_id, organization=org).first()
            if contact is None:
                raise Http404
        return org, contact

    def get(self, request, pk: int, contact_id: int | None = None):
        org, contact = self._load(request, pk, contact_id)
        initial = (
            {f: getattr(contact, f) for f in ("name", "title", "phone", "email", "is_primary")}
            if contact
            else {"is_primary": not org.contacts.exists()}
        )
        return render(
            request,
            self.template_name,
            {"form": ContactForm(initial=initial), "org": org, "contact": contact},
        )

    def post(self, request, pk: int, contact_id: int | None = None):
        org, contact = self._load(request, pk, contact_id)
        if request.POST.get("action") == "delete" and contact is not None:
            org_services.delete_contact(actor_for_request(request), org, contact)
            messages.success(request, _("Contact removed."))
            return redirect("registry:organization_detail", pk=org.pk)
        form = ContactForm(request.POST)
        if form.is_valid():
            org_services.save_contact(
                actor_for_request(request), org, data=form.cleaned_data, contact=contact
            )
            messages.success(request, _("Contact saved."))
            return redirect("registry:organization_detail", pk=org.pk)
        return render(
            request, self.template_name, {"form": form, "org": org, "contact": contact}, status=400
        )


# --- reviewed name changes ----------------------------------------------------------------------


class NameChangeListView(ActingMixin, View):
    """The operators' queue of name changes: pending ones to approve or reject, and the latest
    decisions."""

    list_spec = lists.NAME_CHANGES

    def get(self, request):
        if not access.can_review_name_changes(request.membership):
            raise Http404
        listing = lists.NAME_CHANGES.run(request, access.name_changes_for(request.membership))
        if listing.response:
            return listing.response
        decided = list(
            access.name_changes_for(request.membership, state=NameChangeState.APPROVED)[:20]
        ) + list(access.name_changes_for(request.membership, state=NameChangeState.REJECTED)[:20])
        decided.sort(key=lambda r: (r.decided_at, r.pk), reverse=True)
        return render(
            request,
            "registry/name_change_list.html",
            {
                **listing.context(),
                "requests": listing.page_obj.object_list,
                "decided": decided[:20],
            },
        )


class NameChangeDecideView(ActingMixin, View):
    """POST only: approve, or reject with a reason."""

    def post(self, request, pk: int):
        name_change = access.access_name_change(request.membership, pk)
        action = request.POST.get("action")
        if action not in {"approve", "reject"}:
            raise Http404
        try:
            org_services.decide_name_change(
                actor_for_request(request),
                name_change,
                approve=action == "approve",
                reason=request.POST.get("reason", ""),
            )
        except RegistryError as error:
            messages.error(request, error.message)
        else:
            if action == "approve":
                messages.success(
                    request,
                    _("Approved: the organisation is now registered as “%(name)s”.")
                    % {"name": name_change.new_name},
                )
            else:
                messages.info(request, _("Name change rejected; the requester is notified."))
        return redirect("registry:name_change_list")


# --- industrial chains --------------------------------------------------------------------------


class ChainListView(ActingMixin, View):
    def get(self, request):
        if not access.can_view_chains(request.membership):
            raise Http404
        chains = selectors.chains_for_listing()
        summaries = selectors.chain_assessments(chains)
        return render(
            request, "registry/chain_list.html", {"chains": chains, "summaries": summaries}
        )


class ChainDetailView(ActingMixin, View):
    def get(self, request, code: str):
        chain = access.access_chain(request.membership, code)
        scope = request.GET.get("region", "")
        if scope and not Region.objects.filter(code=scope).exists():
            scope = ""
        view = selectors.chain_view(chain, region=scope)
        assessments = {a.code: a for a in view.assessment.nodes}
        columns = []
        for position, label in (
            ("upstream", _("Upstream")),
            ("midstream", _("Midstream")),
            ("downstream", _("Downstream")),
        ):
            nodes = [
                {
                    "node": node,
                    "assessment": assessments[node.code],
                    "members": view.members.get(node.pk, []),
                    "count": view.counts.get(node.pk, 0),
                }
                for node in view.nodes
                if node.position == position
            ]
            columns.append({"position": position, "label": label, "nodes": nodes})
        scopes = (
            list(
                Region.objects.filter(parent_id=chain.region_id, valid_to__isnull=True).order_by(
                    "code"
                )
            )
            if chain.region_id.endswith("0000")
            else []
        )
        return render(
            request,
            "registry/chain_detail.html",
            {
                "chain": chain,
                "view": view,
                "columns": columns,
                "scope": scope,
                "scopes": scopes,
                "can_edit": access.can_change_chain(request.membership, chain),
            },
        )


class ChainEditView(ActingMixin, View):
    """The chain's names, leader (searched in the registry) and threshold, and its nodes."""

    def _chain(self, request, code):
        chain = access.access_chain(request.membership, code)
        if not access.can_change_chain(request.membership, chain):
            raise Http404
        return chain

    @staticmethod
    def page(request, chain, *, form=None, node_form=None, node_errors=None, status=200):
        search_url = reverse("registry:organization_search")
        return render(
            request,
            "registry/chain_form.html",
            {
                "form": form or ChainForm(instance=chain, search_url=search_url),
                "chain": chain,
                "nodes": [
                    (node, ChainNodeForm(initial=_node_initial(node), prefix=f"node-{node.pk}"))
                    for node in chain.nodes.order_by("sort_order", "id")
                ],
                "node_form": node_form or ChainNodeForm(prefix="new"),
                "node_errors": node_errors or {},
            },
            status=status,
        )

    def get(self, request, code: str):
        return self.page(request, self._chain(request, code))

    def post(self, request, code: str):
        chain = self._chain(request, code)
        form = ChainForm(
            request.POST,
            instance=IndustrialChain.objects.get(pk=chain.pk),
            search_url=reverse("registry:organization_search"),
        )
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ChainForm.Meta.fields}
            chain_services.update_chain(
                actor_for_request(request),
                chain,
                data=data,
                leader=form.cleaned_data["leader"],
            )
            messages.success(request, _("Chain saved."))
            return redirect("registry:chain_detail", code=chain.code)
        return self.page(request, chain, form=form, status=400)


def _node_initial(node) -> dict:
    return {"name_zh": node.name_zh, "name_en": node.name_en, "position": node.position}


class ChainNodeAddView(ChainEditView):
    def get(self, request, code: str):
        raise Http404

    def post(self, request, code: str):
        chain = self._chain(request, code)
        form = ChainNodeForm(request.POST, prefix="new")
        if form.is_valid():
            try:
                node = chain_services.add_chain_node(
                    actor_for_request(request), chain, **form.cleaned_data
                )
            except RegistryError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Node “%(name)s” added.") % {"name": node.name_zh})
                return redirect(reverse("registry:chain_edit", args=[chain.code]) + "#nodes")
        return self.page(request, chain, node_form=form, status=400)


class ChainNodeEditView(ChainEditView):
    """Rename (and move) a node, or remove it (``action=remove``)."""

    def get(self, request, code: str, node_id: int):
        raise Http404

    def post(self, request, code: str, node_id: int):
        chain = self._chain(request, code)
        node = access.access_chain_node(request.membership, chain, node_id)
        back = reverse("registry:chain_edit", args=[chain.code]) + "#nodes"
        if request.POST.get("action") == "remove":
            count = chain_services.remove_chain_node(actor_for_request(request), node)
            messages.success(
                request,
                _("Node “%(name)s” removed; %(count)s organisations were placed on it.")
                % {"name": node.name_zh, "count": count},
            )
            return redirect(back)
        form = ChainNodeForm(request.POST, prefix=f"node-{node.pk}")
        if form.is_valid():
            try:
                chain_services.rename_chain_node(
                    actor_for_request(request), node, **form.cleaned_data
                )
            except RegistryError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Node saved."))
                return redirect(back)
        return self.page(request, chain, node_errors={node.pk: form.errors}, status=400)


class OrganizationSearchView(ActingMixin, View):
    """Organisations the member may see whose name or credit code matches ``q``: the options
    of a combobox (htmx fragment), at most 10."""

    def get(self, request):
        if not access.can_browse(request.membership):
            raise Http404
        form = OrganizationSearchForm(request.GET)
        found = []
        if form.is_valid() and form.cleaned_data["q"]:
            found = list(
                selectors.organizations_for_listing(
                    selectors.OrganizationFilter(q=form.cleaned_data["q"])
                )[:10]
            )
        return render(
            request,
            "registry/_organization_options.html",
            {"found": found, "form": form, "searched": bool(form.data.get("q"))},
        )


# --- imports ------------------------------------------------------------------------------------


class ImportPermissionMixin(ActingMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can_import_organizations(
            request.membership
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ImportListView(ImportPermissionMixin, View):
    list_spec = lists.IMPORTS

    def get(self, request):
        listing = lists.IMPORTS.run(request, access.imports_for(request.membership))
        if listing.response:
            return listing.response
        return render(
            request,
            "registry/import_list.html",
            {
                **listing.context(),
                "batches": listing.page_obj.object_list,
                "active_states": IMPORT_ACTIVE_STATES,
            },
        )


class ImportNewView(ImportPermissionMixin, View):
    template_name = "registry/import_new.html"

    def get(self, request):
        return render(
            request, self.template_name, {"form": ImportUploadForm(), "columns": template_columns()}
        )

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = import_services.start_import(
                    actor_for_request(request), file=form.cleaned_data["file"]
                )
            except RegistryError as error:
                form.add_error("file", error.message)
            else:
                return redirect("registry:import_detail", pk=batch.pk)
        return render(
            request, self.template_name, {"form": form, "columns": template_columns()}, status=400
        )


class ImportDetailView(ImportPermissionMixin, View):
    def get(self, request, pk):
        batch = access.access_import(request.membership, pk)
        errors = batch.errors or []
        paginator = Paginator(errors, 50)
        page = paginator.get_page(request.GET.get("page"))
        context = {
            "batch": batch,
            "page_obj": page,
            "paginator": paginator,
            "errors": page.object_list,
            "active": batch.state in IMPORT_ACTIVE_STATES,
            "ImportState": ImportState,
        }
        if request.htmx and request.htmx.target == "import-status":
            return render(request, "registry/import_detail.html#status", context)
        return render(request, "registry/import_detail.html", context)

    def post(self, request, pk):
        batch = access.access_import(request.membership, pk)
        action = request.POST.get("action")
        actor = actor_for_request(request)
        if action == "cancel":
            if import_services.cancel_import(actor, batch):
                messages.info(request, _("Import cancelled; nothing was written."))
            return redirect("registry:import_detail", pk=batch.pk)
        if action not in {"commit", "commit_valid"}:
            raise Http404
        try:
            batch = import_services.commit_import(
                actor, batch, skip_invalid=action == "commit_valid"
            )
        except RegistryError as error:
            if error.code == "import_not_ready":
                messages.warning(request, _("This import has already been started."))
            else:
                messages.error(request, error.message)
            return redirect("registry:import_detail", pk=batch.pk)
        if batch.state == ImportState.COMMITTED:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "created": batch.created,
                    "updated": batch.updated,
                    "unchanged": batch.unchanged,
                },
            )
        elif batch.state == ImportState.FAILED:
            messages.error(request, batch.message or _("The import failed."))
        else:
            messages.info(
                request,
                _("The import runs in the background. You can leave this page and come back."),
            )
        return redirect("registry:import_detail", pk=batch.pk)


class ImportErrorReportView(ImportPermissionMixin, View):
    """All errors of a checked file as a spreadsheet (the page shows at most 1,000)."""

    def get(self, request, pk):
        batch = access.access_import(request.membership, pk)
        if not batch.file:
            raise Http404
        try:
            errors = import_services.import_errors(batch)
        except TableError:
            raise Http404 from None
        header = [_("Row"), _("Spreadsheet row"), _("Column"), _("Error code"), _("Problem")]
        rows = [
            [e.row, e.row + 1, e.column, e.code, import_services.error_dict(e)["message"]]
            for e in errors
        ]
        response = HttpResponse(
            xlsx_bytes(header, rows, sheet=_("Errors")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="import-errors-{batch.pk}.xlsx"'
        return response


class ImportTemplateView(ActingMixin, View):
    def get(self, request, fmt: str):
        if fmt not in {"csv", "xlsx"}:
            raise Http404
        if fmt == "csv":
            response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="registry-import-template.csv"'
            return response
        response = HttpResponse(
            template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="registry-import-template.xlsx"'
        return response
