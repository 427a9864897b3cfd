"""Industrial chains: nodes with their local enterprises, weak links, the chain leader."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_organization
from zhizao.common.models import AuditEntry
from zhizao.registry.models import ChainNode, IndustrialChain
from zhizao.registry.selectors import chain_view


def on_node(org, code):
    org.chain_nodes.add(ChainNode.objects.get(code=code))
    return org


@pytest.fixture
def ev_chain(db):
    chain = IndustrialChain.objects.get(code="js-ev")
    for i in range(3):
        on_node(
            make_organization(name=f"常州动力电池{i}号有限公司", region="320411", industry="3841"),
            "js-ev-power-battery",
        )
    on_node(
        make_organization(name="无锡电驱科技有限公司", region="320214", industry="3812"),
        "js-ev-e-drive",
    )
    # Outside Jiangsu: not local to a Jiangsu chain.
    on_node(
        make_organization(name="杭州电驱有限公司", region="330106", industry="3812"),
        "js-ev-e-drive",
    )
    return chain


@pytest.mark.django_db
def test_chain_view_counts_local_enterprises_and_marks_weak_links(ev_chain):
    view = chain_view(ev_chain)
    by_code = {a.code: a for a in view.assessment.nodes}
    assert (
        by_code["js-ev-power-battery"].local_enterprises,
        by_code["js-ev-power-battery"].weak,
    ) == (3, False)
    assert (by_code["js-ev-e-drive"].severity, by_code["js-ev-e-drive"].reason_params) == (
        "thin",
        {"count": 1, "min": 3},
    )
    assert by_code["js-ev-vehicle"].severity == "missing"
    assert [a.position for a in view.assessment.nodes] == sorted(
        (a.position for a in view.assessment.nodes),
        key=["upstream", "midstream", "downstream"].index,
    )
    nodes = len(view.nodes)
    assert view.assessment.weak_count == nodes - 1
    assert view.assessment.coverage == round(2 / nodes, 4)


@pytest.mark.django_db
def test_chain_view_narrows_local_to_a_city(ev_chain):
    view = chain_view(ev_chain, region="320200")
    by_code = {a.code: a for a in view.assessment.nodes}
    assert (
        by_code["js-ev-power-battery"].local_enterprises,
        by_code["js-ev-e-drive"].local_enterprises,
    ) == (0, 1)


@pytest.mark.django_db
def test_chain_page_shows_columns_and_weak_link_reasons(client, officer, ev_chain):
    assert client.login(username="officer", password=PASSWORD)
    response = client.get(reverse("registry:chain_detail", args=["js-ev"]))
    assert [c["position"] for c in response.context["columns"]] == [
        "upstream",
        "midstream",
        "downstream",
    ]
    page = response.content.decode()
    assert "仅有 1 家本地企业，应不少于 3 家。" in page
    assert "该环节没有本地企业。" in page
    assert response.context["can_edit"] is False


@pytest.mark.django_db
def test_operator_designates_chain_leader_and_it_is_audited(client, operator, ev_chain):
    leader = ev_chain.nodes.get(code="js-ev-power-battery").organizations.order_by("id").first()
    assert client.login(username="operator", password=PASSWORD)
    response = client.post(
        reverse("registry:chain_edit", args=["js-ev"]),
        {
            "name_zh": ev_chain.name_zh,
            "name_en": ev_chain.name_en,
            "description_zh": "",
            "description_en": "",
            "weak_link_threshold": 2,
            "leader": leader.uscc,
        },
    )
    assert response.url == reverse("registry:chain_detail", args=["js-ev"])
    ev_chain.refresh_from_db()
    assert (ev_chain.leader_id, ev_chain.weak_link_threshold) == (leader.pk, 2)
    entry = AuditEntry.objects.get(action="update", object_id=str(ev_chain.pk))
    assert entry.changes["leader_id"] == [None, leader.pk]
    assert entry.changes["weak_link_threshold"] == [3, 2]


@pytest.mark.django_db
def test_officer_cannot_edit_a_chain(client, officer, ev_chain):
    assert client.login(username="officer", password=PASSWORD)
    response = client.post(
        reverse("registry:chain_edit", args=["js-ev"]),
        {"name_zh": "改名", "weak_link_threshold": 9},
    )
    assert response.status_code == 404
    ev_chain.refresh_from_db()
    assert (ev_chain.name_zh, ev_chain.weak_link_threshold) == ("新能源汽车产业链", 3)


@pytest.mark.django_db
def test_chain_assessments_of_many_chains_agree_with_each_chain_view(ev_chain):
    from zhizao.registry.selectors import chain_assessments

    # the leader sits on a node of its chain, and a city-level chain next to the province one
    ev_chain.leader = ev_chain.nodes.get(code="js-ev-power-battery").organizations.first()
    ev_chain.save(update_fields=["leader"])
    chains = list(IndustrialChain.objects.order_by("code"))
    assert len(chains) >= 2
    together = chain_assessments(chains)
    assert {c.pk: chain_view(c, per_node=0).assessment for c in chains} == together
    assert together[ev_chain.pk].weak_count == chain_view(ev_chain).assessment.weak_count
