"""The Django admin logs in through our login page only and opens to operators only; a
superuser flag grants no platform permission."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import urlencode

from tests.factories import PASSWORD, make_user
from zhizao.accounts.enums import Role
from zhizao.common.models import AuditEntry

ADMIN = "/django-admin/"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def superuser(db):
    """A superuser and staff member with no membership at all."""
    return make_user("root", is_superuser=True, is_staff=True)


@pytest.fixture
def staff_operator(db, platform_org):
    return make_user(
        "staffop", role=Role.OPERATOR, organization=platform_org, is_staff=True, is_superuser=True
    )


@pytest.mark.django_db
def test_admin_login_page_sends_to_our_login(client):
    response = client.get(f"{ADMIN}login/", {"next": "/django-admin/accounts/user/"})

    assert (response.status_code, response.url) == (
        302,
        "/accounts/login/?next=/django-admin/accounts/user/",
    )
    assert client.get(f"{ADMIN}login/", {"next": "https://evil.example/"}).url == (
        "/accounts/login/?next=/django-admin/"
    )


@pytest.mark.django_db
def test_a_password_posted_to_the_admin_login_is_never_checked(client, superuser):
    response = client.post(
        f"{ADMIN}login/",
        {"username": "root", "password": PASSWORD, "next": ADMIN},
    )

    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/django-admin/")
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_admin_of_an_anonymous_visitor_ends_at_our_login(client):
    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain == [
        ("/django-admin/login/?next=/django-admin/", 302),
        ("/accounts/login/?next=/django-admin/", 302),
    ]
    assert response.templates[0].name == "accounts/login.html"


@pytest.mark.django_db
def test_superuser_without_operator_membership_gets_no_operator_pages(client, superuser):
    client.force_login(superuser)

    # No acting membership: every platform page sends to the chooser, which has nothing to offer.
    urls = ("/accounts/users/", f"/accounts/users/{superuser.pk}/", "/audit/")
    answers = {url: (r.status_code, r.url) for url in urls for r in [client.get(url)]}
    chooser = reverse("accounts:choose_membership")

    admin = client.get(ADMIN, follow=True)

    assert answers == {url: (302, f"{chooser}?{urlencode({'next': url})}") for url in urls}
    assert admin.status_code == 404
    assert client.post(f"/accounts/users/{superuser.pk}/", {"action": "unlock"}).status_code == 302
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_staff_operator_logged_in_through_our_page_opens_the_admin(client, staff_operator):
    client.post("/accounts/login/", {"username": "staffop", "password": PASSWORD})

    response = client.get(ADMIN)

    assert response.status_code == 200
    assert client.get(f"{ADMIN}login/").url == ADMIN
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["login"]


@pytest.mark.django_db
def test_operator_without_staff_flag_gets_no_admin(client, operator):
    client.force_login(operator)

    assert client.get(ADMIN, follow=True).status_code == 404


@pytest.mark.django_db
def test_admin_password_pages_send_to_the_audited_pages(client, staff_operator, officer):
    client.force_login(staff_operator)

    own = client.get(f"{ADMIN}password_change/")
    other = client.get(f"{ADMIN}accounts/user/{officer.pk}/password/")

    assert (own.status_code, own.url) == (302, "/accounts/security/")
    assert (other.status_code, other.url) == (302, f"/accounts/users/{officer.pk}/")
