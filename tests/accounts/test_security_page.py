"""The user's own security page: changing the password."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from zhizao.accounts.models import User
from zhizao.common.models import AuditEntry

URL = "/accounts/security/"
NEW_PASSWORD = "Heng-Run#2026x"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.mark.django_db
def test_security_page_needs_login(client):
    response = client.get(URL)

    assert (response.status_code, response.url) == (
        302,
        "/accounts/login/?next=/accounts/security/",
    )


@pytest.mark.django_db
def test_change_password_keeps_the_session_and_is_audited(client, enterprise_user):
    client.force_login(enterprise_user)

    response = client.post(
        URL,
        {
            "action": "password",
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert (response.status_code, response.url) == (302, URL)
    assert User.objects.get(pk=enterprise_user.pk).check_password(NEW_PASSWORD)
    assert client.get(URL).status_code == 200  # still logged in with the new session hash
    assert client.session["_auth_user_id"] == str(enterprise_user.pk)
    assert [(e.action, e.actor_name, e.changes, e.context) for e in AuditEntry.objects.all()] == [
        ("update", "enterprise", {}, {"event": "password_changed"})
    ]


@pytest.mark.django_db
def test_change_password_with_a_wrong_old_password_changes_nothing(client, enterprise_user):
    client.force_login(enterprise_user)

    response = client.post(
        URL,
        {
            "action": "password",
            "old_password": "not-it",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["password_form"].errors == {
        "old_password": ["Your old password was entered incorrectly. Please enter it again."]
    }
    assert User.objects.get(pk=enterprise_user.pk).check_password(PASSWORD)
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_change_password_applies_the_character_class_rule(client, enterprise_user):
    client.force_login(enterprise_user)

    response = client.post(
        URL,
        {
            "action": "password",
            "old_password": PASSWORD,
            "new_password1": "zhizaozhizao",
            "new_password2": "zhizaozhizao",
        },
    )

    assert response.context["password_form"].errors == {
        "new_password2": [
            "The password must mix at least 3 of: lower-case letters, upper-case letters, "
            "digits and symbols."
        ]
    }
    assert User.objects.get(pk=enterprise_user.pk).check_password(PASSWORD)


@pytest.mark.django_db
def test_security_page_with_two_factor_on_shows_no_setup(client, enterprise_user):
    User.objects.filter(pk=enterprise_user.pk).update(
        totp_enabled=True, totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    )
    client.force_login(enterprise_user)

    response = client.get(URL)

    assert response.status_code == 200
    assert ("qr_svg" in response.context, "secret" in response.context) == (False, False)
    assert "zhizao_totp_setup_secret" not in client.session
    assert "JBSWY3DP" not in response.content.decode()


@pytest.mark.django_db
def test_security_page_unknown_action_is_404(client, enterprise_user):
    client.force_login(enterprise_user)

    assert client.post(URL, {"action": "nothing"}).status_code == 404


@pytest.mark.django_db
def test_security_page_renders_in_chinese_by_default(enterprise_user):
    from django.test import Client

    client = Client()
    client.force_login(enterprise_user)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["LANGUAGE_CODE"] == "zh-hans"
    assert response.content.decode().count('<svg viewBox="0 0 ') == 1
