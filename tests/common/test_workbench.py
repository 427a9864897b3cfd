"""Each role's home page is its workbench (工作台): the providers the apps register per role
(``zhizao.common.navigation.register_workbench``) give its pending actions, figures and
shortcuts. Every provider spends exactly the queries it declares, whatever the number of rows,
so the home page of a role costs a fixed number of queries (the budget in ``PAGE_QUERIES``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, actor_for
from tests.security.world import build_world
from zhizao.common.navigation import (
    ANONYMOUS,
    workbench_providers,
    workbench_query_budget,
)
from zhizao.diagnosis import services as diagnosis
from zhizao.matchmaking import services as matchmaking
from zhizao.policies.enums import EntryState

pytestmark = pytest.mark.django_db

MEMBERS = ("ent_a", "provider", "bank", "officer", "operator", "expert", "society")

# The whole home page per role: 4 queries of its own (session, user, memberships, the
# notification badge) + the role's providers (DECLARED below) + for operators and officers the
# registry blocks (overview 8; operators also the recent imports 1).
DECLARED = {
    "enterprise": 18,
    "provider": 9,
    "bank": 7,
    "officer": 10,
    "operator": 9,
    "expert": 5,
    "society": 4,
    ANONYMOUS: 0,
}
PAGE_QUERIES = {
    "ent_a": 4 + 18,
    "provider": 4 + 9,
    "bank": 4 + 7,
    "officer": 4 + 10 + 8,
    "operator": 4 + 9 + 8 + 1,
    "expert": 4 + 5,
    "society": 4 + 4,
}


@pytest.fixture
def world():
    return build_world()


def client_for(world, name, lang="en") -> Client:
    client = Client()
    client.cookies["django_language"] = lang
    user = world.users[name]
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def membership_of(world, name):
    return world.users[name].memberships.select_related("organization").get()


def spent(world, name) -> dict[str, int]:
    """Queries each provider of the role makes, called as the home page calls it."""
    membership = membership_of(world, name)
    request = RequestFactory().get("/")
    request.user = world.users[name]
    result = {}
    for provider in workbench_providers(membership.role):
        with CaptureQueriesContext(connection) as ctx:
            provider.provide(request, membership)
        result[provider.name] = len(ctx.captured_queries)
    return result


def declared(world, name) -> dict[str, int]:
    return {p.name: p.queries for p in workbench_providers(membership_of(world, name).role)}


def bench(client):
    page = client.get(reverse("home"))
    assert page.status_code == 200
    return page.context["workbench"]


def test_every_role_declares_its_budget():
    assert {role: workbench_query_budget(role) for role in DECLARED} == DECLARED
    assert [p.name for p in workbench_providers("expert")] == [
        "accounts.expert",
        "registry.organization",
        "review.expert",
        "classroom.learner",
        "matchmaking.public",
        "policies.public",
    ]


def test_each_provider_spends_what_it_declares_for_one_row_and_for_more(world):
    for name in MEMBERS:
        assert spent(world, name) == declared(world, name), name
    # more rows of every pending kind: two sections handed over, a second request waiting for
    # the bank, another introduction for the provider
    o = world.objects
    ent = actor_for(world.users["ent_a"])
    domains = [d.id for d in o["model"].parsed().domains()][:2]
    for domain in domains:
        diagnosis.assign_section(ent, o["self_a"], domain, world.users["ent_a"].pk)
    matchmaking.request_introduction(ent, demand=o["demand_mes"], offering=o["bank_offering"])
    matchmaking.request_introduction(
        actor_for(world.users["provider"]), demand=o["demand_mes"], offering=o["offering_mes"]
    )
    for name in MEMBERS:
        assert spent(world, name) == declared(world, name), name
    assert len(bench(client_for(world, "ent_a")).actions) == 6
    assert len(bench(client_for(world, "bank")).actions) == 2


def test_the_home_page_costs_the_same_queries_per_role(world, django_assert_num_queries):
    for name, expected in PAGE_QUERIES.items():
        client = client_for(world, name)
        client.get(reverse("home"))  # warm the per-process caches
        with django_assert_num_queries(expected):
            client.get(reverse("home"))


def test_each_role_sees_its_own_pending_tasks_figures_and_shortcuts(world):
    o = world.objects
    ent = bench(client_for(world, "ent_a"))
    assert [(str(a.kind), a.label) for a in ent.actions] == [
        ("Name-list confirmation", "Confirm your place on the name list “第二批公示名单”"),
        ("Self-assessment", "Finish your self-assessment (1 of 181 answered)"),
        ("Suggested match", "Suggested match with 江苏安全银行无锡分行: 注塑件外观缺陷视觉检测"),
    ]
    assert [(str(f.label), f.value) for f in ent.figures] == [
        ("Maturity level", "—"),
        ("Policies you qualify for", "1"),
        ("Possibly, with more data", "0"),
        ("Published demands", "2"),
        ("Open introductions", "4"),
        ("Courses in progress", "0"),
    ]
    provider = bench(client_for(world, "provider"))
    assert [a.label for a in provider.actions] == [
        "无锡安全甲精密机械有限公司 asks for an introduction: 注塑件外观缺陷视觉检测",
        "Finish the on-site diagnosis of 无锡安全甲精密机械有限公司",
    ]
    assert [(str(f.label), f.value) for f in provider.figures] == [
        ("Demands in your categories", "2"),
        ("Open leads", "3"),
        ("Courses in progress", "0"),
    ]
    assert reverse("matchmaking:demand_list") in [s.url for s in provider.shortcuts]
    officer = bench(client_for(world, "officer"))
    assert [str(f.label) for f in officer.figures] == [
        "Running diagnosis campaigns",
        "Scans (免申即享)",
        "Budgets of published policies",
        "Courses in progress",
    ]
    assert [a.url for a in officer.actions] == [
        reverse("policies:name_list_detail", args=[o["announced_list"].pk]),
        reverse("policies:name_list_detail", args=[o["open_list"].pk]),
    ]
    operator = bench(client_for(world, "operator"))
    assert [str(a.kind) for a in operator.actions] == [
        "Announcement (公示)",
        "Announcement (公示)",
        "Name change",
        "Import",
    ]
    for name in ("expert", "society"):
        other = bench(client_for(world, name))
        # the society's course has the enterprise's unanswered rating
        assert [str(a.kind) for a in other.actions] == (
            ["Course rating"] if name == "society" else []
        )
        assert len(other.notes) == 1
        # the review and calls modules exist: the note no longer promises them
        assert "being built" not in str(other.notes[0])
        assert [s.url for s in other.shortcuts] == [
            reverse("registry:organization_list"),
            *([reverse("calls:call_list")] if name == "society" else []),
            reverse(
                "registry:organization_detail", args=[membership_of(world, name).organization_id]
            ),
            *([reverse("review:my_assignments")] if name == "expert" else []),
            reverse("classroom:catalogue"),
            *([reverse("classroom:my_courses")] if name == "society" else []),
            reverse("matchmaking:challenge_public_list"),
            reverse("policies:public_name_lists"),
        ]


def test_following_the_enterprises_task_completes_it(world):
    client = client_for(world, "ent_a")
    action = bench(client).actions[0]
    assert str(action.kind) == "Name-list confirmation"
    assert client.get(action.url).status_code == 200
    assert client.post(action.url).status_code == 302
    entry = world.objects["open_list"].entries.get(enterprise=world.objects["org_a"])
    assert entry.state == EntryState.CONFIRMED
    assert [str(a.kind) for a in bench(client).actions] == ["Self-assessment", "Suggested match"]


def test_following_the_providers_task_completes_it(world):
    client = client_for(world, "provider")
    action = bench(client).actions[0]
    intro = world.objects["intro_requested"]
    assert action.url == reverse("matchmaking:introduction_detail", args=[intro.pk])
    assert client.get(action.url).status_code == 200
    client.post(reverse("matchmaking:introduction_accept", args=[intro.pk]))
    intro.refresh_from_db()
    assert intro.state == "accepted"
    assert [a.label for a in bench(client).actions] == [
        "Finish the on-site diagnosis of 无锡安全甲精密机械有限公司"
    ]


def test_the_workbench_speaks_chinese_by_default(world):
    page = client_for(world, "ent_a", lang="zh-hans").get(reverse("home"))
    body = page.content.decode()
    assert "工作台" in body
    assert "Waiting for you" not in body


def test_a_visitor_gets_the_landing_page_with_the_public_pages():
    page = Client().get(reverse("home"))
    assert page.status_code == 200
    assert [s.url for s in page.context["workbench"].shortcuts] == [
        reverse("events:public_list"),
        reverse("matchmaking:challenge_public_list"),
        reverse("policies:public_name_lists"),
        reverse("insights:public"),
        reverse("classroom:verify"),
    ]
    assert f'href="{reverse("accounts:login")}"' in page.content.decode()


@pytest.mark.django_db
def test_a_visitor_on_a_public_page_finds_the_way_in():
    page = Client().get("/classroom/verify/").content.decode()
    assert (
        'href="/accounts/login/?next=/classroom/verify/" data-testid="topbar-login">登录</a>'
        in (page)
    )
    login_page = Client().get(reverse("accounts:login")).content.decode()
    assert 'data-testid="topbar-login"' not in login_page
