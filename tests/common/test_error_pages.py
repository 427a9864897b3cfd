"""Errors land on the platform's own pages — layout, the user's language, a way back — and
switching the acting organisation never lands on a page the new one may not open."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, make_organization
from tests.security.world import build_world
from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership
from zhizao.common.views import permission_denied, server_error

pytestmark = pytest.mark.django_db

MISSING = "/registry/999999999/"


def login(client, user, lang):
    client.cookies["django_language"] = lang
    assert client.login(username=user.username, password=PASSWORD)


@pytest.mark.parametrize(
    ("lang", "title", "home"),
    [("zh-hans", "页面不存在", "进入我的工作台"), ("en", "Page not found", "Go to your workbench")],
)
def test_a_missing_page_is_ours_in_the_users_language(client, enterprise_user, lang, title, home):
    login(client, enterprise_user, lang)
    page = client.get(MISSING)
    body = page.content.decode()
    assert page.status_code == 404
    assert f"<h1>{title}</h1>" in body
    assert 'class="topbar"' in body and 'class="sidebar"' in body
    assert f'<a class="btn btn-primary" href="/">{home}</a>' in body
    assert "Not Found" not in body


def test_the_way_back_is_the_previous_page_of_this_site_only(client, enterprise_user):
    login(client, enterprise_user, "en")
    body = client.get(MISSING, HTTP_REFERER="http://testserver/registry/").content.decode()
    assert '<a class="btn btn-secondary" href="http://testserver/registry/">' in body
    body = client.get(MISSING, HTTP_REFERER="https://evil.example/x").content.decode()
    assert "evil.example" not in body
    assert "Back to the previous page" not in body


def test_a_visitor_gets_the_page_in_english_with_the_home_page(client):
    client.cookies["django_language"] = "en"
    page = client.get(MISSING)
    assert page.status_code == 302  # pages need a login; a public path that is missing:
    page = client.get("/matchmaking/open-challenges/999999999/")
    body = page.content.decode()
    assert (page.status_code, "<h1>Page not found</h1>" in body) == (404, True)
    assert '<a class="btn btn-primary" href="/">Go to the home page</a>' in body


@pytest.mark.parametrize(
    ("lang", "denied", "broken"),
    [("zh-hans", "无权访问", "出错了"), ("en", "Access denied", "Something went wrong")],
)
def test_403_and_500_pages_are_ours_in_both_languages(enterprise_user, lang, denied, broken):
    request = RequestFactory().get("/x/")
    request.user = enterprise_user
    request.membership = enterprise_user.memberships.get()
    request.memberships = [request.membership]
    with translation.override(lang):
        forbidden = permission_denied(request)
        failed = server_error(request)
    assert forbidden.status_code == 403
    assert f"<h1>{denied}</h1>" in forbidden.content.decode()
    assert failed.status_code == 500
    assert f"<h1>{broken}</h1>" in failed.content.decode()
    assert 'class="topbar"' in failed.content.decode()


@pytest.fixture
def two_roles(enterprise_user):
    university = make_organization(
        name="江南大学", kind="university", region="320211", industry=None
    )
    expert = Membership.objects.create(
        user=enterprise_user, organization=university, role=Role.EXPERT
    )
    return enterprise_user, enterprise_user.memberships.get(role=Role.ENTERPRISE), expert


def switch(client, membership, next_url):
    return client.post(
        reverse("accounts:switch_membership"), {"membership": membership.pk, "next": next_url}
    )


def test_switching_on_a_page_the_new_organisation_may_not_open_goes_to_its_workbench(
    client, two_roles
):
    user, enterprise, expert = two_roles
    login(client, user, "en")
    switch(client, enterprise, "/")
    assert client.get(reverse("policies:my_policies")).status_code == 200
    response = switch(client, expert, reverse("policies:my_policies"))
    assert (response.status_code, response.url) == (302, "/")
    assert client.get("/").context["current_membership"] == expert
    # a page both may open: back to it; and back again to 我的政策 as the enterprise
    response = switch(client, enterprise, reverse("registry:organization_list") + "?q=CNC")
    assert response.url == reverse("registry:organization_list") + "?q=CNC"
    response = switch(client, enterprise, reverse("policies:my_policies"))
    assert response.url == reverse("policies:my_policies")
    # an address that is no page at all
    assert switch(client, expert, "/no/such/page/").url == "/"


def test_a_demand_links_only_the_introductions_the_viewer_may_open():
    world = build_world()
    o = world.objects
    for name, linked in (("officer", False), ("operator", True), ("ent_a", True)):
        client = Client()
        assert client.login(username=world.users[name].username, password=PASSWORD)
        body = client.get(reverse("matchmaking:demand_detail", args=[o["demand"].pk])).content
        link = reverse("matchmaking:introduction_detail", args=[o["intro_requested"].pk])
        assert (f'href="{link}"' in body.decode()) is linked, name


def test_a_provider_browses_the_published_demands_from_the_breadcrumb():
    world = build_world()
    o = world.objects
    client = Client()
    client.cookies["django_language"] = "en"
    assert client.login(username=world.users["provider"].username, password=PASSWORD)
    detail = client.get(reverse("matchmaking:demand_detail", args=[o["demand"].pk]))
    crumb = f'<a href="{reverse("matchmaking:demand_list")}">Demands</a>'
    assert crumb in detail.content.decode()
    listing = client.get(reverse("matchmaking:demand_list"))
    assert listing.status_code == 200
    assert [d.title for d in listing.context["demands"]] == [
        o["demand_mes"].title,
        o["demand"].title,
    ]


@pytest.mark.parametrize(("lang", "denied"), [("zh-hans", "无权访问"), ("en", "Access denied")])
def test_a_form_with_a_stale_token_gets_our_403_page(enterprise_user, lang, denied):
    client = Client(enforce_csrf_checks=True)
    login(client, enterprise_user, lang)
    page = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": "x" * 64})
    body = page.content.decode()
    assert page.status_code == 403
    assert f"<h1>{denied}</h1>" in body and 'class="sidebar"' in body
    assert "CSRF" not in body
    assert client.get("/").status_code == 200  # still logged in: the refused form did nothing


@pytest.mark.parametrize(
    ("lang", "title"),
    [("zh-hans", "此地址不能直接打开"), ("en", "This address cannot be opened directly")],
)
def test_an_action_address_opened_directly_gets_our_405_page(client, enterprise_user, lang, title):
    """A POST-only address typed or followed from the history: the platform's page with the
    method it takes, never Django's empty 405 (a blank page in the browser); nothing changes."""
    from zhizao.common.models import AuditEntry

    login(client, enterprise_user, lang)
    before = AuditEntry.objects.count()
    for url, allow in (
        (reverse("accounts:logout"), "POST"),
        (reverse("notifications_read"), "POST, OPTIONS"),
    ):
        page = client.get(url, HTTP_REFERER="http://testserver/notifications/")
        body = page.content.decode()
        assert page.status_code == 405
        assert page["Allow"] == allow  # what the view takes, kept from its 405
        assert f"<h1>{title}</h1>" in body
        assert 'class="topbar"' in body and 'class="sidebar"' in body
        assert '<a class="btn btn-secondary" href="http://testserver/notifications/">' in body
    assert AuditEntry.objects.count() == before
    assert client.get("/").status_code == 200  # the logout address did not log out


def test_the_api_keeps_its_own_405(client, enterprise_user):
    """The API's 405 carries a JSON body and stays JSON (the middleware turns only empty
    responses into the page)."""
    login(client, enterprise_user, "en")
    page = client.delete(reverse("api-me"))
    assert page.status_code == 405
    assert page["Content-Type"] == "application/json"
    assert page.json() == {"detail": 'Method "DELETE" not allowed.'}
