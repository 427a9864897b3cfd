"""The chain leader is picked by searching the registry (name or credit code), and an operator
adds, renames and removes a chain's nodes on the chain's page; every write is audited, and
nobody else can do it (the route table checks every role; here: an enterprise)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, make_organization
from zhizao.common.models import AuditEntry
from zhizao.registry.models import ChainNode, IndustrialChain

EDIT = reverse("registry:chain_edit", args=["js-ev"])
SEARCH = reverse("registry:organization_search")


@pytest.fixture
def chain(db):
    return IndustrialChain.objects.get(code="js-ev")


@pytest.fixture
def batteries(db):
    return [
        make_organization(name=f"常州动力电池{i}号有限公司", region="320411", industry="3841")
        for i in range(2)
    ]


def chain_form(chain, leader: str) -> dict:
    return {
        "name_zh": chain.name_zh,
        "name_en": chain.name_en,
        "description_zh": "",
        "description_en": "",
        "weak_link_threshold": 3,
        "leader": leader,
    }


@pytest.fixture
def as_operator(client, operator):
    assert client.login(username="operator", password=PASSWORD)
    return client


@pytest.mark.django_db
def test_the_leader_is_found_by_code_name_or_a_unique_search(as_operator, chain, batteries):
    first, second = batteries
    for text, expected in (
        (second.uscc.lower(), second),
        (first.name, first),
        ("电池1号", second),
    ):
        response = as_operator.post(EDIT, chain_form(chain, text))
        assert response.status_code == 302, text
        chain.refresh_from_db()
        assert chain.leader_id == expected.pk, text
    audit = AuditEntry.objects.count()
    response = as_operator.post(EDIT, chain_form(chain, "动力电池"))
    assert response.status_code == 400
    assert response.context["form"].errors["leader"] == [
        "有多家机构符合：常州动力电池0号有限公司、常州动力电池1号有限公司。请从列表中选择或填写其信用代码。"
    ]
    response = as_operator.post(EDIT, chain_form(chain, "不存在的公司"))
    assert response.context["form"].errors["leader"] == ["企业库中没有该名称或代码的机构。"]
    chain.refresh_from_db()
    assert (chain.leader_id, AuditEntry.objects.count()) == (second.pk, audit)


@pytest.mark.django_db
def test_the_search_offers_organisations_by_name_or_code(as_operator, batteries):
    first, second = batteries
    archived = make_organization(name="常州动力电池停业有限公司", region="320411", industry="3841")
    archived.is_active = False
    archived.save(update_fields=["is_active"])
    response = as_operator.get(SEARCH, {"q": "动力电池"})
    assert response.status_code == 200
    html = response.content.decode()
    assert [o.name for o in response.context["found"]] == [first.name, second.name]
    assert f'data-value="{first.uscc}"' in html
    response = as_operator.get(SEARCH, {"q": second.uscc})
    assert [o.name for o in response.context["found"]] == [second.name]
    response = as_operator.get(SEARCH, {"q": "电" * 101})
    assert (response.status_code, response.context["found"]) == (200, [])
    assert "最多" in response.content.decode()


@pytest.mark.django_db
def test_the_search_answers_in_constant_queries(as_operator):
    for i in range(3):
        make_organization(name=f"无锡查询{i}号有限公司", region="320214", industry="3421")
    counts = []
    for q, found in (("查询0号", 1), ("无锡查询", 3)):
        with CaptureQueriesContext(connection) as queries:
            response = as_operator.get(SEARCH, {"q": q})
        assert len(response.context["found"]) == found
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_operator_adds_renames_and_removes_a_node(as_operator, chain, batteries):
    add = reverse("registry:chain_node_add", args=["js-ev"])
    response = as_operator.post(
        add,
        {
            "new-name_zh": "热管理系统",
            "new-name_en": "Thermal management",
            "new-position": "midstream",
        },
    )
    assert response["Location"] == EDIT + "#nodes"
    node = ChainNode.objects.get(chain=chain, name_zh="热管理系统")
    assert (node.code, node.position, node.name_en) == (
        "js-ev-n1",
        "midstream",
        "Thermal management",
    )
    entry = AuditEntry.objects.filter(object_id=str(chain.pk)).latest("id")
    assert (entry.context["event"], entry.changes) == (
        "registry.chain_node_added",
        {
            "nodes.js-ev-n1": [
                None,
                {
                    "code": "js-ev-n1",
                    "name_zh": "热管理系统",
                    "name_en": "Thermal management",
                    "position": "midstream",
                },
            ]
        },
    )
    # a second node of the same name is refused, nothing written
    count, audit = ChainNode.objects.count(), AuditEntry.objects.count()
    response = as_operator.post(add, {"new-name_zh": "热管理系统", "new-position": "upstream"})
    assert response.status_code == 400
    assert response.context["node_form"].errors["name_zh"] == [
        "该产业链已有名为“热管理系统”的环节。"
    ]
    assert (ChainNode.objects.count(), AuditEntry.objects.count()) == (count, audit)
    # rename and move
    edit = reverse("registry:chain_node_edit", args=["js-ev", node.pk])
    prefix = f"node-{node.pk}"
    response = as_operator.post(
        edit,
        {
            "action": "rename",
            f"{prefix}-name_zh": "电池热管理",
            f"{prefix}-name_en": "",
            f"{prefix}-position": "upstream",
        },
    )
    assert response.status_code == 302
    node.refresh_from_db()
    assert (node.name_zh, node.name_en, node.position) == ("电池热管理", "", "upstream")
    entry = AuditEntry.objects.filter(object_id=str(chain.pk)).latest("id")
    assert entry.changes["nodes.js-ev-n1"][1]["name_zh"] == "电池热管理"
    # remove: the organisations on it lose that place
    batteries[0].chain_nodes.add(node)
    response = as_operator.post(edit, {"action": "remove"})
    assert response.status_code == 302
    assert not ChainNode.objects.filter(pk=node.pk).exists()
    assert list(batteries[0].chain_nodes.all()) == []
    entry = AuditEntry.objects.filter(object_id=str(chain.pk)).latest("id")
    assert (entry.context["event"], entry.context["organizations"]) == (
        "registry.chain_node_removed",
        [batteries[0].pk],
    )
    # the page lists the nodes with a form each
    page = as_operator.get(EDIT)
    assert [n.code for n, _f in page.context["nodes"]] == list(
        chain.nodes.order_by("sort_order", "id").values_list("code", flat=True)
    )


@pytest.mark.django_db
def test_a_node_of_another_chain_or_an_enterprise_changes_nothing(
    client, as_operator, enterprise_user, chain
):
    other = ChainNode.objects.exclude(chain=chain).first()
    before = (other.name_zh, ChainNode.objects.count(), AuditEntry.objects.count())
    response = as_operator.post(
        reverse("registry:chain_node_edit", args=["js-ev", other.pk]), {"action": "remove"}
    )
    assert response.status_code == 404
    client.logout()
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    node = chain.nodes.first()
    response = client.post(
        reverse("registry:chain_node_edit", args=["js-ev", node.pk]), {"action": "remove"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert (other.name_zh, ChainNode.objects.count(), AuditEntry.objects.count()) == before
