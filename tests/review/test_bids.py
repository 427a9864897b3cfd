"""Bidding where the call allows it: an expert marks its interest on the summaries of the
round's applications it is not excluded from (blind to the applicant where the call says so);
the bid moves the pair's fit by an exact amount and the pair's explanation names it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.review.test_pages import login
from zhizao.common.models import AuditEntry
from zhizao.review import services
from zhizao.review.adapters import build_problem
from zhizao.review.errors import ReviewError
from zhizao.review.models import Assignment, Bid
from zhizao_core.review import Application, ExpertProfile, affinity_score


def test_bid_moves_the_fit_by_an_exact_amount_and_is_explained():
    profile = ExpertProfile(("34",), "")
    app = Application("A", industry="3491")
    assert affinity_score(profile, app) == (
        Decimal("0.4000"),
        {
            "industry": Decimal(1),
            "domain": Decimal(0),
            "domain_found": [],
            "text": Decimal("0.0"),
            "bid": Decimal(0),
            "bid_interest": "",
            "weights": {
                "industry": Decimal("0.4"),
                "domain": Decimal("0.3"),
                "text": Decimal("0.3"),
            },
        },
    )
    for bid, score in (("eager", "0.5000"), ("willing", "0.4000"), ("unwilling", "0.2000")):
        value, parts = affinity_score(profile, app, bid=bid)
        assert value == Decimal(score)
        assert parts["bid_interest"] == bid
    # clamped to 0..1
    low, parts = affinity_score(ExpertProfile(("13",), ""), app, bid="unwilling")
    assert low == Decimal("0.0000") and parts["bid"] == Decimal("-0.2")


@pytest.fixture
def bidding(rw):
    rw.call.allow_bidding = True
    rw.call.save(update_fields=["allow_bidding"])
    return rw


def test_expert_bids_only_where_not_excluded_and_blind(client, bidding):
    w = bidding
    login(client, w.users["own"])  # staff of the first applicant: its two applications excluded
    page = client.get(reverse("review:my_bids", args=[w.round.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "注塑件机器视觉缺陷检测" in text
    assert "工业机器人视觉引导装配系统" not in text and "数控机床预测性维护平台" not in text
    assert "评审测试乙视觉科技有限公司" not in text  # blind review: no applicant names
    before = AuditEntry.objects.count()
    url = reverse("review:my_bids", args=[w.round.pk])
    response = client.post(url, {"application": w.apps[0].pk, "interest": "eager"})
    assert response.status_code == 404
    assert not Bid.objects.exists() and AuditEntry.objects.count() == before

    response = client.post(url, {"application": w.apps[1].pk, "interest": "eager"})
    assert response.status_code == 302 and response["Location"] == url
    assert list(Bid.objects.values_list("application_id", "expert_id", "interest")) == [
        (w.apps[1].pk, w.experts["own"].pk, "eager")
    ]
    assert AuditEntry.objects.count() == before + 1
    # the same bid again changes nothing
    client.post(url, {"application": w.apps[1].pk, "interest": "eager"})
    assert AuditEntry.objects.count() == before + 1
    assert "非常希望评审" in client.get(url).content.decode()


def test_bids_feed_the_assignment_fit(bidding):
    w = bidding
    key = (str(w.apps[1].pk), str(w.experts["free1"].pk))
    problem, _apps, _experts, parts = build_problem(w.round)
    base = problem.affinity[key]
    assert parts[key]["bid_interest"] == ""
    services.place_bid(w.actor("free1"), w.round, w.apps[1], interest="eager")
    problem, _apps, _experts, parts = build_problem(w.round)
    assert problem.affinity[key] == base + Decimal("0.1")
    assert parts[key]["bid_interest"] == "eager" and parts[key]["bid"] == Decimal("0.1")
    services.place_bid(w.actor("free1"), w.round, w.apps[1], interest="unwilling")
    problem, _apps, _experts, parts = build_problem(w.round)
    assert problem.affinity[key] == max(base - Decimal("0.2"), Decimal(0))
    # experts of one profile: an eager bid on every application makes the optimum take the
    # bidder everywhere (its load is 3), and each pair keeps the bid in its explanation
    for app in w.apps:
        services.place_bid(w.actor("free1"), w.round, app, interest="eager")
    services.run_assignment(w.office_actor, w.round, method="optimal")
    stored = Assignment.objects.filter(round=w.round, expert=w.experts["free1"])
    assert sorted(a.application_id for a in stored) == [a.pk for a in w.apps]
    assert {(a.parts["bid_interest"], a.parts["bid"]) for a in stored} == {("eager", "0.1")}
    assert stored.get(application=w.apps[1]).affinity == base + Decimal("0.1")


def test_no_bidding_without_the_call_or_after_the_round_started(client, rw):
    login(client, rw.users["free1"])
    url = reverse("review:my_bids", args=[rw.round.pk])
    assert client.get(url).status_code == 404  # the call does not take bids
    assert client.post(url, {"application": rw.apps[1].pk, "interest": "eager"}).status_code == 404
    with pytest.raises(ReviewError) as error:
        services.place_bid(rw.actor("free1"), rw.round, rw.apps[1], interest="eager")
    assert error.value.code == "no_bidding"
    rw.call.allow_bidding = True
    rw.call.save(update_fields=["allow_bidding"])
    with pytest.raises(ReviewError) as error:
        services.place_bid(rw.office_actor, rw.round, rw.apps[1], interest="eager")
    assert error.value.code == "not_expert"
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    assert client.get(url).status_code == 404
    with pytest.raises(ReviewError) as error:
        services.place_bid(rw.actor("free1"), rw.round, rw.apps[1], interest="eager")
    assert error.value.code == "round_started"
    assert not Bid.objects.exists()


def test_a_blind_summary_hides_the_applicant_on_the_bidding_page_and_in_the_api(client, bidding):
    """The summary an expert bids on is free text: on a blind call the applicant's name, its
    short form, phone numbers and e-mail addresses written in it are hidden (page and API);
    on an open call it reads as written."""
    w = bidding
    app = w.apps[1]
    name = app.applicant.name
    short = name.removesuffix("有限公司")
    app.data = {**app.data, "summary": f"{name}（{short}）自主研发，联系 13912345678。"}
    app.save(update_fields=["data"])
    login(client, w.users["own"])
    page = client.get(reverse("review:my_bids", args=[w.round.pk])).content.decode()
    api = client.get(reverse("api-review-my-bids", args=[w.round.pk])).json()["results"]
    blinded = "（申报单位）（（申报单位））自主研发，联系 （联系方式已隐去）。"
    assert f"<p>{blinded}</p>" in page
    assert [r["summary"] for r in api] == [blinded]
    assert name not in page and short not in page and "13912345678" not in page
    w.call.blind_review = False
    w.call.save(update_fields=["blind_review"])
    api = client.get(reverse("api-review-my-bids", args=[w.round.pk])).json()["results"]
    assert [r["summary"] for r in api] == [f"{name}（{short}）自主研发，联系 13912345678。"]
