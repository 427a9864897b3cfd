"""The acting membership is set once per request and never defaulted: a user with several
memberships chooses, a choice that is no longer valid is refused, the API header never touches
a session, and a superuser flag grants nothing without an operator membership."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership
from zhizao.accounts.selectors import SESSION_KEY
from zhizao.common.models import AuditEntry

CHOOSE = "/accounts/choose/"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def two_hats(db, operator, factory_org):
    """The operator also acts as an expert for a factory."""
    expert = Membership.objects.create(user=operator, organization=factory_org, role=Role.EXPERT)
    return operator, operator.memberships.get(role=Role.OPERATOR), expert


def choose(client, membership_id):
    session = client.session
    session[SESSION_KEY] = membership_id
    session.save()


@pytest.mark.django_db
def test_only_membership_acts_without_a_choice(client, enterprise_user):
    client.force_login(enterprise_user)

    page = client.get("/registry/")

    assert page.status_code == 200
    assert page.wsgi_request.membership == enterprise_user.memberships.get()
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_several_memberships_without_a_choice_go_to_the_chooser(client, two_hats):
    operator, operator_membership, expert = two_hats
    client.force_login(operator)

    response = client.get("/accounts/users/?q=x")

    assert (response.status_code, response.url) == (
        302,
        "/accounts/choose/?next=%2Faccounts%2Fusers%2F%3Fq%3Dx",
    )
    # Nothing was picked for the user: the operator pages stay closed until a choice is made.
    assert SESSION_KEY not in client.session
    response = client.get("/registry/")
    assert (response.status_code, response.url) == (302, "/accounts/choose/?next=%2Fregistry%2F")
    chooser = client.get(response.url)
    assert [m.pk for m in chooser.context["choices"]] == [operator_membership.pk, expert.pk]
    assert chooser.context["next"] == "/registry/"
    assert chooser.context["stale"] is False


@pytest.mark.django_db
def test_a_deactivated_choice_is_refused_not_replaced(client, two_hats):
    operator, operator_membership, expert = two_hats
    client.force_login(operator)
    choose(client, expert.pk)
    assert client.get("/registry/").wsgi_request.membership == expert

    Membership.objects.filter(pk=expert.pk).update(is_active=False)

    response = client.get("/accounts/users/")
    assert (response.status_code, response.url) == (
        302,
        "/accounts/choose/?next=%2Faccounts%2Fusers%2F",
    )
    assert response.wsgi_request.membership is None
    chooser = client.get(response.url)
    assert chooser.context["stale"] is True
    assert [m.pk for m in chooser.context["choices"]] == [operator_membership.pk]
    assert "no longer active" in chooser.content.decode()


@pytest.mark.django_db
def test_a_choice_of_someone_elses_membership_in_the_session_is_refused(
    client, enterprise_user, operator
):
    client.force_login(enterprise_user)
    choose(client, operator.memberships.get().pk)

    response = client.get("/accounts/users/")

    assert response.status_code == 302
    assert response.wsgi_request.membership is None


@pytest.mark.django_db
def test_superuser_without_membership_gets_no_operator_pages(client):
    root = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(root)

    response = client.get("/audit/")
    assert (response.status_code, response.url) == (302, "/accounts/choose/?next=%2Faudit%2F")
    chooser = client.get(CHOOSE)
    assert chooser.context["choices"] == []
    assert "no active membership" in chooser.content.decode()
    response = client.get("/accounts/users/")
    assert (response.status_code, response.url) == (
        302,
        "/accounts/choose/?next=%2Faccounts%2Fusers%2F",
    )
    assert client.get("/api/registry/organizations/").status_code == 403


@pytest.mark.django_db
def test_superuser_with_an_enterprise_membership_is_an_enterprise(client):
    factory = make_organization(name="超级工厂", region="320214", industry="3311")
    root = make_user("root", role=Role.ENTERPRISE, organization=factory, is_superuser=True)
    client.force_login(root)

    assert client.get("/accounts/users/").status_code == 404
    assert client.get("/audit/").status_code == 404
    assert client.get("/registry/imports/").status_code == 404


@pytest.mark.django_db
def test_public_pages_open_without_a_membership(client):
    root = make_user("nobody")
    client.force_login(root)

    page = client.get("/matchmaking/open-challenges/")

    assert page.status_code == 200
    assert page.wsgi_request.membership is None


# --- the API ----------------------------------------------------------------------------------


def api_as(user) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


@pytest.mark.django_db
def test_api_without_header_and_several_memberships_is_refused(two_hats):
    operator, _operator_membership, _expert = two_hats

    response = api_as(operator).get("/api/registry/organizations/")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "You belong to several organisations: send X-Zhizao-Membership with the id of "
        "the membership to act in (see /api/accounts/me/)."
    }


@pytest.mark.django_db
def test_api_header_picks_one_of_the_callers_memberships(two_hats, other_enterprise_user):
    operator, operator_membership, expert = two_hats
    api = api_as(operator)

    missing = "/api/registry/imports/00000000-0000-0000-0000-000000000000/"
    as_operator = api.get("/api/accounts/me/", HTTP_X_ZHIZAO_MEMBERSHIP=operator_membership.pk)
    as_expert = api.get(missing, HTTP_X_ZHIZAO_MEMBERSHIP=expert.pk)
    foreign = api.get(
        "/api/registry/organizations/",
        HTTP_X_ZHIZAO_MEMBERSHIP=other_enterprise_user.memberships.get().pk,
    )
    garbage = api.get("/api/registry/organizations/", HTTP_X_ZHIZAO_MEMBERSHIP="1e3")

    assert [m["acting"] for m in as_operator.json()["memberships"]] == [True, False]
    assert as_expert.status_code == 404
    expected = {"detail": "X-Zhizao-Membership does not name one of your active memberships."}
    assert (foreign.status_code, foreign.json()) == (403, expected)
    assert (garbage.status_code, garbage.json()) == (403, expected)


@pytest.mark.django_db
def test_api_header_never_changes_the_session(client, two_hats):
    operator, operator_membership, expert = two_hats
    client.force_login(operator)
    choose(client, operator_membership.pk)

    response = client.get("/api/accounts/me/", HTTP_X_ZHIZAO_MEMBERSHIP=str(expert.pk))

    # Acting as the expert for this request only.
    assert [m["acting"] for m in response.json()["memberships"]] == [False, True]
    assert client.session[SESSION_KEY] == operator_membership.pk
    again = client.get("/api/accounts/me/").json()
    assert [m["acting"] for m in again["memberships"]] == [True, False]
    assert client.get("/accounts/users/").status_code == 200
    assert AuditEntry.objects.count() == 0
