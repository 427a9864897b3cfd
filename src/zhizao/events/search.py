"""Exhibitor and product search in Chinese: a substring search over a normalised column, as
the registry does (every word of the query must occur)."""

from __future__ import annotations

from django.db.models import Q

from zhizao_core.text import normalize_search_text


def booth_search_text(booth, offerings) -> str:
    parts = [booth.code, booth.exhibitor.name, booth.introduction]
    for offering in offerings:
        parts += [offering.title, offering.description]
    return normalize_search_text(*parts)


def search_filter(query: str) -> Q:
    words = normalize_search_text(query or "").replace("|", " ").split()
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return condition
