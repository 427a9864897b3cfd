"""Certificate verification codes: 12 characters from an alphabet without look-alikes
(no 0/O, 1/I/L), shown in groups of four (``K7QM-3XPA-9RTC``). People type them, so reading a
code ignores case, spaces and dashes. The randomness comes from ``secrets`` (60 bits)."""

from __future__ import annotations

import secrets

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What a person typed, as stored: upper case, only letters and digits, at most 24."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:24]


def is_well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
