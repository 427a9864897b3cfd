"""Registration and check-in under concurrency: two threads, two database connections, two
transactions. The test holds the contested row locked until both are under way, so that
without the row locks both would read "one place left" / "not checked in yet" and both would
write. Exactly one wins; run on PostgreSQL (and on SQLite, where writes are serialised)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

from tests.events.conftest import DAY, at
from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.common.models import AuditEntry
from zhizao.events import services
from zhizao.events.errors import EventError
from zhizao.events.models import Registration, RegistrationType


def _race(work, lock_rows, keys):
    started = threading.Barrier(len(keys) + 1)
    outcomes: dict[str, str] = {}

    def run(key):
        try:
            started.wait(timeout=10)
            for _attempt in range(500):
                try:
                    outcomes[key] = work(key)
                except OperationalError as error:
                    # SQLite's shared-cache test database answers "locked" at once instead of
                    # waiting: the failed attempt wrote nothing, try again.
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
                    time.sleep(0.02)
                    continue
                break
        except EventError as error:
            outcomes[key] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(key,)) for key in keys]
    with transaction.atomic():
        lock_rows()
        for thread in threads:
            thread.start()
        started.wait(timeout=10)
        time.sleep(0.5)  # both are now inside their transactions, waiting on the lock
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_the_last_place_is_taken_once(expo, operator):
    rtype = RegistrationType.objects.get(event=expo.event, kind="media")
    services.configure_registration(actor_for(operator), rtype, capacity=1, needs_approval=False)
    people = {}
    for key in ("a", "b"):
        org = make_organization(name=f"并发媒体{key}有限公司")
        people[key] = (make_user(f"media-{key}", role=Role.ENTERPRISE, organization=org), org)

    def work(key):
        user, org = people[key]
        services.register(actor_for(user), expo.event, kind="media", organization=org)
        return "registered"

    outcomes = _race(
        work,
        lambda: list(RegistrationType.objects.select_for_update().filter(pk=rtype.pk)),
        ["a", "b"],
    )
    assert sorted(outcomes.values()) == ["full", "registered"]
    rtype.refresh_from_db()
    assert rtype.taken == 1
    assert Registration.objects.filter(type=rtype).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_badge_scanned_at_two_doors_checks_in_once(expo, operator):
    op = actor_for(operator)
    audits = AuditEntry.objects.filter(context__event="events.checked_in").count()

    def work(door):
        result = services.check_in(
            op, expo.event, badge_code=expo.visitor.badge_code, door=door, now=at(DAY, 9, 12)
        )
        return "first" if result.first else "again"

    outcomes = _race(
        work,
        lambda: list(Registration.objects.select_for_update().filter(pk=expo.visitor.pk)),
        ["北门", "南门"],
    )
    assert sorted(outcomes.values()) == ["again", "first"]
    assert AuditEntry.objects.filter(context__event="events.checked_in").count() == audits + 1
    expo.visitor.refresh_from_db()
    assert expo.visitor.checked_in_door in ("北门", "南门")
