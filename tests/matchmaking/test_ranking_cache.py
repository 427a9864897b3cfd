"""A process keeps the rankings it computed until the index changes: the same demand (or
offering) shown again is not scored again, and any write — through the services, behind
their back by another process, or to the ranked listing itself — gives a fresh ranking at
the next view. The ranking is the same for every viewer; what each may see is applied when
the page presents it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import actor_for
from zhizao.matchmaking import index, services
from zhizao.matchmaking.index import _Rankings
from zhizao.matchmaking.models import Offering

from .conftest import login

pytestmark = pytest.mark.django_db


def test_the_same_ranking_again_is_served_from_the_cache(demand, offering):
    first = index.rank_offerings(demand)
    again = index.rank_offerings(demand)
    assert [m.id for m in again] == [str(offering.pk)]
    assert again[0] is first[0]  # not scored again
    assert again is not first  # the caller's own list
    assert index.rank_offerings(demand, top=5)[0] is not first[0]  # another depth, its own
    deep = index.rank_offerings(demand, top=index.EXPLAIN_DEPTH)
    assert [m.id for m in deep] == [str(offering.pk)]
    assert index.rank_offerings(demand, top=index.EXPLAIN_DEPTH)[0] is not deep[0]  # not kept


def test_editing_an_offering_ranks_again_with_the_edit(provider_user, demand, offering):
    before = index.rank_offerings(demand)
    assert [h["text"] for h in before[0].highlights if h["field"] == "title"] == [
        "注塑件外观缺陷机器视觉检测"
    ]
    services.update_offering(actor_for(provider_user), offering, title="飞边缺料视觉检测一体机")
    after = index.rank_offerings(demand)
    assert [m.id for m in after] == [str(offering.pk)]
    assert after[0] is not before[0]
    assert [h["text"] for h in after[0].highlights if h["field"] == "title"] == ["飞边缺料视觉检测"]


def test_a_write_of_another_process_ranks_again(demand, offering, provider_user, provider_org):
    assert [m.id for m in index.rank_offerings(demand)] == [str(offering.pk)]
    Offering.objects.filter(pk=offering.pk).update(state="withdrawn")  # behind the services
    assert index.rank_offerings(demand) == []


def test_editing_the_demand_ranks_it_again(enterprise_user, demand, offering):
    before = index.rank_offerings(demand)
    assert before[0].reasons[0].zh.startswith("满足全部 2 项要求")
    demand = services.update_demand(actor_for(enterprise_user), demand, must=["CMMI5"], nice=[])
    after = index.rank_offerings(demand)
    assert [m.id for m in after] == [str(offering.pk)]
    assert after[0].reasons[0].zh.startswith("满足 0/1 项要求；缺少 CMMI5")


def test_the_offering_side_ranks_again_when_a_demand_closes(enterprise_user, demand, offering):
    first = index.rank_demands(offering)
    assert [m.id for m in first] == [str(demand.pk)]
    assert index.rank_demands(offering)[0] is first[0]
    services.close_demand(actor_for(enterprise_user), demand)
    assert index.rank_demands(offering) == []


def test_a_viewer_sees_what_he_may_whoever_ranked_before(
    client, enterprise_user, provider_user, operator, demand, offering
):
    """The enterprise's view fills the cache; the provider, who may see the demand but not its
    ranking, still gets none; the operator gets the same rows as the owner."""
    url = reverse("matchmaking:demand_detail", args=[demand.pk])
    login(client, enterprise_user)
    owner = client.get(url)
    assert [r.listing.pk for r in owner.context["rows"]] == [offering.pk]
    client.logout()
    login(client, provider_user)
    provider = client.get(url)
    assert provider.status_code == 200
    assert provider.context["rows"] == []
    assert provider.content.decode().count('data-testid="match"') == 0
    client.logout()
    login(client, operator)
    staff = client.get(url)
    assert [r.listing.pk for r in staff.context["rows"]] == [offering.pk]
    assert staff.context["rows"][0].reasons == owner.context["rows"][0].reasons


def test_the_cache_keeps_the_latest_entries():
    cache = _Rankings(size=2)
    assert cache.get("a") is None
    cache.put("a", ["A"], None)
    cache.put("b", ["B"], None)
    assert cache.get("a") == ["A"]  # now the most recent
    cache.put("c", ["C"], None)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (["A"], None, ["C"])
    cache.after_write([])  # a write that changed nothing
    assert cache.get("a") == ["A"]
    cache.after_write(None)  # a write that did not say what it changed
    assert (cache.get("a"), cache.get("c")) == (None, None)


def _publish(user, org, title, description, categories, **kw):
    actor = actor_for(user)
    kw.setdefault("regions", ["320400"])
    offering = services.create_offering(
        actor, org, kind="solution", title=title, description=description,
        categories=categories, **kw,
    )  # fmt: skip
    return services.publish_offering(actor, offering)


def _ranked(matches):
    return [(m.id, m.score, [r.zh for r in m.reasons]) for m in matches]


@pytest.fixture
def vision_offerings(provider_user, provider_org, offering):
    """Eleven more machine-vision offerings of the demand's category: a ranking of twelve,
    ten shown."""
    return [
        _publish(
            provider_user,
            provider_org,
            f"视觉检测方案{i}号",
            f"机器视觉外观检测，第{i}代算法，适用于{'注塑' if i % 2 else '冲压'}件。",
            ["machine_vision"],
            industries=["29"] if i % 3 == 0 else [],
        )
        for i in range(11)
    ]


def test_a_write_elsewhere_keeps_the_ranking_and_one_that_belongs_in_it_shows_in_place(
    provider_user, provider_org, demand, offering, vision_offerings
):
    """Publishing an offering of another category and text leaves the demand's ranking as it
    was kept: served again without scoring any offering (the index's own counter of the
    exact scorer's calls). Publishing one that belongs in the ten shows it at the next view,
    at its place: the same ids, order, scores and reasons as a ranking computed afresh."""
    first = index.rank_offerings(demand)
    assert len(first) == 10 and first[0].id == str(offering.pk)
    ix = index.get_index()
    scored, checked = ix.scored, ix.write_checks
    _publish(
        provider_user,
        provider_org,
        "能源管理系统",
        "工厂水电气计量、峰谷用电分析与碳排放核算。",
        ["energy_management"],
    )
    again = index.rank_offerings(demand)  # the write applied first (caught up), then the view
    assert ix.write_checks > checked  # the write was checked against the kept ranking
    assert ix.scored == scored  # nothing scored again
    assert again[0] is first[0] and _ranked(again) == _ranked(first)

    better = _publish(
        provider_user,
        provider_org,
        "注塑件外观缺陷视觉检测 机器视觉",
        "注塑件外观缺陷视觉检测：缺料、飞边识别，机器视觉检测替代人工目检，与 MES 对接。",
        ["machine_vision"],
        industries=["2929"],
        certifications=["CMMI5"],
    )
    after = index.rank_offerings(demand)
    assert ix.scored > scored  # ranked again
    assert str(better.pk) in [m.id for m in after]
    assert after[0].id != first[0].id or after[1].id != first[1].id  # it moved the ranking
    index._rankings.clear()
    fresh = index.rank_offerings(demand)
    assert _ranked(after) == _ranked(fresh)
