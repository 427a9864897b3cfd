"""Input the API refuses with 400 naming what is wrong — never a server error: bodies that are
JSON but not objects, query values that are not integers, booleans sent as form fields."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.test_registry_api import api_for
from tests.factories import actor_for
from zhizao.common.models import AuditEntry
from zhizao.matchmaking.services import create_demand
from zhizao.policies.models import Payment, Policy, Scan
from zhizao.registry.models import ImportBatch, Organization
from zhizao_core.registry.uscc import make_uscc

pytestmark = pytest.mark.django_db

NOT_AN_OBJECT = {
    "code": "not_an_object",
    "detail": "请求体必须是 JSON 对象。",
    "field": None,
}


@pytest.mark.parametrize("body", ["[]", "[1]", "1.5", '"x"', "null"])
@pytest.mark.parametrize(
    "method,path",
    [
        ("post", "/api/policies/policies/"),
        ("post", "/api/policies/scans/"),
        ("post", "/api/policies/payments/"),
        ("post", "/api/policies/evaluations/"),
        ("post", "/api/matchmaking/introductions/"),
    ],
)
def test_a_json_body_that_is_not_an_object_is_refused(officer, method, path, body):
    response = getattr(api_for(officer), method)(path, body, content_type="application/json")
    assert (response.status_code, response.json()) == (400, NOT_AN_OBJECT)
    assert (Policy.objects.count(), Scan.objects.count(), Payment.objects.count()) == (0, 0, 0)
    assert AuditEntry.objects.count() == 0


def test_a_body_that_is_not_an_object_is_said_in_english_too(officer):
    client = api_for(officer)
    response = client.post(
        "/api/policies/policies/", "[1]", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"] == "The request body must be a JSON object."


@pytest.fixture
def demand(enterprise_user, factory_org):
    return create_demand(
        actor_for(enterprise_user),
        factory_org,
        title="注塑件外观缺陷视觉检测",
        category="machine_vision",
        region="320214",
    )


@pytest.mark.parametrize(
    "value,message",
    [
        ("abc", "top: 请填写合法的整数值。"),
        ("1e3", "top: 请填写合法的整数值。"),
        ("2.5", "top: 请填写合法的整数值。"),
        ("99999999999999999999999", "top: 请确保该值小于或者等于 50。"),
        ("0", "top: 请确保该值大于或者等于 1。"),
    ],
)
def test_a_bad_integer_query_value_names_the_parameter(enterprise_user, demand, value, message):
    response = api_for(enterprise_user).get(
        f"/api/matchmaking/demands/{demand.pk}/matches/", {"top": value}
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["detail"], list(body["errors"])) == ("top", message, ["top"])


def test_a_good_integer_query_value_is_used(enterprise_user, demand):
    response = api_for(enterprise_user).get(
        f"/api/matchmaking/demands/{demand.pk}/matches/", {"top": "5"}
    )
    assert (response.status_code, response.json()) == (200, {"results": []})


@pytest.mark.parametrize("value", ["x", "1e3", "-1", "99999999999999999999999"])
def test_payment_filters_must_be_ids(officer, value):
    response = api_for(officer).get("/api/policies/payments/", {"entry": value})
    assert (response.status_code, response.json()["field"]) == (400, "entry")


def _upload_with_one_bad_row(operator) -> dict:
    good = make_uscc(region="320214", serial=8101)
    body = (
        "名称,统一社会信用代码,机构类型,行政区划代码,行业代码\n"
        f"无锡某某机械有限公司,{good},制造企业,320214,3421\n"
        "无锡另一家机械有限公司,91320214MA1XXXXX00,制造企业,320214,3421\n"
    )
    upload = SimpleUploadedFile("orgs.csv", body.encode("utf-8"), content_type="text/csv")
    response = api_for(operator).post(
        "/api/registry/imports/", {"file": upload}, format="multipart"
    )
    batch = response.json()
    assert (batch["state"], batch["valid"], batch["error_count"]) == ("validated", 1, 1)
    return batch


@pytest.mark.parametrize(
    "send",
    [
        {"data": {"skip_invalid": "false"}},  # form-encoded
        {"data": {"skip_invalid": "false"}, "format": "multipart"},
        {"data": {"skip_invalid": False}, "format": "json"},
        {"data": {}, "format": "json"},
    ],
)
def test_import_commit_skip_invalid_false_means_false(operator, send):
    batch = _upload_with_one_bad_row(operator)
    before = Organization.objects.count()
    url = f"/api/registry/imports/{batch['id']}/commit/"
    client = api_for(operator)
    if "format" in send:
        response = client.post(url, send["data"], format=send["format"])
    else:
        response = client.post(
            url, "skip_invalid=false", content_type="application/x-www-form-urlencoded"
        )
    assert (response.status_code, response.json()["code"]) == (409, "import_has_errors")
    assert ImportBatch.objects.get(pk=batch["id"]).state == "validated"
    assert Organization.objects.count() == before


@pytest.mark.parametrize("encoded", ["form", "json"])
def test_import_commit_skip_invalid_true_commits_the_valid_rows(operator, encoded):
    batch = _upload_with_one_bad_row(operator)
    url = f"/api/registry/imports/{batch['id']}/commit/"
    client = api_for(operator)
    if encoded == "form":
        response = client.post(
            url, "skip_invalid=true", content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post(url, {"skip_invalid": True}, format="json")
    assert (response.status_code, response.json()["state"], response.json()["created"]) == (
        200,
        "committed",
        1,
    )


def test_import_commit_refuses_a_skip_invalid_that_is_not_a_boolean(operator):
    batch = _upload_with_one_bad_row(operator)
    response = api_for(operator).post(
        f"/api/registry/imports/{batch['id']}/commit/", {"skip_invalid": "maybe"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"skip_invalid": ["必须是有效的布尔值。"]},
    )
    assert ImportBatch.objects.get(pk=batch["id"]).state == "validated"
