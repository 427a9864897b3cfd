"""Importing through the pages: check first, every problem named, commit atomically, once."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import PASSWORD
from zhizao.common.models import AuditEntry
from zhizao.registry.models import ImportBatch, Organization
from zhizao_core.registry.uscc import make_uscc

GOOD = make_uscc(region="320214", serial=9101)
OTHER = make_uscc(region="320583", serial=9102)
BAD = OTHER[:-1] + ("0" if OTHER[-1] != "0" else "1")


def csv_file(rows, name="orgs.csv"):
    lines = ["名称,统一社会信用代码,机构类型,行政区划代码,行业代码"] + [",".join(r) for r in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), "text/csv")


def upload(client, file):
    return client.post(reverse("registry:import_new"), {"file": file})


@pytest.fixture
def operator_client(client, operator):
    assert client.login(username="operator", password=PASSWORD)
    return client


@pytest.mark.django_db
def test_upload_with_bad_rows_shows_each_problem_and_writes_nothing(operator_client):
    response = upload(
        operator_client,
        csv_file(
            [
                ["无锡恒润精密机械有限公司", GOOD, "制造企业", "320214", "3421"],
                ["昆山智云工业软件有限公司", BAD, "服务商", "320583", "6513"],
                ["重复的恒润", GOOD, "制造企业", "320214", "3421"],
            ]
        ),
    )
    batch = ImportBatch.objects.get()
    assert response.url == reverse("registry:import_detail", args=[batch.pk])
    assert (batch.state, batch.rows, batch.valid, batch.error_count) == ("validated", 3, 1, 2)
    assert [(e["row"], e["column"], e["code"]) for e in batch.errors] == [
        (2, "统一社会信用代码", "uscc_check"),
        (3, "统一社会信用代码", "duplicate_in_file"),
    ]
    page = operator_client.get(response.url).content.decode()
    assert batch.errors[1]["message"] == "与第 1 行的统一社会信用代码重复"
    assert "与第 1 行的统一社会信用代码重复" in page
    # the problem's code is kept for scripts, not shown as text
    text = re.sub(r"<[^>]+>", " ", page)
    assert "uscc_check" not in text and "duplicate_in_file" not in text
    assert 'data-code="uscc_check"' in page
    assert Organization.objects.filter(uscc__in=[GOOD, OTHER]).count() == 0

    # Committing everything is refused while rows are bad; nothing is written.
    response = operator_client.post(response.url, {"action": "commit"})
    batch.refresh_from_db()
    assert batch.state == "validated"
    assert Organization.objects.filter(uscc__in=[GOOD, OTHER]).count() == 0


@pytest.mark.django_db
def test_commit_valid_rows_once_even_with_a_second_click(operator_client):
    upload(
        operator_client,
        csv_file(
            [
                ["无锡恒润精密机械有限公司", GOOD, "制造企业", "320214", "3421"],
                ["昆山智云工业软件有限公司", BAD, "服务商", "320583", "6513"],
            ]
        ),
    )
    batch = ImportBatch.objects.get()
    url = reverse("registry:import_detail", args=[batch.pk])
    operator_client.post(url, {"action": "commit_valid"})
    operator_client.post(url, {"action": "commit_valid"})  # the double click
    batch.refresh_from_db()
    assert (batch.state, batch.created, batch.updated, batch.unchanged) == ("committed", 1, 0, 0)
    assert list(
        Organization.objects.filter(uscc__in=[GOOD, OTHER]).values_list("uscc", flat=True)
    ) == [GOOD]
    assert AuditEntry.objects.filter(action="import", object_id=str(batch.pk)).count() == 1


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(operator_client):
    rows = [["无锡恒润精密机械有限公司", GOOD, "制造企业", "320214", "3421"]]
    for _ in range(2):
        upload(operator_client, csv_file(rows))
        batch = ImportBatch.objects.order_by("-created_at").first()
        operator_client.post(
            reverse("registry:import_detail", args=[batch.pk]), {"action": "commit"}
        )
    first, second = ImportBatch.objects.order_by("created_at")
    assert (first.created, first.unchanged) == (1, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)


def _zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "工作簿设有密码保护"),
        (_zip_bytes({"xl/workbook.xml": b"<x/>", "xl/bomb.xml": b"0" * 30_000_000}), "压缩比为"),
        (b"this is not a workbook", "无法作为 Excel 工作簿读取"),
        (_zip_bytes({"xl/workbook.xml": b"<broken"}), "无法作为 Excel 工作簿读取"),
    ],
)
def test_malformed_encrypted_or_bomb_xlsx_fails_with_a_clear_message(
    operator_client, data, expected
):
    upload(operator_client, SimpleUploadedFile("机构.xlsx", data))
    batch = ImportBatch.objects.get()
    assert batch.state == "failed"
    assert expected in batch.message
    assert Organization.objects.count() == 1  # only the operator's own organisation


@pytest.mark.django_db
def test_oversized_upload_is_refused_before_parsing(operator_client, settings):
    settings.ZHIZAO_IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(operator_client, SimpleUploadedFile("big.csv", b"x" * (1024 * 1024 + 1)))
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["文件超过 1 MB。"]
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_import_pages_are_refused_to_non_operators(client, officer):
    assert client.login(username="officer", password=PASSWORD)
    assert client.get(reverse("registry:import_new")).status_code == 404
    response = upload(
        client, csv_file([["无锡恒润精密机械有限公司", GOOD, "制造企业", "320214", "3421"]])
    )
    assert response.status_code == 404
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_template_download_has_every_column(operator_client):
    import openpyxl

    response = operator_client.get(reverse("registry:import_template", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["名称*", "统一社会信用代码*", "机构类型*", "行政区划代码*", "行业代码"]
    assert len(header) == 19
