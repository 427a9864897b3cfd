"""The diagnosis module's in-process caches, in one place: parsed model versions (immutable,
keyed by id and file hash) and the providers by capability tag (a few minutes)."""

from __future__ import annotations

import time

from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization
from zhizao_core.diagnosis import Model, parse_model

_PARSED: dict[tuple[int, str], Model] = {}


def parsed_model(row) -> Model:
    """The core model of a ``MaturityModel`` row, parsed once per process."""
    key = (row.pk, row.sha256)
    model = _PARSED.get(key)
    if model is None:
        model = parse_model(row.data)
        _PARSED[key] = model
    return model


_PROVIDERS: dict[str, tuple[float, dict]] = {}


PROVIDER_TTL = 300


def provider_index() -> dict[str, list[tuple[int, str, str, str]]]:
    """capability tag → [(id, name, city code, province code)] of active providers, kept a few
    minutes in memory (one query)."""
    cached = _PROVIDERS.get("index")
    if cached and time.monotonic() - cached[0] < PROVIDER_TTL:
        return cached[1]
    index: dict[str, list] = {}
    rows = (
        Organization.objects.filter(kind=OrganizationKind.PROVIDER, is_active=True)
        .order_by("name_sort", "id")
        .values_list("id", "name", "capabilities", "city_code", "province_code")
    )
    for pk, name, capabilities, city, province in rows:
        for tag in capabilities or []:
            index.setdefault(str(tag).strip(), []).append((pk, name, city, province))
    _PROVIDERS["index"] = (time.monotonic(), index)
    return index


def clear_provider_index() -> None:
    _PROVIDERS.clear()
