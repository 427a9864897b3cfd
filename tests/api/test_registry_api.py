"""The registry API: token auth, the same filters as the pages, object permissions, imports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.factories import make_api_token, make_organization
from zhizao.common.models import AuditEntry
from zhizao.registry.models import ImportBatch, Organization
from zhizao_core.registry.uscc import make_uscc


def api_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_api_token(user)}")
    return client


@pytest.mark.django_db
def test_api_requires_authentication(client):
    response = APIClient().get("/api/registry/organizations/")
    assert response.status_code == 401


@pytest.mark.django_db
def test_api_list_uses_the_page_filters(operator):
    make_organization(
        name="无锡恒润精密机械有限公司", region="320214", industry="3421", products=["数控车床"]
    )
    make_organization(name="杭州鑫达电子材料有限公司", region="330106", industry="3985")
    response = api_for(operator).get(
        "/api/registry/organizations/", {"q": "数控", "region": "320200"}
    )
    assert response.status_code == 200
    assert response.json()["count"] == 1
    item = response.json()["results"][0]
    assert (item["name"], item["region"], item["region_name"], item["industry"]) == (
        "无锡恒润精密机械有限公司",
        "320214",
        "江苏省 无锡市 新吴区",
        "3421",
    )
    response = api_for(operator).get(
        "/api/registry/organizations/", {"industry": "39", "page_size": 1}
    )
    assert [r["name"] for r in response.json()["results"]] == ["杭州鑫达电子材料有限公司"]


@pytest.mark.django_db
def test_api_patch_own_organization_and_refuse_others(
    enterprise_user, other_enterprise_user, factory_org
):
    response = api_for(enterprise_user).patch(
        f"/api/registry/organizations/{factory_org.pk}/", {"employees": 512}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["employees"] == 512
    before = Organization.objects.values().get(pk=factory_org.pk)
    response = api_for(other_enterprise_user).patch(
        f"/api/registry/organizations/{factory_org.pk}/", {"employees": 1}, format="json"
    )
    assert response.status_code == 404
    assert Organization.objects.values().get(pk=factory_org.pk) == before


@pytest.mark.django_db
def test_api_validation_errors_name_the_field_in_chinese(operator):
    response = api_for(operator).post(
        "/api/registry/organizations/",
        {
            "name": "某公司",
            "uscc": "91350100M000100Y4Z",
            "kind": "manufacturer",
            "region": "320214",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["uscc"]
    assert "校验位" in response.json()["uscc"][0]
    assert Organization.objects.filter(name="某公司").count() == 0


@pytest.mark.django_db
def test_api_contacts_are_masked_for_outsiders(other_enterprise_user, factory_org):
    factory_org.contacts.create(name="张伟", phone="13912345678", email="zw@example.com")
    data = (
        api_for(other_enterprise_user)
        .get(f"/api/registry/organizations/{factory_org.pk}/contacts/")
        .json()
    )
    assert [(c["name"], c["phone"], c["email"]) for c in data] == [
        ("张*", "139****5678", "z***@example.com")
    ]


@pytest.mark.django_db
def test_api_import_upload_check_and_commit(operator, officer):
    uscc = make_uscc(region="320214", serial=8001)
    body = f"名称,统一社会信用代码,机构类型,行政区划代码,行业代码\n无锡某某机械有限公司,{uscc},制造企业,320214,3421\n"
    upload = SimpleUploadedFile("orgs.csv", body.encode("utf-8"), content_type="text/csv")
    denied = api_for(officer).post("/api/registry/imports/", {"file": upload}, format="multipart")
    assert denied.status_code == 404
    assert ImportBatch.objects.count() == 0
    upload.seek(0)
    response = api_for(operator).post(
        "/api/registry/imports/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 201
    batch = response.json()
    assert (batch["state"], batch["rows"], batch["valid"], batch["error_count"]) == (
        "validated",
        1,
        1,
        0,
    )
    response = api_for(operator).post(
        f"/api/registry/imports/{batch['id']}/commit/", {}, format="json"
    )
    assert (response.status_code, response.json()["state"], response.json()["created"]) == (
        200,
        "committed",
        1,
    )
    again = api_for(operator).post(
        f"/api/registry/imports/{batch['id']}/commit/", {}, format="json"
    )
    assert again.status_code == 409
    assert Organization.objects.filter(uscc=uscc).count() == 1
    assert AuditEntry.objects.filter(action="import").count() == 1


@pytest.mark.django_db
def test_openapi_schema_lists_the_registry_operations(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert sorted(p for p in paths if p.startswith("/api/registry/")) == [
        "/api/registry/chains/",
        "/api/registry/chains/{code}/",
        "/api/registry/imports/",
        "/api/registry/imports/{id}/",
        "/api/registry/imports/{id}/commit/",
        "/api/registry/organizations/",
        "/api/registry/organizations/{id}/",
        "/api/registry/organizations/{id}/contacts/",
        "/api/registry/organizations/{id}/history/",
    ]


@pytest.mark.django_db
def test_api_me_lists_memberships_and_the_header_switches_the_acting_one(operator, enterprise_user):
    from zhizao.accounts.models import Membership

    extra = Membership.objects.create(
        user=operator, organization=enterprise_user.memberships.get().organization, role="expert"
    )
    client = api_for(operator)
    # Two memberships and no header: none is acting, and nothing is picked for the caller.
    data = client.get("/api/accounts/me/").json()
    assert [(m["role"], m["acting"]) for m in data["memberships"]] == [
        ("operator", False),
        ("expert", False),
    ]
    data = client.get(
        "/api/accounts/me/", HTTP_X_ZHIZAO_MEMBERSHIP=str(operator.memberships.first().pk)
    ).json()
    assert [(m["role"], m["acting"]) for m in data["memberships"]] == [
        ("operator", True),
        ("expert", False),
    ]
    data = client.get("/api/accounts/me/", HTTP_X_ZHIZAO_MEMBERSHIP=str(extra.pk)).json()
    assert [(m["role"], m["acting"]) for m in data["memberships"]] == [
        ("operator", False),
        ("expert", True),
    ]
    # Acting as an expert, the operator's import API is closed.
    response = client.get(
        "/api/registry/imports/00000000-0000-0000-0000-000000000000/",
        HTTP_X_ZHIZAO_MEMBERSHIP=str(extra.pk),
    )
    assert response.status_code == 404
