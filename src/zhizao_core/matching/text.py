"""Chinese-first text analysis for matching: normalisation, segmentation with a domain
dictionary, stop words and synonym concepts, with character positions kept for highlighting.

* ``normalize`` maps full-width ASCII to half-width and lower-cases, one character for one
  character, so every position in the normalised text is a position in the original.
* ``analyze`` segments with rjieba (jieba's dictionary and algorithm) in *search mode* after the
  domain dictionary in ``data/terms.txt`` is added: a dictionary term stays one token *and* its
  sub-words are emitted too (机器视觉 → 机器, 视觉, 机器视觉), so a longer term in an offering
  still matches a shorter one in a demand. Stop words (``data/stopwords.txt``), single characters,
  punctuation and pure numbers are dropped.
* Synonyms (``data/synonyms.txt``): every phrase of a group found in the text (spaces ignored,
  longest first) adds the group's *concept token* ``~<first phrase>``, so 视觉检测, AOI and
  外观缺陷检测 meet on ``~机器视觉检测``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

__all__ = [
    "CONCEPT_PREFIX",
    "Analysis",
    "Span",
    "analyze",
    "concept_label",
    "concepts_of",
    "normalize",
    "synonym_groups",
    "terms",
    "token_counts",
    "tokens",
]

CONCEPT_PREFIX = "~"
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_WORDLIKE = re.compile(r"[0-9a-z\u3400-\u9fff]")
_NUMBER = re.compile(r"^[\d.,%]+$")


_FULLWIDTH = re.compile("[\uff01-\uff5e\u3000]+")


def _lower1(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


def _halfwidth(m: re.Match) -> str:
    return m.group().translate(_HALFWIDTH)


def normalize(text: str) -> str:
    """Half-width and lower case, length-preserving (position *i* stays position *i*).

    >>> normalize("ＡＯＩ检测　MES")
    'aoi检测 mes'

    Fast path: the full-width runs replaced by a regular expression, then ``str.lower()`` on
    the whole text — the same as lower-casing character by character unless a character
    lower-cases to several (İ; then the length changes) or a capital sigma takes its final
    form (ς at the end of a word); those texts take the character loop.
    """
    if text.isascii():
        return text.lower()
    half = _FULLWIDTH.sub(_halfwidth, text)
    low = half.lower()
    if len(low) == len(half) and "\u03a3" not in half:
        return low
    return "".join(_lower1(ch) for ch in half)


def _read_lines(name: str) -> list[str]:
    raw = resources.files("zhizao_core.matching").joinpath("data", name).read_text("utf-8")
    lines = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            lines.append(line)
    return lines


@cache
def terms() -> tuple[str, ...]:
    """The domain dictionary (``data/terms.txt``)."""
    return tuple(_read_lines("terms.txt"))


@cache
def stopwords() -> frozenset[str]:
    return frozenset(normalize(w) for w in _read_lines("stopwords.txt"))


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The synonym groups (``data/synonyms.txt``), each as written; the first names it."""
    return tuple(
        tuple(p.strip() for p in line.split("|") if p.strip())
        for line in _read_lines("synonyms.txt")
    )


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", normalize(text))


@cache
def _phrase_table() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    concepts: dict[str, list[str]] = {}
    for group in synonym_groups():
        concept = CONCEPT_PREFIX + group[0]
        for phrase in group:
            key = _compact(phrase)
            concepts.setdefault(key, [])
            if concept not in concepts[key]:
                concepts[key].append(concept)
    ordered = sorted(concepts, key=lambda p: (-len(p), p))
    pattern = re.compile("|".join(re.escape(p) for p in ordered))
    return pattern, {k: tuple(v) for k, v in concepts.items()}


def concept_label(token: str) -> str:
    """The readable name of a concept token (``~机器视觉检测`` → ``机器视觉检测``)."""
    return token[len(CONCEPT_PREFIX) :] if token.startswith(CONCEPT_PREFIX) else token


@cache
def _segmenter():
    import rjieba

    jieba = rjieba.Jieba()
    for term in terms():
        # Latin terms are matched lower-cased; jieba's dictionary keeps them as typed.
        jieba.add_word(normalize(term), None, None)
    return jieba


@dataclass(frozen=True)
class Span:
    """A token or concept found in a text, with its place (``text[start:end]``)."""

    token: str
    start: int
    end: int


@dataclass(frozen=True)
class Analysis:
    text: str
    spans: tuple[Span, ...]  # word tokens, then concept tokens, each in text order

    def counts(self) -> Counter:
        return Counter(span.token for span in self.spans)


def concepts_of(text: str) -> list[Span]:
    return list(_concepts_cached(text))


@lru_cache(maxsize=16384)
def _concepts_cached(text: str) -> tuple[Span, ...]:
    """Synonym phrases found in ``text`` (spaces ignored), as concept spans on the original."""
    norm = normalize(text)
    index = [i for i, ch in enumerate(norm) if not ch.isspace()]
    compact = "".join(norm[i] for i in index)
    pattern, table = _phrase_table()
    found: list[Span] = []
    for m in pattern.finditer(compact):
        start, end = index[m.start()], index[m.end() - 1] + 1
        for concept in table[m.group()]:
            found.append(Span(concept, start, end))
    return tuple(found)


def analyze(text: str | None) -> Analysis:
    """Tokens (search mode, dictionary, stop words dropped) and concepts of ``text``."""
    return _analyze(text or "")


@lru_cache(maxsize=16384)
def _analyze(text: str) -> Analysis:
    norm = normalize(text)
    stop = stopwords()
    spans: list[Span] = []
    for word, start, end in _segmenter().tokenize(norm, "search", True):
        word = word.strip()
        if len(word) < 2 or word in stop or not _WORDLIKE.search(word) or _NUMBER.match(word):
            continue
        spans.append(Span(word, start, end))
    spans.extend(concepts_of(text))
    return Analysis(text, tuple(spans))


#: a segmenter's word → the token it gives (``None``: none), the tests of ``analyze`` made once
#: per distinct word, not once per occurrence: indexing a million offerings meets a few hundred
#: thousand distinct words tens of millions of times. Bounded; a word not kept is tested again
_WORD_TOKENS: dict[str, str | None] = {}
_WORD_TOKENS_SIZE = 1_000_000
_UNSEEN = object()


def token_counts(text: str | None) -> Counter:
    """``analyze(text).counts()`` without building the spans (what indexing needs): the same
    tokens, concepts and counts, about twice as fast."""
    norm = normalize(text or "")
    stop = stopwords()
    counts: Counter = Counter()
    known = _WORD_TOKENS
    for word, _start, _end in _segmenter().tokenize(norm, "search", True):
        token = known.get(word, _UNSEEN)
        if token is _UNSEEN:
            token = word.strip()
            if (
                len(token) < 2
                or token in stop
                or not _WORDLIKE.search(token)
                or _NUMBER.match(token)
            ):
                token = None
            if len(known) < _WORD_TOKENS_SIZE:
                known[word] = token
        if token is not None:
            counts[token] += 1
    pattern, table = _phrase_table()
    for m in pattern.finditer("".join(norm.split())):  # split(): the spaces isspace() knows
        for concept in table[m.group()]:
            counts[concept] += 1
    return counts


def tokens(text: str | None) -> list[str]:
    """The index tokens of ``text``: words and concepts (with repeats)."""
    return [span.token for span in analyze(text).spans]
