"""Which region a government unit answers for (the scope of its officers' dashboards)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.accounts.roles import Role
from zhizao.common.audit import Actor
from zhizao.registry.enums import OrganizationKind

from ..errors import InsightsError
from ..models import Jurisdiction
from .base import audit


def set_jurisdiction(actor: Actor, organization, region) -> Jurisdiction:
    if actor.role != Role.OPERATOR:
        raise InsightsError("not_operator", _("Only operators set a unit's jurisdiction."))
    if organization.kind != OrganizationKind.GOVERNMENT:
        raise InsightsError(
            "not_government", _("Only a government unit has a jurisdiction."), field="organization"
        )
    with transaction.atomic():
        current = Jurisdiction.objects.select_for_update().filter(organization=organization).first()
        before = current.region_id if current else None
        if current is None:
            current = Jurisdiction.objects.create(organization=organization, region=region)
        elif current.region_id != region.pk:
            current.region = region
            current.save(update_fields=["region", "updated_at"])
        if before != region.pk:
            audit(
                actor,
                "jurisdiction_set",
                organization,
                changes={"jurisdiction": [before, region.pk]},
            )
    return current
