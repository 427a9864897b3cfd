"""The introduction state machine: every legal step with its timestamps, signals and
notifications; every illegal transition refused with nothing changed; expiry; consent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.common.audit import SYSTEM
from zhizao.common.models import AuditEntry, Notification
from zhizao.matchmaking import services
from zhizao.matchmaking.enums import TRANSITIONS, IntroductionState
from zhizao.matchmaking.errors import MatchError
from zhizao.matchmaking.models import ConsentRecord, Introduction, MatchSignal

pytestmark = pytest.mark.django_db
S = IntroductionState
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def evidence():
    return SimpleUploadedFile("合同.pdf", b"%PDF-1.4 contract", content_type="application/pdf")


def request(enterprise_user, demand, offering, **kwargs):
    return services.request_introduction(
        actor_for(enterprise_user), demand=demand, offering=offering, now=NOW, **kwargs
    )


def snapshot(introduction):
    row = Introduction.objects.values().get(pk=introduction.pk)
    return row, MatchSignal.objects.count(), AuditEntry.objects.count()


def test_request_accept_meet_deal_records_times_signals_and_notifications(
    enterprise_user, provider_user, demand, offering, factory_org, provider_org
):
    intro = request(enterprise_user, demand, offering, message="请联系我们")
    assert (intro.state, intro.requested_by, intro.message) == (
        S.REQUESTED,
        "enterprise",
        "请联系我们",
    )
    assert intro.expires_at == NOW + dt.timedelta(days=14)
    assert intro.score is not None
    assert intro.reasons[0] == {
        "code": "rank",
        "position": 1,
        "zh": "推荐排名第 1 位",
        "en": "Ranked 1",
    }
    assert list(Notification.objects.values_list("recipient_organization_id", flat=True)) == [
        provider_org.pk
    ]
    provider = actor_for(provider_user)
    intro = services.accept_introduction(provider, intro, now=NOW + dt.timedelta(days=1))
    assert (intro.state, intro.accepted_at, intro.expires_at) == (
        S.ACCEPTED,
        NOW + dt.timedelta(days=1),
        None,
    )
    intro = services.record_meeting(actor_for(enterprise_user), intro, note="现场看线")
    assert (intro.state, intro.meeting_note) == (S.MET, "现场看线")
    intro = services.record_deal(
        actor_for(enterprise_user), intro, value_yuan="680000", evidence=evidence()
    )
    assert (intro.state, intro.deal_value_yuan, intro.deal_evidence_name) == (
        S.DEAL,
        Decimal("680000.00"),
        "合同.pdf",
    )
    assert intro.deal_evidence.read() == b"%PDF-1.4 contract"
    assert list(
        MatchSignal.objects.order_by("id").values_list("kind", "offering_id", "demand_id")
    ) == [
        ("accepted", offering.pk, demand.pk),
        ("deal", offering.pk, demand.pk),
    ]
    events = list(
        AuditEntry.objects.filter(object_id=str(intro.pk), content_type__model="introduction")
        .order_by("id")
        .values_list("context__event", "changes__state")
    )
    assert events == [
        ("matchmaking.introduction_created", [None, "requested"]),
        ("matchmaking.introduction_state", ["requested", "accepted"]),
        ("matchmaking.introduction_state", ["accepted", "met"]),
        ("matchmaking.introduction_state", ["met", "deal"]),
    ]
    # requested → provider; accepted → enterprise; met → provider; deal → provider
    assert list(
        Notification.objects.order_by("id").values_list("recipient_organization_id", flat=True)
    ) == [provider_org.pk, factory_org.pk, provider_org.pk, provider_org.pk]


@pytest.mark.parametrize(
    "start", [S.REQUESTED, S.ACCEPTED, S.MET, S.DEAL, S.DECLINED, S.CLOSED, S.EXPIRED]
)
def test_every_illegal_transition_is_refused_and_changes_nothing(
    start, enterprise_user, provider_user, demand, offering
):
    intro = request(enterprise_user, demand, offering)
    Introduction.objects.filter(pk=intro.pk).update(state=start)
    intro.refresh_from_db()
    for target in S.values:
        if target in TRANSITIONS[start]:
            continue
        before = snapshot(intro)
        for user in (enterprise_user, provider_user):
            with pytest.raises(MatchError) as exc:
                services.set_introduction_state(
                    actor_for(user),
                    intro,
                    target,
                    reason="x",
                    value_yuan="1",
                    evidence=evidence(),
                )
            assert exc.value.code == "bad_transition"
        assert snapshot(intro) == before


def test_only_the_other_side_accepts_or_declines(enterprise_user, provider_user, demand, offering):
    intro = request(enterprise_user, demand, offering)
    before = snapshot(intro)
    for target in (S.ACCEPTED, S.DECLINED):
        with pytest.raises(MatchError) as exc:
            services.set_introduction_state(actor_for(enterprise_user), intro, target)
        assert exc.value.code == "not_allowed"
    assert snapshot(intro) == before
    intro = services.decline_introduction(actor_for(provider_user), intro, reason="产能已满")
    assert (intro.state, intro.closed_reason) == (S.DECLINED, "产能已满")
    assert list(MatchSignal.objects.values_list("kind", flat=True)) == ["declined"]


def test_outsiders_and_the_system_cannot_move_an_introduction(
    enterprise_user, other_enterprise_user, operator, demand, offering
):
    intro = request(enterprise_user, demand, offering)
    before = snapshot(intro)
    for actor, target in (
        (actor_for(other_enterprise_user), S.ACCEPTED),
        (actor_for(operator), S.ACCEPTED),
        (SYSTEM, S.ACCEPTED),
        (actor_for(enterprise_user), S.EXPIRED),
    ):
        with pytest.raises(MatchError):
            services.set_introduction_state(actor, intro, target)
    assert snapshot(intro) == before


def test_operator_closes_with_a_reason_and_both_sides_hear(
    enterprise_user, operator, demand, offering
):
    intro = request(enterprise_user, demand, offering)
    with pytest.raises(MatchError) as exc:
        services.close_introduction(actor_for(operator), intro, reason="")
    assert exc.value.code == "required"
    Notification.objects.all().delete()
    intro = services.close_introduction(actor_for(operator), intro, reason="重复需求")
    assert (intro.state, intro.closed_reason) == (S.CLOSED, "重复需求")
    assert Notification.objects.count() == 2


def test_request_refuses_drafts_duplicates_and_own_organisation(
    enterprise_user, provider_user, provider_org, demand, offering
):
    request(enterprise_user, demand, offering)
    with pytest.raises(MatchError) as exc:
        request(enterprise_user, demand, offering)
    assert exc.value.code == "duplicate"
    with pytest.raises(MatchError) as exc:
        services.request_introduction(actor_for(provider_user), demand=demand, offering=offering)
    assert exc.value.code == "duplicate"
    draft = services.create_offering(
        actor_for(provider_user), provider_org, kind="service", title="草稿", description="x"
    )
    with pytest.raises(MatchError) as exc:
        request(enterprise_user, demand, draft)
    assert exc.value.code == "offering_not_published"
    # an organisation that is both sides of a pair
    both = make_organization(name="自产自销有限公司", kind="provider", region="320214")
    user = make_user("both", role=Role.PROVIDER, organization=both)
    own = services.publish_offering(
        actor_for(user),
        services.create_offering(
            actor_for(user),
            both,
            kind="service",
            title="服务",
            description="x",
            categories=["consulting"],
        ),
    )
    demand.enterprise = both
    with pytest.raises(MatchError) as exc:
        services.request_introduction(actor_for(user), demand=demand, offering=own)
    assert exc.value.code == "own_organization"
    assert Introduction.objects.count() == 1


def test_suggested_pair_becomes_a_request(
    enterprise_user, provider_user, operator, demand, offering
):
    intro = services.suggest_introduction(actor_for(operator), demand=demand, offering=offering)
    assert (intro.state, intro.requested_at) == (S.SUGGESTED, None)
    intro = services.request_introduction(
        actor_for(provider_user), demand=demand, offering=offering, message="愿意上门", now=NOW
    )
    assert (intro.state, intro.requested_by, intro.requested_at) == (S.REQUESTED, "provider", NOW)
    assert Introduction.objects.count() == 1


def test_expiry_job_expires_unanswered_requests_and_notifies_both_sides(
    enterprise_user, provider_user, demand, offering, factory_org, provider_org
):
    intro = request(enterprise_user, demand, offering)
    Notification.objects.all().delete()
    assert services.expire_introductions(now=NOW + dt.timedelta(days=13, hours=23)) == 0
    assert services.expire_introductions(now=NOW + dt.timedelta(days=14)) == 1
    intro.refresh_from_db()
    assert intro.state == S.EXPIRED
    assert sorted(
        Notification.objects.values_list("recipient_organization_id", flat=True)
    ) == sorted([factory_org.pk, provider_org.pk])
    assert services.expire_introductions(now=NOW + dt.timedelta(days=30)) == 0


def test_expiry_task_runs_the_service(enterprise_user, demand, offering):
    from zhizao.matchmaking.tasks import expire_introductions_task

    intro = request(enterprise_user, demand, offering)
    Introduction.objects.filter(pk=intro.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    result = expire_introductions_task.enqueue()
    assert result.return_value == 1


def test_consent_is_recorded_with_its_purpose_and_can_be_withdrawn(
    enterprise_user, provider_user, demand, offering, contact, provider_contact
):
    intro = request(enterprise_user, demand, offering)
    with pytest.raises(MatchError) as exc:  # a provider cannot consent for the enterprise's people
        services.grant_consent(actor_for(provider_user), intro, contact)
    assert exc.value.code == "bad_contact"
    consent = services.grant_consent(actor_for(enterprise_user), intro, contact)
    assert consent.purpose == (
        "向常州慧眼智能科技有限公司提供李工的姓名、职务、电话和电子邮箱，"
        "仅用于“注塑件外观缺陷视觉检测 ↔ 注塑件外观缺陷机器视觉检测系统”的对接洽谈。"
    )
    assert services.grant_consent(actor_for(enterprise_user), intro, contact).pk == consent.pk
    services.withdraw_consent(actor_for(enterprise_user), consent)
    assert ConsentRecord.objects.get().withdrawn_at is not None


def test_closing_a_demand_closes_its_open_requests(enterprise_user, demand, offering):
    intro = request(enterprise_user, demand, offering)
    services.close_demand(actor_for(enterprise_user), demand)
    intro.refresh_from_db()
    assert (intro.state, intro.closed_reason) == (S.CLOSED, "需求已关闭。")
