"""Issue 16: when a demand is published, the providers of its best matches are told; when an
offering is published, the enterprises whose open demands it fits. A few per listing, capped per
organisation and day, never to an organisation that turned it off; in the background, safe to
run twice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import actor_for, make_organization
from tests.matchmaking.conftest import login
from zhizao.common.models import Notification
from zhizao.matchmaking import services
from zhizao.matchmaking.errors import MatchError
from zhizao.matchmaking.models import MatchSuggestion, SuggestionPreference
from zhizao.matchmaking.services import suggestions


def _told(org):
    return list(
        Notification.objects.filter(recipient_organization=org)
        .order_by("id")
        .values_list("title", "link")
    )


DEMAND = {
    "title": "注塑件外观缺陷视觉检测",
    "description": "注塑件缺料、飞边靠人工目检，想用机器视觉检测，替代人工。",
    "category": "machine_vision",
    "industry": "2929",
    "region": "320214",
    "budget_band": "500k-1m",
    "timeline": "3m",
}


def test_publishing_a_demand_tells_the_provider_of_its_best_match(
    offering, enterprise_user, factory_org, provider_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demand = services.save_and_publish_demand(actor_for(enterprise_user), factory_org, **DEMAND)
    [s] = MatchSuggestion.objects.all()
    assert (s.demand, s.offering, s.direction, s.recipient) == (
        demand,
        offering,
        "to_provider",
        provider_org,
    )
    assert 50 <= s.fit <= 100
    assert _told(provider_org) == [
        (
            "一条新需求适合您的“注塑件外观缺陷机器视觉检测系统”",
            reverse("matchmaking:demand_detail", args=[demand.pk]),
        )
    ]
    # safe to run twice: nothing new
    assert suggestions.suggest_matches_for_demand(demand.pk) == 0
    assert MatchSuggestion.objects.count() == 1 and len(_told(provider_org)) == 1


def test_publishing_an_offering_tells_the_enterprise_whose_demand_it_fits(
    demand, provider_user, provider_org, factory_org, django_capture_on_commit_callbacks
):
    actor = actor_for(provider_user)
    offering = services.create_offering(
        actor,
        provider_org,
        kind="solution",
        title="注塑件外观缺陷视觉检测工作站",
        description="机器视觉检测注塑件缺料、飞边、黑点，深度学习，替代人工目检。",
        categories=["machine_vision"],
        industries=["29"],
        regions=["320200"],
        certifications=["CMMI3"],
    )
    services.add_case(
        actor, offering, title="注塑件检测", customer_industry="2929", region="320214", result="好"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_offering(actor, offering)
    assert [
        (s.direction, s.demand_id, s.recipient_id)
        for s in MatchSuggestion.objects.filter(offering=offering)
    ] == [("to_enterprise", demand.pk, factory_org.pk)]
    assert _told(factory_org)[-1] == (
        "一项新供给适合您的需求“注塑件外观缺陷视觉检测”",
        reverse("matchmaking:offering_detail", args=[offering.pk]),
    )


def test_a_provider_that_turned_it_off_is_not_told(
    offering,
    provider_user,
    provider_org,
    enterprise_user,
    factory_org,
    django_capture_on_commit_callbacks,
):
    services.set_suggestion_preference(actor_for(provider_user), provider_org, enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_and_publish_demand(actor_for(enterprise_user), factory_org, **DEMAND)
    assert MatchSuggestion.objects.count() == 0
    assert _told(provider_org) == []


def test_no_provider_is_told_more_than_the_daily_cap(
    offering, enterprise_user, factory_org, django_capture_on_commit_callbacks
):
    actor = actor_for(enterprise_user)
    for n in range(suggestions.DAILY_CAP + 2):
        with django_capture_on_commit_callbacks(execute=True):
            services.save_and_publish_demand(
                actor, factory_org, **{**DEMAND, "title": f"注塑件外观缺陷视觉检测 {n}"}
            )
    assert MatchSuggestion.objects.filter(recipient=offering.provider).count() == (
        suggestions.DAILY_CAP
    )


def test_the_preference_is_changed_only_for_ones_own_organisation(provider_user, factory_org):
    with pytest.raises(MatchError):
        services.set_suggestion_preference(actor_for(provider_user), factory_org, enabled=False)
    assert SuggestionPreference.objects.count() == 0


def test_the_settings_page_turns_suggestions_off_and_on(client, provider_user, provider_org):
    login(client, provider_user)
    url = reverse("matchmaking:suggestion_settings")
    assert "您会收到新的匹配推荐" in client.get(url).content.decode()
    assert client.post(url, {"enabled": "0"}).status_code == 302
    assert SuggestionPreference.objects.get(organization=provider_org).enabled is False
    assert "您不会收到新的匹配推荐" in client.get(url).content.decode()
    client.post(url, {"enabled": "1"})
    assert SuggestionPreference.objects.get(organization=provider_org).enabled is True
    other = make_organization(name="另一家服务商", kind="provider", region="320400")
    assert suggestions.suggestions_enabled(other.pk) is True
