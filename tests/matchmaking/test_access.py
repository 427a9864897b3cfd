"""Who sees what: drafts are private; a provider never sees a demand's contact person before
acceptance, nor after acceptance without that person's consent — neither in the HTML nor in
the API JSON; with consent it does. Denied writes are 404 and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import actor_for
from zhizao.matchmaking import services
from zhizao.matchmaking.models import Demand, Introduction, Offering

from .conftest import EMAIL, PHONE, PROVIDER_PHONE, login

pytestmark = pytest.mark.django_db


def pages_for(demand, introduction=None):
    urls = [
        reverse("matchmaking:demand_detail", args=[demand.pk]),
        reverse("api-match-demand", args=[demand.pk]),
        reverse("api-match-demands"),
    ]
    if introduction is not None:
        urls += [
            reverse("matchmaking:introduction_detail", args=[introduction.pk]),
            reverse("api-match-introduction", args=[introduction.pk]),
            reverse("api-match-introductions"),
        ]
    return urls


def assert_contact_hidden(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert PHONE not in body, url
        assert EMAIL not in body, url
        assert "李工" not in body, url


def test_provider_never_sees_the_contact_before_acceptance(
    client, provider_user, enterprise_user, demand, offering, contact
):
    # the enterprise even consented at request time: still hidden until acceptance
    intro = services.request_introduction(
        actor_for(enterprise_user), demand=demand, offering=offering, share_contact=contact
    )
    login(client, provider_user)
    assert_contact_hidden(client, pages_for(demand, intro))
    # the ranked list of demands for the offering
    assert_contact_hidden(
        client,
        [
            reverse("matchmaking:offering_detail", args=[offering.pk]),
            reverse("api-match-offering-demands", args=[offering.pk]),
        ],
    )


def test_after_acceptance_without_consent_still_hidden_with_consent_shown(
    client, provider_user, enterprise_user, demand, offering, contact
):
    intro = services.request_introduction(
        actor_for(provider_user), demand=demand, offering=offering
    )
    services.accept_introduction(actor_for(enterprise_user), intro)
    login(client, provider_user)
    assert_contact_hidden(client, pages_for(demand, intro))
    services.grant_consent(actor_for(enterprise_user), intro, contact)
    html = client.get(reverse("matchmaking:introduction_detail", args=[intro.pk])).content.decode()
    assert PHONE in html and EMAIL in html
    body = client.get(reverse("api-match-introduction", args=[intro.pk])).json()
    assert body["contacts"] == [
        {"id": contact.pk, "name": "李工", "title": "设备部长", "phone": PHONE, "email": EMAIL}
    ]
    # the demand itself still does not carry the contact for the provider
    assert "contact" not in client.get(reverse("api-match-demand", args=[demand.pk])).json()
    # withdrawn: hidden again
    services.withdraw_consent(actor_for(enterprise_user), intro.consents.get())
    assert_contact_hidden(client, pages_for(demand, intro))


def test_accepting_with_the_checkbox_records_consent_for_the_demand_contact(
    client, provider_user, enterprise_user, demand, offering, contact, provider_contact
):
    intro = services.request_introduction(
        actor_for(provider_user), demand=demand, offering=offering
    )
    login(client, enterprise_user)
    response = client.post(
        reverse("matchmaking:introduction_accept", args=[intro.pk]), {"share_contact": "1"}
    )
    assert response.status_code == 302
    intro.refresh_from_db()
    assert intro.state == "accepted"
    assert list(intro.consents.values_list("contact_id", flat=True)) == [contact.pk]
    # the enterprise does not see the provider's person: no consent from the provider yet
    html = client.get(reverse("matchmaking:introduction_detail", args=[intro.pk])).content.decode()
    assert PROVIDER_PHONE not in html
    client.logout()
    login(client, provider_user)
    html = client.get(reverse("matchmaking:introduction_detail", args=[intro.pk])).content.decode()
    assert PHONE in html


def test_drafts_are_private(
    client, provider_user, other_enterprise_user, enterprise_user, factory_org, provider_org
):
    demand = services.create_demand(
        actor_for(enterprise_user),
        factory_org,
        title="草稿需求",
        category="mes",
        region="320214",
        description="x",
    )
    offering = services.create_offering(
        actor_for(provider_user), provider_org, kind="solution", title="草稿方案"
    )
    login(client, provider_user)
    for url in (
        reverse("matchmaking:demand_detail", args=[demand.pk]),
        reverse("api-match-demand", args=[demand.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.get(reverse("api-match-demands")).json()["count"] == 0
    client.logout()
    login(client, other_enterprise_user)
    for url in (
        reverse("matchmaking:offering_detail", args=[offering.pk]),
        reverse("api-match-offering", args=[offering.pk]),
        reverse("matchmaking:demand_detail", args=[demand.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.get(reverse("api-match-offerings")).json()["count"] == 0


def test_denied_writes_are_404_and_change_nothing(
    client, other_enterprise_user, provider_user, demand, offering, enterprise_user
):
    before = (
        list(Demand.objects.values()),
        list(Offering.objects.values()),
        Introduction.objects.count(),
    )
    login(client, other_enterprise_user)
    posts = [
        reverse("matchmaking:demand_edit", args=[demand.pk]),
        reverse("matchmaking:demand_state", args=[demand.pk]),
        reverse("matchmaking:demand_request", args=[demand.pk, offering.pk]),
        reverse("matchmaking:offering_state", args=[offering.pk]),
        reverse("matchmaking:case_add", args=[offering.pk]),
    ]
    for url in posts:
        assert client.post(url, {"state": "closed", "title": "x"}).status_code == 404, url
    assert (
        client.patch(
            reverse("api-match-demand", args=[demand.pk]),
            {"title": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    intro = services.request_introduction(
        actor_for(enterprise_user), demand=demand, offering=offering
    )
    before = (before[0], before[1], 1)
    for url in (
        reverse("matchmaking:introduction_accept", args=[intro.pk]),
        reverse("matchmaking:introduction_close", args=[intro.pk]),
        reverse("api-match-introduction-action", args=[intro.pk, "accept"]),
    ):
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    intro.refresh_from_db()
    assert intro.state == "requested"
    assert (
        list(Demand.objects.values()),
        list(Offering.objects.values()),
        Introduction.objects.count(),
    ) == before
