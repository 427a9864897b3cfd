"""API tokens: issued through the login's checks, hashed, expiring, revoked by password changes
and deactivations, and managed by their owner (page and API) and by operators."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import PASSWORD, actor_for, make_api_token
from zhizao.accounts.models import ApiToken, User
from zhizao.accounts.selectors import hash_api_key
from zhizao.accounts.services import (
    change_password,
    create_api_token,
    record_api_token_use,
    reset_password,
    set_membership_active,
    set_user_active,
)
from zhizao.common.models import AuditEntry

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOKEN_URL = "/api/token/"
TOKENS_URL = "/api/accounts/tokens/"
NEW_PASSWORD = "Neues-Kennwort-2026"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def anonymous() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def with_key(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def audit_rows():
    return [
        (e.action, e.actor_name, e.content_type.model if e.content_type else "", e.context)
        for e in AuditEntry.objects.order_by("id")
    ]


def me_status(key: str) -> tuple[int, dict]:
    response = with_key(key).get("/api/accounts/me/")
    return response.status_code, response.json()


# --- POST /api/token/ -----------------------------------------------------------------------


@pytest.mark.django_db
def test_token_endpoint_gives_a_hashed_expiring_token_for_the_right_password(operator):
    before = timezone.now()
    response = anonymous().post(
        TOKEN_URL, {"username": "operator", "password": PASSWORD, "name": "ERP"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert sorted(body) == ["expires", "id", "name", "token"]
    key = body["token"]
    token = ApiToken.objects.get()
    assert (token.pk, token.name, token.user_id) == (body["id"], "ERP", operator.pk)
    assert (token.key_hash, token.key_prefix) == (hash_api_key(key), key[:8])
    assert key not in {token.key_hash, token.key_prefix}
    assert (
        before + dt.timedelta(days=30) <= token.expires_at <= timezone.now() + dt.timedelta(days=30)
    )
    assert dt.datetime.fromisoformat(body["expires"].replace("Z", "+00:00")) == token.expires_at
    assert me_status(key)[0] == 200
    assert audit_rows() == [
        ("login", "operator", "user", {"method": "api_token"}),
        ("create", "operator", "apitoken", {}),
    ]
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_token_endpoint_refuses_a_wrong_password_and_counts_it(operator):
    response = anonymous().post(
        TOKEN_URL, {"username": "operator", "password": "wrong"}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"code": "invalid", "detail": "The user name, password or code is not correct."},
    )
    assert ApiToken.objects.count() == 0
    assert User.objects.get(pk=operator.pk).failed_login_count == 1
    assert audit_rows() == [
        (
            "login_failed",
            "operator",
            "user",
            {"reason": "wrong_password", "failed_attempts": 1, "failed_login_count": 1},
        )
    ]


@pytest.mark.django_db
def test_token_endpoint_throttles_after_five_failures_even_with_the_right_password(operator):
    client = anonymous()
    answers = [
        client.post(TOKEN_URL, {"username": "operator", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    response = client.post(TOKEN_URL, {"username": "operator", "password": PASSWORD})

    assert answers == [400] * 5
    assert response.status_code == 429
    body = response.json()
    assert (body["code"], body["retry_after"], response["Retry-After"]) == (
        "throttled",
        body["retry_after"],
        str(body["retry_after"]),
    )
    assert body["retry_after"] in (1, 2)
    assert ApiToken.objects.count() == 0
    assert [row[3]["reason"] for row in audit_rows() if row[0] == "login_failed"] == [
        "wrong_password"
    ] * 5 + ["throttled"]
    # A known and an unknown name answer alike.
    cache.clear()
    for _ in range(5):
        client.post(TOKEN_URL, {"username": "ghost", "password": "wrong"})
    ghost = client.post(TOKEN_URL, {"username": "ghost", "password": PASSWORD})
    assert (ghost.status_code, ghost.json()["code"]) == (429, "throttled")


@pytest.mark.django_db
def test_token_endpoint_keeps_the_per_address_rate_limit(settings, operator):
    settings.ZHIZAO_LOGIN_RATE_PER_IP = 2
    client = anonymous()
    for name in ("a", "b"):
        client.post(TOKEN_URL, {"username": name, "password": "wrong"})

    response = client.post(TOKEN_URL, {"username": "operator", "password": PASSWORD})

    assert (response.status_code, response.json()["code"]) == (429, "rate_limited")
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_token_endpoint_needs_the_code_of_a_two_factor_account(officer):
    User.objects.filter(pk=officer.pk).update(totp_secret=SECRET, totp_enabled=True)
    client = anonymous()
    data = {"username": "officer", "password": PASSWORD}

    missing = client.post(TOKEN_URL, data)
    wrong = client.post(TOKEN_URL, {**data, "totp": "000000"})
    code = pyotp.TOTP(SECRET).now()
    right = client.post(TOKEN_URL, {**data, "totp": code})
    reused = client.post(TOKEN_URL, {**data, "totp": code})

    assert (missing.status_code, missing.json()["code"]) == (400, "totp_required")
    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid")
    assert right.status_code == 200
    assert (reused.status_code, reused.json()["code"]) == (400, "totp_reused")
    assert ApiToken.objects.count() == 1
    assert [(row[0], row[3].get("reason") or row[3].get("method")) for row in audit_rows()] == [
        ("login_failed", "missing_totp"),
        ("login_failed", "wrong_totp"),
        ("login", "api_token+totp"),
        ("create", None),
        ("login_failed", "reused_totp"),
    ]
    assert User.objects.get(pk=officer.pk).failed_login_count == 1


@pytest.mark.django_db
def test_token_endpoint_names_missing_fields(db):
    response = anonymous().post(TOKEN_URL, {"username": "operator"})

    assert (response.status_code, response.json()) == (
        400,
        {"password": ["This field is required."]},
    )
    assert AuditEntry.objects.count() == 0


# --- the authentication class ---------------------------------------------------------------


@pytest.mark.django_db
def test_expired_revoked_unknown_and_inactive_tokens_are_refused(enterprise_user, officer):
    expired = make_api_token(enterprise_user, days=-1)
    revoked = make_api_token(enterprise_user, revoked_at=timezone.now(), revoked_reason="user")
    inactive = make_api_token(officer)
    User.objects.filter(pk=officer.pk).update(is_active=False)

    assert me_status(expired) == (401, {"detail": "This token has expired."})
    assert me_status(revoked) == (401, {"detail": "This token has been revoked."})
    assert me_status("zz_" + "x" * 43) == (401, {"detail": "The token is not valid."})
    assert me_status(inactive) == (401, {"detail": "The token is not valid."})


@pytest.mark.django_db
def test_token_use_is_noted_at_most_once_a_minute(enterprise_user):
    key = make_api_token(enterprise_user)
    token = ApiToken.objects.get()
    now = timezone.now()

    record_api_token_use(token, now=now)
    record_api_token_use(ApiToken.objects.get(), now=now + dt.timedelta(seconds=59))
    first = ApiToken.objects.get().last_used_at
    record_api_token_use(ApiToken.objects.get(), now=now + dt.timedelta(seconds=61))

    assert first == now
    assert ApiToken.objects.get().last_used_at == now + dt.timedelta(seconds=61)
    assert me_status(key)[0] == 200


def test_drf_authtoken_is_gone():
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "zhizao.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ]


@pytest.mark.django_db
def test_authtoken_table_is_dropped():
    assert "authtoken_token" not in connection.introspection.table_names()


# --- revocation by password changes and deactivations ---------------------------------------


def _revocation_rows(user):
    return [
        e.context
        for e in AuditEntry.objects.order_by("id")
        if e.context.get("event") == "api_tokens_revoked" and e.object_id == str(user.pk)
    ]


@pytest.mark.django_db
def test_security_page_password_change_revokes_the_tokens(client, enterprise_user):
    key = make_api_token(enterprise_user)
    client.force_login(enterprise_user)

    client.post(
        "/accounts/security/",
        {
            "action": "password",
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    token = ApiToken.objects.get()
    assert token.revoked_reason == "password_changed"
    assert me_status(key) == (401, {"detail": "This token has been revoked."})
    assert _revocation_rows(enterprise_user) == [
        {"event": "api_tokens_revoked", "reason": "password_changed", "tokens": [token.pk]}
    ]


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        (
            lambda actor, user: change_password(actor, user, password=NEW_PASSWORD),
            "password_changed",
        ),
        (lambda actor, user: reset_password(actor, user, password=NEW_PASSWORD), "password_reset"),
        (lambda actor, user: set_user_active(actor, user, active=False), "user_deactivated"),
        (
            lambda actor, user: set_membership_active(actor, user.memberships.get(), active=False),
            "membership_deactivated",
        ),
    ],
    ids=["change_password", "reset_password", "deactivate_user", "deactivate_membership"],
)
@pytest.mark.django_db
def test_every_password_and_access_change_revokes_the_tokens(
    operator, enterprise_user, action, reason
):
    keys = [make_api_token(enterprise_user, name=n) for n in ("a", "b")]
    make_api_token(enterprise_user, name="old", days=-1)  # expired: left as it is
    other = make_api_token(operator)

    action(actor_for(operator), User.objects.get(pk=enterprise_user.pk))

    assert sorted(
        ApiToken.objects.filter(user=enterprise_user).values_list("name", "revoked_reason")
    ) == [("a", reason), ("b", reason), ("old", "")]
    assert [me_status(key)[0] for key in keys] == [401, 401]
    assert me_status(other)[0] == 200
    assert len(_revocation_rows(enterprise_user)) == 1


# --- the owner's API ------------------------------------------------------------------------


@pytest.mark.django_db
def test_owner_lists_creates_rotates_and_revokes_tokens_through_the_api(enterprise_user):
    key = make_api_token(enterprise_user, name="first")
    client = with_key(key)

    created = client.post(TOKENS_URL, {"name": "ERP sync"}, format="json")
    new_key = created.json()["token"]
    listed = client.get(TOKENS_URL).json()
    rotated = client.post(f"{TOKENS_URL}{created.json()['id']}/rotate/")
    revoked = client.delete(f"{TOKENS_URL}{listed[1]['id']}/")

    assert created.status_code == 201
    assert [(t["name"], t["active"], t["key_prefix"]) for t in listed] == [
        ("ERP sync", True, new_key[:8]),
        ("first", True, key[:8]),
    ]
    assert "token" not in listed[0]
    assert rotated.status_code == 201
    assert me_status(new_key) == (401, {"detail": "This token has been revoked."})
    assert me_status(rotated.json()["token"])[0] == 200
    assert revoked.status_code == 204
    assert me_status(key) == (401, {"detail": "This token has been revoked."})
    assert sorted(ApiToken.objects.values_list("name", "revoked_reason")) == [
        ("ERP sync", ""),
        ("ERP sync", "rotated"),
        ("first", "user"),
    ]
    assert [(row[0], row[2]) for row in audit_rows()] == [
        ("create", "apitoken"),
        ("state", "apitoken"),
        ("create", "apitoken"),
        ("state", "apitoken"),
    ]


@pytest.mark.django_db
def test_another_users_token_is_404_and_unchanged(enterprise_user, other_enterprise_user):
    make_api_token(other_enterprise_user)
    theirs = ApiToken.objects.get()
    client = with_key(make_api_token(enterprise_user))

    assert client.delete(f"{TOKENS_URL}{theirs.pk}/").status_code == 404
    assert client.post(f"{TOKENS_URL}{theirs.pk}/rotate/").status_code == 404
    assert [t["id"] for t in client.get(TOKENS_URL).json()] != [theirs.pk]
    theirs.refresh_from_db()
    assert (theirs.revoked_at, ApiToken.objects.count(), AuditEntry.objects.count()) == (
        None,
        2,
        0,
    )


@pytest.mark.django_db
def test_creating_a_token_without_a_name_says_so(enterprise_user):
    response = with_key(make_api_token(enterprise_user)).post(TOKENS_URL, {"name": "  "})

    assert (response.status_code, response.json()) == (
        400,
        {"name": ["Enter a name for the token."]},
    )
    assert ApiToken.objects.count() == 1


# --- the security page and the operators' page ----------------------------------------------


@pytest.fixture
def page_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.mark.django_db
def test_security_page_shows_a_new_key_once_and_revokes(page_client, enterprise_user):
    page_client.force_login(enterprise_user)

    response = page_client.post(
        "/accounts/security/", {"action": "token_create", "name": "Nightly export"}
    )
    key = response.context["issued"].key
    again = page_client.get("/accounts/security/")
    token = ApiToken.objects.get()
    revoke = page_client.post(
        "/accounts/security/", {"action": "token_revoke", "token": str(token.pk)}
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.content.decode().count(key) == 1
    assert key not in again.content.decode()
    assert token.key_prefix in again.content.decode()
    assert (revoke.status_code, revoke.url) == (302, "/accounts/security/")
    token.refresh_from_db()
    assert token.revoked_reason == "user"
    assert me_status(key)[0] == 401


@pytest.mark.django_db
def test_security_page_cannot_touch_another_users_token(page_client, enterprise_user, officer):
    make_api_token(officer)
    theirs = ApiToken.objects.get()
    page_client.force_login(enterprise_user)

    for action in ("token_revoke", "token_rotate"):
        response = page_client.post(
            "/accounts/security/", {"action": action, "token": str(theirs.pk)}
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.revoked_at, ApiToken.objects.count(), AuditEntry.objects.count()) == (
        None,
        1,
        0,
    )


@pytest.mark.django_db
def test_operator_revokes_all_tokens_of_a_user(page_client, operator, enterprise_user):
    keys = [make_api_token(enterprise_user, name=n) for n in ("a", "b")]
    page_client.force_login(operator)
    page = page_client.get(f"/accounts/users/{enterprise_user.pk}/")

    response = page_client.post(
        f"/accounts/users/{enterprise_user.pk}/", {"action": "revoke_tokens"}
    )

    assert "Working API tokens: 2." in page.content.decode()
    assert (response.status_code, response.url) == (302, f"/accounts/users/{enterprise_user.pk}/")
    assert [me_status(key)[0] for key in keys] == [401, 401]
    assert set(ApiToken.objects.values_list("revoked_reason", flat=True)) == {"operator"}
    assert [row[3]["reason"] for row in audit_rows()] == ["operator"]


@pytest.mark.django_db
def test_non_operator_cannot_revoke_someone_elses_tokens(page_client, officer, enterprise_user):
    make_api_token(enterprise_user)
    page_client.force_login(officer)

    response = page_client.post(
        f"/accounts/users/{enterprise_user.pk}/", {"action": "revoke_tokens"}
    )

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_create_api_token_service_records_name_and_expiry(enterprise_user):
    now = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)

    issued = create_api_token(actor_for(enterprise_user), enterprise_user, name=" CI ", now=now)

    assert (issued.token.name, issued.token.expires_at) == ("CI", now + dt.timedelta(days=30))
    assert issued.key.startswith("zz_") and len(issued.key) == 46
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == (
        "create",
        {
            "user": [None, str(enterprise_user.pk)],
            "name": [None, "CI"],
            "expires_at": [None, "2026-04-01T07:00:00+00:00"],
        },
    )


@pytest.mark.parametrize("path", ["changepassword_command", "set_password_and_save"])
@pytest.mark.django_db
def test_a_password_set_outside_the_services_also_revokes_the_tokens(
    monkeypatch, enterprise_user, path
):
    """The class of paths around the services (``manage.py changepassword``, the admin's form,
    a shell): any save that stores a new password hash stops the user's tokens."""
    key = make_api_token(enterprise_user)
    other = make_api_token(enterprise_user, name="second")
    if path == "changepassword_command":
        from django.core.management import call_command

        answers = iter([NEW_PASSWORD, NEW_PASSWORD])
        monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
        call_command("changepassword", enterprise_user.username, stdout=None)
    else:
        user = User.objects.get(pk=enterprise_user.pk)
        user.set_password(NEW_PASSWORD)
        user.save()

    assert me_status(key) == (401, {"detail": "This token has been revoked."})
    assert me_status(other) == (401, {"detail": "This token has been revoked."})
    assert set(ApiToken.objects.values_list("revoked_reason", flat=True)) == {"password_changed"}
    assert len(_revocation_rows(enterprise_user)) == 1


@pytest.mark.django_db
def test_saving_a_user_without_a_new_password_keeps_the_tokens(enterprise_user):
    key = make_api_token(enterprise_user)
    user = User.objects.get(pk=enterprise_user.pk)
    user.first_name = "Changed"
    user.save()

    assert me_status(key)[0] == 200
    assert ApiToken.objects.get().revoked_at is None
    assert _revocation_rows(enterprise_user) == []
