"""Apps register their own navigation entries and home-page blocks; ``common`` knows none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_organization
from zhizao.common.navigation import REGISTRY
from zhizao.registry.models import ChainNode, IndustrialChain

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def nav(response):
    return [(str(item["label"]), item["active"]) for item in response.context["nav_items"]]


def test_every_app_registers_its_entries_and_common_names_none_of_them():
    assert sorted(REGISTRY.nav) == [
        "accounts:user_list",
        "api-docs",
        "audit_log",
        "calls:calendar",
        "calls:call_list",
        "classroom:catalogue",
        "diagnosis:home",
        "events:event_list",
        "home",
        "insights:dashboard",
        "insights:report_list",
        "matchmaking:home",
        "policies:my_policies",
        "policies:my_recognitions",
        "policies:policy_list",
        "policies:project_list",
        "policies:scan_list",
        "registry:chain_list",
        "registry:import_list",
        "registry:organization_list",
        "review:expert_list",
        "review:my_assignments",
        "review:round_list",
    ]
    assert sorted(REGISTRY.blocks) == ["registry/home/imports.html", "registry/home/overview.html"]


def test_operator_sees_the_entries_of_its_role_in_order(client, operator):
    login(client, operator)
    response = client.get(reverse("registry:chain_list"))
    assert nav(response) == [
        ("Workbench", False),
        ("Registry", False),
        ("Industrial chains", True),
        ("Policies", False),
        ("Scans and name lists", False),
        ("Maturity diagnosis", False),
        ("Supply and demand", False),
        ("Calls and selections", False),
        ("Working-day calendar", False),
        ("Events and expo", False),
        ("Cloud classroom", False),
        ("Dashboards", False),
        ("Monthly reports", False),
        ("Imports", False),
        ("Expert review", False),
        ("Expert pool", False),
        ("Users and roles", False),
        ("Audit log", False),
        ("API", False),
    ]


def test_enterprise_sees_its_own_pages_and_not_the_operators(client, enterprise_user):
    login(client, enterprise_user)
    response = client.get(reverse("home"))
    assert nav(response) == [
        ("Workbench", True),
        ("Registry", False),
        ("Industrial chains", False),
        ("Policies", False),
        ("My policies", False),
        ("My projects", False),
        ("My recognitions", False),
        ("Maturity diagnosis", False),
        ("Supply and demand", False),
        ("Calls and selections", False),
        ("Events and expo", False),
        ("Cloud classroom", False),
        ("API", False),
    ]


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def only_chains(n):
    """Exactly ``n`` chains of two nodes, each with one local enterprise on a node."""
    ChainNode.objects.all().delete()
    IndustrialChain.objects.all().delete()
    for i in range(n):
        chain = IndustrialChain.objects.create(
            code=f"test-{i}", name_zh=f"测试链{i}", name_en=f"Test chain {i}", region_id="320200"
        )
        for j, position in enumerate(("upstream", "downstream")):
            ChainNode.objects.create(
                chain=chain,
                code=f"test-{i}-{j}",
                name_zh=f"节点{j}",
                name_en=f"Node {j}",
                position=position,
                sort_order=j,
            )
        # named per call as well: two active organisations never share a name
        org = make_organization(name=f"无锡测试{n}-{i}号有限公司", region="320214", industry="3421")
        org.chain_nodes.add(ChainNode.objects.get(code=f"test-{i}-0"))


def test_home_page_queries_do_not_grow_with_chains_and_organisations(
    client, operator, django_assert_num_queries
):
    login(client, operator)
    only_chains(1)
    client.get(reverse("home"))  # warm the per-process caches
    # 13 of the page and its blocks + 9 of the operator's workbench providers
    # (tests/common/test_workbench.py)
    with django_assert_num_queries(22) as one:
        page = client.get(reverse("home"))
    assert page.status_code == 200
    only_chains(3)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("home"))
    body = page.content.decode()
    assert [body.count(f"Test chain {i}") for i in range(3)] == [1, 1, 1]


def test_home_page_lists_the_chains_by_their_weak_links(client, operator):
    login(client, operator)
    only_chains(2)
    ChainNode.objects.get(code="test-1-1").organizations.add(
        make_organization(name="无锡补链有限公司", region="320214", industry="3421")
    )
    page = client.get(reverse("home"))
    body = page.content.decode()
    # test-0: both nodes under the threshold of 3; test-1: the same, listed after by code
    assert body.index("Test chain 0") < body.index("Test chain 1")
    assert body.count('<span class="pill pill-danger">2</span>') == 2
