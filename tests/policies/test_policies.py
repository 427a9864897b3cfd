"""Policies, items and rule versions: officers write, everyone reads what is published,
published versions never change."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import actor_for
from zhizao.common.models import AuditEntry
from zhizao.policies import services
from zhizao.policies.errors import PolicyError
from zhizao.policies.models import Policy, PolicyItem, PolicyItemVersion

from .conftest import login, wuxi_rule

POLICY_FORM = {
    "title": "江苏省工业企业技术改造综合奖补政策",
    "doc_number": "苏工信规〔2026〕1号",
    "issuing_unit": "江苏省工业和信息化厅",
    "level": "provincial",
    "region": "320000",
    "valid_from": "2026-03-01",
    "valid_to": "2027-12-31",
    "budget_yuan": "200000000",
    "summary": "对技改设备投资给予奖补。",
}


@pytest.mark.django_db
def test_officer_creates_a_policy_with_its_text_and_it_is_audited(client, officer):
    login(client, officer)
    upload = SimpleUploadedFile("政策原文.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(reverse("policies:policy_new"), {**POLICY_FORM, "attachment": upload})
    policy = Policy.objects.get()
    assert response["Location"] == reverse("policies:policy_detail", args=[policy.pk])
    assert (
        policy.title,
        policy.level,
        policy.region_id,
        policy.valid_from,
        policy.budget_yuan,
        policy.state,
        policy.attachment_name,
        policy.created_by,
    ) == (
        "江苏省工业企业技术改造综合奖补政策",
        "provincial",
        "320000",
        dt.date(2026, 3, 1),
        Decimal("200000000.00"),
        "draft",
        "政策原文.pdf",
        officer,
    )
    assert policy.attachment_sha256 == hashlib.sha256(b"%PDF-1.4 test").hexdigest()
    entry = AuditEntry.objects.get(context__event="policies.policy_created")
    assert (entry.action, entry.actor, entry.acting_role) == ("create", officer, "officer")
    assert entry.changes["title"] == [None, "江苏省工业企业技术改造综合奖补政策"]
    assert entry.changes["budget_yuan"] == [None, "200000000"]
    assert entry.changes["attachment_name"] == [None, "政策原文.pdf"]
    download = client.get(reverse("policies:policy_attachment", args=[policy.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"


@pytest.mark.django_db
def test_policy_attachment_type_is_checked_and_the_field_named_in_chinese(client, officer):
    login(client, officer)
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(reverse("policies:policy_new"), {**POLICY_FORM, "attachment": upload})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "attachment": ["政策原文须为 PDF、Word（.docx）或文本文件。"]
    }
    assert Policy.objects.count() == 0


@pytest.mark.django_db
def test_policy_dates_out_of_order_name_the_field(client, officer):
    login(client, officer)
    response = client.post(
        reverse("policies:policy_new"), {**POLICY_FORM, "valid_to": "2025-12-31"}
    )
    assert response.context["form"].errors == {"valid_to": ["“有效期至”不能早于“生效日期”。"]}
    assert Policy.objects.count() == 0
    assert AuditEntry.objects.filter(context__event="policies.policy_created").count() == 0


@pytest.mark.django_db
def test_enterprise_cannot_create_or_edit_policies_and_nothing_changes(
    client, enterprise_user, draft_policy, policy
):
    login(client, enterprise_user)
    assert client.get(reverse("policies:policy_new")).status_code == 404
    assert client.post(reverse("policies:policy_new"), POLICY_FORM).status_code == 404
    edit = reverse("policies:policy_edit", args=[policy.pk])
    assert client.post(edit, {**POLICY_FORM, "title": "改掉"}).status_code == 404
    state = reverse("policies:policy_state", args=[policy.pk])
    assert client.post(state, {"state": "archived"}).status_code == 404
    assert client.post(reverse("policies:item_new", args=[policy.pk]), {}).status_code == 404
    policy.refresh_from_db()
    assert (Policy.objects.count(), policy.title, policy.state) == (
        1,
        "无锡市智能化改造数字化转型专项资金管理办法",
        "published",
    )


@pytest.mark.django_db
def test_drafts_are_for_staff_only(client, officer, enterprise_user, draft_policy):
    login(client, enterprise_user)
    detail = reverse("policies:policy_detail", args=[draft_policy.pk])
    assert client.get(detail).status_code == 404
    listed = client.get(reverse("policies:policy_list"))
    assert list(listed.context["policies"]) == []
    services.publish_policy(actor_for(officer), draft_policy)
    listed = client.get(reverse("policies:policy_list"))
    assert [p.pk for p in listed.context["policies"]] == [draft_policy.pk]
    assert client.get(detail).context["policy"] == draft_policy


@pytest.mark.django_db
def test_policy_list_filters_by_level_region_and_text(client, officer, policy):
    other = services.create_policy(
        actor_for(officer),
        title="苏州市工业互联网专项",
        doc_number="苏工信〔2026〕8号",
        issuing_unit="苏州市工业和信息化局",
        level="city",
        region=None,
        valid_from=dt.date(2026, 2, 1),
    )
    Policy.objects.filter(pk=policy.pk).update(region_id="320200")
    login(client, officer)
    url = reverse("policies:policy_list")

    def titles(**params):
        return [p.title for p in client.get(url, params).context["policies"]]

    assert titles(q="锡工信规") == [policy.title]
    assert titles(q="工业互联网") == [other.title]
    # "Applies in Wuxi": Wuxi's policy, and the one without a regional restriction
    assert titles(region="320200") == [other.title, policy.title]
    assert titles(region="320500") == [other.title]
    assert titles(level="provincial") == []
    assert titles(state="draft") == [other.title]


@pytest.mark.django_db
def test_item_creation_starts_a_draft_rule_and_refuses_a_duplicate_key(client, officer, policy):
    login(client, officer)
    form = {
        "key": "wuxi-im-transformation",
        "name": "智能化改造设备投资奖补",
        "category": "grant",
        "subject": "project",
        "proactive": "on",
        "budget_yuan": "",
    }
    response = client.post(reverse("policies:item_new", args=[policy.pk]), form)
    item = PolicyItem.objects.get()
    assert response["Location"] == reverse("policies:item_detail", args=[item.key])
    assert (item.name, item.category, item.subject, item.proactive, item.state) == (
        "智能化改造设备投资奖补",
        "grant",
        "project",
        True,
        "draft",
    )
    assert item.effective_budget_yuan == Decimal("50000000.00")
    assert list(item.versions.values_list("number", "state", "rule")) == [(1, "draft", {})]
    again = client.post(reverse("policies:item_new", args=[policy.pk]), form)
    assert again.context["form"].errors == {
        "key": ["标识：“wuxi-im-transformation”已被其他条目使用。"]
    }
    assert PolicyItem.objects.count() == 1


@pytest.mark.django_db
def test_publishing_supersedes_and_published_versions_are_immutable(officer, item):
    actor = actor_for(officer)
    v1 = item.versions.get()
    services.update_item_version(actor, v1, rule=wuxi_rule("0.1"), test_cases=[{"n": 1}])
    services.publish_item_version(actor, v1)
    v1.refresh_from_db()
    item.refresh_from_db()
    assert (v1.state, v1.published_by, item.state) == ("published", officer, "published")
    assert item.current_version == v1
    with pytest.raises(PolicyError) as refused:
        services.update_item_version(actor, v1, rule=wuxi_rule("0.5"))
    assert (refused.value.code, refused.value.message) == (
        "version_not_draft",
        "版本 1 已发布，不能再修改；请新建版本。",
    )
    with pytest.raises(PolicyError):
        services.publish_item_version(actor, v1)
    v1.refresh_from_db()
    assert v1.rule == wuxi_rule("0.1")
    # editing a published item: a new draft copying the rule
    v2 = services.create_item_version(actor, item)
    assert (v2.number, v2.state, v2.rule, v2.test_cases) == (
        2,
        "draft",
        wuxi_rule("0.1"),
        [{"n": 1}],
    )
    assert services.create_item_version(actor, item) == v2  # one draft at a time
    services.update_item_version(actor, v2, rule=wuxi_rule("0.2"))
    services.publish_item_version(actor, v2)
    assert list(item.versions.order_by("number").values_list("number", "state")) == [
        (1, "superseded"),
        (2, "published"),
    ]
    entry = AuditEntry.objects.filter(context__event="policies.version_published").first()
    assert entry.changes == {
        "v2.state": ["draft", "published"],
        "v1.state": ["published", "superseded"],
    }


@pytest.mark.django_db
def test_rule_must_be_an_object(officer, item):
    with pytest.raises(PolicyError) as refused:
        services.update_item_version(actor_for(officer), item.versions.get(), rule=["x"])
    assert (refused.value.code, refused.value.field) == ("invalid_rule", "rule")
    assert PolicyItemVersion.objects.get().rule == {}


@pytest.mark.django_db
def test_enterprise_sees_published_versions_only(client, officer, enterprise_user, item):
    login(client, enterprise_user)
    url = reverse("policies:item_detail", args=[item.key])
    assert client.get(url).status_code == 404  # draft item
    v1 = services.update_item_version(actor_for(officer), item.versions.get(), rule=wuxi_rule())
    services.publish_item_version(actor_for(officer), v1)
    services.create_item_version(actor_for(officer), item)
    response = client.get(url)
    assert [(v.number, v.state) for v in response.context["versions"]] == [(1, "published")]
    publish = reverse("policies:version_publish", args=[item.versions.get(number=2).pk])
    assert client.post(publish).status_code == 404
    assert item.versions.get(number=2).state == "draft"


@pytest.mark.django_db
def test_policy_list_has_a_constant_query_count(client, officer):
    login(client, officer)
    url = reverse("policies:policy_list")

    def add(n):
        for _ in range(n):
            p = services.create_policy(
                actor_for(officer),
                title=f"政策{Policy.objects.count()}",
                issuing_unit="无锡市工业和信息化局",
                level="city",
                region=None,
                valid_from=dt.date(2026, 1, 1),
            )
            Policy.objects.filter(pk=p.pk).update(region_id="320200")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(1)
    count()  # the filter options (regions) go into the shared cache on the first page
    one = count()
    add(2)
    assert count() == one


@pytest.mark.django_db
def test_publish_button_runs_the_example_cases_first(client, officer, item):
    version = services.update_item_version(
        actor_for(officer), item.versions.get(), rule=wuxi_rule()
    )
    login(client, officer)
    publish = reverse("policies:version_publish", args=[version.pk])
    client.post(publish)
    assert item.versions.get(number=1).state == "draft"
    assert not AuditEntry.objects.filter(context__event="policies.version_published").exists()
    case = {
        "name": "总投资 3,100 万元",
        "as_of": "2026-06-30",
        "enterprise": {
            "region": "320214",
            "projects": [
                {
                    "id": "p1",
                    "kind": "intelligent_transformation",
                    "equipment_yuan": "20000000",
                    "software_yuan": "6000000",
                    "services_yuan": "3000000",
                    "other_yuan": "2000000",
                }
            ],
        },
        "expect": [{"project": "p1", "eligible": True, "amount_yuan": "1600000.00"}],
    }
    services.update_item_version(actor_for(officer), version, test_cases=[case])
    client.post(publish)
    assert item.versions.get(number=1).state == "published"
