"""Diagnosis campaigns: targets from a registry filter, providers with quotas, allocation that
keeps out conflicts, manual moves, providers' lists, visits, on-site diagnoses, progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership
from zhizao.diagnosis import services
from zhizao.diagnosis.models import Campaign, CampaignTarget

from .conftest import answer_all, level_answers, submitted


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def wuxi_targets(db):
    return [
        make_organization(name=f"无锡目标{i}号有限公司", region="320214" if i % 2 else "320205")
        for i in range(6)
    ]


@pytest.fixture
def campaign(client, cmmm, operator, wuxi_targets):
    login(client, operator)
    make_organization(name="苏州不在范围有限公司", region="320505")
    response = client.post(
        reverse("diagnosis:campaign_new"),
        {
            "name": "2026 无锡免费诊断",
            "model": cmmm.pk,
            "budget_yuan": "100000",
            "price_yuan": "20000",
            "target_filter": "/registry/organizations/?region=320200&kind=manufacturer",
        },
    )
    c = Campaign.objects.get()
    assert response["Location"] == reverse("diagnosis:campaign_detail", args=[c.pk])
    assert c.capacity == 5
    return c


@pytest.mark.django_db
def test_campaign_targets_follow_the_filter(campaign, wuxi_targets):
    names = list(campaign.targets.values_list("enterprise__name", flat=True))
    assert sorted(names) == sorted(o.name for o in wuxi_targets)


@pytest.mark.django_db
def test_allocation_respects_region_quota_budget_and_conflicts(
    client, campaign, wuxi_targets, operator, provider_org
):
    near = provider_org  # in 320214
    far = make_organization(
        name="苏州远方科技有限公司", kind="provider", region="320505", industry=None
    )
    # a staff member of `far` also belongs to target 1: a stake
    staff = make_user("shared", role=Role.PROVIDER, organization=far)
    Membership.objects.create(user=staff, organization=wuxi_targets[1], role=Role.ENTERPRISE)
    client.post(
        reverse("diagnosis:campaign_provider_add", args=[campaign.pk]),
        {"provider": near.uscc, "quota": 2, "regions": "320200", "conflicts": wuxi_targets[3].uscc},
    )
    client.post(
        reverse("diagnosis:campaign_provider_add", args=[campaign.pk]),
        {"provider": far.name, "quota": 10, "regions": "320000"},
    )
    client.post(reverse("diagnosis:campaign_allocate", args=[campaign.pk]))
    placed = {
        t.enterprise_id: (
            t.assigned.provider_id if t.assigned else None,
            t.distance,
            t.unassigned_reason,
        )
        for t in CampaignTarget.objects.select_related("assigned")
    }
    assert sum(1 for p in placed.values() if p[0]) == 5  # the budget pays for 5
    assert placed[wuxi_targets[3].pk][0] != near.pk
    assert placed[wuxi_targets[1].pk][0] != far.pk
    near_targets = [k for k, v in placed.items() if v[0] == near.pk]
    assert len(near_targets) == 2
    assert all(placed[k][1] == "district" for k in near_targets)  # 320214 targets first
    assert [v[2] for v in placed.values() if v[0] is None] == ["budget_exhausted"]
    # a manual move into a conflict is refused and changes nothing
    target3 = CampaignTarget.objects.get(enterprise=wuxi_targets[3])
    entry_near = campaign.providers.get(provider=near)
    before = target3.assigned_id
    client.post(reverse("diagnosis:target_move", args=[target3.pk]), {"provider": entry_near.pk})
    target3.refresh_from_db()
    assert target3.assigned_id == before and not target3.manual


@pytest.mark.django_db
def test_provider_sees_only_its_list_and_reports(
    client, campaign, wuxi_targets, operator, provider_org, provider_user, enterprise_user, cmmm
):
    services.add_provider(actor_for(operator), campaign, provider_org, 3, ["320200"], [])
    services.propose_allocation(actor_for(operator), campaign)
    login(client, provider_user)
    assert (
        client.get(reverse("diagnosis:campaign_detail", args=[campaign.pk])).status_code == 404
    )  # draft
    services.set_campaign_state(actor_for(operator), campaign, "running")
    page = client.get(reverse("diagnosis:campaign_detail", args=[campaign.pk]))
    mine = list(page.context["targets"])
    assert len(mine) == 3 and all(t.assigned.provider_id == provider_org.pk for t in mine)
    other = campaign.targets.filter(assigned=None).first()
    assert client.post(reverse("diagnosis:target_start", args=[other.pk])).status_code == 404
    target = mine[0]
    # the enterprise assessed itself first: the on-site diagnosis verifies that
    owner = make_user("owner", role=Role.ENTERPRISE, organization=target.enterprise)
    self_a = submitted(target.enterprise, owner, cmmm, 2)
    client.post(reverse("diagnosis:target_visit", args=[target.pk]), {"visited_at": "2026-11-20"})
    target.refresh_from_db()
    assert (target.state, target.visited_at) == ("visited", dt.date(2026, 11, 20))
    response = client.post(reverse("diagnosis:target_start", args=[target.pk]))
    target.refresh_from_db()
    onsite = target.assessment
    assert response["Location"] == reverse("diagnosis:assessment", args=[onsite.pk])
    assert (onsite.kind, onsite.provider_id, onsite.verifies_id) == (
        "onsite",
        provider_org.pk,
        self_a.pk,
    )
    # the verifier finds level 2 only partly met
    model = cmmm.parsed()
    answers = level_answers(model, "discrete", 2)
    l2 = [r.id for r in model.asked("discrete") if r.level == 2]
    answers.update(dict.fromkeys(l2, "0.5"))
    answer_all(onsite, overrides=answers)
    client.post(reverse("diagnosis:submit", args=[onsite.pk]))
    target.refresh_from_db()
    onsite.refresh_from_db()
    assert target.state == "reported" and onsite.state == "submitted"
    cmp = client.get(reverse("diagnosis:report", args=[onsite.pk])).context["report"].comparison
    assert (cmp["self_level"], cmp["verified_level"]) == (2, 1)
    assert cmp["levels"][1] == {
        "number": 2,
        "self": "1.0000",
        "verified": "0.5000",
        "differs": True,
        "delta": "-0.5000",
    }
    assert len(cmp["differences"]) == len(l2) and all(d["down"] for d in cmp["differences"])
    # the enterprise sees the verified score next to its own
    client.logout()
    login(client, owner)
    own = client.get(reverse("diagnosis:report", args=[self_a.pk])).context["report"].comparison
    assert own["verified_score"] == cmp["verified_score"]
    # progress per provider, and the export
    client.logout()
    login(client, operator)
    progress = client.get(reverse("diagnosis:campaign_detail", args=[campaign.pk])).context[
        "providers"
    ]
    assert [(p.planned, p.visited, p.reported) for p in progress] == [(3, 1, 1)]
    csv = b"".join(
        client.get(
            reverse("diagnosis:campaign_export", args=[campaign.pk]) + "?format=csv"
        ).streaming_content
    ).decode("utf-8-sig")
    assert csv.splitlines()[1] == f"{provider_org.name},3,3,1,1,20000.00"


@pytest.mark.django_db
def test_non_operators_cannot_run_campaigns(client, campaign, enterprise_user, provider_org):
    login(client, enterprise_user)
    assert (
        client.post(reverse("diagnosis:campaign_allocate", args=[campaign.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("diagnosis:campaign_provider_add", args=[campaign.pk]),
            {"provider": provider_org.pk, "quota": 3},
        ).status_code
        == 404
    )
    assert campaign.providers.count() == 0
    assert client.get(reverse("diagnosis:campaign_new")).status_code == 404


@pytest.mark.django_db
def test_list_pages_have_constant_query_counts(client, campaign, cmmm, operator, provider_org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.add_provider(actor_for(operator), campaign, provider_org, 3, ["320200"], [])
    services.propose_allocation(actor_for(operator), campaign)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = make_organization(name="无锡首家有限公司", region="320214")
    submitted(first, make_user("first", role=Role.ENTERPRISE, organization=first), cmmm, 1)
    detail = reverse("diagnosis:campaign_detail", args=[campaign.pk])
    home = reverse("diagnosis:home")
    count(home)  # the list's filter options (regions, industries) go into the shared cache
    before = (count(detail), count(home))
    for i in range(8):
        org = make_organization(name=f"无锡新增{i}号有限公司", region="320214")
        user = make_user(f"new{i}", role=Role.ENTERPRISE, organization=org)
        submitted(org, user, cmmm, 1)
        campaign.targets.create(enterprise=org, position=100 + i)
    services.propose_allocation(actor_for(operator), campaign)
    assert (count(detail), count(home)) == before


@pytest.mark.django_db
def test_move_never_redirects_off_site(client, campaign, operator, provider_org):
    services.add_provider(actor_for(operator), campaign, provider_org, 3, ["320200"], [])
    target = campaign.targets.first()
    entry = campaign.providers.get()
    response = client.post(
        reverse("diagnosis:target_move", args=[target.pk]),
        {"provider": entry.pk, "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("diagnosis:campaign_detail", args=[campaign.pk])
    target.refresh_from_db()
    assert (target.assigned_id, target.manual, target.state) == (entry.pk, True, "planned")


@pytest.mark.django_db
def test_unknown_provider_is_named_and_nothing_is_added(client, campaign, wuxi_targets):
    response = client.post(
        reverse("diagnosis:campaign_provider_add", args=[campaign.pk]),
        {"provider": "不存在的服务商", "quota": 3},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]][-1] == (
        "服务商（信用代码或全称）：没有信用代码或全称为“不存在的服务商”的在册解决方案服务商。"
    )
    # a manufacturer is not a provider either
    client.post(
        reverse("diagnosis:campaign_provider_add", args=[campaign.pk]),
        {"provider": wuxi_targets[0].uscc, "quota": 3},
    )
    assert campaign.providers.count() == 0


def test_a_providers_service_regions_are_picked_by_name(client, campaign, operator, provider_org):
    """Service regions are chosen by their names (江苏省 · 无锡市), never typed as codes; the
    codes are what is stored."""
    from zhizao.diagnosis.models import CampaignProvider

    login(client, operator)
    page = client.get(reverse("diagnosis:campaign_detail", args=[campaign.pk])).content.decode()
    # narrowed from the provinces (zhizao.common.pickers), never one select of every region
    assert '<option value="320000">江苏省</option>' in page
    assert '<option value="320200">' not in page
    assert "Region codes" not in page and "行政区划代码" not in page
    url = reverse("diagnosis:campaign_provider_add", args=[campaign.pk])
    client.post(url, {"provider": provider_org.uscc, "quota": 2, "regions": ["329999"]})
    assert not CampaignProvider.objects.exists()
    client.post(url, {"provider": provider_org.uscc, "quota": 2, "regions": ["320200", "320500"]})
    assert CampaignProvider.objects.get().regions == ["320200", "320500"]


@pytest.mark.django_db
def test_the_providers_workbench_reads_one_task_per_campaign(
    campaign, operator, provider_org, provider_user
):
    """A provider with several enterprises to visit in one campaign reads one task with the
    count and the deadline, not one line per enterprise; a visited one leaves the count."""
    from django.test import RequestFactory
    from django.utils import translation

    from zhizao.accounts.models import Membership
    from zhizao.diagnosis.navigation import provider_workbench

    services.add_provider(actor_for(operator), campaign, provider_org, 3, ["320200"], [])
    services.propose_allocation(actor_for(operator), campaign)
    services.set_campaign_state(actor_for(operator), campaign, "running")
    membership = Membership.objects.get(user=provider_user)

    def tasks():
        with translation.override("zh-hans"):
            part = provider_workbench(RequestFactory().get("/"), membership)
            return [(str(a.label), a.url, a.due) for a in part.actions]

    url = reverse("diagnosis:campaign_detail", args=[campaign.pk])
    assert tasks() == [(f"{campaign.name}：待走访 3 家企业", url, campaign.deadline)]
    target = campaign.targets.filter(assigned__provider=provider_org).first()
    target.state = "visited"
    target.save(update_fields=["state"])
    assert tasks() == [(f"{campaign.name}：待走访 2 家企业", url, campaign.deadline)]
