"""Payments (拨付) and the budget's use.

A payment is for a confirmed entry of an announced name list. It never takes the entry past
its amount (what the decision gives) nor the item's or the policy's payments past their
budget. The check and the write happen under a row lock on the policy (``select_for_update``),
so two officers approving at once are serialised: the second re-reads the sums the first
committed and is refused if the budget is gone. Payments are append-only (model + triggers).

The budget's use: ``paid`` (payments), ``committed`` (the amounts of live entries — listed or
confirmed — on announced or final name lists; paid entries are part of it) and ``remaining``
(budget − committed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor, record
from zhizao.common.models import AuditAction
from zhizao_core.policy import half_up

from .. import engine
from ..enums import EntryState, NameListState
from ..errors import PolicyError
from ..models import NameListEntry, Payment, Policy, PolicyItem
from .base import to_decimal

LIVE_ENTRY_STATES = (EntryState.LISTED, EntryState.CONFIRMED)
COMMITTING_LIST_STATES = (NameListState.ANNOUNCED, NameListState.FINAL)
ZERO = Decimal("0.00")


def _sum(qs, field: str) -> Decimal:
    return (qs.aggregate(total=Sum(field))["total"] or ZERO).quantize(Decimal("0.01"))


def _scope(item: PolicyItem | None = None, policy: Policy | None = None) -> dict:
    if item is not None:
        return {"name_list__item_version__item": item}
    return {"name_list__item_version__item__policy": policy}


def budget_use(item: PolicyItem | None = None, *, policy: Policy | None = None) -> dict:
    """Budget, committed, paid and remaining of an item (its own budget, else its policy's,
    counted over the whole policy) or of a policy. Three queries."""
    if item is not None and item.budget_yuan is None:
        policy, item = item.policy, None
    budget = item.budget_yuan if item is not None else policy.budget_yuan
    scope = _scope(item, policy)
    committed = _sum(
        NameListEntry.objects.filter(
            state__in=LIVE_ENTRY_STATES, name_list__state__in=COMMITTING_LIST_STATES, **scope
        ),
        "amount_yuan",
    )
    paid = _sum(
        Payment.objects.filter(**{f"entry__{k}": v for k, v in scope.items()}), "amount_yuan"
    )
    used = max(committed, paid)
    return {
        "scope": "item" if item is not None else "policy",
        "budget_yuan": budget,
        "committed_yuan": committed,
        "paid_yuan": paid,
        "remaining_yuan": (budget - used) if budget is not None else None,
        "available_to_pay_yuan": (budget - paid) if budget is not None else None,
        "percent_paid": int(paid * 100 / budget) if budget else None,
        "percent_committed": int(committed * 100 / budget) if budget else None,
    }


def entry_paid(entry: NameListEntry) -> Decimal:
    return _sum(Payment.objects.filter(entry=entry), "amount_yuan")


def payment_stages(entry: NameListEntry) -> list[dict]:
    """The rule's stages (e.g. 30% 开工 / 70% 竣工) with each one's amount for this entry, what
    was paid under it and what is due; one "full amount" stage when the rule has none. The
    last stage takes the remainder, as the engine does."""
    version = entry.name_list.item_version
    rule = engine.check_rule(engine.version_rule_data(version.item, version))
    total_fen = int(entry.amount_yuan * 100)
    lang = engine.language()
    if rule.stages:
        stages = [(s.label.get(lang) or s.label.get("zh") or "", s.share) for s in rule.stages]
    else:
        stages = [(_("Full amount"), Fraction(1))]
    paid_by_stage = dict(
        Payment.objects.filter(entry=entry)
        .values("stage")
        .annotate(total=Sum("amount_yuan"))
        .values_list("stage", "total")
    )
    out = []
    left = total_fen
    for i, (label, share) in enumerate(stages):
        fen = left if i == len(stages) - 1 else half_up(total_fen * share)
        left -= fen
        amount = (Decimal(fen) / 100).quantize(Decimal("0.01"))
        paid = (paid_by_stage.get(label) or ZERO).quantize(Decimal("0.01"))
        out.append(
            {
                "label": label,
                "share": share,
                "percent": f"{(Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(Decimal('0.01')).normalize():f}",
                "amount_yuan": amount,
                "paid_yuan": paid,
                "due_yuan": max(ZERO, amount - paid),
            }
        )
    return out


def next_stage(entry: NameListEntry) -> dict | None:
    """The first stage with something still due (the payment form's prefill)."""
    for stage in payment_stages(entry):
        if stage["due_yuan"] > 0:
            return stage
    return None


def record_payment(
    actor: Actor,
    entry: NameListEntry,
    *,
    amount_yuan,
    stage: str,
    paid_on: dt.date,
    reference: str = "",
) -> Payment:
    """Pay (part of) a confirmed entry. Refused, with nothing written, when the entry is not
    confirmed, or the payment would take the entry past its amount or the item's or policy's
    payments past their budget (checked under a lock on the policy row)."""
    amount = to_decimal(amount_yuan, field="amount_yuan", label=_("Amount"), required=True)
    if amount <= 0:
        raise PolicyError(
            "amount_not_positive", _("The amount must be more than 0."), field="amount_yuan"
        )
    stage = (stage or "").strip()
    if not stage:
        raise PolicyError("required", _("Name the stage of the payment."), field="stage")
    if paid_on is None:
        raise PolicyError("required", _("Payment date is required."), field="paid_on")
    with transaction.atomic():
        entry = NameListEntry.objects.select_related(
            "name_list__item_version__item__policy", "enterprise"
        ).get(pk=entry.pk)
        item = entry.name_list.item_version.item
        # The budget lock: every payment under this policy waits here for the one before.
        policy = Policy.objects.select_for_update().get(pk=item.policy_id)
        entry = NameListEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.state != EntryState.CONFIRMED or entry.name_list.state not in (
            COMMITTING_LIST_STATES
        ):
            raise PolicyError(
                "entry_not_confirmed",
                _("Only entries the enterprise has confirmed can be paid."),
            )
        paid = entry_paid(entry)
        if paid + amount > entry.amount_yuan:
            raise PolicyError(
                "exceeds_entry",
                _(
                    "This payment would exceed the amount granted: %(granted)s yuan granted, "
                    "%(paid)s yuan paid, at most %(left)s yuan left."
                )
                % {"granted": entry.amount_yuan, "paid": paid, "left": entry.amount_yuan - paid},
                field="amount_yuan",
            )
        checks = []
        if item.budget_yuan is not None:
            checks.append((item.budget_yuan, {"entry__name_list__item_version__item": item}))
        if policy.budget_yuan is not None:
            checks.append(
                (policy.budget_yuan, {"entry__name_list__item_version__item__policy": policy})
            )
        for budget, scope in checks:
            spent = _sum(Payment.objects.filter(**scope), "amount_yuan")
            if spent + amount > budget:
                raise PolicyError(
                    "exceeds_budget",
                    _(
                        "This payment would exceed the budget: %(budget)s yuan, %(spent)s yuan "
                        "paid, at most %(left)s yuan left."
                    )
                    % {"budget": budget, "spent": spent, "left": budget - spent},
                    field="amount_yuan",
                )
        payment = Payment.objects.create(
            entry=entry,
            stage=stage[:80],
            amount_yuan=amount,
            paid_on=paid_on,
            reference=(reference or "").strip()[:120],
            created_by=actor.user if actor.user_id else None,
        )
        record(
            actor,
            AuditAction.CREATE,
            payment,
            changes={
                "stage": [None, payment.stage],
                "amount_yuan": [None, str(amount)],
                "paid_on": [None, paid_on.isoformat()],
                "reference": [None, payment.reference],
            },
            context={
                "event": "policies.payment_recorded",
                "entry": entry.pk,
                "enterprise": entry.enterprise_id,
                "item": item.key,
            },
        )
    return payment
