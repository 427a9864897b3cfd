"""The assignment from platform data: 回避 from the expert's organisation, its former
organisation (with the 3-year boundary), declared relations; the optimum and the replayable
draw; manual changes refused with the reason; recusal with reassignment."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.calls.models import Application
from zhizao.common.models import AuditEntry
from zhizao.matchmaking import services as matchmaking
from zhizao.review import selectors, services
from zhizao.review.errors import ReviewError
from zhizao.review.models import Assignment, DeclaredConflict, Exclusion, Substitute


def _pairs(w):
    return {
        (a.application_id, a.expert_id)
        for a in Assignment.objects.filter(round=w.round, state="active")
    }


def test_exclusions_come_from_platform_data(rw):
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    x_app, y_app, x_app2 = rw.apps
    rows = {
        (x.application_id, x.expert_id): (x.rule, x.reason)
        for x in Exclusion.objects.filter(round=rw.round)
    }
    e = rw.experts
    assert rows == {
        (x_app.pk, e["own"].pk): ("organisation", rows[(x_app.pk, e["own"].pk)][1]),
        (x_app2.pk, e["own"].pk): ("organisation", rows[(x_app2.pk, e["own"].pk)][1]),
        (y_app.pk, e["past_in"].pk): ("past_organisation", rows[(y_app.pk, e["past_in"].pk)][1]),
        (x_app.pk, e["related"].pk): ("relation", rows[(x_app.pk, e["related"].pk)][1]),
    }
    # the boundary: left one day before the window opened → not excluded
    assert (y_app.pk, e["past_out"].pk) not in rows
    assert all(reason for _rule, reason in rows.values())
    # no excluded pair is ever assigned
    assert not (_pairs(rw) & set(rows))


def test_optimal_assignment_gives_k_experts_each(rw):
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    rw.round.refresh_from_db()
    counts = {}
    for app_id, _e in _pairs(rw):
        counts[app_id] = counts.get(app_id, 0) + 1
    assert counts == {a.pk: 2 for a in rw.apps}
    assert rw.round.state == "assigning"
    assert rw.round.summary["applications"] == 3
    assert rw.round.summary["experts"] == 6
    assert rw.round.summary["exclusions"] == 4
    assert Decimal(rw.round.summary["total_affinity"]) == sum(
        a.affinity for a in Assignment.objects.filter(round=rw.round)
    )
    assert Substitute.objects.filter(round=rw.round).count() == 6


def test_draw_is_stored_and_replays_the_same(rw):
    services.run_assignment(rw.office_actor, rw.round, method="draw", seed=20261207, cap="0.8")
    rw.round.refresh_from_db()
    assert rw.round.seed == 20261207
    assert rw.round.cap == Decimal("0.8000")
    assert rw.round.pool == sorted(e.pk for e in rw.experts.values())
    replay = selectors.replay_draw(rw.round)
    assert replay["same"] is True
    assert replay["replayed"] == rw.round.summary["digest"]


def test_manual_change_is_refused_with_the_reason_and_nothing_changes(rw):
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    before = _pairs(rw)
    audits = AuditEntry.objects.count()
    with pytest.raises(ReviewError) as error:
        services.add_assignment(rw.office_actor, rw.round, rw.apps[0], rw.experts["own"])
    assert "单位" in error.value.message
    assert _pairs(rw) == before
    assert AuditEntry.objects.count() == audits


def test_recusal_reassigns_to_a_substitute(rw):
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    assert set(Application.objects.values_list("state", flat=True)) == {"in_review"}
    assignment = Assignment.objects.filter(round=rw.round, state="active").first()
    key = next(k for k, e in rw.experts.items() if e.pk == assignment.expert_id)
    new = services.declare_conflict(rw.actor(key), assignment, reason="曾参与该项目咨询")
    assignment.refresh_from_db()
    assert assignment.state == "recused"
    assert new is not None and new.expert_id != assignment.expert_id
    assert new.source in ("substitute", "resolve")
    assert (
        DeclaredConflict.objects.filter(
            application_id=assignment.application_id, expert_id=assignment.expert_id
        ).count()
        == 1
    )
    assert (
        Assignment.objects.filter(
            round=rw.round, application_id=assignment.application_id, state="active"
        ).count()
        == 2
    )


def test_only_the_assigned_expert_recuses(rw):
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    assignment = Assignment.objects.filter(round=rw.round, state="active").first()
    other = next(k for k, e in rw.experts.items() if e.pk != assignment.expert_id)
    with pytest.raises(ReviewError):
        services.declare_conflict(rw.actor(other), assignment, reason="x")
    assignment.refresh_from_db()
    assert assignment.state == "active"


def test_collaboration_and_named_exclusions_come_from_platform_data(rw):
    """An accepted matchmaking introduction between the expert's organisation (a provider)
    and the applicant excludes the pair (collaboration within the window); an expert the
    applicant names is excluded too, resolved from the name."""
    provider = make_organization(name="评审测试视觉方案商", kind="provider", industry=None)
    provider_user = make_user("rv-provider", role=Role.PROVIDER, organization=provider)
    expert_user = make_user("rv-prov-expert", role=Role.EXPERT, organization=provider)
    expert = services.create_expert(
        rw.office_actor, expert_user.memberships.get(), name="评审测试方案商专家"
    )
    p, ent = actor_for(provider_user), actor_for(rw.applicant_users[1])
    offering = matchmaking.publish_offering(
        p,
        matchmaking.create_offering(
            p,
            provider,
            kind="solution",
            title="视觉检测",
            description="机器视觉",
            categories=["machine_vision"],
        ),
    )
    demand = matchmaking.publish_demand(
        ent,
        matchmaking.create_demand(
            ent,
            rw.orgs["y"],
            title="缺陷检测",
            description="注塑件外观",
            category="machine_vision",
            region="320411",
        ),
    )
    intro = matchmaking.request_introduction(ent, demand=demand, offering=offering)
    matchmaking.accept_introduction(p, intro)
    Application.objects.filter(pk=rw.apps[2].pk).update(named_exclusions=["评审测试专家戊"])
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    rules = {
        (x.application_id, x.expert_id): x.rule for x in Exclusion.objects.filter(round=rw.round)
    }
    assert rules[(rw.apps[1].pk, expert.pk)] == "collaboration"
    assert (rw.apps[0].pk, expert.pk) not in rules
    assert rules[(rw.apps[2].pk, rw.experts["free1"].pk)] == "named"


def test_an_unavailable_expert_is_left_out_of_the_pool(rw):
    services.set_availability(rw.office_actor, rw.round, rw.experts["free2"], available=False)
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    rw.round.refresh_from_db()
    assert rw.experts["free2"].pk not in rw.round.pool
    assert len(rw.round.pool) == 5
    assert not Assignment.objects.filter(expert=rw.experts["free2"]).exists()
