"""The evaluations API and the editor's draft API: the same services and access as the pages."""

from __future__ import annotations

import copy

import pytest

from tests.api.test_registry_api import api_for
from zhizao.common.models import AuditEntry
from zhizao.policies.models import Decision

from .test_calculator import AS_OF, load_shipped_rules, make_two_projects
from .test_editor import CASE, WUXI_RULE


@pytest.fixture
def shipped(officer):
    return load_shipped_rules(officer)


@pytest.fixture
def two_projects(enterprise_user, factory_org):
    return make_two_projects(enterprise_user, factory_org)


@pytest.mark.django_db
def test_enterprise_evaluates_its_own_items_with_explanations(
    shipped, enterprise_user, factory_org, two_projects
):
    api = api_for(enterprise_user)
    response = api.post(
        "/api/policies/evaluations/",
        {"items": ["wuxi-im-transformation"], "as_of": AS_OF},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["enterprise"], body["as_of"], body["total_yuan"]) == (
        factory_org.uscc,
        AS_OF,
        "2200000.00",
    )
    rows = [
        (r["item"], r["version"], r["project_name"], r["eligible"], r["amount_yuan"], r["missing"])
        for r in body["results"]
    ]
    assert rows == [
        ("wuxi-im-transformation", 1, "冲压车间智能化改造", True, "2200000.00", []),
        (
            "wuxi-im-transformation",
            1,
            "总装线数字化改造",
            "unknown",
            None,
            ["project.software_yuan"],
        ),
    ]
    assert body["results"][1]["missing_facts"] == [
        {
            "key": "project.software_yuan",
            "label": "软件投资",
            "url": f"/policies/projects/{two_projects[1].pk}/edit/",
        }
    ]
    assert body["results"][0]["explanation"][-1] == {
        "step": "result",
        "text": "符合条件，金额 2,200,000.00 元",
    }
    assert Decision.objects.count() == 0  # evaluating records nothing


@pytest.mark.django_db
def test_evaluation_access_and_input_errors(
    shipped, officer, enterprise_user, other_enterprise_user, factory_org, two_projects
):
    other = api_for(other_enterprise_user)
    refused = other.post(
        "/api/policies/evaluations/", {"enterprise": factory_org.uscc}, format="json"
    )
    assert refused.status_code == 404
    staff = api_for(officer)
    missing = staff.post("/api/policies/evaluations/", {}, format="json")
    assert (missing.status_code, missing.json()["field"]) == (400, "enterprise")
    unknown = staff.post(
        "/api/policies/evaluations/",
        {"enterprise": factory_org.uscc, "items": ["no-such-item"]},
        format="json",
    )
    assert (unknown.status_code, unknown.json()["code"], unknown.json()["detail"]) == (
        400,
        "unknown_item",
        "未知或未发布的政策条目：no-such-item",
    )
    ok = staff.post(
        "/api/policies/evaluations/",
        {"enterprise": factory_org.uscc, "items": ["jiangsu-mfg-loan-interest"], "as_of": AS_OF},
        format="json",
    )
    assert [(r["project_name"], r["amount_yuan"]) for r in ok.json()["results"]] == [
        ("冲压车间智能化改造", "0.00"),
        ("总装线数字化改造", "1000000.00"),
    ]


@pytest.mark.django_db
def test_version_with_rule_and_cases_published_only_for_non_staff(
    shipped, enterprise_user, officer
):
    api = api_for(enterprise_user)
    body = api.get("/api/policies/items/wuxi-im-transformation/versions/1/").json()
    assert (
        body["item"],
        body["number"],
        body["state"],
        body["rule"]["id"],
        len(body["test_cases"]),
    ) == (
        "wuxi-im-transformation",
        1,
        "published",
        "wuxi-im-transformation",
        5,
    )
    assert api.get("/api/policies/items/wuxi-im-transformation/versions/2/").status_code == 404
    staff = api_for(officer)
    assert staff.post("/api/policies/items/wuxi-im-transformation/draft/").status_code == 201
    assert (
        staff.get("/api/policies/items/wuxi-im-transformation/versions/2/").json()["state"]
        == "draft"
    )
    assert api.get("/api/policies/items/wuxi-im-transformation/versions/2/").status_code == 404


@pytest.mark.django_db
def test_draft_put_run_and_publish(officer, enterprise_user, item):
    staff = api_for(officer)
    url = f"/api/policies/items/{item.key}/draft/"
    bad = copy.deepcopy(WUXI_RULE)
    bad["conditions"]["all"][1]["op"] = "gt"
    refused = staff.put(url, {"rule": bad, "test_cases": [CASE]}, format="json")
    assert refused.status_code == 400
    assert refused.json()["problems"] == [
        {
            "path": "conditions.all[1].op",
            "code": "bad_op",
            "message": "conditions.all[1].op: 运算“gt”不适用于该事实，可用：eq, in, ne, not_in",
        }
    ]
    assert item.versions.get().rule == {}
    saved = staff.put(url, {"rule": WUXI_RULE, "test_cases": [CASE]}, format="json")
    assert (saved.status_code, saved.json()["rule"], saved.json()["test_cases"]) == (
        200,
        WUXI_RULE,
        [CASE],
    )
    failing = copy.deepcopy(CASE)
    failing["expect"][0]["amount_yuan"] = "1.00"
    staff.put(url, {"rule": WUXI_RULE, "test_cases": [CASE, failing]}, format="json")
    run = staff.post(url + "run-cases/").json()
    assert (run["passed"], [c["passed"] for c in run["cases"]], run["cases"][1]["problems"]) == (
        False,
        [True, False],
        ["p1 amount_yuan: expected '1.00', got '2200000.00'"],
    )
    refused = staff.post(url + "publish/")
    assert (refused.status_code, refused.json()["code"]) == (400, "cases_fail")
    assert item.versions.get().state == "draft"
    staff.put(url, {"rule": WUXI_RULE, "test_cases": [CASE]}, format="json")
    published = staff.post(url + "publish/")
    assert (published.status_code, published.json()["state"], published.json()["number"]) == (
        200,
        "published",
        1,
    )
    assert AuditEntry.objects.filter(context__event="policies.version_published").count() == 1
    # an enterprise can do none of it
    other = api_for(enterprise_user)
    assert other.put(url, {"rule": WUXI_RULE}, format="json").status_code == 404
    assert other.post(url).status_code == 404
    assert other.post(url + "publish/").status_code == 404
    assert item.versions.count() == 1
