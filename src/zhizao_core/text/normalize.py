"""Normalising Chinese text: half-width forms, search text, lists, and a sort key.

* ``to_halfwidth`` maps only the full-width ASCII block (``ＡＢＣ１２３，！``) and the
  ideographic space to ASCII. Unlike NFKC it leaves everything else alone (``①``, ``㎡`` and
  Chinese punctuation such as ``、`` or ``。`` stay as they are).
* ``normalize_search_text`` is the form stored for substring search: NFKC, case-folded,
  whitespace collapsed, the parts joined by `` | `` so that a query cannot match across parts.
* ``organization_name_key`` is the form two organisation names are compared in: NFKC,
  case-folded, without whitespace and invisible format characters, so ``无锡恒润（集团）有限公司``,
  ``无锡恒润(集团)有限公司`` and ``无锡恒润 （集团）有限公司\u200b`` are one name.
* ``split_list`` splits the lists people type into one cell: ``数控车床、加工中心；减速机``.
* ``chinese_sort_key`` orders Chinese text without a pinyin dictionary, by GBK byte order.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "LIST_SEPARATORS",
    "chinese_sort_key",
    "normalize_search_text",
    "organization_name_key",
    "split_list",
    "to_halfwidth",
]

# U+FF01..U+FF5E are the full-width forms of U+0021..U+007E; U+3000 is the ideographic space.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_WHITESPACE = re.compile(r"\s+")

#: The separators ``split_list`` accepts, half- and full-width: ; ； 、 , ， / ／ | ｜ ､ and
#: line breaks.
LIST_SEPARATORS = ";；、,，/／|｜､\n\r"
_SPLIT = re.compile("[" + re.escape(LIST_SEPARATORS) + "]")


def to_halfwidth(s: str) -> str:
    """Full-width letters, digits and ASCII punctuation, and the ideographic space, to ASCII."""
    return s.translate(_HALFWIDTH)


def normalize_search_text(*parts: str | None) -> str:
    """The searchable form of ``parts``: NFKC, case-folded, whitespace collapsed to single
    spaces, empty parts skipped, the rest joined by `` | ``.

    >>> normalize_search_text("无锡ＡＢＣ  精密", None, "", " MES\\tWMS ")
    '无锡abc 精密 | mes wms'
    """
    cleaned: list[str] = []
    for part in parts:
        if not part:
            continue
        value = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", part).casefold()).strip()
        if value:
            cleaned.append(value)
    return " | ".join(cleaned)


NAME_KEY_MAX = 800


def organization_name_key(name: str | None) -> str:
    """The key under which two organisation names count as the same name: NFKC (full-width
    letters, digits and brackets become ASCII), case-folded, every whitespace character and
    every invisible format character (zero-width space, joiners, direction marks) removed.
    At most ``NAME_KEY_MAX`` characters.

    >>> organization_name_key(" 无锡恒润（集团）ＡＢＣ 有限公司\u200b")
    '无锡恒润(集团)abc有限公司'
    """
    if not name:
        return ""
    folded = unicodedata.normalize("NFKC", name).casefold()
    kept = [
        ch for ch in folded if not ch.isspace() and unicodedata.category(ch) not in {"Cf", "Cc"}
    ]
    return "".join(kept)[:NAME_KEY_MAX]


def split_list(text: str | None) -> list[str]:
    """Split a typed list on any of ``; ； 、 , ， / ／ | ｜`` and line breaks.

    Items are stripped (including the ideographic space); empty items and repeats are dropped,
    the first occurrence keeping its place. Items are otherwise left as typed.

    >>> split_list("数控车床、加工中心；减速机， 加工中心")
    ['数控车床', '加工中心', '减速机']
    """
    if not text:
        return []
    seen: dict[str, None] = {}
    for item in _SPLIT.split(text):
        item = item.strip()
        if item:
            seen[item] = None
    return list(seen)


# --- sorting --------------------------------------------------------------------------------
#
# GB 2312 (the heart of GBK) stores its 3,755 level-1 hanzi (lead bytes B0-D7) in pinyin
# order, and its 3,008 level-2 hanzi (D8-F7) by radical and stroke count. Comparing the GBK
# bytes of two names therefore sorts the characters of everyday company names by pinyin,
# without a pinyin table. The key per character is:
#
#   ASCII (one GBK byte)                       its byte value            0x00-0x7F
#   GB 2312 area (lead A1-F7, trail A1-FE)     (lead << 8) | trail       0xA1A1-0xF7FE
#     symbols A1-A9, level-1 hanzi B0-D7 (pinyin order), level-2 hanzi D8-F7
#   other GBK characters (GBK/3, GBK/4, …)     0x10000 + two-byte value  after GB 2312
#   not encodable in GBK (emoji, rare hanzi)   0x20000 + code point      last
#
# The text is NFKC-normalised first so that full-width letters sort with ASCII. Level-1
# characters that share a pinyin syllable are in GB 2312's order, not by stroke count; the
# level-2 and GBK-extension characters are not in pinyin order at all.


@lru_cache(maxsize=65536)
def _char_rank(ch: str) -> int:
    try:
        encoded = ch.encode("gbk")
    except UnicodeEncodeError:
        return 0x20000 + ord(ch)
    if len(encoded) == 1:
        return encoded[0]
    lead, trail = encoded[0], encoded[1]
    value = (lead << 8) | trail
    if 0xA1 <= lead <= 0xF7 and 0xA1 <= trail <= 0xFE:
        return value
    return 0x10000 + value


def chinese_sort_key(text: str) -> tuple[int, ...]:
    """A key that orders Chinese strings by pinyin for the 3,755 level-1 GB 2312 characters
    (GBK byte order), ASCII before hanzi, characters outside GBK last.

    >>> sorted(["张三", "李四", "王五", "阿里"], key=chinese_sort_key)
    ['阿里', '李四', '王五', '张三']
    """
    return tuple(map(_char_rank, unicodedata.normalize("NFKC", text)))
