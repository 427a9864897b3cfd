"""The import list on the shared list machinery: filters, sorts and the export (user names:
audit-logged)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv
from zhizao.common.models import AuditEntry
from zhizao.registry.models import ImportBatch

pytestmark = pytest.mark.django_db

URL = "/registry/imports/"


def _batch(user, name, *, state, rows, errors, day):
    batch = ImportBatch.objects.create(
        created_by=user,
        original_name=name,
        file_format="xlsx",
        sha256="0" * 64,
        state=state,
        rows=rows,
        error_count=errors,
        created=rows - errors,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.make_aware(dt.datetime(2026, 2, day, 10, 0))
    )
    return batch


@pytest.fixture
def batches(operator):
    _batch(operator, "无锡企业名录.xlsx", state="committed", rows=120, errors=0, day=1)
    _batch(operator, "常州补充.xlsx", state="failed", rows=30, errors=30, day=2)
    _batch(operator, "苏州.xlsx", state="validated", rows=75, errors=5, day=3)


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    client.force_login(operator)
    return client


def test_imports_filter_sort_and_export(as_operator, batches):
    def rows(**params):
        return names(as_operator, URL, lambda b: b.original_name, **params)

    assert rows() == ["苏州.xlsx", "常州补充.xlsx", "无锡企业名录.xlsx"]
    assert rows(q="补充") == ["常州补充.xlsx"]
    assert rows(state="committed") == ["无锡企业名录.xlsx"]
    assert rows(uploaded_to="2026-02-02") == ["常州补充.xlsx", "无锡企业名录.xlsx"]
    assert rows(sort="-rows") == ["无锡企业名录.xlsx", "苏州.xlsx", "常州补充.xlsx"]
    assert rows(sort="-errors") == ["常州补充.xlsx", "苏州.xlsx", "无锡企业名录.xlsx"]
    before = AuditEntry.objects.count()
    assert read_csv(as_operator.get(URL, {"export": "csv", "state": "failed"})) == [
        ["File", "Uploaded", "By", "State", "Rows", "Errors", "New", "Updated", "Finished"],
        ["常州补充.xlsx", "2026-02-02 10:00", "王运营", "Failed", "30", "30", "0", "0", ""],
    ]
    assert [e.context["list"] for e in AuditEntry.objects.order_by("id")[before:]] == [
        "registry-imports"
    ]


def test_query_count_is_the_same_for_one_and_three_rows(as_operator, operator):
    _batch(operator, "1.xlsx", state="committed", rows=1, errors=0, day=1)
    one = query_count(as_operator, URL, sort="-rows")
    for n in (2, 3):
        _batch(operator, f"{n}.xlsx", state="committed", rows=n, errors=0, day=n)
    assert query_count(as_operator, URL, sort="-rows") == one
