"""Payments (拨付): staged from the rule, never beyond the entry's amount or the budget, append-
only and audited; two officers paying at once cannot overspend (real concurrent transactions,
on PostgreSQL with row locks, on SQLite serialised by its single writer)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from tests.factories import actor_for
from tests.policies.conftest import login, wuxi_rule
from tests.policies.scanning import announced_list, publish_rule
from zhizao.common.models import AuditEntry
from zhizao.policies import services
from zhizao.policies.errors import PolicyError
from zhizao.policies.models import AppendOnlyError, NameListEntry, Payment
from zhizao.policies.services import namelists, payments

pytestmark = pytest.mark.usefixtures("chinese")

PAID_ON = dt.date(2026, 8, 1)


def staged_rule():
    rule = wuxi_rule()
    rule["stages"] = [
        {"label": {"zh": "开工", "en": "start"}, "share": "0.3"},
        {"label": {"zh": "竣工", "en": "completion"}, "share": "0.7"},
    ]
    return rule


@pytest.fixture
def confirmed(officer, item, scan_registry):
    """Both listed entries confirmed: factory_org 2,480,000 and 恒达 2,400,000."""
    scan_version = publish_rule(officer, item, staged_rule())
    name_list = announced_list(officer, scan_version)
    entries = {}
    for key in ("f", "a"):
        entry = name_list.entries.get(enterprise=scan_registry[key])
        entries[key], _changed = namelists.confirm_entry(actor_for(officer), entry)
    return entries


def pay(officer, entry, amount, stage="开工"):
    return payments.record_payment(
        actor_for(officer), entry, amount_yuan=Decimal(amount), stage=stage, paid_on=PAID_ON
    )


@pytest.mark.django_db
def test_stages_come_from_the_rule_30_70(officer, confirmed):
    stages = payments.payment_stages(confirmed["f"])
    assert [(s["label"], s["percent"], s["amount_yuan"], s["due_yuan"]) for s in stages] == [
        ("开工", "30", Decimal("744000.00"), Decimal("744000.00")),
        ("竣工", "70", Decimal("1736000.00"), Decimal("1736000.00")),
    ]
    pay(officer, confirmed["f"], "744000.00", "开工")
    assert payments.next_stage(confirmed["f"])["label"] == "竣工"
    pay(officer, confirmed["f"], "1736000.00", "竣工")
    assert payments.next_stage(confirmed["f"]) is None
    assert payments.entry_paid(confirmed["f"]) == Decimal("2480000.00")
    audit = AuditEntry.objects.filter(context__event="policies.payment_recorded").order_by("id")
    assert [a.changes["amount_yuan"] for a in audit] == [[None, "744000.00"], [None, "1736000.00"]]


@pytest.mark.django_db
def test_payment_over_entry_amount_is_refused_and_nothing_written(officer, confirmed):
    pay(officer, confirmed["f"], "744000.00")
    audits = AuditEntry.objects.count()
    with pytest.raises(PolicyError) as refused:
        pay(officer, confirmed["f"], "1736000.01", "竣工")
    assert refused.value.code == "exceeds_entry"
    assert "1736000.00" in refused.value.message
    assert Payment.objects.count() == 1
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_payment_over_budget_is_refused_and_nothing_written(officer, item, confirmed):
    services.update_item(actor_for(officer), item, budget_yuan=Decimal("3000000"))
    pay(officer, confirmed["f"], "2480000.00")
    with pytest.raises(PolicyError) as refused:
        pay(officer, confirmed["a"], "520000.01")
    assert refused.value.code == "exceeds_budget"
    assert Payment.objects.count() == 1
    pay(officer, confirmed["a"], "520000.00")  # exactly the budget
    item.refresh_from_db()
    use = payments.budget_use(item)
    assert (use["paid_yuan"], use["committed_yuan"], use["remaining_yuan"]) == (
        Decimal("3000000.00"),
        Decimal("4880000.00"),
        Decimal("-1880000.00"),
    )


@pytest.mark.django_db
def test_unconfirmed_entry_cannot_be_paid(officer, item, scan_registry):
    scan_version = publish_rule(officer, item)
    name_list = announced_list(officer, scan_version)
    entry = name_list.entries.get(enterprise=scan_registry["f"])
    with pytest.raises(PolicyError) as refused:
        pay(officer, entry, "100.00")
    assert refused.value.code == "entry_not_confirmed"
    assert Payment.objects.count() == 0


@pytest.mark.django_db
def test_payments_are_append_only(officer, confirmed):
    payment = pay(officer, confirmed["f"], "744000.00")
    payment.amount_yuan = Decimal("1")
    with pytest.raises(AppendOnlyError):
        payment.save()
    with pytest.raises(AppendOnlyError):
        payment.delete()
    assert Payment.objects.get().amount_yuan == Decimal("744000.00")


@pytest.mark.django_db
def test_budget_use_on_policy_and_item_pages(client, officer, item, confirmed):
    pay(officer, confirmed["f"], "744000.00")
    login(client, officer)
    for url in (
        reverse("policies:item_detail", args=[item.key]),
        reverse("policies:policy_detail", args=[item.policy_id]),
    ):
        page = client.get(url).content.decode()
        assert 'data-testid="budget-use"' in page
        assert '<div class="stat-value" data-testid="budget-paid">74.4万元</div>' in page
        assert '<div class="stat-value" data-testid="budget-committed">488万元</div>' in page
        assert '<div class="stat-value" data-testid="budget-remaining">4,512万元</div>' in page


@pytest.mark.django_db
def test_payment_page_prefills_the_next_stage_and_shows_refusals(client, officer, confirmed):
    login(client, officer)
    url = reverse("policies:payment_new", args=[confirmed["f"].pk])
    form = client.get(url).context["form"]
    assert (form.initial["stage"], form.initial["amount_yuan"]) == ("开工", Decimal("744000.00"))
    response = client.post(
        url, {"stage": "开工", "amount_yuan": "2480000.01", "paid_on": "2026-08-01"}
    )
    assert response.status_code == 400
    assert Payment.objects.count() == 0
    response = client.post(
        url,
        {
            "stage": "开工",
            "amount_yuan": "744000",
            "paid_on": "2026-08-01",
            "reference": "锡财拨〔2026〕12号",
        },
    )
    assert response.status_code == 302
    assert Payment.objects.get().reference == "锡财拨〔2026〕12号"


@pytest.mark.django_db
def test_payment_page_is_404_for_an_enterprise(client, enterprise_user, confirmed):
    login(client, enterprise_user)
    url = reverse("policies:payment_new", args=[confirmed["f"].pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"stage": "开工", "amount_yuan": "1", "paid_on": "2026-08-01"}).status_code
        == 404
    )
    assert Payment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_officers_paying_at_once_never_overspend(officer, item, confirmed):
    """Two threads, two database connections, two transactions: each pays an entry that fits
    the 3,000,000 budget alone; together they would not. The test holds both entries locked
    until both transactions are under way, so that without the budget lock both would read
    "nothing paid yet" and both would pay. Exactly one wins."""
    services.update_item(actor_for(officer), item, budget_yuan=Decimal("3000000"))
    started = threading.Barrier(3)
    outcomes: dict[str, str] = {}

    def approve(key: str, amount: str):
        try:
            started.wait(timeout=10)
            for _attempt in range(500):
                try:
                    pay(officer, confirmed[key], amount)
                except OperationalError as error:
                    # SQLite's shared-cache test database answers "table is locked" at once
                    # instead of waiting as a file database does (busy_timeout): wait and
                    # retry — the failed attempt wrote nothing. On PostgreSQL the second
                    # transaction waits on the row lock instead and never gets here.
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
                    time.sleep(0.02)
                    continue
                outcomes[key] = "paid"
                break
        except PolicyError as error:
            outcomes[key] = error.code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=("f", "2480000.00")),
        threading.Thread(target=approve, args=("a", "2400000.00")),
    ]
    with transaction.atomic():
        ids = [confirmed["f"].pk, confirmed["a"].pk]
        list(NameListEntry.objects.select_for_update().filter(pk__in=ids))
        for thread in threads:
            thread.start()
        started.wait(timeout=10)
        time.sleep(0.5)  # both approvals are now inside their transactions, waiting
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["exceeds_budget", "paid"]
    assert Payment.objects.count() == 1
    assert payments.budget_use(item)["paid_yuan"] <= Decimal("3000000")
