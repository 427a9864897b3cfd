"""Bulk import of organisations: check a file, plan the writes, and apply them in one transaction.

Every interface calls the services at the bottom of this module and nothing else:

* ``start_import`` (page, API) stores the upload and checks it, inline or by a worker;
* ``commit_import`` (page, API) confirms a checked batch and runs it, inline or by a worker;
* ``run_import_check`` / ``run_import_commit`` are what the worker (and the inline path) runs;
* ``import_file`` is ``zhizao registry import``: the same check and write without a batch;
* ``cancel_import`` and ``fail_lost_import`` end a batch.

Underneath, ``check_table`` validates every row (pure core) and plans what a commit would do,
and ``apply_plan`` writes the plan in ONE transaction: organisations, their cluster and chain
links, contacts, the audit entries and the batch's ``committed`` state — all of it or nothing.
The ``ImportBatch`` state machine has one owner, ``set_import_state``.

Names: a new name that an active organisation already has (compared as ``name_key``) is an
error on its row, as is a name an earlier row gives to another organisation. The import never
renames an existing organisation: a row whose name differs from the stored one updates the other
fields and raises a name-change request for an operator to review (``name_changes`` in the
report).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor, AuditAction, entry_row, insert_entry_rows, jsonable, record
from zhizao.common.bulk import (
    bulk_write,
    datetime_value,
    decimal_value,
    insert_rows,
    prepare_json,
    refresh_statistics,
)
from zhizao.common.worker import enqueue_after_commit
from zhizao_core.importing import (
    CellError,
    ImportContext,
    OrganizationRecord,
    ValidationResult,
    map_header,
    validate_rows,
)
from zhizao_core.text import organization_name_key

from ..enums import IMPORT_FINAL_STATES, ImportState
from ..errors import RegistryError, file_message
from ..import_messages import render_error
from ..models import ChainNode, Cluster, Contact, ImportBatch, Industry, Organization, Region
from .files import Table, TableError, file_format, read_table
from .organizations import (
    derived_fields,
    name_sort_key,
    refresh_derived_fields,
    request_name_change,
)

Progress = Callable[[str, int], None]
CHUNK = 800  # stays under SQLite's limit of bound variables per statement

# record attribute -> Organization attribute, for the scalar profile fields
SCALAR_FIELDS = {
    "name": "name",
    "kind": "kind",
    "region": "region_id",
    "industry": "industry_id",
    "size": "size",
    "founded_year": "founded_year",
    "employees": "employees",
    "revenue_wan": "revenue_wan",
    "address": "address",
    "website": "website",
    "description": "description",
    "products": "products",
    "capabilities": "capabilities",
}
MAX_STORED_ERRORS = 1000
CHECK_TASK = "zhizao.registry.tasks.check_import_task"
COMMIT_TASK = "zhizao.registry.tasks.commit_import_task"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == () or value == []


def _value(record_value: Any) -> Any:
    if isinstance(record_value, tuple):
        return list(record_value)
    return record_value


@dataclass
class PlannedRow:
    record: OrganizationRecord
    org_id: int | None
    changes: dict[str, list[Any]]
    # [stored name, the file's name] when the row would rename an existing organisation: the
    # import does not rename, it raises a name-change request for an operator to review.
    name_change: list[str] | None = None


@dataclass
class ImportPlan:
    rows: int
    valid: int
    errors: list[CellError]
    unknown_columns: list[str]
    labels: dict[str, str]
    create: list[PlannedRow] = field(default_factory=list)
    update: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def name_changes(self) -> list[PlannedRow]:
        return [row for row in (*self.update, *self.unchanged) if row.name_change]


def import_context(*, today: dt.date | None = None) -> ImportContext:
    today = today or timezone.localdate()
    clusters: dict[str, str] = {}
    for code, name_zh, name_en in Cluster.objects.values_list("code", "name_zh", "name_en"):
        clusters[code] = code
        clusters[name_zh] = code
        if name_en:
            clusters[name_en] = code
    nodes: dict[str, str] = {}
    for code, name_zh, chain_name in ChainNode.objects.values_list(
        "code", "name_zh", "chain__name_zh"
    ):
        nodes[code] = code
        nodes[f"{chain_name}/{name_zh}"] = code
    return ImportContext(
        region_codes=frozenset(
            Region.objects.filter(level="district").values_list("code", flat=True)
        )
        | frozenset(Region.objects.filter(level="city").values_list("code", flat=True)),
        industry_codes=frozenset(
            Industry.objects.exclude(level="section").values_list("code", flat=True)
        ),
        clusters=clusters,
        chain_nodes=nodes,
        current_year=today.year,
    )


def validate_table(table: Table, ctx: ImportContext) -> tuple[Any, ValidationResult]:
    header = map_header(table.header)
    if header.errors:
        return header, ValidationResult(
            records=[], errors=list(header.errors), rows=len(table.rows), invalid_rows=frozenset()
        )
    return header, validate_rows(header, table.rows, ctx)


def plan_records(
    records: Sequence[OrganizationRecord],
) -> tuple[list[PlannedRow], list[PlannedRow], list[PlannedRow]]:
    """Compare records with the stored organisations (keyed by credit code)."""
    create, update, unchanged = [], [], []
    by_uscc: dict[str, Organization] = {}
    usccs = [r.uscc for r in records]
    for start in range(0, len(usccs), CHUNK):
        for org in Organization.objects.filter(uscc__in=usccs[start : start + CHUNK]).only(
            "id", "uscc", *SCALAR_FIELDS.values()
        ):
            by_uscc[org.uscc] = org
    links_needed = any({"clusters", "chain_nodes"} & r.present for r in records[:1])
    cluster_codes: dict[int, list[str]] = {}
    node_codes: dict[int, list[str]] = {}
    primary_contacts: dict[int, tuple[str, str, str]] = {}
    if by_uscc:
        ids = [o.pk for o in by_uscc.values()]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            if links_needed:
                through = Organization.clusters.through
                for org_id, code in through.objects.filter(organization_id__in=chunk).values_list(
                    "organization_id", "cluster__code"
                ):
                    cluster_codes.setdefault(org_id, []).append(code)
                through = Organization.chain_nodes.through
                for org_id, code in through.objects.filter(organization_id__in=chunk).values_list(
                    "organization_id", "chainnode__code"
                ):
                    node_codes.setdefault(org_id, []).append(code)
            for org_id, name, phone, email in (
                Contact.objects.filter(organization_id__in=chunk)
                .order_by("-is_primary", "id")
                .values_list("organization_id", "name", "phone", "email")
            ):
                primary_contacts.setdefault(org_id, (name, phone, email))
    for rec in records:
        org = by_uscc.get(rec.uscc)
        if org is None:
            create.append(PlannedRow(rec, None, {}))
            continue
        changes: dict[str, list[Any]] = {}
        name_change = None
        for key, attr in SCALAR_FIELDS.items():
            if key not in rec.present:
                continue
            new = _value(getattr(rec, key))
            if _empty(new):
                continue  # an empty cell keeps the stored value: nothing is lost by a sparse file
            old = getattr(org, attr)
            if jsonable(old) != jsonable(new):
                if key == "name":
                    name_change = [old, new]  # reviewed, never written by the import
                    continue
                changes[attr] = [jsonable(old), jsonable(new)]
        for key, existing in (("clusters", cluster_codes), ("chain_nodes", node_codes)):
            new_codes = sorted(getattr(rec, key))
            if key in rec.present and new_codes:
                old_codes = sorted(existing.get(org.pk, []))
                if old_codes != new_codes:
                    changes[key] = [old_codes, new_codes]
        if rec.contact_name:
            stored = primary_contacts.get(org.pk)
            wanted = (rec.contact_name, rec.contact_phone, rec.contact_email)
            if stored is None or any(w and w != s for w, s in zip(wanted, stored, strict=True)):
                changes["contact"] = [stored[0] if stored else None, rec.contact_name]
        (update if changes else unchanged).append(PlannedRow(rec, org.pk, changes, name_change))
    return create, update, unchanged


def _missing_reference_data(ctx: ImportContext) -> str:
    """What the database lacks to check rows against, in words ("" when nothing)."""
    if not ctx.region_codes and not ctx.industry_codes:
        return _("regions (GB/T 2260) or industries (GB/T 4754-2017)")
    if not ctx.region_codes:
        return _("regions (GB/T 2260)")
    if not ctx.industry_codes:
        return _("industries (GB/T 4754-2017)")
    return ""


NAME_TAKEN_CODE = "name_taken"
DUPLICATE_NAME_CODE = "duplicate_name_in_file"


def check_names(
    create: list[PlannedRow], update: list[PlannedRow], unchanged: list[PlannedRow], labels
) -> list[CellError]:
    """Two active organisations never share a name: a new organisation, or a rename, whose
    name (as ``organization_name_key``) an active organisation already has is an error on
    that row, and so is a name that an earlier row of the file already gives to another
    organisation (the later row is the bad one, as for credit codes)."""
    candidates = [row for row in create] + [row for row in (*update, *unchanged) if row.name_change]
    if not candidates:
        return []
    keys = {id(row): organization_name_key(row.record.name) for row in candidates}
    holders: dict[str, int] = {}
    wanted = sorted(set(keys.values()))
    for start in range(0, len(wanted), CHUNK):
        holders.update(
            Organization.objects.filter(
                is_active=True, name_key__in=wanted[start : start + CHUNK]
            ).values_list("name_key", "id")
        )
    column = labels.get("name", "名称")
    errors: list[CellError] = []
    first_row: dict[str, tuple[int, str]] = {}
    for row in sorted(candidates, key=lambda r: r.record.row):
        key = keys[id(row)]
        holder = holders.get(key)
        if holder is not None and holder != row.org_id:
            errors.append(
                CellError(row.record.row, column, NAME_TAKEN_CODE, {"value": row.record.name})
            )
            continue
        earlier = first_row.get(key)
        if earlier is not None and earlier[1] != row.record.uscc:
            errors.append(
                CellError(
                    row.record.row,
                    column,
                    DUPLICATE_NAME_CODE,
                    {"value": row.record.name, "first": earlier[0]},
                )
            )
            continue
        first_row.setdefault(key, (row.record.row, row.record.uscc))
    return errors


def check_table(
    table: Table, *, ctx: ImportContext | None = None, progress: Progress | None = None
) -> ImportPlan:
    ctx = ctx or import_context()
    missing = _missing_reference_data(ctx)
    if missing:
        # one message for the file, not "unknown region" on every row
        return ImportPlan(
            rows=len(table.rows),
            valid=0,
            errors=[CellError(0, "", "reference_data_missing", {"missing": missing})],
            unknown_columns=[],
            labels={},
        )
    if progress:
        progress("validating", 40)
    header, result = validate_table(table, ctx)
    plan = ImportPlan(
        rows=result.rows,
        valid=len(result.records),
        errors=list(result.errors),
        unknown_columns=list(getattr(header, "unknown_columns", [])),
        labels=dict(getattr(header, "labels", {})),
    )
    if progress:
        progress("planning", 60)
    if result.records:
        plan.create, plan.update, plan.unchanged = plan_records(result.records)
        name_errors = check_names(plan.create, plan.update, plan.unchanged, plan.labels)
        if name_errors:
            bad = {error.row for error in name_errors}
            plan.create = [r for r in plan.create if r.record.row not in bad]
            plan.update = [r for r in plan.update if r.record.row not in bad]
            plan.unchanged = [r for r in plan.unchanged if r.record.row not in bad]
            plan.valid -= len(bad)
            plan.errors = sorted([*plan.errors, *name_errors], key=lambda e: e.row)
    return plan


ORG_INSERT_FIELDS = (
    "name",
    "uscc",
    "kind",
    "region",
    "industry",
    "size",
    "founded_year",
    "employees",
    "revenue_wan",
    "address",
    "website",
    "description",
    "products",
    "capabilities",
    "province_code",
    "city_code",
    "industry_division",
    "industry_group",
    "search_text",
    "name_sort",
    "name_key",
    "is_active",
    "created_at",
    "updated_at",
)


def _organization_row(rec: OrganizationRecord, stamp) -> tuple:
    products, capabilities = list(rec.products), list(rec.capabilities)
    derived = derived_fields(
        name=rec.name,
        uscc=rec.uscc,
        region=rec.region,
        industry=rec.industry,
        products=products,
        capabilities=capabilities,
    )
    return (
        rec.name,
        rec.uscc,
        rec.kind,
        rec.region,
        rec.industry or None,
        rec.size or "",
        rec.founded_year,
        rec.employees,
        decimal_value(rec.revenue_wan),
        rec.address,
        rec.website,
        rec.description,
        prepare_json(Organization, "products", products),
        prepare_json(Organization, "capabilities", capabilities),
        derived["province_code"],
        derived["city_code"],
        derived["industry_division"],
        derived["industry_group"],
        derived["search_text"],
        derived["name_sort"],
        derived["name_key"],
        True,
        stamp,
        stamp,
    )


def apply_plan(
    actor: Actor,
    plan: ImportPlan,
    *,
    batch: ImportBatch | None = None,
    skip_invalid: bool = False,
    analyze: bool = True,
) -> dict[str, int]:
    """Write the plan in one transaction. Refuses (writes nothing) when rows are invalid unless
    ``skip_invalid``. Returns the counts written.

    With a ``batch``, the transaction first locks the batch row and goes on only while the batch
    is still ``committing``: when a task is delivered twice (a broker redelivers a message whose
    worker it took for lost while that worker was still writing), the run that comes second
    finds the batch committed and writes nothing, instead of writing its stale plan again.

    ``analyze=False``: no ANALYZE after a large write (a caller writing many plans in a row,
    the demo, analyses once at the end; once per plan grows with the square of the table)."""
    if plan.errors and not skip_invalid:
        raise RegistryError(
            "import_has_errors",
            _("The file has %(n)d errors; nothing was imported.") % {"n": len(plan.errors)},
        )
    now = timezone.now()
    stamp = datetime_value(now)
    org_type = ContentType.objects.get_for_model(Organization)
    cluster_ids = dict(Cluster.objects.values_list("code", "id"))
    node_ids = dict(ChainNode.objects.values_list("code", "id"))
    context = {"import_batch": str(batch.pk)} if batch else {}
    with transaction.atomic():
        if batch is not None and not (
            ImportBatch.objects.select_for_update()
            .filter(pk=batch.pk, state=ImportState.COMMITTING)
            .values_list("pk", flat=True)
            .first()
        ):
            return {"created": 0, "updated": 0, "unchanged": 0}
        # New organisations: prepared rows and one executemany (see zhizao.common.bulk).
        if plan.create:
            insert_rows(
                Organization,
                ORG_INSERT_FIELDS,
                (_organization_row(row.record, stamp) for row in plan.create),
            )
            ids: dict[str, int] = {}
            usccs = [row.record.uscc for row in plan.create]
            for start in range(0, len(usccs), CHUNK):
                ids.update(
                    Organization.objects.filter(uscc__in=usccs[start : start + CHUNK]).values_list(
                        "uscc", "id"
                    )
                )
            for row in plan.create:
                row.org_id = ids[row.record.uscc]
        # Changed organisations: only the fields that changed, with derived columns refreshed;
        # their links are replaced below. Neither sends a model signal: bulk_write announces them.
        with bulk_write(Organization, [row.org_id for row in plan.update]):
            if plan.update:
                ids = [row.org_id for row in plan.update]
                stored = {}
                for start in range(0, len(ids), CHUNK):
                    stored.update(Organization.objects.in_bulk(ids[start : start + CHUNK]))
                changed = []
                for row in plan.update:
                    org = stored[row.org_id]
                    for attr, (_old, new) in row.changes.items():
                        if attr in SCALAR_FIELDS.values():
                            setattr(
                                org,
                                attr,
                                Decimal(new) if attr == "revenue_wan" and new is not None else new,
                            )
                    refresh_derived_fields(org)
                    org.updated_at = now
                    changed.append(org)
                Organization.objects.bulk_update(
                    changed,
                    [
                        *SCALAR_FIELDS.values(),
                        "province_code",
                        "city_code",
                        "industry_division",
                        "industry_group",
                        "search_text",
                        "name_sort",
                        "updated_at",
                    ],
                    batch_size=500,
                )
            _write_links(plan, cluster_ids, node_ids)
        _write_contacts(plan)
        entry_rows = [
            entry_row(
                actor,
                AuditAction.CREATE,
                created_at=stamp,
                content_type_id=org_type.pk,
                object_id=str(row.org_id),
                object_repr=row.record.name,
                context={**context, "row": row.record.row},
                changes={
                    k: [None, jsonable(_value(getattr(row.record, k)))]
                    for k in ("name", "uscc", "kind", "region", "industry")
                },
            )
            for row in plan.create
        ]
        entry_rows += [
            entry_row(
                actor,
                AuditAction.UPDATE,
                created_at=stamp,
                content_type_id=org_type.pk,
                object_id=str(row.org_id),
                object_repr=row.record.name,
                changes=row.changes,
                context={**context, "row": row.record.row},
            )
            for row in plan.update
        ]
        insert_entry_rows(entry_rows)
        _request_name_changes(actor, plan, batch)
        counts = {
            "created": len(plan.create),
            "updated": len(plan.update),
            "unchanged": len(plan.unchanged),
        }
        if batch is not None and not set_import_state(
            batch,
            ImportState.COMMITTED,
            actor=actor,
            action=AuditAction.IMPORT,
            changes={},
            context={**counts, "rows": plan.rows, "skipped": len(plan.errors)},
            progress=100,
            phase="done",
            name_changes=len(plan.name_changes),
            **counts,
        ):
            # Another worker (or the reaper) moved the batch meanwhile: write nothing.
            raise RegistryError(
                "import_not_ready", render_error("import_not_ready", {"state": batch.state})
            )
    if analyze and counts["created"] + counts["updated"] >= ANALYZE_AFTER_ROWS:
        refresh_statistics(Organization._meta.db_table)
    return counts


ANALYZE_AFTER_ROWS = 1000


def _request_name_changes(actor: Actor, plan: ImportPlan, batch: ImportBatch | None) -> None:
    """A row that gives an existing organisation another name renames nothing: it raises a
    name-change request (the same one an organisation raises from its profile) for an operator
    to approve. Renames are rare; each goes through the one write path."""
    rows = plan.name_changes
    if not rows:
        return
    orgs = Organization.objects.in_bulk([row.org_id for row in rows])
    for row in rows:
        if batch is not None:
            reason = _("Import “%(file)s”, row %(row)s") % {
                "file": batch.original_name,
                "row": row.record.row,
            }
        else:
            reason = _("Import, row %(row)s") % {"row": row.record.row}
        request_name_change(
            actor,
            orgs[row.org_id],
            new_name=row.record.name,
            reason=reason,
            import_batch=batch,
        )


def _write_links(plan: ImportPlan, cluster_ids: dict[str, int], node_ids: dict[str, int]) -> None:
    for key, through, column, ids in (
        ("clusters", Organization.clusters.through, "cluster_id", cluster_ids),
        ("chain_nodes", Organization.chain_nodes.through, "chainnode_id", node_ids),
    ):
        replace: dict[int, list[str]] = {}
        for row in plan.create:
            codes = getattr(row.record, key)
            if codes:
                replace[row.org_id] = list(codes)
        for row in plan.update:
            if key in row.changes:
                replace[row.org_id] = row.changes[key][1]
        if not replace:
            continue
        org_ids = list(replace)
        for start in range(0, len(org_ids), CHUNK):
            through.objects.filter(organization_id__in=org_ids[start : start + CHUNK]).delete()
        insert_rows(
            through,
            ("organization", column.removesuffix("_id")),
            (
                (org_id, ids[code])
                for org_id, codes in replace.items()
                for code in dict.fromkeys(codes)
            ),
        )


def _write_contacts(plan: ImportPlan) -> None:
    new_contacts = []
    for row in plan.create:
        rec = row.record
        if rec.contact_name:
            new_contacts.append(
                Contact(
                    organization_id=row.org_id,
                    name=rec.contact_name,
                    phone=rec.contact_phone,
                    email=rec.contact_email,
                    is_primary=True,
                )
            )
    updated_orgs = [row for row in plan.update if "contact" in row.changes]
    for start in range(0, len(updated_orgs), CHUNK):
        chunk = updated_orgs[start : start + CHUNK]
        existing: dict[tuple[int, str], Contact] = {}
        has_primary: set[int] = set()
        for contact in Contact.objects.filter(organization_id__in=[r.org_id for r in chunk]):
            existing[(contact.organization_id, contact.name)] = contact
            if contact.is_primary:
                has_primary.add(contact.organization_id)
        for row in chunk:
            rec = row.record
            contact = existing.get((row.org_id, rec.contact_name))
            if contact is None:
                new_contacts.append(
                    Contact(
                        organization_id=row.org_id,
                        name=rec.contact_name,
                        phone=rec.contact_phone,
                        email=rec.contact_email,
                        is_primary=row.org_id not in has_primary,
                    )
                )
            else:
                contact.phone = rec.contact_phone or contact.phone
                contact.email = rec.contact_email or contact.email
                contact.save(update_fields=["phone", "email"])
    insert_rows(
        Contact,
        ("organization", "name", "title", "phone", "email", "is_primary"),
        (
            (c.organization_id, c.name, c.title, c.phone, c.email, c.is_primary)
            for c in new_contacts
        ),
    )


# --- the report -----------------------------------------------------------------------------


def error_dict(error: CellError) -> dict[str, Any]:
    return {
        "row": error.row,
        "column": error.column,
        "code": error.code,
        "message": render_error(error.code, error.params),
    }


def report(plan: ImportPlan, *, counts: dict[str, int] | None = None) -> dict[str, Any]:
    """The JSON report of the ``zhizao registry import`` contract."""
    counts = (
        counts
        if counts is not None
        else {
            "created": len(plan.create),
            "updated": len(plan.update),
            "unchanged": len(plan.unchanged),
        }
    )
    return {
        "rows": plan.rows,
        "valid": plan.valid,
        **counts,
        "name_changes": len(plan.name_changes),
        "errors": [error_dict(e) for e in plan.errors],
    }


# --- the ImportBatch state machine --------------------------------------------------------------

TRANSITIONS: dict[str, frozenset[str]] = {
    ImportState.UPLOADED: frozenset(
        {ImportState.VALIDATING, ImportState.VALIDATED, ImportState.FAILED, ImportState.CANCELLED}
    ),
    ImportState.VALIDATING: frozenset({ImportState.VALIDATED, ImportState.FAILED}),
    ImportState.VALIDATED: frozenset(
        {ImportState.QUEUED, ImportState.CANCELLED, ImportState.VALIDATING}
    ),
    ImportState.QUEUED: frozenset({ImportState.COMMITTING, ImportState.FAILED}),
    ImportState.COMMITTING: frozenset(
        {ImportState.COMMITTED, ImportState.FAILED, ImportState.COMMITTING}
    ),
}
# Kept under its old name for readers of older notes.
ALLOWED = TRANSITIONS


def set_import_state(
    batch: ImportBatch,
    to: str,
    *,
    expected: Iterable[str] | None = None,
    actor: Actor | None = None,
    action: str = AuditAction.STATE,
    changes: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    **fields: Any,
) -> bool:
    """THE owner of ``ImportBatch.state``: move ``batch`` to ``to`` if it is still in one of the
    ``expected`` states (default: every state the transition table allows ``to`` from).

    The move is one conditional UPDATE, so two clicks or two workers cannot both win. With an
    ``actor`` the move is audited (``changes`` default to ``{"state": [before, to]}``), in the
    caller's transaction when there is one. Returns False, and changes nothing, when the batch
    was no longer in an expected state.
    """
    allowed_from = {state for state, targets in TRANSITIONS.items() if to in targets}
    expected = set(expected) & allowed_from if expected is not None else allowed_from
    if to in IMPORT_FINAL_STATES:
        fields.setdefault("finished_at", timezone.now())
    before = batch.state
    with transaction.atomic():
        moved = ImportBatch.objects.filter(pk=batch.pk, state__in=expected).update(
            state=to, **fields
        )
        if moved and actor is not None:
            record(
                actor,
                action,
                batch,
                changes=changes if changes is not None else {"state": [before, to]},
                context=context or {},
            )
    if moved:
        batch.state = to
        for key, value in fields.items():
            setattr(batch, key, value)
    return bool(moved)


def _progress_for(batch: ImportBatch) -> Progress:
    def progress(phase: str, value: int) -> None:
        # Progress only; the state is set_import_state's.
        ImportBatch.objects.filter(pk=batch.pk).update(phase=phase, progress=value)

    return progress


def _check_upload(name: str, size: int) -> str:
    """The file's format, or a ``RegistryError`` on the ``file`` field; before reading it."""
    try:
        fmt = file_format(name)
    except TableError as error:
        raise RegistryError(
            error.code, file_message(error.code, **error.params), field="file"
        ) from error
    if size > settings.ZHIZAO_IMPORT_MAX_BYTES:
        raise RegistryError(
            "file_too_large",
            file_message(
                "file_too_large", max_mb=settings.ZHIZAO_IMPORT_MAX_BYTES // (1024 * 1024)
            ),
            field="file",
        )
    if not size:
        raise RegistryError("file_empty", file_message("file_empty"), field="file")
    return fmt


def create_batch(
    actor: Actor, *, name: str, data: bytes, skip_invalid: bool = False
) -> ImportBatch:
    """Store an uploaded file as an ``uploaded`` batch (audited). ``start_import`` also checks
    it; call that from interfaces."""
    fmt = _check_upload(name, len(data))
    with transaction.atomic():
        batch = ImportBatch(
            created_by=actor.user if actor.user_id else None,
            acting_organization_id=actor.organization_id,
            original_name=name[:255],
            file_format=fmt,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
            skip_invalid=skip_invalid,
        )
        batch.file.save(f"{batch.pk}.{fmt}", ContentFile(data), save=False)
        batch.save()
        record(actor, AuditAction.CREATE, batch, changes={"file": [None, name]})
    return batch


def start_import(actor: Actor, *, file: Any, skip_invalid: bool = False) -> ImportBatch:
    """An uploaded ``file`` (``.name``, ``.size``, ``.read()``) becomes a batch that is checked
    at once when small (``ZHIZAO_IMPORT_INLINE_BYTES``) or by a worker after commit. Refuses an
    unknown format, an empty or too large file with a ``RegistryError`` on ``file`` before
    reading it. Returns the batch as stored."""
    _check_upload(file.name or "", file.size or 0)
    batch = create_batch(actor, name=file.name, data=file.read(), skip_invalid=skip_invalid)
    if batch.size_bytes <= settings.ZHIZAO_IMPORT_INLINE_BYTES:
        run_import_check(batch)
    else:
        enqueue_after_commit(CHECK_TASK, str(batch.pk))
    batch.refresh_from_db()
    return batch


def _load_table(batch: ImportBatch) -> Table:
    with batch.file.open("rb") as handle:
        data = handle.read()
    return read_table(data, batch.original_name)


def run_import_check(batch: ImportBatch) -> ImportBatch:
    """Validate the batch's file and store the report. Safe to run again."""
    if not set_import_state(batch, ImportState.VALIDATING, phase="reading", progress=5):
        return batch
    progress = _progress_for(batch)
    try:
        table = _load_table(batch)
    except TableError as error:
        set_import_state(
            batch,
            ImportState.FAILED,
            message=file_message(error.code, **error.params),
            phase="",
            progress=0,
        )
        return batch
    plan = check_table(table, progress=progress)
    stored = [error_dict(e) for e in plan.errors[:MAX_STORED_ERRORS]]
    set_import_state(
        batch,
        ImportState.VALIDATED,
        phase="checked",
        progress=100,
        rows=plan.rows,
        valid=plan.valid,
        error_count=len(plan.errors),
        errors=stored,
        unknown_columns=plan.unknown_columns,
        created=len(plan.create),
        updated=len(plan.update),
        unchanged=len(plan.unchanged),
        name_changes=len(plan.name_changes),
        message="",
    )
    return batch


def import_errors(batch: ImportBatch) -> list[CellError]:
    """Every problem of the batch's file (the batch stores at most ``MAX_STORED_ERRORS``);
    ``TableError`` when the file is gone or unreadable."""
    return check_table(_load_table(batch)).errors


def commit_import(actor: Actor, batch: ImportBatch, *, skip_invalid: bool) -> ImportBatch:
    """The operator confirms a checked batch: it is queued (audited) and then written inline
    when small (``ZHIZAO_IMPORT_INLINE_ROWS``) or by a worker after commit. Returns the batch
    as stored: ``committed``, ``failed`` or still ``queued``.

    Refuses with a ``RegistryError``: ``import_nothing_valid``, ``import_has_errors`` (unless
    ``skip_invalid``), ``import_not_ready`` (not checked, or a second click) — and then changes
    nothing."""
    if batch.state == ImportState.VALIDATED and batch.valid == 0:
        raise RegistryError("import_nothing_valid", _("No row of this file is valid."))
    if batch.state == ImportState.VALIDATED and batch.error_count and not skip_invalid:
        raise RegistryError(
            "import_has_errors",
            _(
                "The file has %(n)d errors. Fix the file and upload it again, or import only the "
                "valid rows."
            )
            % {"n": batch.error_count},
        )
    with transaction.atomic():
        queued = set_import_state(
            batch,
            ImportState.QUEUED,
            expected={ImportState.VALIDATED},
            actor=actor,
            changes={"state": ["validated", "queued"]},
            context={"skip_invalid": skip_invalid},
            skip_invalid=skip_invalid,
            phase="queued",
            progress=0,
        )
        if not queued:
            batch.refresh_from_db()
            raise RegistryError(
                "import_not_ready", render_error("import_not_ready", {"state": batch.state})
            )
        inline = batch.valid <= settings.ZHIZAO_IMPORT_INLINE_ROWS
        if not inline:
            enqueue_after_commit(COMMIT_TASK, str(batch.pk))
    if inline:
        run_import_commit(batch, actor)
    batch.refresh_from_db()
    return batch


def run_import_commit(batch: ImportBatch, actor: Actor | None = None) -> ImportBatch:
    """Re-read and re-check the file (the registry may have changed since the check), then
    write it in one transaction. Safe to run again after a crash: the transaction either
    committed together with the batch state, or left nothing."""
    actor = actor or actor_for_batch(batch)
    batch.refresh_from_db()
    if batch.state == ImportState.QUEUED:
        if not set_import_state(
            batch,
            ImportState.COMMITTING,
            expected={ImportState.QUEUED},
            phase="reading",
            progress=5,
        ):
            return batch
    elif batch.state != ImportState.COMMITTING:
        return batch
    progress = _progress_for(batch)
    try:
        table = _load_table(batch)
    except TableError as error:
        set_import_state(
            batch, ImportState.FAILED, message=file_message(error.code, **error.params)
        )
        return batch
    plan = check_table(table, progress=progress)
    if plan.errors and not batch.skip_invalid:
        set_import_state(
            batch,
            ImportState.FAILED,
            error_count=len(plan.errors),
            errors=[error_dict(e) for e in plan.errors[:MAX_STORED_ERRORS]],
            message=_("The file has errors now; nothing was imported."),
        )
        return batch
    progress("writing", 80)
    apply_plan(actor, plan, batch=batch, skip_invalid=batch.skip_invalid)
    batch.refresh_from_db()
    return batch


def cancel_import(actor: Actor, batch: ImportBatch) -> bool:
    """Cancel an uploaded or checked batch (audited); False when it had moved on already."""
    return set_import_state(
        batch,
        ImportState.CANCELLED,
        expected={ImportState.VALIDATED, ImportState.UPLOADED},
        actor=actor,
        changes={"state": [str(batch.state), "cancelled"]},
    )


def actor_for_batch(batch: ImportBatch) -> Actor:
    org = batch.acting_organization
    membership_role = ""
    if batch.created_by_id and org is not None:
        membership = batch.created_by.memberships.filter(organization=org).first()
        membership_role = membership.role if membership else ""
    return Actor(
        user=batch.created_by,
        organization_id=org.pk if org else None,
        organization_name=org.name if org else "",
        role=membership_role,
        extra={"via": "task"},
    )


def fail_lost_import(batch_id: str) -> None:
    """The worker running the batch was lost for good: the page shows it failed."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is not None:
        set_import_state(
            batch,
            ImportState.FAILED,
            expected={ImportState.QUEUED, ImportState.COMMITTING, ImportState.VALIDATING},
            message=_("The import was interrupted; nothing was written. Upload the file again."),
        )


def purge_import_files(*, days: int = 7) -> int:
    """Uploaded files of finished batches are kept a week for re-checks and error reports, then
    deleted. Returns how many were deleted."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    purged = 0
    for batch in ImportBatch.objects.filter(
        state__in=IMPORT_FINAL_STATES, created_at__lt=cutoff
    ).exclude(file=""):
        batch.file.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
        purged += 1
    return purged


# --- the command line: the same check and write, without a batch ------------------------------


@dataclass
class FileImport:
    """What ``import_file`` did: the JSON report and whether the run succeeded."""

    report: dict[str, Any]
    ok: bool


def import_file(
    actor: Actor, *, name: str, data: bytes, commit: bool, skip_invalid: bool = False
) -> FileImport:
    """``zhizao registry import``: check a file and, with ``commit``, write it in one
    transaction. Nothing is written when a row is bad unless ``skip_invalid``; an unreadable
    file is a report with one error on row 0."""
    try:
        table = read_table(data, name)
    except TableError as error:
        message = file_message(error.code, **error.params)
        return FileImport(
            report={
                "rows": 0,
                "valid": 0,
                "created": 0,
                "updated": 0,
                "unchanged": 0,
                "name_changes": 0,
                "errors": [{"row": 0, "column": "", "code": error.code, "message": message}],
            },
            ok=False,
        )
    plan = check_table(table)
    if not commit:
        return FileImport(report=report(plan), ok=plan.ok)
    if plan.errors and not skip_invalid:
        return FileImport(
            report=report(plan, counts={"created": 0, "updated": 0, "unchanged": 0}), ok=False
        )
    counts = apply_plan(actor, plan, skip_invalid=skip_invalid)
    return FileImport(report=report(plan, counts=counts), ok=True)


__all__ = [
    "FileImport",
    "ImportPlan",
    "apply_plan",
    "cancel_import",
    "check_table",
    "commit_import",
    "create_batch",
    "fail_lost_import",
    "import_context",
    "import_errors",
    "import_file",
    "name_sort_key",
    "purge_import_files",
    "report",
    "run_import_check",
    "run_import_commit",
    "set_import_state",
    "start_import",
]
