"""Recording what the policy calculator showed (“保存测算结果”): one Decision per item (and
project) with the version it used, so the evidence never changes when the rule does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhizao.common.audit import Actor, record
from zhizao.common.models import AuditAction
from zhizao.registry.models import Organization

from ..calculator import evaluate_organization
from ..enums import DecisionSource
from ..models import Decision


def record_calculator_results(
    actor: Actor, organization: Organization, *, as_of: dt.date, lang: str | None = None
) -> tuple[list[Decision], int]:
    """Evaluate again (never trusting what a page sent) and store every result as a Decision
    (source “calculator”). Idempotent for the day: a result already recorded today with the
    same version, project, date, eligibility and amount is not stored twice (a double click
    stores nothing more). Returns (new decisions, results already recorded)."""
    calculation = evaluate_organization(organization, as_of=as_of, lang=lang)
    with transaction.atomic():
        # one recording per organisation at a time: a double click waits, then finds the rows
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        today = timezone.localdate()
        start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
        existing = set(
            Decision.objects.filter(
                enterprise=organization,
                source=DecisionSource.CALCULATOR,
                as_of=as_of,
                created_at__gte=start,
            ).values_list("item_version_id", "project_id", "eligible", "amount_yuan")
        )
        created, skipped = [], 0
        user = actor.user if actor.user_id else None
        for result in calculation.results:
            outcome = result.outcome
            amount = result.amount_yuan
            key = (
                result.version.pk,
                int(outcome.project) if outcome.project else None,
                outcome.eligible_code,
                amount.quantize(Decimal("0.01")) if amount is not None else None,
            )
            if key in existing:
                skipped += 1
                continue
            existing.add(key)
            created.append(
                Decision(
                    item_version=result.version,
                    enterprise=organization,
                    project_id=key[1],
                    as_of=as_of,
                    eligible=outcome.eligible_code,
                    amount_yuan=key[3],
                    binding_cap=(outcome.binding_cap or {}).get("per", ""),
                    missing=list(outcome.missing),
                    explanation=list(outcome.explanation),
                    source=DecisionSource.CALCULATOR,
                    created_by=user,
                )
            )
        Decision.objects.bulk_create(created)
        if created:
            record(
                actor,
                AuditAction.CREATE,
                organization,
                changes={"decisions": [None, len(created)]},
                context={
                    "event": "policies.decisions_recorded",
                    "source": DecisionSource.CALCULATOR,
                    "as_of": as_of.isoformat(),
                    "decisions": [d.pk for d in created],
                    "versions": sorted({d.item_version_id for d in created}),
                },
            )
    return created, skipped
