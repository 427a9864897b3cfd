from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from zhizao.common.audit import Actor, AuditAction, diff, record

from ..models import IndustrialChain, Organization

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
    before = {field: getattr(chain, field) for field in CHAIN_FIELDS}
    for key, value in data.items():
        if key in CHAIN_FIELDS:
            setattr(chain, key, value)
    chain.leader = leader
    chain.full_clean()
    changes = diff(before, {field: getattr(chain, field) for field in CHAIN_FIELDS})
    if changes:
        chain.save()
        record(actor, AuditAction.UPDATE, chain, changes=changes)
    return changes
