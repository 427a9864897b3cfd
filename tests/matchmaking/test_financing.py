"""Transformation projects that need financing become financing demands banks can meet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import actor_for, make_organization, make_user
from zhizao.common.models import AuditEntry
from zhizao.matchmaking.models import Demand
from zhizao.matchmaking.services import financing_demand_for_project, financing_gap_yuan
from zhizao.policies import services as policy_services


@pytest.fixture
def factory_user(db):
    org = make_organization(name="无锡恒润精密机械有限公司", region="320214", industry="3421")
    return make_user("factory", role="enterprise", organization=org)


@pytest.fixture
def project(factory_user):
    org = factory_user.memberships.get().organization
    actor = actor_for(factory_user)
    project = policy_services.create_project(
        actor,
        org,
        name="锻压线智能化改造",
        kind="intelligent_transformation",
        start_date=dt.date(2026, 3, 1),
        equipment_yuan=Decimal("20000000"),
        software_yuan=Decimal("6000000"),
        services_yuan=Decimal("3000000"),
        other_yuan=Decimal("2000000"),
    )
    policy_services.add_loan(
        actor,
        project,
        amount_yuan=Decimal("10000000"),
        annual_rate=Decimal("0.031"),
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2029, 2, 28),
        lender_name="江苏银行无锡分行",
    )
    return project


def test_financing_demand_is_prefilled_from_the_project(factory_user, project):
    assert financing_gap_yuan(project) == Decimal("21000000.00")
    demand = financing_demand_for_project(actor_for(factory_user), project)
    assert (demand.category, demand.state, demand.project_id) == ("financing", "draft", project.pk)
    assert (demand.region, demand.industry, demand.budget_band) == ("320214", "3421", "gt20m")
    assert demand.title == "“锻压线智能化改造”融资需求"
    assert "尚需融资：2,100万元。" in demand.description
    assert "已有贷款：1,000万元，共 1 笔。" in demand.description
    entry = AuditEntry.objects.get(context__event="matchmaking.demand_created")
    assert entry.changes["project"] == [None, str(project.pk)]
    # a second click returns the same draft
    assert financing_demand_for_project(actor_for(factory_user), project) == demand
    assert Demand.objects.count() == 1


def test_only_the_projects_enterprise_may_raise_it(client, factory_user, project):
    other = make_user(
        "other", role="enterprise", organization=make_organization(name="常州某厂", region="320412")
    )
    client.force_login(other)
    response = client.post(reverse("matchmaking:project_financing", args=[project.pk]))
    assert response.status_code == 404
    assert Demand.objects.count() == 0
    client.force_login(factory_user)
    response = client.post(reverse("matchmaking:project_financing", args=[project.pk]))
    demand = Demand.objects.get()
    assert response.url == reverse("matchmaking:demand_edit", args=[demand.pk])
