"""Two-factor login with TOTP: setting it up, the second login step, reuse and lockout."""

from __future__ import annotations

import datetime as dt
import json

import pyotp
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tests.factories import PASSWORD, actor_for
from zhizao.accounts.models import User
from zhizao.accounts.services import (
    TOTP_PENDING_KEY,
    LoginOutcome,
    LoginStatus,
    authenticate_user,
    begin_totp_setup,
    disable_totp,
    enable_totp,
    verify_totp_step,
)
from zhizao.common.models import AuditEntry

NOW = dt.datetime(2026, 3, 2, 7, 17, 10, tzinfo=dt.UTC)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STEP = int(NOW.timestamp()) // 30
# Not the code of STEP - 1, STEP or STEP + 1 for SECRET.
WRONG = "000000"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def totp_officer(officer):
    User.objects.filter(pk=officer.pk).update(totp_secret=SECRET, totp_enabled=True)
    officer.refresh_from_db()
    return officer


def new_request(session=None):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.1")
    SessionMiddleware(lambda r: None).process_request(request)
    if session is not None:
        for key, value in session.items():
            request.session[key] = value
    request.user = AnonymousUser()
    return request


def code_at(when: dt.datetime, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(when)


def password_step(now=NOW):
    request = new_request()
    outcome = authenticate_user(request, username="officer", password=PASSWORD, now=now)
    assert outcome.status == LoginStatus.NEEDS_TOTP
    return request


def actions():
    return [(e.action, e.changes, e.context) for e in AuditEntry.objects.order_by("id")]


# --- setting it up --------------------------------------------------------------------------


def test_begin_totp_setup_gives_a_fresh_secret_and_its_uri(db, officer):
    secret, uri = begin_totp_setup(officer)

    assert len(secret) == 32
    assert uri == pyotp.TOTP(secret).provisioning_uri(
        name="officer", issuer_name="智造生态服务平台"
    )
    assert begin_totp_setup(officer)[0] != secret
    officer.refresh_from_db()
    assert (officer.totp_secret, officer.totp_enabled) == ("", False)


@pytest.mark.django_db
def test_security_page_enables_totp_with_a_code_from_the_shown_secret(client, officer):
    client.force_login(officer)
    page = client.get("/accounts/security/")
    secret = client.session["zhizao_totp_setup_secret"]
    assert page.context["secret"] == " ".join(secret[i : i + 4] for i in range(0, 32, 4))
    assert page.context["qr_svg"].startswith('<svg viewBox="0 0 ')
    assert page.context["totp_form"]["code"].field.widget.attrs["autocomplete"] == "one-time-code"

    step = pyotp.TOTP(secret).timecode(dt.datetime.now(tz=dt.UTC))
    code = pyotp.TOTP(secret).generate_otp(step)
    response = client.post("/accounts/security/", {"action": "totp_enable", "code": code})

    assert (response.status_code, response.url) == (302, "/accounts/security/")
    officer.refresh_from_db()
    assert (officer.totp_enabled, officer.totp_secret, officer.totp_last_step) == (
        True,
        secret,
        step,
    )
    assert "zhizao_totp_setup_secret" not in client.session
    assert actions() == [("update", {"totp_enabled": [False, True]}, {})]
    entry = AuditEntry.objects.get()
    assert (entry.actor_name, entry.acting_role) == ("officer", "officer")
    assert secret not in json.dumps([entry.changes, entry.context, entry.object_repr])


@pytest.mark.django_db
def test_security_page_keeps_the_setup_secret_across_reloads(client, officer):
    client.force_login(officer)
    first = client.get("/accounts/security/").context["secret"]
    second = client.get("/accounts/security/").context["secret"]

    assert first == second


@pytest.mark.django_db
def test_enable_totp_with_a_wrong_code_changes_nothing(client, officer):
    client.force_login(officer)
    client.get("/accounts/security/")
    secret = client.session["zhizao_totp_setup_secret"]
    wrong = code_at(dt.datetime.now(tz=dt.UTC) - dt.timedelta(minutes=10), secret)

    response = client.post("/accounts/security/", {"action": "totp_enable", "code": wrong})

    assert response.status_code == 200
    assert response.context["totp_form"].errors == {
        "code": ["The code is not correct. Check the time on your phone and try again."]
    }
    officer.refresh_from_db()
    assert (officer.totp_enabled, officer.totp_secret) == (False, "")
    assert actions() == []


@pytest.mark.django_db
def test_enable_totp_service_rejects_non_digits(officer):
    with pytest.raises(ValidationError) as error:
        enable_totp(actor_for(officer), officer, secret=SECRET, code="abcdef", now=NOW)

    assert error.value.message_dict == {"code": ["验证码不正确。请检查手机时间是否准确后重试。"]}


@pytest.mark.django_db
def test_disable_totp_needs_the_password(client, totp_officer):
    client.force_login(totp_officer)

    response = client.post("/accounts/security/", {"action": "totp_disable", "password": "nope"})
    assert response.context["disable_form"].errors == {"password": ["The password is not correct."]}
    assert User.objects.get(pk=totp_officer.pk).totp_enabled is True

    response = client.post("/accounts/security/", {"action": "totp_disable", "password": PASSWORD})
    assert (response.status_code, response.url) == (302, "/accounts/security/")
    totp_officer.refresh_from_db()
    assert (totp_officer.totp_enabled, totp_officer.totp_secret) == (False, "")
    assert actions() == [("update", {"totp_enabled": [True, False]}, {})]


@pytest.mark.django_db
def test_disable_totp_service_with_wrong_password_raises(totp_officer):
    with pytest.raises(ValidationError) as error:
        disable_totp(actor_for(totp_officer), totp_officer, password="wrong")

    assert error.value.message_dict == {"password": ["密码不正确。"]}


# --- logging in -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_step_of_a_totp_user_does_not_log_in_and_keeps_the_failure_count(
    totp_officer,
):
    User.objects.filter(pk=totp_officer.pk).update(failed_login_count=2)
    request = new_request()

    outcome = authenticate_user(request, username="officer", password=PASSWORD, now=NOW)

    assert outcome == LoginOutcome(LoginStatus.NEEDS_TOTP, user=totp_officer)
    assert "_auth_user_id" not in request.session
    assert request.session[TOTP_PENDING_KEY] == {
        "user_id": totp_officer.pk,
        "at": NOW.timestamp(),
    }
    assert User.objects.get(pk=totp_officer.pk).failed_login_count == 2
    assert actions() == []


@pytest.mark.django_db
def test_right_code_completes_the_login(totp_officer):
    User.objects.filter(pk=totp_officer.pk).update(failed_login_count=2)
    request = password_step()

    outcome = verify_totp_step(request, code=code_at(NOW), now=NOW + dt.timedelta(seconds=20))

    assert outcome.status == LoginStatus.OK
    assert request.session["_auth_user_id"] == str(totp_officer.pk)
    assert TOTP_PENDING_KEY not in request.session
    totp_officer.refresh_from_db()
    assert (totp_officer.totp_last_step, totp_officer.failed_login_count) == (STEP, 0)
    assert actions() == [("login", {}, {"method": "password+totp"})]


@pytest.mark.django_db
def test_code_of_the_previous_step_is_accepted_two_steps_back_is_not(totp_officer):
    request = password_step()
    assert verify_totp_step(request, code=code_at(NOW - dt.timedelta(seconds=60)), now=NOW) == (
        LoginOutcome(LoginStatus.INVALID)
    )
    assert verify_totp_step(
        request, code=code_at(NOW - dt.timedelta(seconds=30)), now=NOW
    ).status == (LoginStatus.OK)
    assert User.objects.get(pk=totp_officer.pk).totp_last_step == STEP - 1


@pytest.mark.django_db
def test_wrong_code_is_refused_and_counted(totp_officer):
    request = password_step()

    outcome = verify_totp_step(request, code=WRONG, now=NOW)

    assert outcome == LoginOutcome(LoginStatus.INVALID)
    assert "_auth_user_id" not in request.session
    assert request.session[TOTP_PENDING_KEY]["user_id"] == totp_officer.pk
    assert User.objects.get(pk=totp_officer.pk).failed_login_count == 1
    assert actions() == [
        (
            "login_failed",
            {},
            {"reason": "wrong_totp", "failed_attempts": 1, "failed_login_count": 1},
        )
    ]


@pytest.mark.django_db
def test_a_used_code_cannot_log_in_again(totp_officer):
    first = password_step()
    assert verify_totp_step(first, code=code_at(NOW), now=NOW).status == LoginStatus.OK

    second = password_step(now=NOW + dt.timedelta(seconds=5))
    outcome = verify_totp_step(second, code=code_at(NOW), now=NOW + dt.timedelta(seconds=5))

    assert outcome == LoginOutcome(LoginStatus.REUSED)
    assert "_auth_user_id" not in second.session
    totp_officer.refresh_from_db()
    assert (totp_officer.totp_last_step, totp_officer.failed_login_count) == (STEP, 1)
    assert [a[0] for a in actions()] == ["login", "login_failed"]
    assert actions()[1][2] == {
        "reason": "reused_totp",
        "failed_attempts": 1,
        "failed_login_count": 1,
    }


@pytest.mark.django_db
def test_the_code_step_expires_five_minutes_after_the_password(totp_officer):
    request = password_step()
    late = NOW + dt.timedelta(minutes=5, seconds=1)

    outcome = verify_totp_step(request, code=code_at(late), now=late)

    assert outcome == LoginOutcome(LoginStatus.EXPIRED)
    assert TOTP_PENDING_KEY not in request.session
    assert "_auth_user_id" not in request.session


@pytest.mark.django_db
def test_without_the_password_step_no_code_is_accepted(totp_officer):
    request = new_request()

    assert verify_totp_step(request, code=code_at(NOW), now=NOW) == LoginOutcome(
        LoginStatus.EXPIRED
    )
    assert User.objects.get(pk=totp_officer.pk).totp_last_step == 0


@pytest.mark.django_db
def test_wrong_codes_count_with_wrong_passwords_towards_the_same_wait(totp_officer):
    request = new_request()
    for _ in range(3):
        authenticate_user(request, username="officer", password="wrong", now=NOW)
    request = password_step()

    outcomes = [verify_totp_step(request, code=WRONG, now=NOW) for _ in range(2)]
    later = NOW + dt.timedelta(seconds=1)
    throttled = verify_totp_step(request, code=code_at(later), now=later)

    wait_ends = NOW + dt.timedelta(seconds=2)
    assert outcomes == [
        LoginOutcome(LoginStatus.INVALID),
        LoginOutcome(LoginStatus.INVALID, retry_at=wait_ends),
    ]
    assert throttled == LoginOutcome(LoginStatus.THROTTLED, retry_at=wait_ends)
    assert "_auth_user_id" not in request.session
    totp_officer.refresh_from_db()
    assert (totp_officer.failed_login_count, totp_officer.locked_until) == (5, wait_ends)
    # After the wait the right code is accepted in the same login.
    outcome = verify_totp_step(request, code=code_at(wait_ends), now=wait_ends)
    assert outcome.status == LoginStatus.OK
    totp_officer.refresh_from_db()
    assert (totp_officer.failed_login_count, totp_officer.locked_until) == (0, None)


@pytest.mark.django_db
def test_login_pages_walk_through_both_steps(client, totp_officer):
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": PASSWORD, "next": "/registry/"}
    )
    assert (response.status_code, response.url) == (
        302,
        "/accounts/login/code/?next=%2Fregistry%2F",
    )
    assert "_auth_user_id" not in client.session

    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["next"] == "/registry/"

    now = dt.datetime.now(tz=dt.UTC)
    wrong = code_at(now - dt.timedelta(minutes=10))
    response = client.post("/accounts/login/code/", {"code": wrong, "next": "/registry/"})
    assert response.context["form"].errors == {"code": ["The code is not correct."]}

    code = code_at(dt.datetime.now(tz=dt.UTC))
    response = client.post(
        "/accounts/login/code/", {"code": f"{code[:3]} {code[3:]}", "next": "/registry/"}
    )
    assert (response.status_code, response.url) == (302, "/registry/")
    assert client.session["_auth_user_id"] == str(totp_officer.pk)


@pytest.mark.django_db
def test_code_page_without_a_password_step_sends_back_to_login(client, totp_officer):
    response = client.get("/accounts/login/code/")

    assert (response.status_code, response.url) == (302, "/accounts/login/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The login took too long. Enter your password again."
    ]


@pytest.mark.django_db
def test_code_page_rejects_a_malformed_code_before_the_service(client, totp_officer):
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})

    response = client.post("/accounts/login/code/", {"code": "12ab56"})

    assert response.context["form"].errors == {"code": ["Enter the 6 digits shown in your app."]}
    assert User.objects.get(pk=totp_officer.pk).failed_login_count == 0
