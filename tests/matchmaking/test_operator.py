"""Operators: funnel counts and conversions exact (total, by category, city and provider,
deal value in 万元), supply gaps, and the open-challenge flow to the public announcement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import actor_for
from zhizao.matchmaking import services, stats
from zhizao.matchmaking.errors import MatchError
from zhizao.matchmaking.models import ChallengeApplication

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def funnel_data(enterprise_user, provider_user, operator, factory_org, demand, offering):
    """Four introductions of one offering: deal (120万), met, declined, suggested only."""
    e, p = actor_for(enterprise_user), actor_for(provider_user)

    def another(title, category="machine_vision", region="320214"):
        d = services.create_demand(
            e,
            factory_org,
            title=title,
            description="机器视觉检测",
            category=category,
            region=region,
        )
        return services.publish_demand(e, d)

    dealt = services.request_introduction(e, demand=demand, offering=offering)
    services.accept_introduction(p, dealt)
    services.record_meeting(p, dealt)
    services.record_deal(
        e,
        dealt,
        value_yuan="1200000",
        evidence=SimpleUploadedFile("po.pdf", b"%PDF", content_type="application/pdf"),
    )
    met = services.request_introduction(p, demand=another("视觉检测二"), offering=offering)
    services.accept_introduction(e, met)
    services.record_meeting(e, met)
    declined = services.request_introduction(
        e, demand=another("视觉检测三", region="320411"), offering=offering
    )
    services.decline_introduction(p, declined, reason="不在服务范围")
    services.suggest_introduction(
        actor_for(operator), demand=another("视觉检测四"), offering=offering
    )


def test_funnel_counts_and_conversions_exact(funnel_data, provider_org):
    total = stats.funnel()
    assert total.counts == [4, 3, 2, 2, 1]
    assert total.conversions == [None, 0.75, 2 / 3, 1.0, 0.5]
    assert total.deal_value_yuan == Decimal("1200000.00")
    assert total.deal_value_wan == Decimal("120.00")
    by_city = {r.key: r.counts for r in stats.funnel_by("city")}
    assert by_city == {"320200": [3, 2, 2, 2, 1], "320400": [1, 1, 0, 0, 0]}
    assert [(r.label, r.counts) for r in stats.funnel_by("provider")] == [
        (provider_org.name, [4, 3, 2, 2, 1])
    ]
    assert [(r.key, r.counts) for r in stats.funnel_by("category")] == [
        ("machine_vision", [4, 3, 2, 2, 1])
    ]


def test_funnel_page_and_api_for_staff_only(client, funnel_data, operator, enterprise_user):
    login(client, operator)
    html = client.get(reverse("matchmaking:funnel") + "?by=city").content.decode()
    assert 'data-testid="stage-4">1<' in html
    assert "120万元" in html
    # under each count of a row, the share of the previous stage (Wuxi: 3 → 2 → 2 → 2 → 1)
    assert '2<span class="cell-sub">66.7%</span>' in html
    assert '1<span class="cell-sub">50.0%</span>' in html
    body = client.get(reverse("api-match-funnel") + "?by=category").json()
    assert body["total"] == {
        "key": "all",
        "label": "",
        "suggested": 4,
        "requested": 3,
        "accepted": 2,
        "met": 2,
        "deal": 1,
        "deal_value_yuan": "1200000.00",
    }
    client.logout()
    login(client, enterprise_user)
    assert client.get(reverse("matchmaking:funnel")).status_code == 404
    assert client.get(reverse("api-match-funnel")).status_code == 404


def test_supply_gaps_list_demands_without_a_good_match(
    client, operator, enterprise_user, factory_org, demand, offering
):
    e = actor_for(enterprise_user)
    lonely = services.publish_demand(
        e,
        services.create_demand(
            e,
            factory_org,
            title="数控机床远程运维",
            description="五轴数控机床预测性维护",
            category="predictive_maintenance",
            region="320214",
            industry="3421",
        ),
    )
    groups = stats.supply_gaps()
    assert [(g.category, g.city, [gap.demand.pk for gap in g.demands]) for g in groups] == [
        ("predictive_maintenance", "320200", [lonely.pk])
    ]
    gap = groups[0].demands[0]
    # the best offering is a weak match, shown as a fit (never a raw score), and the gap names
    # the chain node it would fill (补链)
    assert (gap.best_fit, gap.best_meets_all) == (19, True)
    assert [(chain.name_zh, node.name_zh) for chain, node in gap.nodes] == [
        ("工业母机（高端数控机床）产业链", "金属切削机床")
    ]
    services.compute_supply_gaps()  # the periodic task; the page shows what it stored
    login(client, operator)
    html = client.get(reverse("matchmaking:gaps")).content.decode()
    assert "数控机床远程运维" in html
    assert "注塑件外观缺陷视觉检测" not in html
    assert "最佳匹配度 19/100" in html and "金属切削机床" in html


def test_challenge_flow_from_draft_to_public_announcement(
    client, operator, provider_user, provider_org, bank_user, offering
):
    op = actor_for(operator)
    challenge = services.create_challenge(
        op,
        title="注塑件微小缺陷在线检测",
        description="0.1 mm 级缺陷，节拍 2 秒",
        category="machine_vision",
        eligibility={"region_prefix": "32", "certifications": ["CMMI3"], "min_cases": 2},
        budget_yuan="3000000",
        deadline=dt.date.today() + dt.timedelta(days=30),
    )
    # drafts are not public
    assert (
        client.get(reverse("matchmaking:challenge_public", args=[challenge.pk])).status_code == 404
    )
    with pytest.raises(MatchError) as exc:
        services.apply_to_challenge(
            actor_for(provider_user), challenge, provider_org, proposal="方案"
        )
    assert exc.value.code == "not_open"
    challenge = services.set_challenge_state(op, challenge, "open")
    # the bank is in Wuxi but holds no CMMI and no cases
    with pytest.raises(MatchError) as exc:
        services.apply_to_challenge(
            actor_for(bank_user), challenge, bank_user.memberships.get().organization, proposal="x"
        )
    assert exc.value.code == "not_eligible"
    application = services.apply_to_challenge(
        actor_for(provider_user), challenge, provider_org, proposal="深度学习 + 高分辨率相机"
    )
    with pytest.raises(MatchError) as exc:
        services.apply_to_challenge(
            actor_for(provider_user), challenge, provider_org, proposal="again"
        )
    assert exc.value.code == "duplicate"
    with pytest.raises(MatchError) as exc:  # awards wait for the review
        services.review_application(op, application, "awarded")
    assert exc.value.code == "not_reviewing"
    services.review_application(op, application, "shortlisted", score="88.5")
    challenge = services.set_challenge_state(op, challenge, "reviewing")
    with pytest.raises(MatchError) as exc:
        services.set_challenge_state(op, challenge, "announced", announcement="结果")
    assert exc.value.code == "no_award"
    services.review_application(op, application, "awarded", note="方案完整")
    challenge = services.set_challenge_state(
        op, challenge, "announced", announcement="经评审，揭榜单位如下"
    )
    assert ChallengeApplication.objects.get().state == "awarded"
    # public, without login
    html = client.get(reverse("matchmaking:challenge_public", args=[challenge.pk])).content.decode()
    assert "经评审，揭榜单位如下" in html
    assert '<li data-testid="awarded">常州慧眼智能科技有限公司</li>' in html
    assert "深度学习 + 高分辨率相机" not in html
