""" "Save and publish" is one transaction: a listing that publishing refuses is not left behind
as a draft (so a second try cannot make a duplicate), and the form asks for what publishing
needs before the services are called, with the message on the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import actor_for
from zhizao.common.models import AuditEntry
from zhizao.matchmaking import services
from zhizao.matchmaking.errors import MatchError
from zhizao.matchmaking.models import Demand, Offering

from .conftest import login

pytestmark = pytest.mark.django_db

OFFERING = {"kind": "solution", "title": "注塑车间视觉检测方案", "categories": ["machine_vision"]}
DEMAND = {
    "title": "车间能耗监测",
    "category": "energy_management",
    "province": "320000",
    "city": "320200",
    "district": "320214",
    "budget_band": "100k-500k",
    "timeline": "6m",
}


def events():
    return list(AuditEntry.objects.order_by("id").values_list("context__event", flat=True))


def test_save_and_publish_offering_refused_writes_nothing(provider_user, provider_org):
    before = events()
    with pytest.raises(MatchError) as refused:
        services.save_and_publish_offering(
            actor_for(provider_user), provider_org, **OFFERING, description=" "
        )
    assert (refused.value.code, refused.value.field) == ("no_description", "description")
    assert Offering.objects.count() == 0
    assert events() == before


def test_save_and_publish_demand_refused_writes_nothing(enterprise_user, factory_org):
    before = events()
    with pytest.raises(MatchError) as refused:
        services.save_and_publish_demand(
            actor_for(enterprise_user),
            factory_org,
            title="车间能耗监测",
            description="",
            category="energy_management",
            region="320214",
        )
    assert (refused.value.code, refused.value.field) == ("no_description", "description")
    assert Demand.objects.count() == 0
    assert events() == before


def test_offering_save_and_publish_asks_on_the_field_then_creates_exactly_one(
    client, provider_user
):
    login(client, provider_user)
    before = events()
    url = reverse("matchmaking:offering_new")
    refused = client.post(
        url, {"kind": "solution", "title": "注塑车间视觉检测方案", "publish": "1"}
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors == {
        "description": ["发布前请填写供给说明。"],
        "categories": ["发布前请至少选择一个类别。"],
    }
    assert (Offering.objects.count(), events()) == (0, before)

    done = client.post(url, {**OFFERING, "description": "相机、光源与缺陷模型", "publish": "1"})
    offering = Offering.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("matchmaking:offering_detail", args=[offering.pk])
    assert offering.state == "published"
    assert events() == [*before, "matchmaking.offering_created", "matchmaking.offering_state"]


def test_offering_saved_as_draft_needs_no_description(client, provider_user):
    login(client, provider_user)
    response = client.post(
        reverse("matchmaking:offering_new"), {"kind": "solution", "title": "草稿"}
    )
    assert response.status_code == 302
    assert list(Offering.objects.values_list("title", "state")) == [("草稿", "draft")]


def test_demand_save_and_publish_asks_on_the_field_then_creates_exactly_one(
    client, enterprise_user
):
    login(client, enterprise_user)
    before = events()
    url = reverse("matchmaking:demand_new")
    refused = client.post(url, {**DEMAND, "publish": "1"})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"description": ["发布前请说明您的需求。"]}
    assert (Demand.objects.count(), events()) == (0, before)

    done = client.post(url, {**DEMAND, "description": "空压机能耗分项计量", "publish": "1"})
    demand = Demand.objects.get()
    assert done.status_code == 302
    assert demand.state == "published"
    assert events() == [*before, "matchmaking.demand_created", "matchmaking.demand_state"]
