"""Unified social credit code (统一社会信用代码, GB 32100-2015).

Layout of the 18 characters, all from the 31-character alphabet ``0-9 A-H J-N P-R T U W-Y``
(I, O, Z, S and V are never used; the alphabet position is the character's value 0..30):

====== ===================================================================================
pos    meaning
====== ===================================================================================
1      registration department (1 staffing office, 5 civil affairs, 9 market regulation …;
       1-9, A, N, Y are assigned)
2      entity type within that department (9·1 enterprise, 9·2 individual business,
       9·3 farmers' cooperative, 5·1 social organisation …)
3-8    GB/T 2260 region code of the registering authority (6 digits)
9-17   GB 11714 organisation code: 8 body characters and the body's own check character
18     check character over positions 1-17
====== ===================================================================================

Check character (position 18): with weights ``W_i = 3^(i-1) mod 31`` (1, 3, 9, 27, 19, 26,
16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), ``C18 = (31 - Σ C_i·W_i mod 31) mod 31``.
Because 31 is prime and no weight is 0 mod 31, changing any single character of a valid code
always breaks this check.

Organisation-code check (position 17, GB 11714): body characters take the values 0-9 and
A=10 … Z=35, weights 3, 7, 9, 10, 5, 8, 4, 2; ``C9 = 11 - Σ mod 11`` with 10 written ``X``
and 11 written ``0``. The possible check characters (0-9, X) are all in the USCC alphabet.

Which checks are enforced (``validate_uscc``):

* length, alphabet, digits in positions 3-8 and the position-18 check: always;
* the embedded GB 11714 check: **only for enterprises** (position 1 = ``9`` and position 2 =
  ``1``). Codes issued to individual businesses, cooperatives and non-market bodies are seen
  in the wild with organisation-code parts that do not satisfy GB 11714 (several registries
  filled positions 9-17 with a serial scheme of their own), so rejecting them would refuse
  real registrations.

Functions expect codes already passed through ``normalize_uscc`` (half-width, upper case, no
spaces); ``validate_uscc`` does not normalise by itself so that callers store exactly what was
checked.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from operator import mul

__all__ = [
    "ALPHABET",
    "ORG_WEIGHTS",
    "WEIGHTS",
    "expected_check_character",
    "expected_org_check_character",
    "make_uscc",
    "normalize_uscc",
    "org_code_check_character",
    "uscc_check_character",
    "uscc_problem",
    "validate_uscc",
]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE: dict[str, int] = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS: tuple[int, ...] = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)
# GB 11714 values: digits 0-9, letters A=10 … Z=35.
_ORG_VALUE: dict[str, int] = {
    **{str(d): d for d in range(10)},
    **{chr(ord("A") + i): 10 + i for i in range(26)},
}
_ORG_CHECK = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "X")  # index = (11 - s%11) % 11
_ALPHABET_SET = frozenset(ALPHABET)
_DIGITS = frozenset("0123456789")
_value_of = _VALUE.__getitem__
_org_value_of = _ORG_VALUE.__getitem__
# Fast weighted sums for validate_uscc (checked against the plain definitions in the tests):
# * 34 ≡ 3 (mod 31), so Σ C_i·3^(i-1) ≡ the base-34 number whose digits are the alphabet values
#   with position 1 least significant: translate to base-34 digits, reverse, int(…, 34).
# * the GB 11714 weights are 2·2^(8-j) (mod 11) counted from the right and 35 ≡ 2 (mod 11), so
#   Σ ≡ 2·int(body, 35) for bodies from the USCC alphabet (no Z, hence every digit < 35).
_TO_BASE34 = str.maketrans(ALPHABET, "0123456789ABCDEFGHIJKLMNOPQRSTU")
_REMOVE_SPACES = {ord(ch): None for ch in " \t\r\n\u00a0\u3000"}

USCC_LENGTH = 18


def normalize_uscc(text: str) -> str:
    """Strip, turn full-width characters half-width (NFKC), drop inner spaces, upper-case.

    ``" ９１３５ ０１００m000100y43 "`` → ``"91350100M000100Y43"``.
    """
    if not text:
        return ""
    value = unicodedata.normalize("NFKC", text)
    return "".join(value.split()).upper()


def uscc_check_character(first17: str) -> str:
    """The 18th character for the first 17 (which must be 17 alphabet characters)."""
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    try:
        total = sum(map(mul, map(_value_of, first17), WEIGHTS))
    except KeyError as error:
        raise ValueError(f"character outside the USCC alphabet: {error.args[0]!r}") from None
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_character(body8: str) -> str:
    """The GB 11714 check character (``0``-``9`` or ``X``) for an 8-character body."""
    if len(body8) != 8:
        raise ValueError(f"expected 8 characters, got {len(body8)}")
    try:
        total = sum(map(mul, map(_org_value_of, body8), ORG_WEIGHTS))
    except KeyError as error:
        raise ValueError(f"character outside GB 11714: {error.args[0]!r}") from None
    return _ORG_CHECK[(11 - total % 11) % 11]


def _alphabet_problem(code: str) -> str | None:
    """The first character of ``code[:17]`` outside the alphabet, if any."""
    for ch in code[:17]:
        if ch not in _VALUE:
            return ch
    return None


def expected_check_character(code: str) -> str | None:
    """What position 18 should be, for messages ("校验位应为 3").

    ``None`` when the first 17 characters cannot carry a check (wrong length or alphabet).
    The code is normalised first.
    """
    code = normalize_uscc(code)
    if len(code) != USCC_LENGTH or _alphabet_problem(code) is not None:
        return None
    return uscc_check_character(code[:17])


def expected_org_check_character(code: str) -> str | None:
    """What position 17 should be under GB 11714, or ``None`` when it cannot be computed."""
    code = normalize_uscc(code)
    if len(code) != USCC_LENGTH or _alphabet_problem(code) is not None:
        return None
    return org_code_check_character(code[8:16])


def validate_uscc(code: str) -> str | None:
    """``None`` when ``code`` (normalised) is valid, else the first problem's error code.

    Checks in this order: ``uscc_length`` (not 18 characters), ``uscc_alphabet`` (a character
    of positions 1-17 outside the alphabet), ``uscc_region`` (positions 3-8 not 6 digits),
    ``uscc_check`` (position 18 wrong — also when it is a character the alphabet lacks, since
    the check character is always in the alphabet and "it should be 3" is the useful answer),
    ``uscc_org_check`` (the embedded GB 11714 check; enterprises ``91…`` only, see the module
    docstring).
    """
    if len(code) != USCC_LENGTH:
        return "uscc_length"
    first17 = code[:17]
    if not _ALPHABET_SET.issuperset(first17):
        return "uscc_alphabet"
    if not code[2:8].isdigit():  # ASCII digits only: the alphabet check came first
        return "uscc_region"
    if ALPHABET[-int(first17.translate(_TO_BASE34)[::-1], 34) % 31] != code[17]:
        return "uscc_check"
    if code[0] == "9" and code[1] == "1" and _ORG_CHECK[-2 * int(code[8:16], 35) % 11] != code[16]:
        return "uscc_org_check"
    return None


def uscc_problem(code: str) -> tuple[str, dict[str, object]] | None:
    """``validate_uscc`` with the parameters a message needs, or ``None`` when valid.

    ``code`` is normalised first. Parameters: always ``value`` (the normalised code); also
    ``length`` (uscc_length), ``char`` (uscc_alphabet: the first bad character),
    ``expected`` (uscc_check and uscc_org_check).
    """
    value = normalize_uscc(code)
    problem = validate_uscc(value)
    if problem is None:
        return None
    params: dict[str, object] = {"value": value}
    if problem == "uscc_length":
        params["length"] = len(value)
    elif problem == "uscc_alphabet":
        params["char"] = _alphabet_problem(value) or ""
    elif problem == "uscc_check":
        params["expected"] = uscc_check_character(value[:17])
    elif problem == "uscc_org_check":
        params["expected"] = org_code_check_character(value[8:16])
    return problem, params


# --- construction ---------------------------------------------------------------------------
#
# make_uscc writes ``serial`` in base 31 over the USCC alphabet as the 8-character organisation
# body (so every body character is valid in both GB 11714 and GB 32100), then appends the GB
# 11714 check (0-9 or X, always inside the USCC alphabet: no serial needs to be skipped) and the
# GB 32100 check. Serials 0 .. 31**8 - 1 (about 8.5e11) map one-to-one onto bodies, so distinct
# serials give distinct codes for the same region, department and entity type.
#
# For speed the body is handled as four pairs of base-31 digits: for each pair position a table
# of the 961 pairs holds the two characters and their weighted contributions to both checks.

_MAX_SERIAL = 31**8
_PAIRS = [a + b for a in ALPHABET for b in ALPHABET]


def _pair_tables(position: int) -> tuple[tuple[str, int, int], ...]:
    """For body positions ``position``, ``position + 1``: (chars, org sum, uscc sum) per pair."""
    ow1, ow2 = ORG_WEIGHTS[position], ORG_WEIGHTS[position + 1]
    uw1, uw2 = WEIGHTS[8 + position], WEIGHTS[9 + position]
    return tuple(
        (
            pair,
            _ORG_VALUE[pair[0]] * ow1 + _ORG_VALUE[pair[1]] * ow2,
            _VALUE[pair[0]] * uw1 + _VALUE[pair[1]] * uw2,
        )
        for pair in _PAIRS
    )


_TABLES = tuple(_pair_tables(p) for p in (0, 2, 4, 6))
_T0, _T1, _T2, _T3 = _TABLES
_W17 = WEIGHTS[16]


@lru_cache(maxsize=4096)
def _prefix(department: str, entity_type: str, region: str) -> tuple[str, int]:
    head = f"{department}{entity_type}{region}"
    if (
        len(department) != 1
        or len(entity_type) != 1
        or department not in _VALUE
        or entity_type not in _VALUE
    ):
        raise ValueError("department and entity_type must be single USCC alphabet characters")
    if len(region) != 6 or not all(ch in _DIGITS for ch in region):
        raise ValueError(f"region must be 6 digits: {region!r}")
    return head, sum(_VALUE[ch] * w for ch, w in zip(head, WEIGHTS[:8], strict=True))


def make_uscc(*, region: str, serial: int, department: str = "9", entity_type: str = "1") -> str:
    """A valid code built deterministically from ``serial`` (0 ≤ serial < 31**8).

    Distinct serials give distinct codes; the result always passes ``validate_uscc`` (the
    GB 11714 part is valid too, whatever the department and entity type).
    """
    if not 0 <= serial < _MAX_SERIAL:
        raise ValueError(f"serial must be in 0 .. {_MAX_SERIAL - 1}")
    head, head_sum = _prefix(department, entity_type, region)
    high, low = divmod(serial, 923_521)  # 31**4
    a, b = divmod(high, 961)
    c, d = divmod(low, 961)
    p0, o0, u0 = _T0[a]
    p1, o1, u1 = _T1[b]
    p2, o2, u2 = _T2[c]
    p3, o3, u3 = _T3[d]
    org_check = _ORG_CHECK[(11 - (o0 + o1 + o2 + o3) % 11) % 11]
    total = head_sum + u0 + u1 + u2 + u3 + _VALUE[org_check] * _W17
    return f"{head}{p0}{p1}{p2}{p3}{org_check}{ALPHABET[(31 - total % 31) % 31]}"
