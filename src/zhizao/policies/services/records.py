"""Writes for enterprises' recognitions (荣誉资质) and credit records (信用记录)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.common.services import changes_between, snapshot, update_fields
from zhizao.registry.models import Organization

from ..enums import CreditKind, RecognitionLevel, RecognitionTitle
from ..errors import PolicyError
from ..models import CreditRecord, Recognition
from .base import audit

RECOGNITION_FIELDS = ("title", "level", "since", "reference")
CREDIT_FIELDS = ("kind", "description", "start_date", "end_date", "source")


def add_recognition(
    actor: Actor,
    organization: Organization,
    *,
    title: str,
    level: str,
    since: dt.date | None = None,
    reference: str = "",
) -> Recognition:
    if title not in RecognitionTitle.values:
        raise PolicyError("bad_title", _("Choose a recognised title."), field="title")
    if level not in RecognitionLevel.values:
        raise PolicyError(
            "bad_level", _("Level must be national, provincial or city."), field="level"
        )
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if Recognition.objects.filter(organization=organization, title=title, level=level).exists():
            raise PolicyError(
                "duplicate_recognition",
                _("Title: the organisation already holds “%(title)s” at this level.")
                % {"title": RecognitionTitle(title).label},
                field="title",
            )
        recognition = Recognition.objects.create(
            organization=organization,
            title=title,
            level=level,
            since=since,
            reference=(reference or "").strip(),
            created_by=actor.user if actor.user_id else None,
        )
        audit(
            actor,
            "recognition_added",
            organization,
            changes=changes_between(
                {},
                {
                    f"recognition.{k}": v
                    for k, v in snapshot(recognition, RECOGNITION_FIELDS).items()
                },
            ),
            context={"recognition": recognition.pk},
        )
    return recognition


def remove_recognition(actor: Actor, recognition: Recognition) -> None:
    with transaction.atomic():
        audit(
            actor,
            "recognition_removed",
            recognition.organization,
            changes=changes_between(
                {
                    f"recognition.{k}": v
                    for k, v in snapshot(recognition, RECOGNITION_FIELDS).items()
                },
                dict.fromkeys(f"recognition.{k}" for k in RECOGNITION_FIELDS),
            ),
            context={"recognition": recognition.pk},
        )
        recognition.delete()


def add_credit_record(
    actor: Actor,
    organization: Organization,
    *,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    description: str = "",
    source: str = "",
) -> CreditRecord:
    if kind not in CreditKind.values:
        raise PolicyError("bad_kind", _("Choose the kind of credit record."), field="kind")
    if start_date is None:
        raise PolicyError("required", _("Start date is required."), field="start_date")
    _check_end(start_date, end_date)
    with transaction.atomic():
        credit = CreditRecord.objects.create(
            organization=organization,
            kind=kind,
            description=description or "",
            start_date=start_date,
            end_date=end_date,
            source=(source or "").strip(),
            created_by=actor.user if actor.user_id else None,
        )
        audit(
            actor,
            "credit_record_added",
            credit,
            changes=changes_between({}, snapshot(credit, CREDIT_FIELDS)),
            context={"organization": organization.pk},
        )
    return credit


def _check_end(start_date, end_date) -> None:
    if end_date is not None and end_date < start_date:
        raise PolicyError(
            "bad_dates", _("The end date cannot be before the start date."), field="end_date"
        )


def end_credit_record(actor: Actor, credit: CreditRecord, *, end_date: dt.date) -> CreditRecord:
    """A record stops being in force on ``end_date``. Records are never deleted."""
    if end_date is None:
        raise PolicyError("required", _("End date is required."), field="end_date")
    with transaction.atomic():
        locked = CreditRecord.objects.select_for_update().get(pk=credit.pk)
        _check_end(locked.start_date, end_date)
        update_fields(
            actor,
            locked,
            {"end_date": end_date},
            fields=("end_date",),
            event="policies.credit_record_ended",
            context={"organization": locked.organization_id},
        )
    return locked
