"""Eligibility of a provider for an open challenge (揭榜挂帅): region prefix, certifications
(a levelled certification is met by a higher level: CMMI3 by CMMI5) and a minimum number of
cases, checked against the provider's registry region and its published offerings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from zhizao.registry.models import Organization
from zhizao_core.matching.vocabulary import LEVELLED_CERTIFICATIONS

from . import codes
from .enums import OfferingState
from .models import Case, Offering

CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_LEVEL_RE = re.compile(r"^(?P<name>[A-Za-z]+|等保)\s*(?P<level>[1-5一二三四五])\s*级?")


def parse_certification(value: str) -> tuple[str, int | None]:
    """``("CMMI", 5)`` for "CMMI5" or "CMMI 5级", ``("等保", 3)`` for "等保三级", the plain name
    and None otherwise."""
    value = value.strip().upper().replace("ＣＭＭＩ", "CMMI")
    match = _LEVEL_RE.match(value)
    if match and match.group("name") in LEVELLED_CERTIFICATIONS:
        raw = match.group("level")
        return match.group("name"), CHINESE_DIGITS.get(raw) or int(raw)
    return value, None


def certification_met(held: list[str], wanted: str) -> bool:
    name, level = parse_certification(wanted)
    for item in held:
        have_name, have_level = parse_certification(item)
        if have_name != name:
            continue
        if level is None or (have_level is not None and have_level >= level):
            return True
    return False


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    missing: list[str]


def check_eligibility(rules: dict, provider: Organization) -> Eligibility:
    missing: list[str] = []
    prefix = (rules or {}).get("region_prefix") or ""
    if prefix and not (provider.region_id or "").startswith(prefix):
        missing.append(
            _("Located in %(region)s") % {"region": codes.region_name(prefix.ljust(6, "0"))}
        )
    wanted = (rules or {}).get("certifications") or []
    if wanted:
        held: list[str] = []
        for certs in Offering.objects.filter(
            provider=provider, state=OfferingState.PUBLISHED
        ).values_list("certifications", flat=True):
            held.extend(certs or [])
        for cert in wanted:
            if not certification_met(held, cert):
                missing.append(_("Certification %(cert)s") % {"cert": cert})
    min_cases = int((rules or {}).get("min_cases") or 0)
    if min_cases:
        n = Case.objects.filter(
            offering__provider=provider, offering__state=OfferingState.PUBLISHED
        ).count()
        if n < min_cases:
            missing.append(
                _("At least %(n)s cases in published offerings (has %(have)s)")
                % {"n": min_cases, "have": n}
            )
    return Eligibility(eligible=not missing, missing=missing)
