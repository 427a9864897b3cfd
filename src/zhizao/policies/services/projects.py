"""Writes for enterprises' transformation projects (智改数转项目), their loans and documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.common.services import changes_between, snapshot, update_fields
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization

from ..enums import ProjectKind, ProjectStatus
from ..errors import PolicyError
from ..models import Loan, Project, ProjectDocument
from .base import DOCUMENT_EXTENSIONS, RATE, audit, read_upload, to_decimal

PROJECT_FIELDS = (
    "name",
    "kind",
    "region",
    "start_date",
    "completion_date",
    "status",
    "equipment_yuan",
    "intelligent_equipment_yuan",
    "software_yuan",
    "services_yuan",
    "other_yuan",
    "description",
)
LOAN_FIELDS = (
    "lender",
    "lender_name",
    "amount_yuan",
    "annual_rate",
    "start_date",
    "end_date",
    "interest_paid_yuan",
)
MAX_RATE = Decimal("1")


def _money_labels() -> dict[str, str]:
    return {
        "equipment_yuan": _("Equipment investment"),
        "intelligent_equipment_yuan": _("Intelligent equipment investment"),
        "software_yuan": _("Software investment"),
        "services_yuan": _("Services investment"),
        "other_yuan": _("Other investment"),
    }


def _check_project(values: dict) -> dict:
    values["name"] = (values.get("name") or "").strip()
    if not values["name"]:
        raise PolicyError("required", _("Project name is required."), field="name")
    if values.get("kind") not in ProjectKind.values:
        raise PolicyError("bad_kind", _("Choose the kind of project."), field="kind")
    if values.get("status") not in ProjectStatus.values:
        raise PolicyError("bad_status", _("Choose the project status."), field="status")
    for name, label in _money_labels().items():
        values[name] = to_decimal(values.get(name), field=name, label=label)
    equipment, intelligent = values["equipment_yuan"], values["intelligent_equipment_yuan"]
    if intelligent is not None and equipment is not None and intelligent > equipment:
        raise PolicyError(
            "intelligent_exceeds_equipment",
            _("Intelligent equipment investment cannot exceed the equipment investment."),
            field="intelligent_equipment_yuan",
        )
    start, done = values.get("start_date"), values.get("completion_date")
    if start is not None and done is not None and done < start:
        raise PolicyError(
            "bad_dates",
            _("The completion date cannot be before the start date."),
            field="completion_date",
        )
    values["description"] = values.get("description") or ""
    return values


def create_project(
    actor: Actor,
    enterprise: Organization,
    *,
    name: str,
    kind: str,
    region=None,
    start_date: dt.date | None = None,
    completion_date: dt.date | None = None,
    status: str = ProjectStatus.PLANNED,
    equipment_yuan=None,
    intelligent_equipment_yuan=None,
    software_yuan=None,
    services_yuan=None,
    other_yuan=None,
    description: str = "",
) -> Project:
    if enterprise.kind != OrganizationKind.MANUFACTURER:
        raise PolicyError("not_manufacturer", _("Only manufacturers record projects."))
    values = _check_project(
        {
            "name": name,
            "kind": kind,
            "region": region,
            "start_date": start_date,
            "completion_date": completion_date,
            "status": status,
            "equipment_yuan": equipment_yuan,
            "intelligent_equipment_yuan": intelligent_equipment_yuan,
            "software_yuan": software_yuan,
            "services_yuan": services_yuan,
            "other_yuan": other_yuan,
            "description": description,
        }
    )
    with transaction.atomic():
        project = Project.objects.create(
            enterprise=enterprise, created_by=actor.user if actor.user_id else None, **values
        )
        audit(
            actor,
            "project_created",
            project,
            changes=changes_between({}, snapshot(project, PROJECT_FIELDS)),
            context={"enterprise": enterprise.pk},
        )
    return project


def update_project(actor: Actor, project: Project, **fields) -> Project:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"not project fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        values = _check_project({**snapshot(locked, PROJECT_FIELDS), **fields})
        update_fields(
            actor, locked, values, fields=PROJECT_FIELDS, event="policies.project_updated"
        )
    return locked


# --- loans ----------------------------------------------------------------------------------


def _check_loan(values: dict) -> dict:
    lender = values.get("lender")
    values["lender_name"] = (values.get("lender_name") or "").strip()
    if lender is not None and not values["lender_name"]:
        values["lender_name"] = lender.name
    if lender is None and not values["lender_name"]:
        raise PolicyError("required", _("Name the lender."), field="lender_name")
    values["amount_yuan"] = to_decimal(
        values.get("amount_yuan"), field="amount_yuan", label=_("Loan amount"), required=True
    )
    if values["amount_yuan"] == 0:
        raise PolicyError("zero_amount", _("Loan amount must be more than 0."), field="amount_yuan")
    values["annual_rate"] = to_decimal(
        values.get("annual_rate"),
        field="annual_rate",
        label=_("Annual rate"),
        required=True,
        places=RATE,
    )
    if values["annual_rate"] > MAX_RATE:
        raise PolicyError(
            "rate_as_fraction",
            _("Annual rate is a fraction: 0.0345 means 3.45 percent."),
            field="annual_rate",
        )
    values["interest_paid_yuan"] = to_decimal(
        values.get("interest_paid_yuan"), field="interest_paid_yuan", label=_("Interest paid")
    )
    if values.get("start_date") is None:
        raise PolicyError("required", _("Loan start date is required."), field="start_date")
    if values.get("end_date") is None:
        raise PolicyError("required", _("Loan end date is required."), field="end_date")
    if values["end_date"] < values["start_date"]:
        raise PolicyError(
            "bad_dates",
            _("The loan end date cannot be before its start date."),
            field="end_date",
        )
    return values


def add_loan(
    actor: Actor,
    project: Project,
    *,
    amount_yuan,
    annual_rate,
    start_date: dt.date,
    end_date: dt.date,
    lender: Organization | None = None,
    lender_name: str = "",
    interest_paid_yuan=None,
) -> Loan:
    values = _check_loan(
        {
            "lender": lender,
            "lender_name": lender_name,
            "amount_yuan": amount_yuan,
            "annual_rate": annual_rate,
            "start_date": start_date,
            "end_date": end_date,
            "interest_paid_yuan": interest_paid_yuan,
        }
    )
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        loan = Loan.objects.create(project=project, **values)
        audit(
            actor,
            "loan_added",
            loan,
            changes=changes_between({}, snapshot(loan, LOAN_FIELDS)),
            context={"project": project.pk},
        )
    return loan


def update_loan(actor: Actor, loan: Loan, **fields) -> Loan:
    unknown = set(fields) - set(LOAN_FIELDS)
    if unknown:
        raise ValueError(f"not loan fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Loan.objects.select_for_update().get(pk=loan.pk)
        values = _check_loan({**snapshot(locked, LOAN_FIELDS), **fields})
        update_fields(
            actor,
            locked,
            values,
            fields=LOAN_FIELDS,
            event="policies.loan_updated",
            context={"project": loan.project_id},
        )
    return locked


def remove_loan(actor: Actor, loan: Loan) -> None:
    with transaction.atomic():
        locked = Loan.objects.select_for_update().get(pk=loan.pk)
        audit(
            actor,
            "loan_removed",
            locked,
            changes=changes_between(snapshot(locked, LOAN_FIELDS), dict.fromkeys(LOAN_FIELDS)),
            context={"project": locked.project_id},
        )
        locked.delete()


# --- documents ------------------------------------------------------------------------------


def upload_document(actor: Actor, project: Project, upload) -> ProjectDocument:
    name, content, sha = read_upload(
        upload,
        extensions=DOCUMENT_EXTENSIONS,
        field="file",
        message=_("Documents must be a PDF, an image, an Office document, a text or a CSV file."),
    )
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        document = ProjectDocument(
            project=project,
            name=name,
            sha256=sha,
            size_bytes=len(content),
            uploaded_by=actor.user if actor.user_id else None,
        )
        document.file.save(name, ContentFile(content), save=False)
        document.save()
        audit(
            actor,
            "document_uploaded",
            project,
            context={"document": document.pk, "file": name, "sha256": sha, "size": len(content)},
        )
    return document


def delete_document(actor: Actor, document: ProjectDocument) -> None:
    with transaction.atomic():
        audit(
            actor,
            "document_deleted",
            document.project,
            context={"document": document.pk, "file": document.name, "sha256": document.sha256},
        )
        file = document.file
        document.delete()
        transaction.on_commit(lambda: file.delete(save=False))
