"""The expert's availability per round and its bids through the API: the pages' services and
rules (own rounds still being prepared, bidding only where the call allows it and where no 回避
rule excludes the pair), exact bodies, and refusals that change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.review.test_pages import login
from zhizao.common.models import AuditEntry
from zhizao.review import services
from zhizao.review.models import Bid, RoundExpert


def _put(client, url, body):
    return client.put(url, body, content_type="application/json")


def test_expert_lists_and_declares_its_availability(client, rw):
    login(client, rw.users["free1"])
    listing = client.get(reverse("api-review-my-availability"))
    assert listing.status_code == 200
    row = {
        "round": rw.round.pk,
        "round_name": rw.round.name,
        "call": rw.call.title,
        "deadline": rw.round.deadline.isoformat(),
        "declared": False,
        "available": True,
        "max_load": None,
        "bidding": False,
    }
    assert listing.json() == {"count": 1, "next": None, "previous": None, "results": [row]}

    url = reverse("api-review-my-round-availability", args=[rw.round.pk])
    before = AuditEntry.objects.count()
    response = _put(client, url, {"available": True, "max_load": 2})
    assert response.status_code == 200
    assert response.json() == {**row, "declared": True, "max_load": 2}
    assert AuditEntry.objects.count() == before + 1
    response = _put(client, url, {"available": False})
    assert response.json() == {**row, "declared": True, "available": False}
    assert list(RoundExpert.objects.values_list("expert_id", "available", "max_load")) == [
        (rw.experts["free1"].pk, False, None)
    ]


def test_availability_refusals_change_nothing(client, rw):
    url = reverse("api-review-my-round-availability", args=[rw.round.pk])
    before = AuditEntry.objects.count()
    login(client, rw.users["free1"])
    bad = _put(client, url, {"available": True, "max_load": 0})
    assert bad.status_code == 400 and bad.json()["field"] == "max_load"
    # not an expert (the office, an applicant): 404 on both operations
    for user in (rw.office, rw.applicant_users[0]):
        login(client, user)
        assert client.get(reverse("api-review-my-availability")).status_code == 404
        assert _put(client, url, {"available": False}).status_code == 404
    assert not RoundExpert.objects.exists() and AuditEntry.objects.count() == before
    # a round already handed to the experts: 404, as on the page
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    before = AuditEntry.objects.count()
    login(client, rw.users["free1"])
    assert _put(client, url, {"available": False}).status_code == 404
    assert not RoundExpert.objects.exists()
    assert AuditEntry.objects.count() == before


@pytest.fixture
def bidding(rw):
    rw.call.allow_bidding = True
    rw.call.save(update_fields=["allow_bidding"])
    return rw


def test_expert_bids_where_not_excluded_blind_to_the_applicant(client, bidding):
    w = bidding
    login(client, w.users["own"])  # staff of the first applicant: its two applications excluded
    listing = client.get(reverse("api-review-my-bids", args=[w.round.pk]))
    assert listing.status_code == 200
    body = listing.json()
    assert [r["application"] for r in body["results"]] == [w.apps[1].pk]
    (row,) = body["results"]
    assert row["interest"] is None
    assert row["title"] == w.apps[1].display_title(True)
    assert "评审测试乙视觉科技有限公司" not in listing.content.decode()

    before = AuditEntry.objects.count()
    excluded = reverse("api-review-my-bid", args=[w.round.pk, w.apps[0].pk])
    assert _put(client, excluded, {"interest": "eager"}).status_code == 404
    url = reverse("api-review-my-bid", args=[w.round.pk, w.apps[1].pk])
    bad = _put(client, url, {"interest": "very"})
    assert bad.status_code == 400 and bad.json()["field"] == "interest"
    assert not Bid.objects.exists() and AuditEntry.objects.count() == before

    response = _put(client, url, {"interest": "eager"})
    assert response.status_code == 200
    assert response.json() == {**row, "interest": "eager"}
    assert list(Bid.objects.values_list("application_id", "expert_id", "interest")) == [
        (w.apps[1].pk, w.experts["own"].pk, "eager")
    ]
    assert AuditEntry.objects.count() == before + 1
    _put(client, url, {"interest": "eager"})  # the same bid again writes nothing
    assert AuditEntry.objects.count() == before + 1
    listing = client.get(reverse("api-review-my-bids", args=[w.round.pk])).json()
    assert [r["interest"] for r in listing["results"]] == ["eager"]


def test_no_bids_without_the_call_for_others_or_after_the_round_started(client, rw):
    url = reverse("api-review-my-bid", args=[rw.round.pk, rw.apps[1].pk])
    listing = reverse("api-review-my-bids", args=[rw.round.pk])
    login(client, rw.users["free1"])
    assert client.get(listing).status_code == 404  # the call does not take bids
    assert _put(client, url, {"interest": "eager"}).status_code == 404
    rw.call.allow_bidding = True
    rw.call.save(update_fields=["allow_bidding"])
    before = AuditEntry.objects.count()
    for user in (rw.office, rw.applicant_users[0]):
        login(client, user)
        assert client.get(listing).status_code == 404
        assert _put(client, url, {"interest": "eager"}).status_code == 404
    assert not Bid.objects.exists() and AuditEntry.objects.count() == before
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    before = AuditEntry.objects.count()
    login(client, rw.users["free1"])
    assert client.get(listing).status_code == 404
    assert _put(client, url, {"interest": "eager"}).status_code == 404
    assert not Bid.objects.exists() and AuditEntry.objects.count() == before
