"""The registry's figures for the dashboards and the monthly report: organisations entered in
the registry (counted in the month they were entered)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhizao.insights.providers import Figure, register_figure
from zhizao.registry.enums import OrganizationKind, SizeClass
from zhizao.registry.models import Organization

# The registry list understands these parameters; the dashboard's filters map onto them.
_PARAMS = {
    "region": "region",
    "division": "division",
    "size": "size",
    "cluster": "cluster",
    "chain": "chain",
}


def registry_list_url(filters: dict[str, str], *, kind: str = OrganizationKind.MANUFACTURER) -> str:
    query = {"kind": kind}
    query.update({_PARAMS[k]: v for k, v in filters.items() if k in _PARAMS and v})
    return f"{reverse('registry:organization_list')}?{urlencode(query)}"


def _manufacturers():
    return Organization.objects.filter(is_active=True, kind=OrganizationKind.MANUFACTURER)


register_figure(
    Figure(
        name="registry.enterprises",
        label=_("Enterprises in the registry"),
        area="registry",
        queryset=_manufacturers,
        date="created_at",
        stock=True,
        order=10,
        records=registry_list_url,
    )
)
register_figure(
    Figure(
        name="registry.enterprises_by_size",
        label=_("Enterprises by size"),
        area="registry",
        queryset=_manufacturers,
        date="created_at",
        key="size",
        stock=True,
        order=11,
        records=registry_list_url,
        key_labels=lambda: {str(k): str(v) for k, v in SizeClass.choices},
        in_report=False,
    )
)
