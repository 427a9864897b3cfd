"""An organisation's page links everything about it the viewer may open, from every app
(``register_organization_links``), in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, actor_for
from tests.security.world import build_world
from zhizao.common.navigation import REGISTRY, organization_links_budget
from zhizao.matchmaking import services as matchmaking

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def client_for(world, name):
    client = Client()
    client.cookies["django_language"] = "en"
    assert client.login(username=world.users[name].username, password=PASSWORD)
    return client


def related(client, org):
    page = client.get(reverse("registry:organization_detail", args=[org.pk]))
    assert page.status_code == 200
    return {g.title: [link.url for link in g.links] for g in page.context["related"]}


def test_the_apps_declare_their_links_and_budget():
    assert sorted(REGISTRY.organization_links) == [
        "classroom",
        "diagnosis",
        "matchmaking",
        "policies",
    ]
    assert organization_links_budget() == 7


def test_an_officer_sees_the_calculator_records_campaigns_projects_and_demands(world):
    o = world.objects
    links = related(client_for(world, "officer"), o["org_a"])
    assert list(links) == [
        "Diagnosis campaigns",
        "Policies and recognitions",
        "Transformation projects",
        "Demands",
    ]
    assert links["Policies and recognitions"] == [
        reverse("policies:organization_calculator", args=[o["org_a"].pk]),
        reverse("policies:organization_records", args=[o["org_a"].pk]),
    ]
    assert links["Diagnosis campaigns"] == [
        reverse("diagnosis:campaign_detail", args=[o["campaign"].pk])
    ]
    assert reverse("matchmaking:demand_detail", args=[o["demand"].pk]) in links["Demands"]
    # every link opens for the viewer
    client = client_for(world, "officer")
    for urls in links.values():
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_the_enterprise_sees_its_own_records_and_another_enterprise_sees_none_of_them(world):
    o = world.objects
    own = related(client_for(world, "ent_a"), o["org_a"])
    assert list(own) == [
        "Maturity assessments",
        "Policies and recognitions",
        "Transformation projects",
        "Demands",
        "Introductions",
    ]
    assert own["Policies and recognitions"] == [
        reverse("policies:my_policies"),
        reverse("policies:my_recognitions"),
        reverse("policies:my_benefits"),
    ]
    other = related(client_for(world, "ent_b"), o["org_a"])
    # an enterprise opens only its own assessments, projects, demands and introductions
    assert other == {}


def test_the_providers_page_lists_its_offerings_and_its_introductions_to_itself(world):
    o = world.objects
    links = related(client_for(world, "provider"), o["provider_org"])
    assert reverse("matchmaking:offering_detail", args=[o["offering"].pk]) in links["Offerings"]
    assert (
        reverse("matchmaking:introduction_detail", args=[o["intro_requested"].pk])
        in links["Introductions"]
    )


def test_the_page_costs_the_same_queries_with_more_records(world, django_assert_num_queries):
    o = world.objects
    client = client_for(world, "operator")
    url = reverse("registry:organization_detail", args=[o["org_a"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    ent = actor_for(world.users["ent_a"])
    for i in range(3):
        matchmaking.create_demand(
            ent, o["org_a"], title=f"新增需求{i}", description="x", category="mes", region="320214"
        )
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)


def test_a_society_page_links_its_published_courses(world):
    o = world.objects
    society = o["course"].society
    links = related(client_for(world, "ent_b"), society)
    assert links["Cloud classroom courses"] == [
        reverse("classroom:course_detail", args=[o["course"].pk])
    ]
