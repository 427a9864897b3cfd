"""Switching the organisation and role one acts in: only one's own active memberships."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from tests.factories import make_organization
from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership
from zhizao.accounts.selectors import SESSION_KEY
from zhizao.common.models import AuditEntry

URL = "/accounts/switch/"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def expert_membership(enterprise_user):
    university = make_organization(
        name="江南大学", kind="university", region="320211", industry=None
    )
    return Membership.objects.create(
        user=enterprise_user, organization=university, role=Role.EXPERT
    )


@pytest.mark.django_db
def test_switch_to_own_membership_is_stored_and_audited(client, enterprise_user, expert_membership):
    first = enterprise_user.memberships.get(role=Role.ENTERPRISE)
    client.force_login(enterprise_user)
    session = client.session
    session[SESSION_KEY] = first.pk
    session.save()

    response = client.post(URL, {"membership": expert_membership.pk, "next": "/registry/"})

    assert (response.status_code, response.url) == (302, "/registry/")
    assert client.session[SESSION_KEY] == expert_membership.pk
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You now act as Expert of 江南大学."
    ]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_name, entry.object_id, entry.acting_role) == (
        "state",
        "enterprise",
        str(expert_membership.pk),
        "enterprise",
    )
    assert entry.changes == {
        "acting_organization": [first.organization_id, expert_membership.organization_id],
        "acting_role": ["enterprise", "expert"],
    }
    # The next page acts in the chosen membership.
    page = client.get("/accounts/security/")
    assert page.context["current_membership"] == expert_membership


@pytest.mark.django_db
def test_switch_to_someone_elses_membership_is_404_and_changes_nothing(
    client, enterprise_user, other_enterprise_user, expert_membership
):
    client.force_login(enterprise_user)
    session = client.session
    session[SESSION_KEY] = expert_membership.pk
    session.save()
    foreign = other_enterprise_user.memberships.get()

    response = client.post(URL, {"membership": foreign.pk, "next": "/"})

    assert response.status_code == 404
    assert client.session[SESSION_KEY] == expert_membership.pk
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_switch_to_a_missing_membership_is_404(client, enterprise_user, value):
    client.force_login(enterprise_user)

    response = client.post(URL, {"membership": value})

    assert response.status_code == 404
    assert SESSION_KEY not in client.session
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_switch_to_own_inactive_membership_is_404(client, enterprise_user, expert_membership):
    Membership.objects.filter(pk=expert_membership.pk).update(is_active=False)
    client.force_login(enterprise_user)

    response = client.post(URL, {"membership": expert_membership.pk})

    assert response.status_code == 404
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_switch_goes_back_to_a_safe_referrer_else_home(client, enterprise_user, expert_membership):
    client.force_login(enterprise_user)

    response = client.post(
        URL,
        {"membership": expert_membership.pk, "next": "https://evil.example/"},
        headers={"referer": "http://testserver/registry/chains/"},
    )
    assert (response.status_code, response.url) == (302, "http://testserver/registry/chains/")

    response = client.post(
        URL, {"membership": expert_membership.pk}, headers={"referer": "https://evil.example/"}
    )
    assert (response.status_code, response.url) == (302, "/")


@pytest.mark.django_db
def test_switch_is_post_only_and_needs_login(client, enterprise_user, expert_membership):
    response = client.post(URL, {"membership": expert_membership.pk})
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/accounts/switch/")

    client.force_login(enterprise_user)
    response = client.get(URL, {"membership": expert_membership.pk})
    assert response.status_code == 405
    assert SESSION_KEY not in client.session
