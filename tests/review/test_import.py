"""Expert import from csv and xlsx: the preview says what each row would do with errors in
Chinese; the import writes every row in one transaction or nothing; the same file again
changes nothing."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_organization, make_user
from tests.review.test_pages import login
from zhizao.accounts.enums import Role
from zhizao.common.models import AuditEntry
from zhizao.review.models import Expert


def _csv(lines, name="experts.csv"):
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), "text/csv")


def _newcomers():
    org = make_organization(name="评审导入测试大学", kind="university", industry=None)
    make_user("imp-a", role=Role.EXPERT, organization=org, display_name="导入专家甲")
    make_user("imp-b", role=Role.EXPERT, organization=org, display_name="导入专家乙")


GOOD = [
    "登录名,姓名,行业大类,技术领域,关键词,职称,从业年限,每轮最多评审数",
    "imp-a,导入专家甲,34,机器视觉检测,视觉检测,正高级,12,5",
    "imp-b,导入专家乙,,,,副高级,6,",
    "rv-free1,评审测试专家戊,34,机器视觉检测、industrial_robot,机器视觉，工业机器人,,15,3",
]


def test_preview_then_import_then_reimport_changes_nothing(client, rw):
    _newcomers()
    login(client, rw.office)
    url = reverse("review:expert_import")
    before = Expert.objects.count()
    page = client.post(url, {"file": _csv(GOOD), "action": "preview"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "新增 2 人，更新 1 人，无变化 0 人，有错误 0 行。" in text
    assert Expert.objects.count() == before  # a preview writes nothing

    response = client.post(url, {"file": _csv(GOOD), "action": "import"})
    assert response.status_code == 302
    a = Expert.objects.get(membership__user__username="imp-a")
    assert (a.name, a.divisions, a.domains, a.title, a.years_experience, a.max_load) == (
        "导入专家甲",
        ["34"],
        ["machine_vision"],
        "senior",
        12,
        5,
    )
    b = Expert.objects.get(membership__user__username="imp-b")
    assert (b.title, b.years_experience, b.max_load) == ("associate", 6, None)
    assert (
        rw.experts["free1"].__class__.objects.get(pk=rw.experts["free1"].pk).years_experience == 15
    )
    audits = AuditEntry.objects.count()

    again = client.post(url, {"file": _csv(GOOD), "action": "preview"})
    assert "新增 0 人，更新 0 人，无变化 3 人，有错误 0 行。" in again.content.decode()
    assert client.post(url, {"file": _csv(GOOD), "action": "import"}).status_code == 302
    assert AuditEntry.objects.count() == audits
    assert Expert.objects.count() == before + 2


def test_row_errors_in_chinese_and_nothing_written(client, rw):
    _newcomers()
    login(client, rw.office)
    url = reverse("review:expert_import")
    lines = [
        "登录名,姓名,行业大类,从业年限",
        "imp-a,导入专家甲,34,12",
        "nobody-here,某人,34,3",
        "imp-a,导入专家甲,34,12",
        "imp-b,导入专家乙,34,九十",
        "rv-app-x,企业用户,34,3",
    ]
    before = (Expert.objects.count(), AuditEntry.objects.count())
    response = client.post(url, {"file": _csv(lines), "action": "import"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "4 行有错误，未导入任何数据。" in text
    assert "没有使用该登录名的有效专家账号。" in text
    assert "与第 2 行的登录名重复。" in text
    assert "从业年限应为整数。" in text
    assert (Expert.objects.count(), AuditEntry.objects.count()) == before


def test_xlsx_is_read_too(client, rw):
    from openpyxl import Workbook

    _newcomers()
    book = Workbook()
    sheet = book.active
    sheet.append(["登录名", "姓名", "从业年限"])
    sheet.append(["imp-a", "导入专家甲", 9])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("experts.xlsx", data.getvalue())
    login(client, rw.office)
    response = client.post(reverse("review:expert_import"), {"file": upload, "action": "import"})
    assert response.status_code == 302
    assert Expert.objects.get(membership__user__username="imp-a").years_experience == 9


def test_only_operators_import(client, rw):
    _newcomers()
    before = Expert.objects.count()
    for user in (rw.users["free1"], rw.applicant_users[0]):
        login(client, user)
        url = reverse("review:expert_import")
        assert client.get(url).status_code == 404
        assert client.post(url, {"file": _csv(GOOD), "action": "import"}).status_code == 404
    assert Expert.objects.count() == before
