from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor, AuditAction, record
from zhizao.common.services import update_fields

from ..enums import ChainPosition
from ..errors import RegistryError
from ..models import ChainNode, IndustrialChain, Organization
from ..selectors import forget_filter_choices

CHAIN_FIELDS = (
    "name_zh",
    "name_en",
    "description_zh",
    "description_en",
    "weak_link_threshold",
    "leader_id",
)


@transaction.atomic
def update_chain(
    actor: Actor, chain: IndustrialChain, *, data: Mapping[str, Any], leader: Organization | None
) -> dict[str, list[Any]]:
    chain = IndustrialChain.objects.select_for_update().get(pk=chain.pk)
    values = {key: value for key, value in data.items() if key in CHAIN_FIELDS}
    values["leader_id"] = leader.pk if leader is not None else None
    changes = update_fields(
        actor, chain, values, fields=CHAIN_FIELDS, prepare=lambda obj: obj.full_clean()
    )
    if changes:
        # The chain filter shows chain names: every process rebuilds its options.
        transaction.on_commit(forget_filter_choices)
    return changes


# --- the chain's nodes ------------------------------------------------------------------------
# Operators add, rename and remove nodes on the chain's page (the caller checked
# ``access.can_change_chain``). Each write is one audit entry on the chain, naming the node.


def _node_snapshot(node: ChainNode) -> dict[str, Any]:
    return {
        "code": node.code,
        "name_zh": node.name_zh,
        "name_en": node.name_en,
        "position": node.position,
    }


def _refresh_chain_choices() -> None:
    transaction.on_commit(forget_filter_choices)


@transaction.atomic
def add_chain_node(
    actor: Actor, chain: IndustrialChain, *, name_zh: str, name_en: str = "", position: str
) -> ChainNode:
    """A new node at the end of its position's nodes; its code is the chain's code and a
    number no node of the chain has used."""
    chain = IndustrialChain.objects.select_for_update().get(pk=chain.pk)
    if position not in ChainPosition.values:
        raise RegistryError(
            "chain_node_position", _("Choose a position in the chain."), field="position"
        )
    name_zh, name_en = " ".join(name_zh.split()), " ".join(name_en.split())
    if not name_zh:
        raise RegistryError("required", _("Give the node a name."), field="name_zh")
    if chain.nodes.filter(name_zh=name_zh).exists():
        raise RegistryError(
            "chain_node_taken",
            _("The chain already has a node named “%(name)s”.") % {"name": name_zh},
            field="name_zh",
        )
    number = 1 + max(
        (
            int(code.rsplit("-n", 1)[1])
            for code in ChainNode.objects.filter(code__startswith=f"{chain.code}-n").values_list(
                "code", flat=True
            )
            if code.rsplit("-n", 1)[1].isdigit()
        ),
        default=0,
    )
    last = chain.nodes.order_by("-sort_order").values_list("sort_order", flat=True).first()
    node = ChainNode(
        chain=chain,
        code=f"{chain.code}-n{number}",
        name_zh=name_zh,
        name_en=name_en,
        position=position,
        sort_order=(last or 0) + 1,
    )
    node.full_clean()
    node.save()
    record(
        actor,
        AuditAction.UPDATE,
        chain,
        changes={f"nodes.{node.code}": [None, _node_snapshot(node)]},
        context={"event": "registry.chain_node_added"},
    )
    _refresh_chain_choices()
    return node


@transaction.atomic
def rename_chain_node(
    actor: Actor, node: ChainNode, *, name_zh: str, name_en: str = "", position: str
) -> dict[str, list[Any]]:
    node = ChainNode.objects.select_for_update().select_related("chain").get(pk=node.pk)
    name_zh, name_en = " ".join(name_zh.split()), " ".join(name_en.split())
    if not name_zh:
        raise RegistryError("required", _("Give the node a name."), field="name_zh")
    if position not in ChainPosition.values:
        raise RegistryError(
            "chain_node_position", _("Choose a position in the chain."), field="position"
        )
    if node.chain.nodes.filter(name_zh=name_zh).exclude(pk=node.pk).exists():
        raise RegistryError(
            "chain_node_taken",
            _("The chain already has a node named “%(name)s”.") % {"name": name_zh},
            field="name_zh",
        )
    before = _node_snapshot(node)
    node.name_zh, node.name_en, node.position = name_zh, name_en, position
    after = _node_snapshot(node)
    if before == after:
        return {}
    node.full_clean()
    node.save(update_fields=["name_zh", "name_en", "position"])
    changes = {f"nodes.{node.code}": [before, after]}
    record(
        actor,
        AuditAction.UPDATE,
        node.chain,
        changes=changes,
        context={"event": "registry.chain_node_renamed"},
    )
    _refresh_chain_choices()
    return changes


@transaction.atomic
def remove_chain_node(actor: Actor, node: ChainNode) -> int:
    """Remove the node; the organisations placed on it lose that place (their number is
    recorded). Returns that number."""
    node = ChainNode.objects.select_for_update().select_related("chain").get(pk=node.pk)
    chain = node.chain
    members = sorted(node.organizations.values_list("pk", flat=True))
    before = _node_snapshot(node)
    node.delete()
    record(
        actor,
        AuditAction.UPDATE,
        chain,
        changes={f"nodes.{before['code']}": [before, None]},
        context={"event": "registry.chain_node_removed", "organizations": members},
    )
    _refresh_chain_choices()
    return len(members)
