"""Payments are append-only (model and database); the investment total knows unknown from 0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from tests.factories import actor_for
from zhizao.policies import services
from zhizao.policies.models import (
    AppendOnlyError,
    Decision,
    NameList,
    NameListEntry,
    Payment,
    Project,
    Scan,
)

from .conftest import wuxi_rule


@pytest.fixture
def payment(officer, item, factory_org):
    version = services.update_item_version(
        actor_for(officer), item.versions.get(), rule=wuxi_rule()
    )
    services.publish_item_version(actor_for(officer), version)
    scan = Scan.objects.create(item_version=version, as_of=dt.date(2026, 6, 30))
    decision = Decision.objects.create(
        item_version=version,
        enterprise=factory_org,
        as_of=dt.date(2026, 6, 30),
        eligible="yes",
        amount_yuan=Decimal("800000"),
        source="scan",
        scan=scan,
    )
    name_list = NameList.objects.create(scan=scan, item_version=version, title="2026年第一批")
    entry = NameListEntry.objects.create(
        name_list=name_list,
        enterprise=factory_org,
        decision=decision,
        amount_yuan=Decimal("800000"),
    )
    return Payment.objects.create(
        entry=entry, stage="开工 30%", amount_yuan=Decimal("240000"), paid_on=dt.date(2026, 7, 15)
    )


@pytest.mark.django_db
def test_payment_model_refuses_update_and_delete(payment):
    payment.amount_yuan = Decimal("1")
    with pytest.raises(AppendOnlyError):
        payment.save()
    with pytest.raises(AppendOnlyError):
        payment.delete()
    assert Payment.objects.get().amount_yuan == Decimal("240000.00")


@pytest.mark.django_db
def test_payment_database_refuses_update_and_delete(payment):
    with pytest.raises(DatabaseError, match="payments are append-only"), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount_yuan=Decimal("1"))
    with pytest.raises(DatabaseError, match="payments are append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM policies_payment")
    assert list(Payment.objects.values_list("stage", "amount_yuan")) == [
        ("开工 30%", Decimal("240000.00"))
    ]


@pytest.mark.django_db
def test_total_investment_is_unknown_while_a_part_is(project):
    assert project.total_investment_yuan == Decimal("9500000.00")
    project.software_yuan = None
    assert project.total_investment_yuan is None
    assert (
        Project(
            equipment_yuan=0, software_yuan=0, services_yuan=0, other_yuan=0
        ).total_investment_yuan
        == 0
    )
