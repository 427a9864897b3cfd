"""Money for the policy engine: integers of fen (0.01 yuan), exact fractions in between, and
one rounding rule — half-up to the fen — applied where the rules say an amount is final."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

_DECIMAL = re.compile(r"^-?(?:\d+)(?:\.\d+)?$")


def parse_decimal(text) -> Decimal:
    """A decimal string (``"2600000.00"``, ``"0.0345"``) or an int → Decimal. Floats are
    refused: a float cannot say 0.1 exactly, and money must not start from a guess."""
    if isinstance(text, bool) or isinstance(text, float):
        raise ValueError("not_decimal_string")
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, Decimal):
        return text
    if not isinstance(text, str) or not _DECIMAL.match(text.strip()):
        raise ValueError("not_decimal_string")
    return Decimal(text.strip())


def yuan_to_fen(value: Decimal) -> int:
    """Yuan (at most two decimals) → fen."""
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError("more_than_two_decimals")
    return int(fen)


def half_up(value: Fraction) -> int:
    """Round a non-negative or negative exact amount of fen half away from zero."""
    if value >= 0:
        return int((value.numerator * 2 + value.denominator) // (value.denominator * 2))
    return -half_up(-value)


def fen_str(fen: int) -> str:
    """Fen → ``"2600000.00"`` (yuan, two decimals, no separators)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def fen_display(fen: int, lang: str = "zh") -> str:
    """Fen → ``"2,600,000.00"`` for explanation texts."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def percent_text(rate: Fraction) -> str:
    """0.08 → ``"8%"``, 0.0125 → ``"1.25%"``."""
    value = Decimal(rate.numerator) / Decimal(rate.denominator) * 100
    text = format(value.normalize(), "f")
    return f"{text}%"
