"""Failed logins: waits per (user name, client address) instead of account locks, the same
answers for known and unknown user names, and the owner told about it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.test import RequestFactory

from tests.factories import PASSWORD, actor_for
from zhizao.accounts.models import User
from zhizao.accounts.services import (
    LoginOutcome,
    LoginStatus,
    _Pair,
    authenticate_user,
    failure_delay,
    reset_password,
    unlock_user,
)
from zhizao.common.models import AuditEntry, Notification

NOW = dt.datetime(2026, 3, 2, 7, 17, 0, tzinfo=dt.UTC)
LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def login_request(ip: str = "10.0.0.1"):
    request = RequestFactory().post(LOGIN_URL, REMOTE_ADDR=ip)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    return request


def attempt(username, password, *, at=NOW, ip="10.0.0.1"):
    return authenticate_user(login_request(ip), username=username, password=password, now=at)


def seconds(n: float) -> dt.datetime:
    return NOW + dt.timedelta(seconds=n)


def test_failure_delay_is_free_below_the_limit_then_doubles_up_to_the_cap(settings):
    settings.ZHIZAO_LOGIN_MAX_FAILURES = 5
    settings.ZHIZAO_LOGIN_MAX_DELAY_SECONDS = 900

    assert [failure_delay(n) for n in range(16)] == [
        *[0] * 5,
        *[2, 4, 8, 16, 32, 64, 128, 256, 512],
        900,
        900,
    ]
    assert failure_delay(10_000) == 900


@pytest.mark.django_db
def test_fifth_failure_starts_a_wait_that_doubles_and_is_recorded_once(operator):
    outcomes = [attempt("operator", "wrong") for _ in range(5)]

    assert outcomes == [LoginOutcome(LoginStatus.INVALID)] * 4 + [
        LoginOutcome(LoginStatus.INVALID, retry_at=seconds(2))
    ]
    # During the wait even the right password is not looked at.
    early = login_request()
    assert authenticate_user(
        early, username="operator", password=PASSWORD, now=seconds(1)
    ) == LoginOutcome(LoginStatus.THROTTLED, retry_at=seconds(2))
    assert "_auth_user_id" not in early.session
    # After it, one more try; a failure doubles the wait.
    assert attempt("operator", "wrong", at=seconds(2)) == LoginOutcome(
        LoginStatus.INVALID, retry_at=seconds(6)
    )
    assert attempt("operator", PASSWORD, at=seconds(5)).status == LoginStatus.THROTTLED

    operator.refresh_from_db()
    assert (operator.failed_login_count, operator.locked_until) == (6, seconds(6))
    rows = [(e.action, e.changes, e.context) for e in AuditEntry.objects.order_by("id")]
    assert rows == [
        (
            "login_failed",
            {},
            {"reason": "wrong_password", "failed_attempts": n, "failed_login_count": n},
        )
        for n in range(1, 6)
    ] + [
        (
            "locked",
            {"locked_until": [None, "2026-03-02T07:17:02+00:00"]},
            {"failed_attempts": 5, "address": "10.0.0.1"},
        ),
        (
            "login_failed",
            {},
            {"reason": "throttled", "retry_at": "2026-03-02T07:17:02+00:00"},
        ),
        (
            "login_failed",
            {},
            {"reason": "wrong_password", "failed_attempts": 6, "failed_login_count": 6},
        ),
        (
            "login_failed",
            {},
            {"reason": "throttled", "retry_at": "2026-03-02T07:17:06+00:00"},
        ),
    ]


@pytest.mark.django_db
def test_unknown_and_known_user_names_get_the_same_outcomes(operator):
    known = [attempt("operator", "wrong", ip="10.0.0.1") for _ in range(5)]
    unknown = [attempt("ghost", "wrong", ip="10.0.0.2") for _ in range(5)]
    known.append(attempt("operator", PASSWORD, at=seconds(1), ip="10.0.0.1"))
    unknown.append(attempt("ghost", PASSWORD, at=seconds(1), ip="10.0.0.2"))

    assert known == unknown
    assert [o.status for o in known] == [LoginStatus.INVALID] * 5 + [LoginStatus.THROTTLED]
    ghost_rows = [
        (e.object_repr, e.context)
        for e in AuditEntry.objects.filter(ip_address="10.0.0.2").order_by("id")
    ]
    assert ghost_rows == [
        ("ghost", {"reason": "unknown_user", "failed_attempts": n}) for n in range(1, 6)
    ] + [("ghost", {"reason": "throttled", "retry_at": "2026-03-02T07:17:02+00:00"})]


@pytest.mark.django_db
def test_login_page_answers_alike_for_known_and_unknown_names_and_never_says_locked(
    client, operator
):
    def run(username):
        cache.clear()
        answers = []
        for password in ["wrong"] * 5 + [PASSWORD]:
            response = client.post(LOGIN_URL, {"username": username, "password": password})
            errors = list(response.context["form"].non_field_errors())
            answers.append((response.status_code, errors))
        return answers

    known, unknown = run("operator"), run("ghost")

    assert known == unknown
    assert known[:5] == [(200, ["The user name or password is not correct."])] * 5
    status, errors = known[5]
    assert status == 429
    assert errors in (
        [f"Too many failed logins with this user name from your network. Try again in {n} s."]
        for n in (1, 2)
    )
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_right_password_from_another_address_logs_in_during_a_wait(operator):
    for _ in range(6):
        attempt("operator", "wrong", ip="10.0.0.1")

    request = login_request("10.0.0.9")
    outcome = authenticate_user(request, username="operator", password=PASSWORD, now=seconds(1))

    assert outcome.status == LoginStatus.OK
    assert request.session["_auth_user_id"] == str(operator.pk)
    operator.refresh_from_db()
    assert (operator.failed_login_count, operator.locked_until) == (0, None)
    # The other address's count is its own: it still waits.
    assert attempt("operator", PASSWORD, at=seconds(1), ip="10.0.0.1").status == (
        LoginStatus.THROTTLED
    )


@pytest.mark.django_db
def test_the_right_password_after_the_wait_logs_in_and_clears_the_count(operator):
    for _ in range(5):
        attempt("operator", "wrong")

    assert attempt("operator", PASSWORD, at=seconds(2)).status == LoginStatus.OK
    # A fresh start: five more failures before any wait.
    assert [attempt("operator", "wrong", at=seconds(3)).retry_at for _ in range(5)] == [
        None
    ] * 4 + [seconds(5)]


@pytest.mark.django_db
def test_after_a_wait_only_one_attempt_gets_through(operator):
    for _ in range(5):
        attempt("operator", "wrong")
    first, second = _Pair.load("operator", "10.0.0.1"), _Pair.load("operator", "10.0.0.1")

    assert first.wait_until(seconds(2)) is None
    assert second.wait_until(seconds(2)) == seconds(3)


@pytest.mark.django_db
def test_the_owner_is_told_once_in_each_organisation(operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            attempt("operator", "wrong", ip="10.0.0.1")
        for _ in range(5):
            attempt("operator", "wrong", ip="10.0.0.2")

    notes = [
        (n.recipient_organization_id, n.recipient_user_id, n.title, n.body, n.link)
        for n in Notification.objects.order_by("id")
    ]
    membership = operator.memberships.get()
    assert notes == [
        (
            membership.organization_id,
            operator.pk,
            "您的账号多次登录失败",
            "来自地址 10.0.0.1 使用您的用户名连续登录失败 5 次，该地址之后的登录尝试将被延缓。"
            "如果不是您本人操作，请修改密码并开启两步登录。",
            "/accounts/security/",
        )
    ]
    assert list(
        AuditEntry.objects.filter(action="locked").order_by("id").values_list("context", flat=True)
    ) == [
        {"failed_attempts": 5, "address": "10.0.0.1"},
        {"failed_attempts": 5, "address": "10.0.0.2"},
    ]


@pytest.mark.django_db
def test_operator_unlock_ends_the_waits_of_every_address(operator, officer):
    for ip in ("10.0.0.1", "10.0.0.2"):
        for _ in range(6):
            attempt("officer", "wrong", ip=ip)

    unlock_user(actor_for(operator), User.objects.get(pk=officer.pk))

    assert attempt("officer", PASSWORD, at=seconds(1), ip="10.0.0.1").status == LoginStatus.OK
    assert attempt("officer", "wrong", at=seconds(1), ip="10.0.0.2") == LoginOutcome(
        LoginStatus.INVALID
    )


@pytest.mark.django_db
def test_operator_password_reset_ends_the_waits(operator, officer):
    for _ in range(6):
        attempt("officer", "wrong")

    reset_password(actor_for(operator), officer, password="Neu-Passwort-2026")

    assert attempt("officer", "Neu-Passwort-2026", at=seconds(1)).status == LoginStatus.OK


@pytest.mark.django_db
def test_the_per_address_rate_limit_still_holds_across_user_names(settings, operator):
    settings.ZHIZAO_LOGIN_RATE_PER_IP = 4
    statuses = [attempt(f"name{n}", "wrong").status for n in range(4)]

    assert statuses == [LoginStatus.INVALID] * 4
    assert attempt("operator", PASSWORD).status == LoginStatus.RATE_LIMITED
    assert attempt("operator", PASSWORD, ip="10.0.0.3").status == LoginStatus.OK
