"""Organisation names: no two active organisations share one, and a member's change of the
registered name waits for an operator's review (the organisation keeps its name until then).
Websites are http(s) addresses on every way in."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from tests.api.test_registry_api import api_for
from tests.factories import PASSWORD, actor_for, make_organization
from zhizao.common.audit import Actor
from zhizao.common.models import AuditEntry, Notification
from zhizao.registry.errors import RegistryError
from zhizao.registry.models import NameChangeRequest, Organization
from zhizao.registry.services import organizations as org_services
from zhizao.registry.services.files import Table
from zhizao.registry.services.imports import apply_plan, check_table, report
from zhizao_core.registry.uscc import make_uscc

TAKEN = "名称已被另一家在库机构使用。"
HENGRUN = "无锡恒润精密机械有限公司"
NEW_NAME = "无锡恒润智能装备集团有限公司"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def form_data(org, **changes) -> dict:
    data = {
        "name": org.name,
        "uscc": org.uscc,
        "kind": org.kind,
        "region": org.region_id,
        "industry": org.industry_id or "",
        "size": org.size,
        "founded_year": org.founded_year or "",
        "employees": org.employees if org.employees is not None else "",
        "revenue_wan": org.revenue_wan if org.revenue_wan is not None else "",
        "address": org.address,
        "website": org.website,
        "description": org.description,
        "products_text": "、".join(org.products),
        "capabilities_text": "、".join(org.capabilities),
    }
    data.update(changes)
    return data


def audit_rows():
    return list(AuditEntry.objects.order_by("id").values_list("action", "object_repr", "changes"))


def requests():
    return list(
        NameChangeRequest.objects.order_by("id").values_list(
            "organization_id", "old_name", "new_name", "reason", "state"
        )
    )


# --- one name, one active organisation -------------------------------------------------------


def test_database_refuses_a_second_active_organization_with_the_same_name(factory_org):
    # full-width letters and brackets, spaces and a zero-width space do not make a new name
    assert factory_org.name_key == "无锡恒润精密机械有限公司"
    with pytest.raises(IntegrityError), transaction.atomic():
        make_organization(name="无锡恒润 精密机械有限公司\u200b")
    Organization.objects.filter(pk=factory_org.pk).update(is_active=False)
    archived_twin = make_organization(name=HENGRUN)  # an archived organisation does not count
    assert archived_twin.name_key == factory_org.name_key


def test_create_form_refuses_a_name_another_active_organization_has(client, operator, factory_org):
    login(client, operator)
    count, audit = Organization.objects.count(), audit_rows()
    response = client.post(
        reverse("registry:organization_new"),
        {
            "name": "无锡恒润精密机械有限公司 ",
            "uscc": make_uscc(region="320214", serial=777),
            "kind": "manufacturer",
            "region": "320214",
            "industry": "3421",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [TAKEN]
    assert (Organization.objects.count(), audit_rows()) == (count, audit)


def test_api_create_refuses_a_taken_name_naming_the_field(operator, factory_org):
    count, audit = Organization.objects.count(), audit_rows()
    response = api_for(operator).post(
        "/api/registry/organizations/",
        {
            "name": "無錫恒润精密机械有限公司".replace("無錫", "无锡"),
            "uscc": make_uscc(region="320214", serial=778),
            "kind": "manufacturer",
            "region": "320214",
            "industry": "3421",
        },
        format="json",
    )
    assert (response.status_code, response.json()) == (400, {"name": [TAKEN]})
    assert (Organization.objects.count(), audit_rows()) == (count, audit)


def test_operator_cannot_rename_to_a_government_units_name(client, operator, factory_org, officer):
    login(client, operator)
    audit = audit_rows()
    response = client.post(
        reverse("registry:organization_edit", args=[factory_org.pk]),
        form_data(factory_org, name="无锡市工业和信息化局"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [TAKEN]
    factory_org.refresh_from_db()
    assert (factory_org.name, audit_rows(), requests()) == (HENGRUN, audit, [])


def test_import_refuses_taken_names_and_a_name_repeated_in_the_file(factory_org):
    header = ["名称", "统一社会信用代码", "机构类型", "行政区划代码", "行业代码"]
    new_a, new_b, new_c = (make_uscc(region="320214", serial=n) for n in (801, 802, 803))
    table = Table(
        header=header,
        rows=[
            ["无锡恒润精密机械有限公司", new_a, "制造企业", "320214", "3421"],
            ["无锡新立传感科技有限公司", new_b, "制造企业", "320214", "3421"],
            ["无锡新立传感科技有限公司", new_c, "制造企业", "320214", "3421"],
        ],
    )
    plan = check_table(table)
    assert [(e.row, e.column, e.code) for e in plan.errors] == [
        (1, "名称", "name_taken"),
        (3, "名称", "duplicate_name_in_file"),
    ]
    assert report(plan)["errors"][1]["message"] == (
        "“无锡新立传感科技有限公司”：第 2 行已把这个名称用于另一家机构。"
    )
    assert (plan.valid, [r.record.uscc for r in plan.create]) == (1, [new_b])


def test_restoring_is_refused_while_another_active_organization_has_the_name(
    client, operator, factory_org
):
    org_services.set_organization_active(actor_for(operator), factory_org, active=False)
    make_organization(name=HENGRUN, uscc=make_uscc(region="320214", serial=901))
    login(client, operator)
    audit = audit_rows()
    response = client.post(
        reverse("registry:organization_archive", args=[factory_org.pk]),
        {"action": "restore"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [TAKEN]
    factory_org.refresh_from_db()
    assert (factory_org.is_active, audit_rows()) == (False, audit)


# --- a member's rename is a reviewed change --------------------------------------------------


def test_member_rename_on_the_profile_becomes_a_pending_request(
    client, enterprise_user, factory_org
):
    login(client, enterprise_user)
    response = client.post(
        reverse("registry:organization_edit", args=[factory_org.pk]),
        form_data(
            factory_org,
            name=NEW_NAME,
            employees="450",
            name_change_reason="2026年3月1日完成工商变更登记",
        ),
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "已保存 1 项修改。",
        f"新名称“{NEW_NAME}”等待运营方审核；审核通过前，登记名称保持不变。",
    ]
    factory_org.refresh_from_db()
    assert (factory_org.name, factory_org.employees) == (HENGRUN, 450)
    assert requests() == [
        (factory_org.pk, HENGRUN, NEW_NAME, "2026年3月1日完成工商变更登记", "pending")
    ]
    request = NameChangeRequest.objects.get()
    assert (request.requested_by, request.requester_organization) == (
        enterprise_user,
        factory_org,
    )
    assert [(a, c) for a, _r, c in audit_rows()] == [
        ("create", {"name": [HENGRUN, NEW_NAME]}),
        ("update", {"employees": [None, 450]}),
    ]
    page = client.get(reverse("registry:organization_detail", args=[factory_org.pk]))
    assert page.context["pending_name_change"] == request


def test_member_rename_without_a_reason_changes_nothing(client, enterprise_user, factory_org):
    login(client, enterprise_user)
    response = client.post(
        reverse("registry:organization_edit", args=[factory_org.pk]),
        form_data(factory_org, name=NEW_NAME, employees="450"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name_change_reason"] == [
        "请填写更名原因（供审核的运营人员参考）。"
    ]
    factory_org.refresh_from_db()
    assert (factory_org.name, factory_org.employees, requests(), audit_rows()) == (
        HENGRUN,
        None,
        [],
        [],
    )


def test_member_cannot_request_another_organizations_name(
    client, enterprise_user, factory_org, other_enterprise_user
):
    login(client, enterprise_user)
    response = client.post(
        reverse("registry:organization_edit", args=[factory_org.pk]),
        form_data(factory_org, name="常州天衡注塑模具有限公司", name_change_reason="冒名"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [TAKEN]
    assert (requests(), audit_rows()) == ([], [])


def test_a_new_request_supersedes_the_pending_one(enterprise_user, factory_org):
    actor = actor_for(enterprise_user)
    first = org_services.request_name_change(
        actor, factory_org, new_name="无锡恒润装备有限公司", reason="工商变更"
    )
    org_services.request_name_change(actor, factory_org, new_name=NEW_NAME, reason="再次变更")
    assert [r[2:] for r in requests()] == [
        ("无锡恒润装备有限公司", "工商变更", "superseded"),
        (NEW_NAME, "再次变更", "pending"),
    ]
    first.refresh_from_db()
    assert first.decided_at is not None


@pytest.fixture
def pending(enterprise_user, factory_org) -> NameChangeRequest:
    return org_services.request_name_change(
        actor_for(enterprise_user), factory_org, new_name=NEW_NAME, reason="工商变更登记"
    )


def test_operator_approves_and_the_requester_is_notified(
    client, operator, enterprise_user, factory_org, pending
):
    login(client, operator)
    queue = client.get(reverse("registry:name_change_list"))
    assert list(queue.context["requests"]) == [pending]
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    response = client.post(
        reverse("registry:name_change_decide", args=[pending.pk]), {"action": "approve"}
    )
    assert response.status_code == 302
    factory_org.refresh_from_db()
    pending.refresh_from_db()
    assert (factory_org.name, factory_org.name_key) == (NEW_NAME, NEW_NAME)
    assert (pending.state, pending.decided_by) == ("approved", operator)
    assert list(
        AuditEntry.objects.filter(pk__gt=before)
        .order_by("id")
        .values_list("action", "object_id", "changes")
    ) == [
        ("update", str(factory_org.pk), {"name": [HENGRUN, NEW_NAME]}),
        ("state", str(pending.pk), {"state": ["pending", "approved"]}),
    ]
    note = Notification.objects.get()
    assert (note.recipient_organization, note.recipient_user, note.title, note.body) == (
        factory_org,
        enterprise_user,
        f"名称变更已通过：{NEW_NAME}",
        f"“{HENGRUN}”现登记为“{NEW_NAME}”。",
    )
    assert note.link == reverse("registry:organization_detail", args=[factory_org.pk])


def test_operator_rejects_with_a_reason_and_the_name_stays(
    client, operator, enterprise_user, factory_org, pending
):
    login(client, operator)
    url = reverse("registry:name_change_decide", args=[pending.pk])
    before = AuditEntry.objects.count()
    response = client.post(url, {"action": "reject", "reason": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["请填写驳回更名的原因。"]
    pending.refresh_from_db()
    assert (pending.state, AuditEntry.objects.count(), Notification.objects.count()) == (
        "pending",
        before,
        0,
    )
    client.post(url, {"action": "reject", "reason": "与营业执照不一致"})
    pending.refresh_from_db()
    factory_org.refresh_from_db()
    assert (pending.state, pending.decision_reason, factory_org.name) == (
        "rejected",
        "与营业执照不一致",
        HENGRUN,
    )
    note = Notification.objects.get()
    assert (note.recipient_user, note.title, note.body) == (
        enterprise_user,
        f"名称变更未通过：{NEW_NAME}",
        f"名称仍为“{HENGRUN}”。原因：与营业执照不一致",
    )
    # decided once: a second decision is refused and changes nothing
    audit = audit_rows()
    with pytest.raises(RegistryError) as refused:
        org_services.decide_name_change(actor_for(operator), pending, approve=True)
    assert refused.value.code == "name_change_decided"
    factory_org.refresh_from_db()
    assert (factory_org.name, audit_rows()) == (HENGRUN, audit)


def test_approval_is_refused_when_the_name_was_taken_meanwhile(operator, factory_org, pending):
    make_organization(name=NEW_NAME, uscc=make_uscc(region="320214", serial=902))
    audit = audit_rows()
    with pytest.raises(RegistryError) as refused:
        org_services.decide_name_change(actor_for(operator), pending, approve=True)
    assert (refused.value.code, refused.value.message) == ("name_taken", TAKEN)
    pending.refresh_from_db()
    factory_org.refresh_from_db()
    assert (pending.state, factory_org.name, audit_rows()) == ("pending", HENGRUN, audit)


def test_members_cannot_see_or_decide_the_queue(client, enterprise_user, factory_org, pending):
    login(client, enterprise_user)
    audit = audit_rows()
    assert client.get(reverse("registry:name_change_list")).status_code == 404
    response = client.post(
        reverse("registry:name_change_decide", args=[pending.pk]), {"action": "approve"}
    )
    assert response.status_code == 404
    factory_org.refresh_from_db()
    assert (factory_org.name, requests()[0][4], audit_rows()) == (HENGRUN, "pending", audit)


def test_operator_renames_directly_and_it_is_audited(client, operator, factory_org):
    login(client, operator)
    client.post(
        reverse("registry:organization_edit", args=[factory_org.pk]),
        form_data(factory_org, name=NEW_NAME),
    )
    factory_org.refresh_from_db()
    assert (factory_org.name, requests()) == (NEW_NAME, [])
    assert [(a, c) for a, _r, c in audit_rows()] == [("update", {"name": [HENGRUN, NEW_NAME]})]


def test_api_member_rename_waits_for_review(enterprise_user, factory_org):
    client = api_for(enterprise_user)
    url = f"/api/registry/organizations/{factory_org.pk}/"
    response = client.patch(url, {"name": NEW_NAME}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"name_change_reason": ["请填写更名原因（供审核的运营人员参考）。"]},
    )
    assert (requests(), audit_rows()) == ([], [])
    response = client.patch(
        url, {"name": NEW_NAME, "name_change_reason": "工商变更登记"}, format="json"
    )
    body = response.json()
    request = NameChangeRequest.objects.get()
    assert (response.status_code, body["name"]) == (200, HENGRUN)
    assert body["pending_name_change"] == {
        "id": request.pk,
        "old_name": HENGRUN,
        "new_name": NEW_NAME,
        "reason": "工商变更登记",
        "state": "pending",
        "requested_at": body["pending_name_change"]["requested_at"],
    }
    factory_org.refresh_from_db()
    assert factory_org.name == HENGRUN


def test_import_does_not_rename_it_raises_a_request(operator, factory_org):
    table = Table(
        header=["名称", "统一社会信用代码", "机构类型", "行政区划代码", "行业代码", "从业人数"],
        rows=[[NEW_NAME, factory_org.uscc, "制造企业", "320214", "3421", "300"]],
    )
    plan = check_table(table)
    assert (plan.errors, len(plan.update), report(plan)["name_changes"]) == ([], 1, 1)
    counts = apply_plan(actor_for(operator), plan)
    assert counts == {"created": 0, "updated": 1, "unchanged": 0}
    factory_org.refresh_from_db()
    assert (factory_org.name, factory_org.employees) == (HENGRUN, 300)
    assert requests() == [(factory_org.pk, HENGRUN, NEW_NAME, "导入第 1 行", "pending")]
    request = NameChangeRequest.objects.get()
    assert (request.requested_by, request.requester_organization_id) == (
        operator,
        operator.memberships.get().organization_id,
    )


def test_import_page_reports_renames_and_commit_raises_requests(client, operator, factory_org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhizao.registry.models import ImportBatch

    login(client, operator)
    content = f"名称,统一社会信用代码,机构类型,行政区划代码,行业代码\n{NEW_NAME},{factory_org.uscc},制造企业,320214,3421\n"
    response = client.post(
        reverse("registry:import_new"),
        {"file": SimpleUploadedFile("更名.csv", content.encode(), "text/csv")},
    )
    batch = ImportBatch.objects.get()
    assert (batch.state, batch.error_count, batch.name_changes) == ("validated", 0, 1)
    page = client.get(response.url).content.decode()
    assert (
        "将现有机构改为其他名称的行：1 行。导入不会直接更名，每个新名称都将提交运营方审核。" in page
    )
    client.post(response.url, {"action": "commit"})
    batch.refresh_from_db()
    factory_org.refresh_from_db()
    assert (batch.state, batch.name_changes, factory_org.name) == ("committed", 1, HENGRUN)
    assert requests() == [(factory_org.pk, HENGRUN, NEW_NAME, "导入“更名.csv”第 1 行", "pending")]
    assert NameChangeRequest.objects.get().import_batch == batch


def test_system_actor_request_is_notified_to_the_organization(operator, factory_org):
    request = org_services.request_name_change(
        Actor(), factory_org, new_name=NEW_NAME, reason="导入第 1 行"
    )
    org_services.decide_name_change(actor_for(operator), request, approve=True)
    note = Notification.objects.get()
    assert (note.recipient_organization, note.recipient_user) == (factory_org, None)


# --- websites --------------------------------------------------------------------------------


def test_profile_form_refuses_a_javascript_website(client, enterprise_user, factory_org):
    login(client, enterprise_user)
    for hostile in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x"):
        response = client.post(
            reverse("registry:organization_edit", args=[factory_org.pk]),
            form_data(factory_org, website=hostile),
        )
        assert response.status_code == 400
        # the import's rule and words (field_rules): the same refusal as a spreadsheet cell
        assert response.context["form"].errors["website"] == [
            f"「{hostile.strip()}」不是有效的网址"
        ]
    factory_org.refresh_from_db()
    assert (factory_org.website, audit_rows()) == ("", [])


def test_profile_form_reads_a_bare_domain_as_https(client, enterprise_user, factory_org):
    login(client, enterprise_user)
    client.post(
        reverse("registry:organization_edit", args=[factory_org.pk]),
        form_data(factory_org, website="WWW.Hengrun-Precision.cn/about"),
    )
    factory_org.refresh_from_db()
    assert factory_org.website == "https://www.hengrun-precision.cn/about"


def test_api_refuses_a_javascript_website(enterprise_user, operator, factory_org):
    response = api_for(enterprise_user).patch(
        f"/api/registry/organizations/{factory_org.pk}/",
        {"website": "javascript:alert(1)"},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"website": ["「javascript:alert(1)」不是有效的网址"]},
    )
    count = Organization.objects.count()
    response = api_for(operator).post(
        "/api/registry/organizations/",
        {
            "name": "无锡新立传感科技有限公司",
            "uscc": make_uscc(region="320214", serial=779),
            "kind": "manufacturer",
            "region": "320214",
            "website": "vbscript:msgbox(1)",
        },
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"website": ["「vbscript:msgbox(1)」不是有效的网址"]},
    )
    factory_org.refresh_from_db()
    assert (factory_org.website, Organization.objects.count(), audit_rows()) == ("", count, [])
    response = api_for(enterprise_user).patch(
        f"/api/registry/organizations/{factory_org.pk}/",
        {"website": "https://www.hengrun.cn"},
        format="json",
    )
    assert (response.status_code, response.json()["website"]) == (200, "https://www.hengrun.cn")


def test_a_stored_javascript_website_is_shown_as_text_not_as_a_link(
    client, enterprise_user, factory_org
):
    # a value written before the validator existed
    Organization.objects.filter(pk=factory_org.pk).update(website="javascript:alert(1)")
    login(client, enterprise_user)
    page = client.get(reverse("registry:organization_detail", args=[factory_org.pk]))
    html = page.content.decode()
    assert "javascript:alert(1)" in html
    assert 'href="javascript:' not in html


# --- the migration that filled the names' keys -----------------------------------------------


def test_migration_keys_names_and_grandfathers_existing_twins(factory_org):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("zhizao.registry.migrations.0005_organization_name_key_name_changes")
    twin = make_organization(name="无锡恒润精密机械有限公司（2）")
    with connection.cursor() as cursor:  # the state before the constraint (rolled back)
        cursor.execute("DROP INDEX registry_org_active_name_unique")
    Organization.objects.filter(pk=twin.pk).update(name="无锡恒润精密机械有限公司 ")
    Organization.objects.update(name_key="")
    migration.fill_name_keys(apps, None)
    assert dict(
        Organization.objects.filter(pk__in=[factory_org.pk, twin.pk]).values_list("id", "name_key")
    ) == {factory_org.pk: HENGRUN, twin.pk: f"{HENGRUN}#{twin.pk}"}
