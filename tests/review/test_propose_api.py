"""The proposed list goes to 公示 through calls.services.open_publicity, the applications
move through set_application_state; panel decisions and appraisal; the JSON API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.factories import make_api_token
from zhizao.calls.models import Application, Publicity
from zhizao.review import services
from zhizao.review.errors import ReviewError
from zhizao.review.models import Assignment, PanelDecision, RoundExpert


@pytest.fixture
def ranked(rw):
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    values = {0: ("90", "80"), 1: ("60", "50"), 2: ("70", "70")}
    for i, app in enumerate(rw.apps):
        for a in Assignment.objects.filter(round=rw.round, application=app, state="active"):
            key = next(k for k, e in rw.experts.items() if e.pk == a.expert_id)
            services.save_review(
                rw.actor(key),
                a,
                scores={"innovation": values[i][0], "impact": values[i][1]},
                comments={"innovation": "评语"},
                submit=True,
            )
    return rw


def test_propose_opens_publicity_with_the_proposed_application(ranked):
    w = ranked
    ranking = services.rank_round(w.office_actor, w.round, method="mean")
    assert [(p["application"], p["proposed"]) for p in ranking.proposal] == [
        (w.apps[0].pk, True),
        (w.apps[2].pk, False),
        (w.apps[1].pk, False),
    ]
    services.propose_ranking(w.office_actor, ranking)
    ranking.refresh_from_db()
    assert ranking.handed_over_at is not None
    publicity = Publicity.objects.get(call=w.call)
    entries = list(publicity.entries.values_list("application_id", "rank", "score"))
    assert [(a, r, str(s)) for a, r, s in entries] == [(w.apps[0].pk, 1, "86.00")]
    states = dict(Application.objects.values_list("pk", "state"))
    assert states == {
        w.apps[0].pk: "publicity",
        w.apps[1].pk: "in_review",
        w.apps[2].pk: "in_review",
    }
    w.round.refresh_from_db()
    assert w.round.state == "proposed"
    with pytest.raises(ReviewError):
        services.propose_ranking(w.office_actor, ranking)


def test_appraisal_after_the_round(ranked):
    w = ranked
    expert = w.experts["free1"]
    services.close_round(w.office_actor, w.round)
    services.appraise_expert(w.office_actor, w.round, expert, timeliness=5, quality=4, note="认真")
    row = RoundExpert.objects.get(round=w.round, expert=expert)
    assert (row.timeliness, row.quality, row.appraisal_note) == (5, 4, "认真")
    with pytest.raises(ReviewError):
        services.appraise_expert(w.office_actor, w.round, expert, timeliness=6, quality=4)
    row.refresh_from_db()
    assert row.timeliness == 5


def test_panel_round_records_a_consensus_score(rw):
    panel = services.create_round(
        rw.office_actor,
        rw.call,
        name="会评",
        kind="panel",
        deadline=timezone.now() + dt.timedelta(days=3),
        reviewers_per_application=2,
        visibility="never",
    )
    services.run_assignment(rw.office_actor, panel, method="optimal")
    services.open_round(rw.office_actor, panel)
    decision = services.record_panel_decision(
        rw.office_actor, panel, rw.apps[0], outcome="consensus", consensus_score="88.50"
    )
    assert str(decision.consensus_score) == "88.50"
    with pytest.raises(ReviewError):
        services.record_panel_decision(rw.office_actor, rw.round, rw.apps[0], outcome="vote")
    assert PanelDecision.objects.count() == 1


def _api(client, user, method, url, body=None):
    token = make_api_token(user)
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def test_api_assign_exclusions_and_my_review(client, rw):
    round_url = f"/api/review/rounds/{rw.round.pk}/"
    response = _api(
        client,
        rw.office,
        "post",
        round_url + "assign/",
        {"method": "draw", "seed": 3, "cap": "0.9"},
    )
    assert response.status_code == 200
    assert response.json()["seed"] == 3
    excluded = _api(client, rw.office, "get", round_url + "exclusions/").json()
    assert excluded["count"] == 4
    assert {x["rule"] for x in excluded["results"]} == {
        "organisation",
        "past_organisation",
        "relation",
    }
    # an expert cannot reach the office's operations
    assert _api(client, rw.users["free1"], "get", round_url + "exclusions/").status_code == 404
    services.open_round(rw.office_actor, rw.round)
    mine = Assignment.objects.filter(round=rw.round, state="active").first()
    key = next(k for k, e in rw.experts.items() if e.pk == mine.expert_id)
    listed = _api(client, rw.users[key], "get", "/api/review/mine/").json()
    assert mine.pk in [r["id"] for r in listed["results"]]
    assert all(org.name not in json.dumps(listed, ensure_ascii=False) for org in rw.orgs.values())
    saved = _api(
        client,
        rw.users[key],
        "put",
        f"/api/review/mine/{mine.pk}/review/",
        {
            "scores": {"innovation": "80", "impact": "70"},
            "comments": {"innovation": "好"},
            "submit": True,
        },
    )
    assert saved.status_code == 200
    assert saved.json()["total"] == "76.0000"
    refused = _api(
        client,
        rw.users[key],
        "put",
        f"/api/review/mine/{mine.pk}/review/",
        {"scores": {"innovation": "10"}},
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "submitted"
