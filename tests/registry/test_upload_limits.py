"""Each refusal of an xlsx upload names the limit that was exceeded, with the file's figure and
the limit: the number of parts, the unpacked size, or the compression ratio of one part."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from zhizao.registry.errors import file_message
from zhizao.registry.models import ImportBatch, Organization
from zhizao.registry.services.files import TableError, max_unpacked_bytes, read_table


def zip_bytes(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refusal(data: bytes) -> tuple[str, dict, str]:
    with pytest.raises(TableError) as caught:
        read_table(data, "机构.xlsx")
    with translation.override("zh-hans"):
        message = file_message(caught.value.code, **caught.value.params)
    return caught.value.code, caught.value.params, message


def test_the_default_unpacked_limit_is_twenty_uploads_or_200_mb(settings):
    assert max_unpacked_bytes() == 1000 * 1024 * 1024  # 20 × 50 MB
    settings.ZHIZAO_IMPORT_MAX_BYTES = 1024 * 1024
    assert max_unpacked_bytes() == 200 * 1024 * 1024
    settings.ZHIZAO_IMPORT_MAX_UNPACKED_BYTES = 5 * 1024 * 1024
    assert max_unpacked_bytes() == 5 * 1024 * 1024


def test_a_highly_compressed_part_is_refused_for_its_ratio_not_its_size():
    data = zip_bytes({"xl/workbook.xml": b"<x/>", "xl/bomb.xml": b"0" * 3_000_000})
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/bomb.xml")
    ratio = info.file_size // info.compress_size
    assert ratio > 200
    assert refusal(data) == (
        "file_zip_ratio",
        {"name": "xl/bomb.xml", "ratio": ratio, "max": 200},
        f"该工作簿中的“xl/bomb.xml”压缩比为 {ratio}:1，超过上限 200:1（疑似压缩炸弹），已拒绝处理。",
    )


def test_a_workbook_too_large_unpacked_is_refused_with_its_size(settings):
    settings.ZHIZAO_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    data = zip_bytes(
        {"xl/workbook.xml": b"<x/>", "xl/a.bin": b"a" * 786_430, "xl/b.bin": b"b" * 786_430},
        method=zipfile.ZIP_STORED,
    )
    assert refusal(data) == (
        "file_zip_bomb",
        {"size_mb": "1.5", "max_mb": 1},
        "该工作簿解压后为 1.5 MB，超过上限 1 MB，已拒绝处理。",
    )


def test_a_workbook_with_too_many_parts_is_refused_with_the_count():
    entries = {"xl/workbook.xml": b"<x/>"} | {f"xl/p{i}.xml": b"" for i in range(2000)}
    assert refusal(zip_bytes(entries, method=zipfile.ZIP_STORED)) == (
        "file_zip_entries",
        {"count": 2001, "max": 2000},
        "该工作簿包含 2001 个部件，超过上限 2000 个，已拒绝处理。",
    )


@pytest.mark.django_db
def test_the_import_page_shows_the_ratio_refusal(client, operator):
    client.force_login(operator)
    data = zip_bytes({"xl/workbook.xml": b"<x/>", "xl/bomb.xml": b"0" * 3_000_000})
    ratio = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/bomb.xml")
    ratio = ratio.file_size // ratio.compress_size
    organizations = Organization.objects.count()
    client.post(reverse("registry:import_new"), {"file": SimpleUploadedFile("机构.xlsx", data)})
    batch = ImportBatch.objects.get()
    assert (batch.state, batch.message) == (
        "failed",
        f"该工作簿中的“xl/bomb.xml”压缩比为 {ratio}:1，超过上限 200:1（疑似压缩炸弹），已拒绝处理。",
    )
    assert Organization.objects.count() == organizations
