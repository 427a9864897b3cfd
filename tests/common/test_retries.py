"""A retry-safe task that hits a transient database error is enqueued again after a backoff,
up to its attempt limit; the last attempt fails with the error. (The same on real workers of
both backends: tests/common/test_background_work.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError
from django.tasks import default_task_backend

from tests.common.worker_tasks import attempts_file, flaky_task


@pytest.fixture
def dummy_backend(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.DATA_DIR = tmp_path
    settings.ZHIZAO_TASK_RETRY_BASE_SECONDS = 10
    default_task_backend.clear()
    return default_task_backend


def test_transient_error_enqueues_the_next_attempt_after_the_backoff(dummy_backend):
    before = dt.datetime.now(dt.UTC)
    assert flaky_task.call("m", 5) is None
    [retry] = dummy_backend.results
    assert (retry.args, retry.kwargs) == (["m", 5], {"attempt": 2})
    assert retry.task.run_after - before >= dt.timedelta(seconds=10)
    assert retry.task.run_after - before < dt.timedelta(seconds=11)

    assert flaky_task.call("m", 5, attempt=2) is None
    assert dummy_backend.results[1].kwargs == {"attempt": 3}
    assert dummy_backend.results[1].task.run_after - before >= dt.timedelta(seconds=20)


def test_last_attempt_fails_with_the_error_and_enqueues_nothing(dummy_backend):
    with pytest.raises(OperationalError, match="attempt 1: database is locked"):
        flaky_task.call("m", 5, attempt=3)
    assert dummy_backend.results == []
    assert len(attempts_file("m").read_text().split()) == 1


def test_a_backend_that_cannot_defer_fails_at_once(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the immediate backend of the test settings
    with pytest.raises(OperationalError, match="attempt 1: database is locked"):
        flaky_task.call("m", 5)
