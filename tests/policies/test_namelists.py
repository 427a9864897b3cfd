"""Name lists (名单): drawn from a scan minus the credit exclusions, announced (公示) with
notifications to exactly the listed enterprises, public without contacts, confirmed with one
click by the enterprise and by nobody else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import actor_for
from tests.policies.conftest import login
from tests.policies.scanning import announced_list, run
from zhizao.common.models import AuditEntry, Notification
from zhizao.policies.enums import EntryState, NameListState
from zhizao.policies.errors import PolicyError
from zhizao.policies.models import NameList, NameListEntry
from zhizao.policies.services import namelists
from zhizao.registry.models import Contact

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]


def entry_rows(name_list):
    return [
        (
            e.enterprise.name,
            e.project.name if e.project else None,
            e.amount_yuan,
            e.state,
            e.excluded_reason,
        )
        for e in name_list.entries.select_related("enterprise", "project").order_by(
            "enterprise_id", "id"
        )
    ]


def test_name_list_from_scan_lists_eligible_minus_credit(officer, scan_version, scan_registry):
    scan = run(officer, scan_version)
    name_list = namelists.create_name_list(actor_for(officer), scan)
    assert (name_list.state, name_list.item_version_id) == (NameListState.DRAFT, scan_version.pk)
    assert entry_rows(name_list) == [
        ("无锡恒润精密机械有限公司", "锻压线智能化改造", Decimal("2480000.00"), "listed", ""),
        ("无锡恒达智能装备有限公司", "一号线智能化改造", Decimal("2400000.00"), "listed", ""),
        (
            "无锡瑞丰汽车部件有限公司",
            "总装线智能化改造",
            Decimal("3200000.00"),
            "excluded",
            "失信被执行人：（2025）苏0206执1234号",
        ),
    ]
    # the unknown row (宏图) is not on the list
    assert not name_list.entries.filter(enterprise=scan_registry["c"]).exists()
    entry = AuditEntry.objects.get(context__event="policies.name_list_created")
    assert entry.context["listed"] == 2 and entry.context["excluded_by_credit"] == 1


def test_exclude_entry_with_reason_is_audited(officer, scan_version, scan_registry):
    name_list = namelists.create_name_list(actor_for(officer), run(officer, scan_version))
    entry = name_list.entries.get(enterprise=scan_registry["a"])
    namelists.exclude_entry(actor_for(officer), entry, reason="项目已获省级同类奖补")
    entry.refresh_from_db()
    assert (entry.state, entry.excluded_reason) == ("excluded", "项目已获省级同类奖补")
    audit = AuditEntry.objects.get(context__event="policies.entry_excluded")
    assert audit.changes == {
        "state": ["listed", "excluded"],
        "excluded_reason": ["", "项目已获省级同类奖补"],
    }
    with pytest.raises(PolicyError):
        namelists.exclude_entry(actor_for(officer), entry, reason="again")
    assert NameListEntry.objects.count() == 3  # never deleted


def test_announce_notifies_exactly_the_listed_enterprises(officer, scan_version, scan_registry):
    name_list = announced_list(officer, scan_version)
    assert (name_list.state, name_list.objection_until) == ("announced", dt.date(2026, 7, 8))
    notes = Notification.objects.order_by("recipient_organization_id")
    assert sorted(n.recipient_organization_id for n in notes) == sorted(
        [scan_registry["f"].pk, scan_registry["a"].pk]
    )
    entry = name_list.entries.get(enterprise=scan_registry["f"])
    note = notes.get(recipient_organization=scan_registry["f"])
    assert note.link == reverse("policies:entry_confirm", args=[entry.pk])
    assert note.title == "您已列入“智能化改造设备投资奖补”名单"
    # a second announcement is refused and notifies nobody again
    with pytest.raises(PolicyError) as refused:
        namelists.announce_name_list(actor_for(officer), name_list)
    assert refused.value.code == "list_not_draft"
    assert Notification.objects.count() == 2
    audit = AuditEntry.objects.get(context__event="policies.name_list_announced")
    assert audit.changes == {
        "state": ["draft", "announced"],
        "objection_until": [None, "2026-07-08"],
    }


def test_public_page_shows_names_and_amounts_but_no_contacts(
    client, officer, scan_version, scan_registry
):
    Contact.objects.create(
        organization=scan_registry["a"], name="张建国", phone="13912345678", email="zhang@hengda.cn"
    )
    name_list = announced_list(officer, scan_version)
    response = client.get(reverse("policies:public_name_list", args=[name_list.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "无锡恒润精密机械有限公司",
        "无锡恒达智能装备有限公司",
        "248万元",
        "240万元",
        "智能化改造设备投资奖补",
    ):
        assert shown in page
    for hidden in (
        "张建国",
        "13912345678",
        "zhang@hengda.cn",
        scan_registry["a"].uscc,
        "无锡瑞丰汽车部件有限公司",
        "失信",
    ):
        assert hidden not in page
    listing = client.get(reverse("policies:public_name_lists")).content.decode()
    assert name_list.title in listing


def test_public_page_does_not_show_a_draft(client, officer, scan_version, scan_registry):
    name_list = namelists.create_name_list(actor_for(officer), run(officer, scan_version))
    assert client.get(reverse("policies:public_name_list", args=[name_list.pk])).status_code == 404


def test_enterprise_confirms_with_one_click_and_a_second_click_does_nothing(
    client, officer, enterprise_user, scan_version, scan_registry
):
    name_list = announced_list(officer, scan_version)
    entry = name_list.entries.get(enterprise=scan_registry["f"])
    login(client, enterprise_user)
    url = reverse("policies:entry_confirm", args=[entry.pk])
    page = client.get(url).content.decode()
    assert "248万元" in page and "锻压线智能化改造" in page
    assert client.post(url).status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.confirmed_by) == ("confirmed", enterprise_user)
    confirmed_at = entry.confirmed_at
    assert client.post(url).status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.confirmed_at) == ("confirmed", confirmed_at)
    assert AuditEntry.objects.filter(context__event="policies.entry_confirmed").count() == 1
    mine = client.get(reverse("policies:my_benefits")).content.decode()
    assert "智能化改造设备投资奖补" in mine


def test_other_enterprise_gets_404_and_nothing_changes(
    client, officer, other_enterprise_user, scan_version, scan_registry
):
    name_list = announced_list(officer, scan_version)
    entry = name_list.entries.get(enterprise=scan_registry["f"])
    login(client, other_enterprise_user)
    audits = AuditEntry.objects.count()
    assert client.get(reverse("policies:entry_confirm", args=[entry.pk])).status_code == 404
    assert client.post(reverse("policies:entry_confirm", args=[entry.pk])).status_code == 404
    response = client.post(reverse("policies:entry_decline", args=[entry.pk]), {"reason": "x"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert (entry.state, entry.confirmed_at) == ("listed", None)
    assert AuditEntry.objects.count() == audits


def test_officer_pages_are_404_for_the_enterprise(
    client, officer, enterprise_user, scan_version, scan_registry
):
    name_list = announced_list(officer, scan_version)
    login(client, enterprise_user)
    assert client.get(reverse("policies:name_list_detail", args=[name_list.pk])).status_code == 404
    before = NameList.objects.count()
    assert (
        client.post(reverse("policies:name_list_new", args=[name_list.scan_id])).status_code == 404
    )
    assert NameList.objects.count() == before


def test_decline_with_reason(officer, enterprise_user, scan_version, scan_registry):
    name_list = announced_list(officer, scan_version)
    entry = name_list.entries.get(enterprise=scan_registry["f"])
    namelists.decline_entry(actor_for(enterprise_user), entry, reason="项目已取消")
    entry.refresh_from_db()
    assert (entry.state, entry.excluded_reason) == (EntryState.DECLINED, "项目已取消")
    with pytest.raises(PolicyError):
        namelists.confirm_entry(actor_for(enterprise_user), entry)


def test_officer_creates_and_announces_from_the_pages(client, officer, scan_version, scan_registry):
    scan = run(officer, scan_version)
    login(client, officer)
    response = client.post(reverse("policies:name_list_new", args=[scan.pk]))
    name_list = NameList.objects.get()
    assert response["Location"] == reverse("policies:name_list_detail", args=[name_list.pk])
    page = client.get(response["Location"]).content.decode()
    assert (
        "需补充材料" in page
        and "无锡宏图涂装科技有限公司" in page
        and '<td data-testid="missing-facts">软件投资</td>' in page
        and "project.software_yuan" not in page
    )
    client.post(reverse("policies:name_list_announce", args=[name_list.pk]), {"days": "7"})
    name_list.refresh_from_db()
    assert name_list.state == "announced"
    assert Notification.objects.count() == 2
