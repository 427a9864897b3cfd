"""Every free-text search is bounded: at most 100 characters and 8 words, refused with a
message (pages) or a 400 naming ``q`` (API), never run — a pasted paragraph cannot make a list
scan its table once per word."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_api_token, make_organization

pytestmark = pytest.mark.django_db

LONG = "数控机床 " * 200  # 1,000 characters, 200 words
MANY = " ".join(f"词{i}" for i in range(9))  # short, but 9 words
MESSAGE = "Search with at most 100 characters and 8 words."

LISTS = [
    "registry:organization_list",
    "matchmaking:demand_list",
    "matchmaking:offering_list",
    "policies:policy_list",
    "accounts:user_list",
]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("query", [LONG, MANY], ids=["1000-chars", "9-words"])
def test_a_long_search_is_refused_with_a_message(client, operator, name, query):
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)
    page = client.get(reverse(name), {"q": query})
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count(f"data-search-error>{MESSAGE}</p>") == 1


def test_a_search_within_the_bounds_still_works(client, operator):
    client.cookies["django_language"] = "en"
    make_organization(name="无锡数控机床有限公司", products=["数控机床"])
    assert client.login(username=operator.username, password=PASSWORD)
    page = client.get(reverse("registry:organization_list"), {"q": "数控 机床"})
    assert "data-search-error" not in page.content.decode()
    assert [o.name for o in page.context["page_obj"].object_list] == ["无锡数控机床有限公司"]


def test_the_api_refuses_a_long_search_with_400_naming_q(client, operator):
    token = make_api_token(operator)
    response = client.get(
        "/api/registry/organizations/",
        {"q": LONG},
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "q" in str(response.json())
