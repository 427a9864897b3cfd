"""Recognitions and credit records: staff maintain them; an enterprise sees its recognitions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import actor_for
from zhizao.common.models import AuditEntry
from zhizao.policies import services
from zhizao.policies.models import CreditRecord, Recognition

from .conftest import login


@pytest.mark.django_db
def test_staff_add_and_remove_recognitions(client, operator, factory_org):
    login(client, operator)
    url = reverse("policies:recognition_add", args=[factory_org.pk])
    form = {
        "title": "专精特新",
        "level": "provincial",
        "since": "2025-06-01",
        "reference": "苏工信",
    }
    client.post(url, form)
    recognition = Recognition.objects.get()
    assert (recognition.organization, recognition.title, recognition.level) == (
        factory_org,
        "专精特新",
        "provincial",
    )
    again = client.post(url, form)
    assert again.context["recognition_form"].errors == {
        "title": ["称号：该单位已有同级别的“专精特新”。"]
    }
    entry = AuditEntry.objects.get(context__event="policies.recognition_added")
    assert entry.changes["recognition.title"] == [None, "专精特新"]
    client.post(reverse("policies:recognition_remove", args=[recognition.pk]))
    assert Recognition.objects.count() == 0
    assert AuditEntry.objects.get(context__event="policies.recognition_removed").changes[
        "recognition.level"
    ] == ["provincial", None]


@pytest.mark.django_db
def test_enterprise_sees_its_recognitions_but_not_credit_and_changes_nothing(
    client, operator, enterprise_user, factory_org
):
    actor = actor_for(operator)
    recognition = services.add_recognition(
        actor, factory_org, title="高新技术企业", level="national"
    )
    services.add_credit_record(actor, factory_org, kind="abnormal", start_date=dt.date(2026, 1, 1))
    login(client, enterprise_user)
    mine = client.get(reverse("policies:my_recognitions"))
    assert list(mine.context["recognitions"]) == [recognition]
    records = reverse("policies:organization_records", args=[factory_org.pk])
    assert client.get(records).status_code == 404
    assert (
        client.post(
            reverse("policies:recognition_add", args=[factory_org.pk]),
            {"title": "5G工厂", "level": "city"},
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("policies:recognition_remove", args=[recognition.pk])).status_code
        == 404
    )
    credit = CreditRecord.objects.get()
    assert (
        client.post(
            reverse("policies:credit_end", args=[credit.pk]), {"end_date": "2026-02-01"}
        ).status_code
        == 404
    )
    assert list(Recognition.objects.values_list("title", flat=True)) == ["高新技术企业"]
    credit.refresh_from_db()
    assert credit.end_date is None


@pytest.mark.django_db
def test_credit_record_is_ended_not_deleted(client, officer, factory_org):
    login(client, officer)
    client.post(
        reverse("policies:credit_add", args=[factory_org.pk]),
        {"kind": "dishonest", "start_date": "2025-05-01", "source": "信用中国"},
    )
    credit = CreditRecord.objects.get()
    refused = client.post(
        reverse("policies:credit_end", args=[credit.pk]), {"end_date": "2025-01-01"}, follow=True
    )
    assert [str(m) for m in refused.context["messages"]][-1] == "结束日期不能早于开始日期。"
    client.post(reverse("policies:credit_end", args=[credit.pk]), {"end_date": "2026-01-31"})
    credit.refresh_from_db()
    assert (credit.kind, credit.source, credit.end_date) == (
        "dishonest",
        "信用中国",
        dt.date(2026, 1, 31),
    )
    assert AuditEntry.objects.get(context__event="policies.credit_record_ended").changes == {
        "end_date": [None, "2026-01-31"]
    }
