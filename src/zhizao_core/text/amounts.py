"""Amounts as Chinese users write and read them: ``3500万``, ``1.2亿元``, ``50,000元``.

Reading (``parse_amount``) accepts what arrives from a form or a spreadsheet cell:

* ``int``, ``Decimal``, and ``float`` (spreadsheets store every number as a float: ``3500.0``
  is read through ``repr`` so that ``0.1`` stays ``0.1`` and not ``0.1000000000000000055…``);
* text with thousands separators (``3,500``; groups must be of three digits, so ``3,50`` is
  refused rather than guessed), full-width digits (``３５００``), an optional ``¥``/``￥`` and a
  unit suffix: ``元``, ``千``/``千元``, ``万``/``万元``, ``十万``/``十万元``, ``百万``/``百万元``,
  ``千万``/``千万元``, ``亿``/``亿元``. A bare number is already in the requested unit.

The result is in ``unit`` (``"yuan"`` or ``"wan"`` = 万元 = 10,000 yuan), rounded half-up to
``places`` decimals (default: 4 for wan — one yuan —, 2 for yuan — one fen), trailing zeros
removed (``Decimal("3500")``, never ``Decimal("3.5E+3")``).

Writing: ``format_cny`` (money in yuan → ``3,500万元`` / ``¥35 million``), ``format_count``
(exact counts with separators) and ``format_wan_short`` (dashboard figures: ``1.2万``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "AMOUNT_UNITS",
    "AmountError",
    "format_cny",
    "format_count",
    "format_wan_short",
    "parse_amount",
]

#: Suffix → its value in yuan.
AMOUNT_UNITS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千": Decimal(1_000),
    "千元": Decimal(1_000),
    "万": Decimal(10_000),
    "万元": Decimal(10_000),
    "十万": Decimal(100_000),
    "十万元": Decimal(100_000),
    "百万": Decimal(1_000_000),
    "百万元": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "千万元": Decimal(10_000_000),
    "亿": Decimal(100_000_000),
    "亿元": Decimal(100_000_000),
}
_TARGET = {"yuan": Decimal(1), "wan": Decimal(10_000)}
_DEFAULT_PLACES = {"yuan": 2, "wan": 4}
_UNIT_PATTERN = "|".join(sorted(map(re.escape, AMOUNT_UNITS), key=len, reverse=True))
_AMOUNT = re.compile(
    r"(?P<sign>[+-]?)(?:¥|RMB|CNY)?"
    r"(?P<number>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)"
    rf"(?P<unit>{_UNIT_PATTERN})?",
    re.IGNORECASE,
)
_DROP = {ord(ch): None for ch in " \t\u00a0\u3000_"}
_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(0, 9)}


class AmountError(ValueError):
    """A value that is not an acceptable amount. ``code``: ``amount_invalid`` or
    ``amount_negative``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _plain(number: Decimal) -> Decimal:
    """``number`` without trailing zeros and without an exponent."""
    if number == 0:
        return Decimal(0)
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def plain_number(number: Decimal | int) -> str:
    """``number`` as a person writes it: ``100`` (never ``1E+2``), ``0.35``, ``2.5``."""
    return format(_plain(Decimal(number)), "f")


def parse_amount(value: object, *, unit: str = "wan", places: int | None = None) -> Decimal:
    """The amount ``value`` in ``unit`` (``"yuan"`` or ``"wan"``).

    >>> parse_amount("1.2亿"), parse_amount("3500万"), parse_amount("50000元"), parse_amount(3500.0)
    (Decimal('12000'), Decimal('3500'), Decimal('5'), Decimal('3500'))

    Raises ``AmountError("amount_invalid")`` for anything unreadable (including ``bool``,
    NaN and infinities) and ``AmountError("amount_negative")`` below zero.
    """
    if unit not in _TARGET:
        raise ValueError(f"unit must be 'yuan' or 'wan', not {unit!r}")
    places = _DEFAULT_PLACES[unit] if places is None else places
    if not 0 <= places <= 8:
        raise ValueError("places must be between 0 and 8")
    if isinstance(value, bool) or value is None:
        raise AmountError("amount_invalid")
    try:
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise AmountError("amount_invalid")
            number = Decimal(repr(value))
        elif isinstance(value, Decimal):
            if not value.is_finite():
                raise AmountError("amount_invalid")
            number = value
        elif isinstance(value, str):
            text = unicodedata.normalize("NFKC", value).translate(_DROP)
            match = _AMOUNT.fullmatch(text)
            if match is None:
                raise AmountError("amount_invalid")
            number = Decimal(match["number"].replace(",", ""))
            if match["sign"] == "-":
                number = -number
            suffix = match["unit"]
            if suffix:
                number = number * AMOUNT_UNITS[suffix] / _TARGET[unit]
        else:
            raise AmountError("amount_invalid")
        if number < 0:
            raise AmountError("amount_negative")
        return _plain(number.quantize(_QUANTUM[places], rounding=ROUND_HALF_UP))
    except InvalidOperation as error:  # more digits than the decimal context can hold
        raise AmountError("amount_invalid") from error


# --- formatting -----------------------------------------------------------------------------

# (size, template, decimals), largest first
_Tier = tuple[Decimal, str, int]
_ZH_TIERS: tuple[_Tier, ...] = (
    (Decimal(100_000_000), "{}亿元", 2),
    (Decimal(10_000), "{}万元", 2),
    (Decimal(1), "{}元", 2),
)
_EN_TIERS: tuple[_Tier, ...] = (
    (Decimal(1_000_000_000), "¥{} billion", 2),
    (Decimal(1_000_000), "¥{} million", 2),
    (Decimal(1), "¥{}", 2),
)
_ZH_SHORT: tuple[_Tier, ...] = (
    (Decimal(100_000_000), "{}亿", 1),
    (Decimal(10_000), "{}万", 1),
    (Decimal(1), "{}", 2),
)


def _to_decimal(value: Decimal | int | float) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _grouped(number: Decimal, places: int) -> str:
    """``number`` rounded to ``places`` decimals, thousands grouped, trailing zeros removed."""
    text = f"{number.quantize(_QUANTUM[places], rounding=ROUND_HALF_UP):,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _tiered(amount: Decimal, tiers: tuple[_Tier, ...], *, group: bool = True) -> str:
    """``amount`` in the largest unit it reaches; when rounding carries it to the next unit,
    that unit is used instead (99,999,999 → 1亿, not 10,000万)."""
    negative = amount < 0
    amount = abs(amount)
    level = next((i for i, tier in enumerate(tiers) if amount >= tier[0]), len(tiers) - 1)
    size, template, places = tiers[level]
    scaled = (amount / size).quantize(_QUANTUM[places], rounding=ROUND_HALF_UP)
    if level > 0 and scaled * size >= tiers[level - 1][0]:
        size, template, places = tiers[level - 1]
        scaled = (amount / size).quantize(_QUANTUM[places], rounding=ROUND_HALF_UP)
    text = _grouped(scaled, places)
    if not group:
        text = text.replace(",", "")
    sign = "-" if negative and scaled else ""
    return sign + template.format(text)


def format_cny(amount_yuan: Decimal | int | float, *, lang: str = "zh-hans") -> str:
    """Money (in yuan) as people read it, at most 2 decimals, trailing zeros removed.

    Chinese: ``8,000元`` (below 1万), ``3,500万元`` / ``12.5万元`` (below 1亿),
    ``1.2亿元`` / ``140亿元``. English (``lang`` starting with ``en``): ``¥125,000`` (below a
    million), ``¥35 million``, ``¥1.2 billion``.
    """
    amount = _to_decimal(amount_yuan)
    return _tiered(amount, _EN_TIERS if lang.lower().startswith("en") else _ZH_TIERS)


def format_count(n: int, lang: str = "zh-hans") -> str:
    """An exact count with thousands separators (``12,345``) — the same in both languages:
    the number of firms is never abbreviated in tables."""
    del lang  # both languages group by thousands with a comma
    return f"{int(n):,}"


def format_wan_short(n: int | Decimal | float) -> str:
    """A dashboard figure: ``1.2亿`` (≥ 1亿), ``3.4万`` (≥ 1万, one decimal at most), else the
    number itself without separators (``9999``)."""
    return _tiered(_to_decimal(n), _ZH_SHORT, group=False)
