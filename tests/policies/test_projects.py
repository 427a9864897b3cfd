"""我的项目: an enterprise keeps its own projects, loans and documents; nobody else edits them."""

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
from zhizao.policies.models import Loan, Project, ProjectDocument

from .conftest import login

PROJECT_FORM = {
    "name": "焊装车间数字化改造",
    "kind": "digital_transformation",
    "status": "in_progress",
    "region": "320214",
    "start_date": "2026-03-01",
    "completion_date": "2026-12-31",
    "equipment_yuan": "6000000",
    "intelligent_equipment_yuan": "4000000",
    "software_yuan": "1500000",
    "services_yuan": "500000",
    "other_yuan": "",
    "description": "",
}


@pytest.mark.django_db
def test_enterprise_creates_a_project_unknown_stays_unknown(client, enterprise_user, factory_org):
    login(client, enterprise_user)
    response = client.post(reverse("policies:project_new"), PROJECT_FORM)
    project = Project.objects.get()
    assert response["Location"] == reverse("policies:project_detail", args=[project.pk])
    assert (
        project.enterprise,
        project.kind,
        project.status,
        project.region_id,
        project.equipment_yuan,
        project.intelligent_equipment_yuan,
        project.other_yuan,
        project.total_investment_yuan,
        project.created_by,
    ) == (
        factory_org,
        "digital_transformation",
        "in_progress",
        "320214",
        Decimal("6000000.00"),
        Decimal("4000000.00"),
        None,
        None,
        enterprise_user,
    )
    entry = AuditEntry.objects.get(context__event="policies.project_created")
    assert (entry.action, entry.acting_organization_id) == ("create", factory_org.pk)
    assert entry.changes["equipment_yuan"] == [None, "6000000"]
    assert "other_yuan" not in entry.changes


@pytest.mark.django_db
def test_intelligent_equipment_over_equipment_is_refused_naming_the_field(client, enterprise_user):
    login(client, enterprise_user)
    response = client.post(
        reverse("policies:project_new"), {**PROJECT_FORM, "intelligent_equipment_yuan": "7000000"}
    )
    assert response.context["form"].errors == {
        "intelligent_equipment_yuan": ["智能装备投资不能超过设备投资。"]
    }
    response = client.post(
        reverse("policies:project_new"), {**PROJECT_FORM, "completion_date": "2026-01-01"}
    )
    assert response.context["form"].errors == {"completion_date": ["竣工日期不能早于开工日期。"]}
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_negative_amount_is_refused_by_the_service_in_chinese(enterprise_user, project):
    with pytest.raises(services.projects.PolicyError) as refused:
        services.update_project(actor_for(enterprise_user), project, software_yuan="-1")
    assert (refused.value.field, refused.value.message) == ("software_yuan", "软件投资不能为负数。")
    project.refresh_from_db()
    assert project.software_yuan == Decimal("1200000.00")


@pytest.mark.django_db
def test_edit_records_before_and_after(client, enterprise_user, project):
    login(client, enterprise_user)
    form = {
        **PROJECT_FORM,
        "name": project.name,
        "kind": project.kind,
        "status": "completed",
        "region": "",
        "start_date": "",
        "completion_date": "",
        "equipment_yuan": "8000000",
        "intelligent_equipment_yuan": "5000000",
        "software_yuan": "1200000",
        "services_yuan": "300000",
        "other_yuan": "0",
    }
    client.post(reverse("policies:project_edit", args=[project.pk]), form)
    project.refresh_from_db()
    assert project.status == "completed"
    entry = AuditEntry.objects.get(context__event="policies.project_updated")
    assert entry.changes == {"status": ["planned", "completed"]}


@pytest.mark.django_db
def test_another_enterprise_can_neither_see_nor_change_a_project(
    client, other_enterprise_user, project
):
    login(client, other_enterprise_user)
    for name in ("policies:project_detail", "policies:project_edit"):
        assert client.get(reverse(name, args=[project.pk])).status_code == 404
    assert (
        client.post(
            reverse("policies:project_edit", args=[project.pk]), {**PROJECT_FORM, "name": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("policies:loan_add", args=[project.pk]),
            {"lender_name": "某银行", "amount_yuan": "1", "annual_rate": "0.03"},
        ).status_code
        == 404
    )
    assert list(client.get(reverse("policies:project_list")).context["projects"]) == []
    project.refresh_from_db()
    assert (project.name, project.loans.count()) == ("冲压车间自动化产线改造", 0)
    assert AuditEntry.objects.filter(context__event="policies.project_updated").count() == 0


@pytest.mark.django_db
def test_officer_reads_every_project_but_cannot_edit(client, officer, project):
    login(client, officer)
    response = client.get(reverse("policies:project_detail", args=[project.pk]))
    assert (response.context["project"], response.context["can_edit"]) == (project, False)
    assert client.get(reverse("policies:project_edit", args=[project.pk])).status_code == 404
    assert [p.pk for p in client.get(reverse("policies:project_list")).context["projects"]] == [
        project.pk
    ]


@pytest.mark.django_db
def test_loans_are_added_edited_and_removed(client, enterprise_user, project, bank_org):
    login(client, enterprise_user)
    add = reverse("policies:loan_add", args=[project.pk])
    loan_form = {
        "lender": bank_org.pk,
        "lender_name": "",
        "amount_yuan": "5000000",
        "annual_rate": "0.0345",
        "start_date": "2026-01-10",
        "end_date": "2029-01-09",
        "interest_paid_yuan": "",
    }
    assert client.post(add, loan_form)["Location"] == reverse(
        "policies:project_detail", args=[project.pk]
    )
    loan = Loan.objects.get()
    assert (loan.lender, loan.lender_name, loan.amount_yuan, loan.annual_rate) == (
        bank_org,
        "江苏银行股份有限公司无锡分行",
        Decimal("5000000.00"),
        Decimal("0.034500"),
    )
    bad = client.post(add, {**loan_form, "annual_rate": "3.45"})
    assert bad.status_code == 400
    assert bad.context["loan_form"].errors == {
        "annual_rate": ["年利率以小数填写：0.0345 即 3.45%。"]
    }
    bad = client.post(add, {**loan_form, "end_date": "2025-01-01"})
    assert bad.context["loan_form"].errors == {"end_date": ["贷款到期日期不能早于开始日期。"]}
    client.post(
        reverse("policies:loan_edit", args=[loan.pk]), {**loan_form, "interest_paid_yuan": "172500"}
    )
    loan.refresh_from_db()
    assert loan.interest_paid_yuan == Decimal("172500.00")
    assert AuditEntry.objects.get(context__event="policies.loan_updated").changes == {
        "interest_paid_yuan": [None, "172500"]
    }
    client.post(reverse("policies:loan_delete", args=[loan.pk]))
    assert Loan.objects.count() == 0
    removed = AuditEntry.objects.get(context__event="policies.loan_removed")
    assert removed.changes["amount_yuan"] == ["5000000", None]


@pytest.mark.django_db
def test_documents_are_checked_hashed_and_only_for_the_owner(
    client, enterprise_user, other_enterprise_user, project
):
    login(client, enterprise_user)
    url = reverse("policies:document_upload", args=[project.pk])
    refused = client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert refused.context["document_form"].errors == {
        "file": ["材料须为 PDF、图片、Office 文档、文本或 CSV 文件。"]
    }
    client.post(url, {"file": SimpleUploadedFile("可研报告.pdf", b"%PDF report")})
    document = ProjectDocument.objects.get()
    assert (document.name, document.size_bytes, document.sha256, document.uploaded_by) == (
        "可研报告.pdf",
        11,
        hashlib.sha256(b"%PDF report").hexdigest(),
        enterprise_user,
    )
    assert AuditEntry.objects.get(context__event="policies.document_uploaded").context[
        "sha256"
    ] == (document.sha256)
    client.logout()
    login(client, other_enterprise_user)
    assert client.get(reverse("policies:document_download", args=[document.pk])).status_code == 404
    assert client.post(reverse("policies:document_delete", args=[document.pk])).status_code == 404
    assert ProjectDocument.objects.count() == 1


@pytest.mark.django_db
def test_project_list_has_a_constant_query_count(client, enterprise_user, factory_org):
    login(client, enterprise_user)
    url = reverse("policies:project_list")

    def add(n):
        for i in range(n):
            services.create_project(
                actor_for(enterprise_user),
                factory_org,
                name=f"项目{i}",
                kind="green",
                start_date=dt.date(2026, 1, 1),
            )

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
def test_forms_render_in_english_with_their_titles(
    client, officer, enterprise_user, policy, project, bank_org
):
    loan = services.add_loan(
        actor_for(enterprise_user),
        project,
        lender=bank_org,
        amount_yuan="100000",
        annual_rate="0.03",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 1, 1),
    )
    login(client, officer)
    client.cookies["django_language"] = "en"
    titles = {
        reverse("policies:policy_edit", args=[policy.pk]): "<h1>Edit policy</h1>",
        reverse("policies:item_new", args=[policy.pk]): "<h1>New item</h1>",
        reverse("policies:organization_records", args=[project.enterprise_id]): (
            "<h1>Recognitions and credit</h1>"
        ),
    }
    for url, h1 in titles.items():
        assert h1 in client.get(url).content.decode()
    client.logout()
    login(client, enterprise_user)
    client.cookies["django_language"] = "en"
    assert (
        "<h1>Edit loan</h1>"
        in client.get(reverse("policies:loan_edit", args=[loan.pk])).content.decode()
    )
    page = client.get(reverse("policies:project_edit", args=[project.pk])).content.decode()
    assert (
        '<output class="investment-total" data-sum-output="total" '
        'data-incomplete-label="incomplete">¥9.5 million</output>'
    ) in page
