"""Login: the password step, the per-address rate limit, logout. The waits after repeated
failures are in test_lockout.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD, make_user
from zhizao.accounts.models import User
from zhizao.accounts.services import LoginOutcome, LoginStatus, authenticate_user
from zhizao.common.models import AuditEntry

NOW = dt.datetime(2026, 3, 2, 7, 17, 0, tzinfo=dt.UTC)  # 15:17 in Shanghai
LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client):
    """Pages in English, so that messages are compared with their msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def login_request(ip: str = "10.0.0.1"):
    request = RequestFactory().post(LOGIN_URL, REMOTE_ADDR=ip)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    return request


def audit_rows():
    return [
        (e.action, e.actor_name, e.object_id, e.object_repr, e.changes, e.context, e.ip_address)
        for e in AuditEntry.objects.order_by("id")
    ]


def non_field_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def test_login_urls_have_the_agreed_paths():
    assert reverse("accounts:login") == LOGIN_URL
    assert reverse("accounts:login_totp") == "/accounts/login/code/"
    assert reverse("accounts:logout") == "/accounts/logout/"


@pytest.mark.django_db
def test_login_with_right_password_logs_in_redirects_home_and_records_login(client, operator):
    response = client.post(LOGIN_URL, {"username": "operator", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(operator.pk)
    operator.refresh_from_db()
    assert operator.last_login is not None
    assert (operator.failed_login_count, operator.locked_until) == (0, None)
    assert audit_rows() == [
        ("login", "operator", str(operator.pk), "王运营", {}, {"method": "password"}, "127.0.0.1")
    ]


@pytest.mark.django_db
def test_login_page_shows_form_with_autocomplete_hints(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert response.templates[0].name == "accounts/login.html"
    form = response.context["form"]
    assert form["username"].field.widget.attrs["autocomplete"] == "username"
    assert form["password"].field.widget.attrs["autocomplete"] == "current-password"
    assert client.get(LOGIN_URL, {"next": "/registry/"}).context["next"] == "/registry/"
    assert client.get(LOGIN_URL, {"next": "//evil.example/"}).context["next"] == ""


@pytest.mark.django_db
def test_login_follows_a_safe_next_and_ignores_another_host(client, operator):
    response = client.post(
        LOGIN_URL, {"username": "operator", "password": PASSWORD, "next": "/registry/?q=数控"}
    )
    assert (response.status_code, response.url) == (302, "/registry/?q=%E6%95%B0%E6%8E%A7")

    client.logout()
    response = client.post(
        LOGIN_URL,
        {"username": "operator", "password": PASSWORD, "next": "https://evil.example/x"},
    )
    assert (response.status_code, response.url) == (302, "/")


@pytest.mark.django_db
def test_login_page_redirects_a_logged_in_user(client, operator):
    client.force_login(operator)

    response = client.get(LOGIN_URL, {"next": "/registry/"})

    assert (response.status_code, response.url) == (302, "/registry/")


@pytest.mark.django_db
def test_login_wrong_password_counts_the_failure_and_says_so(client, operator):
    response = client.post(LOGIN_URL, {"username": "operator", "password": "wrong"})

    assert response.status_code == 200
    assert non_field_errors(response) == ["The user name or password is not correct."]
    assert "_auth_user_id" not in client.session
    operator.refresh_from_db()
    assert (operator.failed_login_count, operator.locked_until, operator.last_login) == (
        1,
        None,
        None,
    )
    assert audit_rows() == [
        (
            "login_failed",
            "operator",
            str(operator.pk),
            "王运营",
            {},
            {"reason": "wrong_password", "failed_attempts": 1, "failed_login_count": 1},
            "127.0.0.1",
        )
    ]


@pytest.mark.django_db
def test_login_unknown_user_gets_the_same_message_and_is_recorded_by_name(client, operator):
    response = client.post(LOGIN_URL, {"username": "ghost", "password": PASSWORD})

    assert response.status_code == 200
    assert non_field_errors(response) == ["The user name or password is not correct."]
    assert audit_rows() == [
        (
            "login_failed",
            "system",
            "",
            "ghost",
            {},
            {"reason": "unknown_user", "failed_attempts": 1},
            "127.0.0.1",
        )
    ]
    assert User.objects.get(pk=operator.pk).failed_login_count == 0


@pytest.mark.django_db
def test_login_inactive_user_with_right_password_is_refused_like_a_wrong_password(client, operator):
    User.objects.filter(pk=operator.pk).update(is_active=False)

    response = client.post(LOGIN_URL, {"username": "operator", "password": PASSWORD})

    assert non_field_errors(response) == ["The user name or password is not correct."]
    assert "_auth_user_id" not in client.session
    assert [(*row[0:3], row[5]) for row in audit_rows()] == [
        (
            "login_failed",
            "operator",
            str(operator.pk),
            {"reason": "inactive", "failed_attempts": 1, "failed_login_count": 1},
        )
    ]


@pytest.mark.django_db
def test_rate_limit_per_address_refuses_without_checking_the_password(settings, operator):
    settings.ZHIZAO_LOGIN_RATE_PER_IP = 3
    statuses = [
        authenticate_user(login_request(), username="operator", password="wrong", now=NOW).status
        for _ in range(3)
    ]
    request = login_request()
    limited = authenticate_user(request, username="operator", password=PASSWORD, now=NOW)
    again = authenticate_user(login_request(), username="operator", password=PASSWORD, now=NOW)

    assert statuses == [LoginStatus.INVALID] * 3
    assert (limited, again) == (LoginOutcome(LoginStatus.RATE_LIMITED),) * 2
    assert "_auth_user_id" not in request.session
    assert User.objects.get(pk=operator.pk).failed_login_count == 3
    # Recorded once per window, not on every refused attempt.
    assert [(row[0], row[3], row[5]) for row in audit_rows()][3:] == [
        ("login_failed", "operator", {"reason": "rate_limited"})
    ]

    other_address = login_request(ip="10.0.0.2")
    assert (
        authenticate_user(other_address, username="operator", password=PASSWORD, now=NOW).status
        == LoginStatus.OK
    )
    next_window = NOW + dt.timedelta(minutes=5)
    assert (
        authenticate_user(
            login_request(), username="operator", password=PASSWORD, now=next_window
        ).status
        == LoginStatus.OK
    )


@pytest.mark.django_db
def test_rate_limited_login_page_answers_429_with_a_message(client, settings, operator):
    settings.ZHIZAO_LOGIN_RATE_PER_IP = 0

    response = client.post(LOGIN_URL, {"username": "operator", "password": PASSWORD})

    assert response.status_code == 429
    assert non_field_errors(response) == [
        "Too many login attempts from your network. Try again in a few minutes."
    ]
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=operator.pk).failed_login_count == 0


@pytest.mark.django_db
def test_logout_is_post_only(client, operator):
    client.force_login(operator)

    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(operator.pk)

    response = client.post("/accounts/logout/")
    assert (response.status_code, response.url) == (302, LOGIN_URL)
    assert "_auth_user_id" not in client.session
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["You have logged out."]


@pytest.mark.django_db
def test_login_sets_a_fresh_session_key(client):
    make_user("zhang", display_name="张三")
    client.get(LOGIN_URL)
    client.session.save()
    before = client.session.session_key

    client.post(LOGIN_URL, {"username": "zhang", "password": PASSWORD})

    assert client.session.session_key != before
