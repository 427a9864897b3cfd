"""An announced name list (公示) shows what was announced: a later rename of an enterprise, or
an edit of the project, item or policy, does not change the public page or the API."""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from tests.factories import actor_for
from tests.policies.conftest import login
from tests.policies.scanning import announced_list, run
from tests.policies.test_api_scans import api_for
from zhizao.policies.models import NameList, NameListEntry, Policy, PolicyItem, Project
from zhizao.policies.services import namelists
from zhizao.registry.services import organizations as org_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]

COPIES = (
    "announced_name",
    "announced_uscc",
    "announced_region",
    "announced_project",
    "announced_amount_yuan",
)


def copies(name_list):
    return [
        tuple(getattr(e, f) for f in ("state", *COPIES)) for e in name_list.entries.order_by("id")
    ]


def rename_everything(operator, scan_registry):
    """After the announcement: the enterprise takes another organisation's exact name's
    neighbour, the project and the policy are edited."""
    hengda = scan_registry["a"]
    org_services.update_organization(
        actor_for(operator),
        hengda,
        data={"name": "无锡市工业和信息化局直属企业", "region_id": "320214"},
        rename_directly=True,
    )
    Project.objects.filter(pk=scan_registry["projects"]["a1"].pk).update(name="改名后的项目")
    PolicyItem.objects.update(name="改名后的条目")
    Policy.objects.update(title="改名后的政策", issuing_unit="另一单位", doc_number="")


def test_announcing_copies_what_the_public_page_shows(officer, scan_version, scan_registry):
    name_list = announced_list(officer, scan_version)
    a, f = scan_registry["a"], scan_registry["f"]
    assert copies(name_list) == [
        (
            "listed",
            "无锡恒润精密机械有限公司",
            f.uscc,
            "江苏省 无锡市 新吴区",
            "锻压线智能化改造",
            Decimal("2480000.00"),
        ),
        (
            "listed",
            "无锡恒达智能装备有限公司",
            a.uscc,
            "江苏省 无锡市 滨湖区",
            "一号线智能化改造",
            Decimal("2400000.00"),
        ),
        (
            "excluded",
            "无锡瑞丰汽车部件有限公司",
            scan_registry["b"].uscc,
            "江苏省 无锡市 惠山区",
            "总装线智能化改造",
            Decimal("3200000.00"),
        ),
    ]
    assert (
        name_list.announced_item_name,
        name_list.announced_policy_title,
        name_list.announced_doc_number,
        name_list.announced_issuing_unit,
    ) == (
        "智能化改造设备投资奖补",
        "无锡市智能化改造数字化转型专项资金管理办法",
        "锡工信规〔2026〕3号",
        "无锡市工业和信息化局",
    )


def test_a_draft_list_copies_nothing_yet(officer, scan_version, scan_registry):
    name_list = namelists.create_name_list(actor_for(officer), run(officer, scan_version))
    assert {c[1:] for c in copies(name_list)} == {("", "", "", "", None)}


def test_public_page_keeps_the_announced_names_after_a_rename(
    client, officer, operator, scan_version, scan_registry
):
    name_list = announced_list(officer, scan_version)
    rename_everything(operator, scan_registry)
    response = client.get(reverse("policies:public_name_list", args=[name_list.pk]))
    rows = [
        (e.announced_name, e.announced_project, e.announced_amount_yuan)
        for e in response.context["entries"]
    ]
    assert rows == [
        ("无锡恒润精密机械有限公司", "锻压线智能化改造", Decimal("2480000.00")),
        ("无锡恒达智能装备有限公司", "一号线智能化改造", Decimal("2400000.00")),
    ]
    page = response.content.decode()
    for shown in (
        "无锡恒达智能装备有限公司",
        "一号线智能化改造",
        "智能化改造设备投资奖补",
        "无锡市智能化改造数字化转型专项资金管理办法",
        "锡工信规〔2026〕3号",
        "488万元",
    ):
        assert shown in page
    for gone in ("无锡市工业和信息化局直属企业", "改名后的项目", "改名后的条目", "改名后的政策"):
        assert gone not in page
    listing = client.get(reverse("policies:public_name_lists")).content.decode()
    assert "无锡市智能化改造数字化转型专项资金管理办法" in listing
    assert "改名后的政策" not in listing


def test_api_gives_the_announced_copies_and_the_officer_sees_the_new_name(
    client, officer, operator, scan_version, scan_registry
):
    name_list = announced_list(officer, scan_version)
    rename_everything(operator, scan_registry)
    body = api_for(officer).get(f"/api/policies/name-lists/{name_list.pk}/").json()
    a = scan_registry["a"]
    assert body["entries"][1]["enterprise"] == {
        "id": a.pk,
        "name": "无锡恒达智能装备有限公司",
        "uscc": a.uscc,
        "region": "江苏省 无锡市 滨湖区",
    }
    assert body["entries"][1]["project"] == {
        "id": scan_registry["projects"]["a1"].pk,
        "name": "一号线智能化改造",
    }
    login(client, officer)
    page = client.get(reverse("policies:name_list_detail", args=[name_list.pk]))
    html = page.content.decode()
    entry = name_list.entries.get(enterprise=a)
    assert f'data-testid="renamed-{entry.pk}">现登记名称：无锡市工业和信息化局直属企业' in html


def test_draft_list_in_the_api_shows_the_registry_as_it_is(officer, scan_version, scan_registry):
    name_list = namelists.create_name_list(actor_for(officer), run(officer, scan_version))
    body = api_for(officer).get(f"/api/policies/name-lists/{name_list.pk}/").json()
    f = scan_registry["f"]
    assert body["entries"][0]["enterprise"] == {
        "id": f.pk,
        "name": "无锡恒润精密机械有限公司",
        "uscc": f.uscc,
        "region": "江苏省 无锡市 新吴区",
    }


def test_migration_fills_the_copies_of_lists_announced_before_it(
    officer, scan_version, scan_registry
):
    name_list = announced_list(officer, scan_version)
    expected = copies(name_list)
    NameListEntry.objects.update(
        announced_name="",
        announced_uscc="",
        announced_region="",
        announced_project="",
        announced_amount_yuan=None,
    )
    NameList.objects.update(
        announced_item_name="",
        announced_policy_title="",
        announced_doc_number="",
        announced_issuing_unit="",
    )
    draft = namelists.create_name_list(actor_for(officer), run(officer, scan_version))
    migration = import_module("zhizao.policies.migrations.0003_name_list_announced_copies")
    migration.copy_announced(apps, None)
    name_list.refresh_from_db()
    assert copies(name_list) == expected
    assert name_list.announced_policy_title == "无锡市智能化改造数字化转型专项资金管理办法"
    assert {c[1:] for c in copies(draft)} == {("", "", "", "", None)}
