"""Demo data for matchmaking: the pure generator (deterministic, in the rank contract, varied)
and the platform's demo (listings written in bulk, introductions in every state through the
services, consents and signals, two open challenges, the demo accounts' pending request,
contacts never shown without consent, idempotent)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.factories import actor_for
from zhizao.accounts.demo import _organization_for, ensure_demo_accounts
from zhizao.common.models import AuditEntry, Notification
from zhizao.matchmaking import access, services
from zhizao.matchmaking.demo import load_matchmaking_demo
from zhizao.matchmaking.enums import CONNECTED_STATES, IntroductionState, Side
from zhizao.matchmaking.models import (
    Case,
    Challenge,
    ChallengeApplication,
    ConsentRecord,
    Demand,
    Introduction,
    MatchSignal,
    Offering,
)
from zhizao.registry.models import Contact
from zhizao.registry.services.demo import load_demo_organizations
from zhizao_core.demo.matching import OrgRef, generate_demands, generate_offerings
from zhizao_core.matching import parse_catalogue, parse_demands
from zhizao_core.matching.vocabulary import CATEGORIES

S = IntroductionState
PLAN = {state: 2 for state in S.values}


def test_generator_is_deterministic_and_in_the_contract():
    offerings = list(generate_offerings(seed=5, size=2000))
    demands = list(generate_demands(seed=5, size=500))
    assert offerings == list(generate_offerings(seed=5, size=2000))
    assert demands == list(generate_demands(seed=5, size=500))
    assert offerings != list(generate_offerings(seed=6, size=2000))
    # the core's parsers take both files as they are (JSON round trip)
    parsed = parse_catalogue(json.loads(json.dumps(offerings)))
    assert len(parsed) == 2000
    assert len(parse_demands(json.loads(json.dumps(demands)))) == 500
    kinds = Counter(o["kind"] for o in offerings)
    assert set(kinds) == {"solution", "product", "service", "financial"}
    assert {c for o in offerings for c in o["categories"]} == set(CATEGORIES)
    assert {d["category"] for d in demands} == set(CATEGORIES)
    # banks offer financing only, and only banks do
    assert all((o["kind"] == "financial") == (o["categories"] == ["financing"]) for o in offerings)
    # varied text: few repeated titles and descriptions
    assert len({o["description"] for o in offerings}) == 2000
    assert len({o["title"] for o in offerings}) > 1500
    assert sum(1 for o in offerings if o["cases"]) > 1400
    assert all(any(ch.isdigit() for ch in c["result"]) for o in offerings for c in o["cases"])
    assert sum(1 for d in demands if d["must"]) > 250


def test_generator_uses_the_given_organisations():
    providers = [OrgRef(f"P{i}", "provider", "320411") for i in range(3)]
    banks = [OrgRef("B0", "bank", "320214", name="江苏银行无锡分行")]
    makers = [OrgRef("M0", "manufacturer", "320505", "3670")]
    offerings = list(generate_offerings(seed=1, size=300, providers=providers, banks=banks))
    assert {o["provider"] for o in offerings} == {"P0", "P1", "P2", "B0"}
    assert all(o["title"].startswith("江苏银行") for o in offerings if o["provider"] == "B0")
    demands = list(generate_demands(seed=1, size=20, manufacturers=makers))
    assert {(d["enterprise"], d["region"], d["industry"]) for d in demands} == {
        ("M0", "320505", "3670")
    }


@pytest.fixture
def demo(db):
    load_demo_organizations(size=300, seed=20261123)
    ensure_demo_accounts()
    return load_matchmaking_demo(offerings=400, demands=300, introductions=PLAN)


def _counts():
    return (
        Offering.objects.count(),
        Case.objects.count(),
        Demand.objects.count(),
        Introduction.objects.count(),
        ConsentRecord.objects.count(),
        MatchSignal.objects.count(),
        Challenge.objects.count(),
        ChallengeApplication.objects.count(),
        AuditEntry.objects.count(),
    )


def test_demo_writes_listings_introductions_in_every_state_and_challenges(demo):
    assert demo == {
        "offerings": 400,
        "cases": 725,
        "demands": 300,
        "introductions": {state: 2 for state in S.values},
        "demo_introduction": demo["demo_introduction"],
        "challenges": {"challenges": 2, "applications": demo["challenges"]["applications"]},
    }
    assert sorted(demo["challenges"]["applications"].values()) == [1, 4]
    # + the demo provider's offering with two cases, the demo enterprise's demand and request
    assert _counts()[:4] == (401, 727, 301, 17)
    states = Counter(Introduction.objects.values_list("state", flat=True))
    assert states == {**{state: 2 for state in S.values}, S.REQUESTED: 3}
    # drafts stay private listings, but exist in the demo
    assert Offering.objects.filter(state="draft").exists()
    assert Demand.objects.filter(state="draft").exists()
    # one signal per acceptance, decline and deal, recorded by the services
    signals = Counter(MatchSignal.objects.values_list("kind", flat=True))
    accepted = Introduction.objects.filter(accepted_at__isnull=False).count()
    assert signals == {"accepted": accepted, "declined": 2, "deal": 2}
    assert (
        accepted
        == 2
        + 2
        + 2
        + Introduction.objects.filter(state=S.CLOSED, accepted_at__isnull=False).count()
    )
    deals = Introduction.objects.filter(state=S.DEAL)
    assert all(d.deal_value_yuan > 0 and d.deal_evidence_sha256 for d in deals)
    assert all(i.closed_reason for i in Introduction.objects.filter(state=S.CLOSED))
    # audited like the other demos: one entry for the bulk listings, the rest by the services
    assert AuditEntry.objects.filter(context__event="matchmaking.demo_loaded").count() == 1
    announced = Challenge.objects.get(state="announced")
    assert announced.applications.filter(state="awarded").count() == 1
    assert not announced.applications.filter(state__in=["submitted", "shortlisted"]).exists()
    still_open = Challenge.objects.get(state="open")
    assert still_open.applications.filter(state="shortlisted").count() == 1


def test_contacts_are_never_shown_without_consent(demo):
    for introduction in Introduction.objects.select_related("demand", "offering"):
        for side in Side.values:
            shown = access.shared_contacts(introduction, of_side=side)
            if introduction.state not in CONNECTED_STATES:
                assert shown == []
            consented = set(
                ConsentRecord.objects.filter(
                    introduction=introduction, withdrawn_at__isnull=True
                ).values_list("contact_id", flat=True)
            )
            assert {c.pk for c in shown} <= consented
    # every accepted introduction passed on the answering side's contact with its consent
    for introduction in Introduction.objects.filter(state__in=CONNECTED_STATES):
        answering = (
            Side.PROVIDER if introduction.requested_by == Side.ENTERPRISE else Side.ENTERPRISE
        )
        owner = (
            introduction.offering.provider_id
            if answering == Side.PROVIDER
            else introduction.demand.enterprise_id
        )
        if Contact.objects.filter(organization_id=owner).exists():
            assert access.shared_contacts(introduction, of_side=answering)
    # no phone number or e-mail of a contact person in the texts both sides read
    personal = [p for c in Contact.objects.all() for p in (c.phone, c.email) if p]
    texts = [
        t for i in Introduction.objects.all() for t in (i.message, i.meeting_note, i.closed_reason)
    ]
    texts += [f"{n.title} {n.body}" for n in Notification.objects.all()]
    texts += list(Demand.objects.values_list("description", flat=True))
    assert personal and texts
    assert not [t for t in texts if any(p in t for p in personal)]


def test_the_demo_accounts_have_a_pending_request_to_show(demo):
    enterprise = _organization_for("manufacturer")
    provider = _organization_for("provider")
    pending = Introduction.objects.get(pk=demo["demo_introduction"])
    assert (pending.demand.enterprise, pending.offering.provider) == (enterprise, provider)
    assert (pending.state, pending.requested_by) == (S.REQUESTED, Side.ENTERPRISE)
    assert pending.demand.category == "mes" and "mes" in pending.offering.categories
    assert pending.offering.cases.count() == 2
    # the enterprise agreed to pass its contact on, but the provider sees it only after accepting
    assert ConsentRecord.objects.filter(introduction=pending).count() == 1
    assert access.shared_contacts(pending, of_side=Side.ENTERPRISE) == []
    provider_user = provider.memberships.select_related("user").first().user
    own = Contact.objects.filter(organization=provider).first()
    accepted = services.accept_introduction(actor_for(provider_user), pending, share_contact=own)
    assert accepted.state == S.ACCEPTED
    assert access.shared_contacts(accepted, of_side=Side.ENTERPRISE) == [pending.demand.contact]
    assert access.shared_contacts(accepted, of_side=Side.PROVIDER) == ([own] if own else [])


def test_demo_is_idempotent(demo):
    before = _counts()
    assert load_matchmaking_demo(offerings=400, demands=300, introductions=PLAN) == {
        "offerings": 0,
        "existing": 401,
    }
    assert _counts() == before
