from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from zhizao.common.audit import Actor
from zhizao.common.services import update_fields

from ..models import IndustrialChain, Organization
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
