"""Other apps' suggestions for the gap roadmap, without diagnosis importing them: an app
registers a "gap recommender" (the classroom: courses that address a sub-domain), and the
roadmap asks every registered one for the sub-domains it shows — once per report, whatever the
number of gaps. A recommender answers ``{subdomain id: [{"title", "url"}, …]}``."""

from __future__ import annotations

from collections.abc import Callable, Iterable

Recommender = Callable[[Iterable[str]], dict[str, list[dict]]]

_RECOMMENDERS: dict[str, tuple[str, Recommender]] = {}


def register_gap_recommender(name: str, *, label, provide: Recommender) -> None:
    """``label`` heads the suggestions in the roadmap (e.g. "Courses that help:")."""
    _RECOMMENDERS[name] = (label, provide)


def recommendations_for(subdomain_ids: Iterable[str]) -> dict[str, list[dict]]:
    """Per sub-domain id, the groups ``{"label", "items"}`` of every recommender."""
    wanted = sorted(set(subdomain_ids))
    out: dict[str, list[dict]] = {s: [] for s in wanted}
    if not wanted:
        return out
    for _name, (label, provide) in sorted(_RECOMMENDERS.items()):
        found = provide(wanted)
        for sub in wanted:
            items = found.get(sub) or []
            if items:
                out[sub].append({"label": label, "items": items})
    return out
