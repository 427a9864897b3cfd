"""Races, with real concurrent transactions (two threads, two connections; PostgreSQL in
CI, SQLite with retries here): two nominations for the last place of a quota, and two
officers moving one application into two outcomes. Exactly one wins each time."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

from tests.factories import actor_for
from zhizao.calls.errors import CallError
from zhizao.calls.models import Application, NominationQuota
from zhizao.calls.services import applications as app_services
from zhizao.calls.services import formal, nominations

from .conftest import fill


def _race(jobs: dict, lock_rows) -> dict:
    """Run each job in its own thread and transaction while this thread holds ``lock_rows``
    locked, so both are inside their transactions before either can read; returns each job's
    outcome (its result's state, or the error code)."""
    started = threading.Barrier(len(jobs) + 1)
    outcomes: dict[str, str] = {}

    def run(key, job):
        try:
            started.wait(timeout=10)
            for _attempt in range(500):
                try:
                    outcomes[key] = job().state
                except OperationalError as error:
                    # SQLite's shared-cache test database answers "locked" at once: wait and
                    # retry (the failed attempt wrote nothing); PostgreSQL waits on the lock
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
                    time.sleep(0.02)
                    continue
                break
        except CallError as error:
            outcomes[key] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in jobs.items()]
    with transaction.atomic():
        lock_rows()
        for thread in threads:
            thread.start()
        started.wait(timeout=10)
        time.sleep(0.5)
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_nominations_for_the_last_place_one_wins(
    call, application, enterprise_user, other_enterprise_user, society_a, society_a_user
):
    first = app_services.submit_application(actor_for(enterprise_user), application)
    second = app_services.start_application(
        actor_for(other_enterprise_user),
        call,
        title="第二个项目",
        category=call.categories.first(),
        nominator=society_a,
    )
    second = app_services.submit_application(
        actor_for(other_enterprise_user), fill(second, other_enterprise_user)
    )
    society = actor_for(society_a_user)
    outcomes = _race(
        {
            "first": lambda: nominations.nominate_application(society, first),
            "second": lambda: nominations.nominate_application(society, second),
        },
        lambda: list(
            NominationQuota.objects.select_for_update().filter(call=call, nominator=society_a)
        ),
    )
    assert sorted(outcomes.values()) == ["nominated", "quota_full"]
    assert Application.objects.filter(call=call, state="nominated").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_cannot_move_one_application_into_two_outcomes(
    application, enterprise_user, society_a_user, office_user
):
    app_services.submit_application(actor_for(enterprise_user), application)
    nominated = nominations.nominate_application(actor_for(society_a_user), application)
    office = actor_for(office_user)
    formal.set_checklist(office, nominated, {"seal": True, "consistent": True, "authentic": True})
    outcomes = _race(
        {
            "pass": lambda: formal.pass_formal_review(office, nominated, expected="nominated"),
            "reject": lambda: formal.reject_application(
                office, nominated, reason="材料不符", expected="nominated"
            ),
        },
        lambda: list(Application.objects.select_for_update().filter(pk=nominated.pk)),
    )
    assert sorted(outcomes.values())[1] == "state_changed"
    final = Application.objects.get(pk=nominated.pk).state
    assert final in ("formal_passed", "formal_rejected")
    assert sorted(outcomes.values()) == sorted([final, "state_changed"])
