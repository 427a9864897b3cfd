"""Registry pages: filters in Chinese, exports of exactly what is filtered, permissions, history."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_organization
from zhizao.common.models import AuditEntry
from zhizao.registry.models import Contact, Organization
from zhizao.registry.services.organizations import refresh_derived_fields


def hengrun_with_products() -> Organization:
    """恒润 with its products; when the test's enterprise user already brought 恒润 (the
    ``factory_org``), that organisation gets them: two active organisations never share a name."""
    org = Organization.objects.filter(name="无锡恒润精密机械有限公司", is_active=True).first()
    if org is None:
        return make_organization(
            name="无锡恒润精密机械有限公司",
            region="320214",
            industry="3421",
            products=["数控车床", "加工中心"],
            size="medium",
            employees=420,
        )
    org.products, org.size, org.employees = ["数控车床", "加工中心"], "medium", 420
    refresh_derived_fields(org)
    org.save()
    return org


@pytest.fixture
def registry(db):
    return {
        "hengrun": hengrun_with_products(),
        "zhiyun": make_organization(
            name="昆山智云工业软件有限公司",
            kind="provider",
            region="320583",
            industry="6513",
            capabilities=["MES", "机器视觉检测"],
            size="small",
            employees=80,
        ),
        "xinda": make_organization(
            name="杭州鑫达电子材料有限公司",
            region="330106",
            industry="3985",
            products=["覆铜板"],
            size="large",
            employees=1500,
        ),
    }


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def names(response):
    return [org.name for org in response.context["organizations"]]


@pytest.mark.django_db
def test_registry_search_finds_chinese_words_in_products_and_capabilities(
    client, operator, registry
):
    login(client, operator)
    assert names(client.get(reverse("registry:organization_list"), {"q": "数控"})) == [
        "无锡恒润精密机械有限公司"
    ]
    assert names(client.get(reverse("registry:organization_list"), {"q": "机器视觉"})) == [
        "昆山智云工业软件有限公司"
    ]
    assert names(client.get(reverse("registry:organization_list"), {"q": "鑫达 覆铜板"})) == [
        "杭州鑫达电子材料有限公司"
    ]
    assert names(client.get(reverse("registry:organization_list"), {"q": "鑫达 数控"})) == []


@pytest.mark.django_db
def test_registry_filters_by_region_levels_industry_kind_size(client, operator, registry):
    login(client, operator)
    url = reverse("registry:organization_list")
    assert sorted(names(client.get(url, {"province": "320000"}))) == sorted(
        ["无锡恒润精密机械有限公司", "昆山智云工业软件有限公司"]
    )
    assert names(client.get(url, {"province": "320000", "city": "320200"})) == [
        "无锡恒润精密机械有限公司"
    ]
    # A city left over from another province is ignored, not applied.
    assert sorted(names(client.get(url, {"province": "330000", "city": "320200"}))) == [
        "杭州鑫达电子材料有限公司"
    ]
    assert names(client.get(url, {"division": "34"})) == ["无锡恒润精密机械有限公司"]
    assert names(client.get(url, {"division": "39", "group": "398", "industry_class": "3985"})) == [
        "杭州鑫达电子材料有限公司"
    ]
    assert names(client.get(url, {"kind": "provider"})) == ["昆山智云工业软件有限公司"]
    assert names(client.get(url, {"size": "large"})) == ["杭州鑫达电子材料有限公司"]
    assert names(client.get(url, {"sort": "-employees"})) == [
        "杭州鑫达电子材料有限公司",
        "无锡恒润精密机械有限公司",
        "昆山智云工业软件有限公司",
        "江苏省智能制造推进联盟秘书处",
    ]


@pytest.mark.django_db
def test_registry_list_sorts_chinese_names_by_pinyin(client, operator, db):
    for name in ("张家港华邦化工有限公司", "安徽艾科电子有限公司", "常州博瑞机械有限公司"):
        make_organization(name=name)
    login(client, operator)
    listed = names(client.get(reverse("registry:organization_list"), {"sort": "name"}))
    assert listed == [
        "安徽艾科电子有限公司",
        "常州博瑞机械有限公司",
        "江苏省智能制造推进联盟秘书处",
        "张家港华邦化工有限公司",
    ]


@pytest.mark.django_db
def test_registry_list_query_count_is_constant(
    client, operator, registry, django_assert_max_num_queries
):
    login(client, operator)
    url = reverse("registry:organization_list")
    client.get(url)  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url, {"kind": "provider"})
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(one) == len(three)


@pytest.mark.django_db
def test_export_csv_contains_exactly_the_filtered_rows_and_neutralises_formulas(
    client, operator, registry
):
    registry["hengrun"].products = ['=HYPERLINK("http://x")', "加工中心"]
    registry["hengrun"].save()
    login(client, operator)
    response = client.get(
        reverse("registry:organization_export", args=["csv"]), {"province": "320000"}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["名称", "统一社会信用代码", "机构类型"]
    assert sorted(r[0] for r in rows[1:]) == [
        "无锡恒润精密机械有限公司",
        "昆山智云工业软件有限公司",
    ]
    hengrun = next(r for r in rows[1:] if r[0] == "无锡恒润精密机械有限公司")
    assert hengrun[11] == '\'=HYPERLINK("http://x")；加工中心'
    export = AuditEntry.objects.get(action="export")
    assert (export.context["rows"], export.context["format"]) == (2, "csv")


@pytest.mark.django_db
def test_export_xlsx_writes_text_not_formulas_and_hides_contacts_unless_asked(
    client, operator, registry
):
    Contact.objects.create(organization=registry["xinda"], name="李娜", phone="13800001111")
    registry["xinda"].name = "@SUM(A1)杭州鑫达"
    registry["xinda"].save()
    login(client, operator)
    response = client.get(
        reverse("registry:organization_export", args=["xlsx"]),
        {"kind": "manufacturer", "province": "330000"},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 1).value == "@SUM(A1)杭州鑫达"
    assert sheet.cell(2, 1).data_type == "s"
    assert sheet.max_column == 16
    response = client.get(
        reverse("registry:organization_export", args=["xlsx"]),
        {"province": "330000", "contacts": "1"},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [sheet.cell(2, c).value for c in (17, 18)] == ["李娜", "13800001111"]


@pytest.mark.django_db
def test_export_is_refused_to_an_enterprise(client, enterprise_user, registry):
    login(client, enterprise_user)
    response = client.get(reverse("registry:organization_export", args=["csv"]))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="export").count() == 0


@pytest.mark.django_db
def test_contacts_are_masked_for_other_organisations(
    client, other_enterprise_user, enterprise_user, factory_org
):
    Contact.objects.create(
        organization=factory_org, name="张伟", phone="13912345678", email="zhangwei@hengrun.example"
    )
    login(client, other_enterprise_user)
    page = client.get(
        reverse("registry:organization_detail", args=[factory_org.pk])
    ).content.decode()
    assert "13912345678" not in page and "139****5678" in page and "张*" in page
    client.logout()
    login(client, enterprise_user)
    page = client.get(
        reverse("registry:organization_detail", args=[factory_org.pk])
    ).content.decode()
    assert "13912345678" in page


@pytest.mark.django_db
def test_enterprise_edits_own_profile_and_history_shows_before_after(
    client, enterprise_user, factory_org
):
    login(client, enterprise_user)
    url = reverse("registry:organization_edit", args=[factory_org.pk])
    form = client.get(url).context["form"]
    data = {
        k: ("" if v is None else v)
        for k, v in form.initial.items()
        if k not in {"clusters", "chain_nodes"}
    }
    data.update(
        {
            "region": "320214",
            "industry": "3421",
            "employees": "460",
            "products_text": "数控车床、五轴加工中心",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    factory_org.refresh_from_db()
    assert (factory_org.employees, factory_org.products) == (460, ["数控车床", "五轴加工中心"])
    history = client.get(
        reverse("registry:organization_detail", args=[factory_org.pk]), {"tab": "history"}
    )
    entry = history.context["history"][0]
    assert entry.actor_name == "enterprise"
    assert entry.changes["employees"] == [None, 460]
    assert entry.changes["products"] == [[], ["数控车床", "五轴加工中心"]]


@pytest.mark.django_db
def test_enterprise_cannot_edit_another_organisation(client, other_enterprise_user, factory_org):
    login(client, other_enterprise_user)
    url = reverse("registry:organization_edit", args=[factory_org.pk])
    before = Organization.objects.values().get(pk=factory_org.pk)
    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {"name": "被篡改", "uscc": factory_org.uscc, "kind": "manufacturer", "region": "320214"},
    )
    assert response.status_code == 404
    assert Organization.objects.values().get(pk=factory_org.pk) == before
    assert AuditEntry.objects.filter(action="update").count() == 0


@pytest.mark.django_db
def test_history_is_hidden_from_other_organisations(client, other_enterprise_user, factory_org):
    login(client, other_enterprise_user)
    response = client.get(
        reverse("registry:organization_detail", args=[factory_org.pk]), {"tab": "history"}
    )
    assert response.context["tab"] == "profile"
    assert response.context["history"] == []


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client, registry):
    response = client.get(reverse("registry:organization_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_operator_archives_and_restores_an_organisation(client, operator, registry):
    org = registry["xinda"]
    assert client.login(username=operator.username, password=PASSWORD)
    url = reverse("registry:organization_archive", args=[org.pk])
    client.post(url, {"action": "archive"})
    org.refresh_from_db()
    assert org.is_active is False
    assert "杭州鑫达电子材料有限公司" not in names(
        client.get(reverse("registry:organization_list"))
    )
    entry = AuditEntry.objects.get(action="state", object_id=str(org.pk))
    assert entry.changes == {"is_active": [True, False]}
    client.post(url, {"action": "restore"})
    org.refresh_from_db()
    assert org.is_active is True


@pytest.mark.django_db
def test_enterprise_cannot_archive_and_cannot_see_archived(client, enterprise_user, registry):
    org = registry["xinda"]
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    assert (
        client.post(
            reverse("registry:organization_archive", args=[org.pk]), {"action": "archive"}
        ).status_code
        == 404
    )
    org.refresh_from_db()
    assert org.is_active is True
    Organization.objects.filter(pk=org.pk).update(is_active=False)
    assert client.get(reverse("registry:organization_detail", args=[org.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="state").count() == 0
