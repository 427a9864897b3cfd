"""The import's one write path: ``start_import`` / ``commit_import`` decide inline or worker,
``set_import_state`` is the only owner of the batch state. Pages, the API, the task and the
command call these (tests/common/test_conventions.py checks that they write nothing else)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhizao.common.audit import Actor
from zhizao.common.models import AuditEntry
from zhizao.registry.enums import ImportState
from zhizao.registry.errors import RegistryError
from zhizao.registry.models import ImportBatch, Organization
from zhizao.registry.services.imports import (
    cancel_import,
    commit_import,
    set_import_state,
    start_import,
)
from zhizao_core.registry.uscc import make_uscc

pytestmark = pytest.mark.django_db

GOOD = make_uscc(region="320214", serial=9201)
SECOND = make_uscc(region="320583", serial=9202)


def csv_file(rows):
    lines = ["名称,统一社会信用代码,机构类型,行政区划代码,行业代码"] + [",".join(r) for r in rows]
    return SimpleUploadedFile("orgs.csv", ("\n".join(lines) + "\n").encode("utf-8"), "text/csv")


def two_rows():
    return csv_file(
        [
            ["无锡恒润精密机械有限公司", GOOD, "制造企业", "320214", "3421"],
            ["昆山智云工业软件有限公司", SECOND, "服务商", "320583", "6513"],
        ]
    )


def events(batch):
    return list(
        AuditEntry.objects.filter(object_id=str(batch.pk))
        .order_by("id")
        .values_list("action", "changes")
    )


def test_start_import_checks_a_small_file_at_once(operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        batch = start_import(Actor(user=operator), file=two_rows())
    assert callbacks == []
    assert (batch.state, batch.rows, batch.valid, batch.created) == ("validated", 2, 2, 2)


def test_start_import_leaves_a_large_file_to_the_worker_after_commit(
    operator, settings, django_capture_on_commit_callbacks
):
    settings.ZHIZAO_IMPORT_INLINE_BYTES = 10
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = start_import(Actor(user=operator), file=two_rows())
        assert ImportBatch.objects.get().state == "uploaded"  # nothing checked in the request
    assert len(callbacks) == 1
    assert batch.state == "uploaded"
    batch.refresh_from_db()  # the (immediate) task ran the check after commit
    assert (batch.state, batch.valid) == ("validated", 2)


def test_start_import_refuses_an_oversized_file_before_reading_it(operator, settings):
    settings.ZHIZAO_IMPORT_MAX_BYTES = 10
    with pytest.raises(RegistryError) as refused:
        start_import(Actor(user=operator), file=two_rows())
    assert (refused.value.code, refused.value.field) == ("file_too_large", "file")
    assert (ImportBatch.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_commit_import_writes_a_small_batch_inline(operator):
    actor = Actor(user=operator)
    batch = start_import(actor, file=two_rows())
    batch = commit_import(actor, batch, skip_invalid=False)
    assert (batch.state, batch.created, batch.progress) == ("committed", 2, 100)
    assert Organization.objects.filter(uscc__in=[GOOD, SECOND]).count() == 2
    assert events(batch) == [
        ("create", {"file": [None, "orgs.csv"]}),
        ("state", {"state": ["validated", "queued"]}),
        ("import", {}),
    ]


def test_commit_import_leaves_a_large_batch_to_the_worker(
    operator, settings, django_capture_on_commit_callbacks
):
    settings.ZHIZAO_IMPORT_INLINE_ROWS = 1
    actor = Actor(user=operator)
    batch = start_import(actor, file=two_rows())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = commit_import(actor, batch, skip_invalid=False)
        assert Organization.objects.filter(uscc__in=[GOOD, SECOND]).count() == 0
    assert (queued.state, len(callbacks)) == ("queued", 1)
    batch.refresh_from_db()  # the (immediate) task wrote it after commit
    assert (batch.state, batch.created) == ("committed", 2)
    assert Organization.objects.filter(uscc__in=[GOOD, SECOND]).count() == 2


def test_a_second_commit_is_refused_and_changes_nothing(operator):
    actor = Actor(user=operator)
    batch = commit_import(actor, start_import(actor, file=two_rows()), skip_invalid=False)
    before = (AuditEntry.objects.count(), Organization.objects.count())
    with pytest.raises(RegistryError) as refused:
        commit_import(actor, batch, skip_invalid=False)
    assert refused.value.code == "import_not_ready"
    assert (AuditEntry.objects.count(), Organization.objects.count()) == before
    assert ImportBatch.objects.get().state == "committed"


def test_set_import_state_refuses_a_move_outside_the_table_and_records_nothing(operator):
    actor = Actor(user=operator)
    batch = start_import(actor, file=two_rows())
    entries = AuditEntry.objects.count()
    assert set_import_state(batch, ImportState.COMMITTED, actor=actor) is False
    # even when the caller names the current state as expected
    assert (
        set_import_state(batch, ImportState.COMMITTED, expected={"validated"}, actor=actor) is False
    )
    assert batch.state == "validated"
    assert ImportBatch.objects.get().state == "validated"
    assert AuditEntry.objects.count() == entries


def test_cancel_import_is_audited_once(operator):
    actor = Actor(user=operator)
    batch = start_import(actor, file=two_rows())
    assert cancel_import(actor, batch) is True
    assert cancel_import(actor, batch) is False
    assert ImportBatch.objects.get().state == "cancelled"
    assert events(batch)[1:] == [("state", {"state": ["validated", "cancelled"]})]
