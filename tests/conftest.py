"""Shared test setup: reference data loaded once per database, fast hashing, and factories."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database gets the shipped reference data (regions, industries, chains)."""
    from zhizao.registry.services.reference import load_reference_data

    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts with no language activated, as the first test of a fresh process
    does (the default, zh-hans). A request through the test client activates the visitor's
    language in this thread and Django leaves it active after the response, so without this a
    test that follows an English page would run in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHIZAO_MATCH_SNAPSHOT_DIR = tmp_path / "match-index"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


SQLITE_AUDIT_DELETE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS common_auditentry_no_delete BEFORE DELETE ON common_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
)
SQLITE_PAYMENT_DELETE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS policies_payment_no_delete BEFORE DELETE ON policies_payment "
    "BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;"
)


def _reload_reference_data(sender, **kwargs):
    """Every table a data migration seeds: the registry's reference data and the calls'
    working-day calendar (its migration's own seed, so the two cannot drift apart)."""
    from importlib import import_module

    from django.apps import apps

    from zhizao.registry.services.reference import load_reference_data

    load_reference_data()
    import_module("zhizao.calls.migrations.0002_seed_calendar").seed(apps, None)
    import_module("zhizao.calls.migrations.0005_calendar_holiday_names").name_holidays(apps, None)


@pytest.fixture(scope="session", autouse=True)
def _reference_data_after_flush():
    """A transactional test ends with a flush of every table; Django then sends post_migrate,
    and the reference data and the working-day calendar go back for the tests that follow
    (tests only)."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    post_migrate.connect(
        _reload_reference_data,
        sender=apps.get_app_config("registry"),
        dispatch_uid="zhizao-test-reference-data",
    )
    yield
    post_migrate.disconnect(
        dispatch_uid="zhizao-test-reference-data", sender=apps.get_app_config("registry")
    )


@pytest.fixture(autouse=True)
def _audit_log_flushable(request):
    """Transactional tests end with a flush of every table, reference data included. On SQLite the append-only triggers
    (audit log, payments) would refuse it, so they are lifted for the flush and put back before the next such test.
    (PostgreSQL flushes with TRUNCATE, which row triggers do not see.)"""
    transactional = (
        "live_server" in request.fixturenames or "transactional_db" in request.fixturenames
    )
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        transactional = True
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    # The shared cache (login rate counters, failure counts) is a table no flush empties, or
    # Redis: a transactional test starts with it empty, so that no test depends on how many
    # logins the browser tests before it made from the same address.
    from django.core.cache import cache

    cache.clear()
    # after the flush (which runs after this fixture's teardown) the triggers go back, so the
    # tests that follow see the database as migrations left it (pytest_runtest_teardown below)
    request.node._zhizao_db_blocker = request.getfixturevalue("django_db_blocker")
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_AUDIT_DELETE_TRIGGER)
            cursor.execute(SQLITE_PAYMENT_DELETE_TRIGGER)
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS common_auditentry_no_delete")
            cursor.execute("DROP TRIGGER IF EXISTS policies_payment_no_delete")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    blocker = getattr(item, "_zhizao_db_blocker", None)
    # after the last test the test database is gone with the session: nothing to put back
    if blocker is not None and nextitem is not None:
        from django.db import connection

        with blocker.unblock():
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(SQLITE_AUDIT_DELETE_TRIGGER)
                    cursor.execute(SQLITE_PAYMENT_DELETE_TRIGGER)
    return result


from tests.factories import *  # noqa: E402,F403
