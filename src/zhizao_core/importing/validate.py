"""Validate organisation rows on plain data: every problem of every row, with row and column.

Input cells are what a CSV or XLSX reader returns: ``str``, ``int``, ``float``, ``Decimal``,
``date``/``datetime``, ``bool`` or ``None``. Nothing here does I/O. The column layout, the
vocabularies and the error codes are documented in ``columns.py``.

A row with any problem is invalid and contributes no record; all of its problems are
reported, each with the 1-based data row number and the header text of its column, ordered
by row and then by column position in the file.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from zhizao_core.registry.uscc import normalize_uscc, uscc_problem, validate_uscc
from zhizao_core.text.amounts import AmountError, parse_amount
from zhizao_core.text.normalize import split_list

from . import columns as c
from .columns import COLUMNS, HEADER_INDEX, KIND_VALUES, SIZE_VALUES, header_key, value_key

__all__ = [
    "CellError",
    "CellProblem",
    "CellRules",
    "HeaderResult",
    "ImportContext",
    "OrganizationRecord",
    "ValidationResult",
    "cross_cell_problems",
    "map_header",
    "normalize_email",
    "normalize_phone",
    "normalize_website",
    "validate_rows",
]


@dataclass(frozen=True, slots=True)
class ImportContext:
    """What the registry knows, for checking references. Built once per import."""

    region_codes: frozenset[str]
    industry_codes: frozenset[str]
    clusters: Mapping[str, str]  # cluster code or exact name → code
    chain_nodes: Mapping[str, str]  # node code or "链名/环节名" → node code
    current_year: int


@dataclass(frozen=True, slots=True)
class CellError:
    """One problem. ``row`` 0 is the header; data rows count from 1 (the row after the header).
    ``column`` is the header text as it appears in the file, or the canonical Chinese header
    when the column is absent."""

    row: int
    column: str
    code: str
    params: Mapping[str, object]


@dataclass(frozen=True)
class OrganizationRecord:
    """A valid row, normalised. Empty optional cells are ``""``, ``None`` or ``()``.
    ``present`` lists the keys of the columns present in the file, so that an update touches
    only those."""

    row: int
    name: str
    uscc: str
    kind: str
    region: str
    industry: str
    size: str
    founded_year: int | None
    employees: int | None
    revenue_wan: Decimal | None
    address: str
    website: str
    description: str
    products: tuple[str, ...]
    capabilities: tuple[str, ...]
    clusters: tuple[str, ...]
    chain_nodes: tuple[str, ...]
    contact_name: str
    contact_phone: str
    contact_email: str
    present: frozenset[str]


@dataclass(frozen=True)
class HeaderResult:
    columns: dict[int, str]  # cell index → column key
    errors: list[CellError]  # missing_column, duplicate_column (row 0)
    unknown_columns: list[str]  # header texts that match no column, in file order
    labels: dict[str, str]  # column key → header text as in the file


@dataclass(frozen=True)
class ValidationResult:
    records: list[OrganizationRecord]  # valid rows, in file order
    errors: list[CellError]  # by row, then by column position
    rows: int  # non-empty data rows
    invalid_rows: frozenset[int]


# --- the header -----------------------------------------------------------------------------


def _label(cell: object) -> str:
    return "" if cell is None else " ".join(str(cell).split())


def _clean_label(label: str) -> str:
    """The label for messages: without the template's ``*``."""
    return label.strip("*＊ ").strip() or label


def map_header(cells: Sequence[object]) -> HeaderResult:
    """Map header cells to column keys (Chinese, English or alias names; see ``columns``)."""
    columns: dict[int, str] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    errors: list[CellError] = []
    for index, cell in enumerate(cells):
        label = _label(cell)
        if not label:
            continue
        key = HEADER_INDEX.get(header_key(label))
        if key is None:
            unknown.append(label)
        elif key in labels:
            errors.append(
                CellError(
                    0,
                    label,
                    c.DUPLICATE_COLUMN,
                    {"column": _clean_label(label), "first": _clean_label(labels[key])},
                )
            )
        else:
            columns[index] = key
            labels[key] = label
    missing = [
        CellError(0, col.zh, c.MISSING_COLUMN, {"column": col.zh})
        for col in COLUMNS
        if col.required and col.key not in labels
    ]
    return HeaderResult(
        columns=columns, errors=missing + errors, unknown_columns=unknown, labels=labels
    )


# --- single values --------------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Area codes: 010 and 02x have three digits, all others (03xx-09xx) four.
_LANDLINE = re.compile(r"(010|02[0-9]|0[3-9][0-9][0-9])-?([2-9][0-9]{6,7})(?:-([0-9]{1,6}))?")
_SERVICE = re.compile(r"([48]00)-?([0-9]{3})-?([0-9]{4})")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)")
_PHONE_TRANS = str.maketrans(
    {
        " ": None,
        "\t": None,
        "\u00a0": None,
        "(": None,
        ")": None,
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "~": "-",
    }
)
_EMAIL = re.compile(
    r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+"
)
_WEBSITE = re.compile(
    r"(?:(?P<scheme>https?)://)?"
    r"(?P<host>(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,63})"
    r"(?P<port>:[0-9]{1,5})?"
    r"(?P<rest>[/?#]\S*)?",
    re.IGNORECASE,
)


def normalize_phone(text: str) -> str | None:
    """A mainland phone number in one canonical form, or ``None``.

    Mobile ``+86 139-1234-5678`` → ``13912345678``; landline ``(0510) 8520 1234 转 801`` →
    ``0510-85201234-801`` (the area code is 010, 02x or four digits); ``4008-123-456``-style
    service numbers → ``400-812-3456``.
    """
    if len(text) == 11 and _MOBILE.fullmatch(text):
        return text
    value = unicodedata.normalize("NFKC", text).casefold().translate(_PHONE_TRANS)
    value = _EXTENSION.sub("-", value)
    international = False
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value, international = value[len(prefix) :], True
            break
    value = value.strip("-")
    digits = value.replace("-", "")
    if not international and len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]  # 86 written without the +
    if _MOBILE.fullmatch(digits):
        return digits
    if international and value[:1] != "0":
        value = "0" + value  # +86 10 1234 5678 → 010 1234 5678
    match = _LANDLINE.fullmatch(value)
    if match:
        area, local, ext = match.groups()
        return f"{area}-{local}-{ext}" if ext else f"{area}-{local}"
    match = _SERVICE.fullmatch(value)
    if match:
        return "-".join(match.groups())
    return None


def normalize_email(text: str) -> str | None:
    """``Zhang.Wei@Example.COM`` → ``zhang.wei@example.com``, or ``None`` when it is not one."""
    value = text.strip() if text.isascii() else unicodedata.normalize("NFKC", text).strip()
    value = value.lower()
    if len(value) > c.EMAIL_MAX or not _EMAIL.fullmatch(value):
        return None
    return value


def normalize_website(text: str) -> str | None:
    """``WWW.Example.com/About`` → ``https://www.example.com/About``; http(s) only; ``None``
    when it is not a web address."""
    value = unicodedata.normalize("NFKC", text).strip()
    match = _WEBSITE.fullmatch(value)
    if match is None:
        return None
    scheme = (match["scheme"] or "https").lower()
    return f"{scheme}://{match['host'].lower()}{match['port'] or ''}{match['rest'] or ''}"


def _text(value: object) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates in ISO form."""
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _one_line(value: object) -> str:
    text = value if value.__class__ is str else _text(value)
    # isprintable() is False for line breaks, tabs and the other space characters
    if "  " in text or not text.isprintable():
        text = " ".join(text.split())
    return text


def _number_text(value: object) -> tuple[str, bool]:
    """Digits of a code cell, and whether the cell was a number (then leading zeros are lost)."""
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return (str(int(value)), True) if value.is_integer() else (repr(value), True)
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return str(int(value)), True
        return str(value), True
    text = _text(value)
    if text.isdigit() and text.isascii():
        return text, False
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if " " in text:
        text = text.replace(" ", "")
    if _WHOLE_FLOAT_TEXT.fullmatch(text):
        return text.partition(".")[0], True  # "320214.0": a number written out by a program
    return text, False


_WHOLE_FLOAT_TEXT = re.compile(r"[0-9]+\.0+")
_YEAR = re.compile(r"([0-9]{4})(?:年|[-/.年][0-9]{1,2}(?:[-/.月][0-9]{1,2}日?|月)?)?")
_INTEGER = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
_INTEGER_DROP = str.maketrans({",": None, " ": None, "人": None, "名": None})
_CENT = Decimal("0.01")
_PLAIN_AMOUNT = re.compile(r"[0-9]{1,10}(?:\.[0-9]{1,2})?")  # < REVENUE_MAX_WAN, exact at 0.01
_CHAIN_SEPARATORS = re.compile(r"[;；、,，|｜､\n\r]")
_SLASH_SPACES = re.compile(r"\s*/\s*")


def _whole(number: float | Decimal) -> bool:
    if isinstance(number, float):
        return number.is_integer()
    return number.is_finite() and number == number.to_integral_value()


class CellProblem(Exception):
    """Raised by a cell rule: the value's problem, an error code of ``columns.ERROR_CODES``
    with its parameters (without ``column``, which the caller adds)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


_Problem = CellProblem


# --- the validator --------------------------------------------------------------------------

_Parser = Callable[[object], object]
_DEFAULTS: dict[str, object] = {
    "name": "",
    "uscc": "",
    "kind": "",
    "region": "",
    "industry": "",
    "size": "",
    "founded_year": None,
    "employees": None,
    "revenue_wan": None,
    "address": "",
    "website": "",
    "description": "",
    "products": (),
    "capabilities": (),
    "clusters": (),
    "chain_nodes": (),
    "contact_name": "",
    "contact_phone": "",
    "contact_email": "",
}
_TEMPLATE_ORDER = {col.key: i for i, col in enumerate(COLUMNS)}
_MEMO_COLUMNS = frozenset(
    {
        "kind",
        "region",
        "industry",
        "size",
        "founded_year",
        "employees",
        "revenue_wan",
        "products",
        "capabilities",
        "clusters",
        "chain_nodes",
        "contact_name",
    }
)
_MEMO_LIMIT = 20_000
_MISS = object()


@dataclass(frozen=True, slots=True)
class _Failed:
    code: str
    params: dict[str, object]


def _memo(parse: _Parser) -> _Parser:
    """``parse`` remembering its answer (or problem) for text and integer cells — the kinds
    whose equality means the same answer (``True == 1`` is why bools are not remembered)."""
    cache: dict[object, object] = {}

    def cached(raw: object) -> object:
        kind = raw.__class__
        if kind is not str and kind is not int:
            return parse(raw)
        hit = cache.get(raw, _MISS)
        if hit is _MISS:
            try:
                hit = parse(raw)
            except _Problem as problem:
                if len(cache) < _MEMO_LIMIT:
                    cache[raw] = _Failed(problem.code, problem.params)
                raise
            if len(cache) < _MEMO_LIMIT:
                cache[raw] = hit
            return hit
        if hit.__class__ is _Failed:
            raise _Problem(hit.code, **hit.params)
        return hit

    return cached


class CellRules:
    """The import's rules for one cell, one value at a time: what the import reads from a cell
    of column ``key`` (``rules.check("founded_year", "2008年")`` → ``2008``) or the
    ``CellProblem`` it refuses it with. The forms and the API check their fields with these
    same rules, so a value is accepted or refused alike everywhere, with the same message.

    ``ctx`` answers the references (regions, industries, clusters, chain nodes) and the current
    year; its code sets need only answer ``in``.
    """

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self._cluster_index: dict[str, str] | None = None
        self._node_index: dict[str, str] | None = None

    def check(self, key: str, raw: object) -> object:
        """The value of a cell of column ``key``, normalised as the import stores it; an empty
        cell (``None`` or blank text) gives the column's empty value (``""``, ``None``, ``()``)
        and required-ness is the caller's. Raises ``CellProblem``."""
        if key not in _DEFAULTS:
            raise KeyError(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return _DEFAULTS[key]
        if isinstance(raw, str):
            raw = raw.strip()
        return getattr(self, f"_p_{key}")(raw)

    # .. parsers: a non-empty cell → the value, or raise _Problem ..............................

    def _p_name(self, raw: object) -> str:
        text = _one_line(raw)
        if len(text) < c.NAME_MIN:
            raise _Problem(c.TOO_SHORT, min=c.NAME_MIN, length=len(text))
        if len(text) > c.NAME_MAX:
            raise _Problem(c.TOO_LONG, max=c.NAME_MAX, length=len(text))
        return text

    def _p_uscc(self, raw: object) -> str:
        code = raw if raw.__class__ is str else _text(raw)
        if not (len(code) == 18 and code.isascii() and code.isalnum() and code.isupper()):
            code = normalize_uscc(code)
        if validate_uscc(code) is not None:
            problem = uscc_problem(code)
            assert problem is not None
            raise _Problem(problem[0], **problem[1])
        return code

    def _p_kind(self, raw: object) -> str:
        text = raw if raw.__class__ is str else _text(raw)
        kind = KIND_VALUES.get(text) or KIND_VALUES.get(value_key(text))
        if kind is None:
            raise _Problem(c.KIND_UNKNOWN, value=text)
        return kind

    def _p_region(self, raw: object) -> str:
        code, _numeric = _number_text(raw)
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise _Problem(c.REGION_FORMAT, value=code)
        if code not in self.ctx.region_codes:
            raise _Problem(c.REGION_UNKNOWN, value=code)
        return code

    def _p_industry(self, raw: object) -> str:
        code, numeric = _number_text(raw)
        known = self.ctx.industry_codes
        if not numeric and len(code) >= 3 and code[0].isalpha() and code[1:].isdigit():
            code = code[1:]  # C3421: the section letter is implied by the digits
        if not (code.isascii() and code.isdigit() and (1 if numeric else 2) <= len(code) <= 4):
            raise _Problem(c.INDUSTRY_FORMAT, value=code)
        if numeric:
            # The spreadsheet stored a number: 511 may have been "511" or "0511".
            candidates = [
                w
                for w in dict.fromkeys(code.zfill(n) for n in range(len(code), 5))
                if len(w) >= 2 and w in known
            ]
            if len(candidates) == 1:
                return candidates[0]
            if candidates:
                raise _Problem(c.INDUSTRY_AMBIGUOUS, value=code, candidates=", ".join(candidates))
            raise _Problem(c.INDUSTRY_UNKNOWN, value=code)
        if code in known:
            return code
        if code[0] != "0":
            # Text that lost its zeros on the way (a CSV saved from a spreadsheet): use the one
            # zero-padded form that exists, if there is exactly one.
            padded = [w for w in (code.zfill(n) for n in range(len(code) + 1, 5)) if w in known]
            if len(padded) == 1:
                return padded[0]
        raise _Problem(c.INDUSTRY_UNKNOWN, value=code)

    def _p_size(self, raw: object) -> str:
        text = raw if raw.__class__ is str else _text(raw)
        size = SIZE_VALUES.get(text) or SIZE_VALUES.get(value_key(text))
        if size is None:
            raise _Problem(c.SIZE_UNKNOWN, value=text)
        return size

    def _p_founded_year(self, raw: object) -> int:
        year: int | None = None
        if isinstance(raw, dt.date):
            year = raw.year
        elif isinstance(raw, int) and not isinstance(raw, bool):
            year = raw
        elif isinstance(raw, float | Decimal) and _whole(raw):
            year = int(raw)
        elif isinstance(raw, str):
            if len(raw) == 4 and raw.isdigit() and raw.isascii():
                year = int(raw)
            elif match := _YEAR.fullmatch(unicodedata.normalize("NFKC", raw).replace(" ", "")):
                year = int(match[1])
        if year is None or not c.YEAR_MIN <= year <= self.ctx.current_year:
            raise _Problem(
                c.YEAR_INVALID, value=_text(raw), min=c.YEAR_MIN, max=self.ctx.current_year
            )
        return year

    def _p_employees(self, raw: object) -> int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            number = raw
        elif isinstance(raw, float | Decimal) and _whole(raw):
            number = int(raw)
        elif isinstance(raw, str) and raw.isdigit() and raw.isascii():
            number = int(raw)
        elif isinstance(raw, str):
            text = unicodedata.normalize("NFKC", raw).translate(_INTEGER_DROP)
            if not _INTEGER.fullmatch(text):
                raise _Problem(c.INTEGER_INVALID, value=_text(raw))
            number = int(text.partition(".")[0])
        else:
            raise _Problem(c.INTEGER_INVALID, value=_text(raw))
        if number < 0:
            raise _Problem(c.INTEGER_NEGATIVE, value=_text(raw))
        if number > c.EMPLOYEES_MAX:
            raise _Problem(c.TOO_LARGE, value=_text(raw), max=c.EMPLOYEES_MAX)
        return number

    def _p_revenue_wan(self, raw: object) -> Decimal:
        if raw.__class__ is str and _PLAIN_AMOUNT.fullmatch(raw):
            return Decimal(raw).quantize(_CENT)
        try:
            amount = parse_amount(raw, unit="wan", places=2)
        except AmountError as error:
            raise _Problem(error.code, value=_text(raw)) from None
        if amount > c.REVENUE_MAX_WAN:
            raise _Problem(c.TOO_LARGE, value=_text(raw), max=c.REVENUE_MAX_WAN)
        # Two places exactly, as the database column stores it, so re-imports compare equal.
        return amount.quantize(_CENT)

    def _p_address(self, raw: object) -> str:
        text = _one_line(raw)
        if len(text) > c.ADDRESS_MAX:
            raise _Problem(c.TOO_LONG, max=c.ADDRESS_MAX, length=len(text))
        return text

    def _p_website(self, raw: object) -> str:
        text = raw if raw.__class__ is str else _text(raw)
        url = normalize_website(text)
        if url is None:
            raise _Problem(c.WEBSITE_INVALID, value=text)
        if len(url) > c.WEBSITE_MAX:
            raise _Problem(c.TOO_LONG, max=c.WEBSITE_MAX, length=len(url))
        return url

    def _p_description(self, raw: object) -> str:
        text = raw if raw.__class__ is str else _text(raw)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > c.DESCRIPTION_MAX:
            raise _Problem(c.TOO_LONG, max=c.DESCRIPTION_MAX, length=len(text))
        return text

    def _list(self, raw: object) -> tuple[str, ...]:
        text = raw if raw.__class__ is str else _text(raw)
        items = split_list(text)
        if "  " in text or not text.isprintable():
            items = list(dict.fromkeys(" ".join(item.split()) for item in items))
        if len(items) > c.LIST_ITEMS_MAX:
            raise _Problem(c.LIST_TOO_LONG, count=len(items), max=c.LIST_ITEMS_MAX)
        if items and max(map(len, items)) > c.LIST_ITEM_MAX:
            item = next(item for item in items if len(item) > c.LIST_ITEM_MAX)
            raise _Problem(c.ITEM_TOO_LONG, value=item, max=c.LIST_ITEM_MAX)
        return tuple(items)

    _p_products = _list
    _p_capabilities = _list

    def _resolve(
        self, items: Iterable[str], mapping: Mapping[str, str], index: dict[str, str], code: str
    ) -> tuple[str, ...]:
        resolved: dict[str, None] = {}
        unknown: list[str] = []
        for item in items:
            target = mapping.get(item) or index.get(value_key(item))
            if target is None:
                unknown.append(item)
            else:
                resolved[target] = None
        if unknown:
            raise _Problem(code, value="、".join(unknown))
        return tuple(resolved)

    def _p_clusters(self, raw: object) -> tuple[str, ...]:
        if self._cluster_index is None:
            self._cluster_index = {value_key(k): v for k, v in self.ctx.clusters.items()}
        return self._resolve(
            split_list(_text(raw)), self.ctx.clusters, self._cluster_index, c.CLUSTER_UNKNOWN
        )

    def _p_chain_nodes(self, raw: object) -> tuple[str, ...]:
        if self._node_index is None:
            self._node_index = {
                value_key(_SLASH_SPACES.sub("/", unicodedata.normalize("NFKC", k))): v
                for k, v in self.ctx.chain_nodes.items()
            }
        items = dict.fromkeys(
            _SLASH_SPACES.sub("/", unicodedata.normalize("NFKC", part).strip())
            for part in _CHAIN_SEPARATORS.split(_text(raw))
        )
        items.pop("", None)
        return self._resolve(items, self.ctx.chain_nodes, self._node_index, c.CHAIN_NODE_UNKNOWN)

    def _p_contact_name(self, raw: object) -> str:
        text = _one_line(raw)
        if len(text) > c.CONTACT_NAME_MAX:
            raise _Problem(c.TOO_LONG, max=c.CONTACT_NAME_MAX, length=len(text))
        return text

    def _p_contact_phone(self, raw: object) -> str:
        text = raw if raw.__class__ is str else _text(raw)
        phone = normalize_phone(text)
        if phone is None:
            raise _Problem(c.PHONE_INVALID, value=text)
        return phone

    def _p_contact_email(self, raw: object) -> str:
        text = raw if raw.__class__ is str else _text(raw)
        email = normalize_email(text)
        if email is None:
            raise _Problem(c.EMAIL_INVALID, value=text)
        return email


def cross_cell_problems(values: Mapping[str, object]) -> list[tuple[str, str, dict[str, object]]]:
    """The rules across the cells of one row: a manufacturer needs an industry; a contact
    phone or e-mail needs the contact's name. ``values`` holds the cells that are not empty, by
    column key (a cell with a problem of its own is there too, as ``None``). Returns
    ``(key, code, params)`` triples."""
    problems: list[tuple[str, str, dict[str, object]]] = []
    if "industry" not in values and values.get("kind") == "manufacturer":
        problems.append(("industry", c.INDUSTRY_REQUIRED, {}))
    if "contact_name" not in values and ("contact_phone" in values or "contact_email" in values):
        problems.append(("contact_name", c.CONTACT_NAME_REQUIRED, {}))
    return problems


class _Validator(CellRules):
    def __init__(self, header: HeaderResult, ctx: ImportContext) -> None:
        super().__init__(ctx)
        self.header = header
        self.present = frozenset(header.columns.values())
        # (cell index, key, parser) in file order; parsers of columns whose values repeat a lot
        # remember their answers for the run (the context does not change during it)
        self.plan: list[tuple[int, str, _Parser]] = [
            (
                index,
                key,
                _memo(getattr(self, f"_p_{key}"))
                if key in _MEMO_COLUMNS
                else getattr(self, f"_p_{key}"),
            )
            for index, key in sorted(header.columns.items())
        ]
        self.required = [col.key for col in COLUMNS if col.required]
        # error placement: file position for present columns, after them the template order
        self.order = {key: 100_000 + i for key, i in _TEMPLATE_ORDER.items()}
        self.order.update({key: index for index, key in header.columns.items()})
        self.column_of = {col.key: header.labels.get(col.key, col.zh) for col in COLUMNS}
        self.label_of = {key: _clean_label(label) for key, label in self.column_of.items()}

    # .. rows ..................................................................................

    def run(self, rows: Iterable[Sequence[object]]) -> ValidationResult:
        records: list[OrganizationRecord] = []
        errors: list[CellError] = []
        invalid: set[int] = set()
        first_row: dict[str, int] = {}
        count = 0
        present = self.present
        required = frozenset(self.required)
        defaults = _DEFAULTS
        make = _record
        pairs = [(key, parse) for _index, key, parse in self.plan]
        indices = [index for index, _key, _parse in self.plan]
        width = max(indices) + 1
        pick = itemgetter(*indices) if len(indices) > 1 else (lambda cells: (cells[indices[0]],))
        for number, cells in enumerate(rows, start=1):
            if len(cells) < width:
                cells = [*cells, *([None] * (width - len(cells)))]
            values: dict[str, object] = {}
            problems: list[tuple[str, str, dict[str, object]]] | None = None
            for (key, parse), raw in zip(pairs, pick(cells), strict=True):
                if raw is None:
                    continue
                if raw.__class__ is str:
                    raw = raw.strip()
                    if not raw:
                        continue
                try:
                    values[key] = parse(raw)
                except _Problem as problem:
                    if problems is None:
                        problems = []
                    problems.append((key, problem.code, problem.params))
                    values[key] = None
            if not values and _blank(cells):
                continue
            count += 1
            if not required <= values.keys():
                problems = problems or []
                problems.extend((key, c.REQUIRED, {}) for key in self.required if key not in values)
            across = cross_cell_problems(values)
            if across:
                problems = (problems or []) + across
            uscc = values.get("uscc")
            if uscc.__class__ is str:  # a valid code (None when the cell had a problem)
                first = first_row.setdefault(uscc, number)
                if first != number:
                    problems = problems or []
                    problems.append(
                        ("uscc", c.DUPLICATE_IN_FILE, {"value": uscc, "first_row": first})
                    )
            if problems:
                invalid.add(number)
                errors.extend(self._errors(number, problems))
                continue
            fields = defaults | values
            fields["row"] = number
            fields["present"] = present
            records.append(make(fields))
        return ValidationResult(
            records=records, errors=errors, rows=count, invalid_rows=frozenset(invalid)
        )

    def _errors(
        self, number: int, problems: list[tuple[str, str, dict[str, object]]]
    ) -> list[CellError]:
        order = self.order
        ranked = sorted(enumerate(problems), key=lambda item: (order[item[1][0]], item[0]))
        return [
            CellError(number, self.column_of[key], code, {"column": self.label_of[key], **params})
            for _i, (key, code, params) in ranked
        ]


def _record(fields: dict[str, object]) -> OrganizationRecord:
    """An ``OrganizationRecord`` from a dict holding exactly its fields, without running the
    generated ``__init__`` (which sets the 21 frozen fields one ``object.__setattr__`` at a
    time and was a seventh of the validation time). The result is indistinguishable from
    ``OrganizationRecord(**fields)`` — the tests check it."""
    record = object.__new__(OrganizationRecord)
    object.__setattr__(record, "__dict__", fields)
    return record


def _blank(cells: Sequence[object]) -> bool:
    for cell in cells:
        if cell is None:
            continue
        if isinstance(cell, str) and (not cell or cell.isspace()):
            continue
        return False
    return True


def validate_rows(
    header: HeaderResult, rows: Iterable[Sequence[object]], ctx: ImportContext
) -> ValidationResult:
    """Check every data row against the header's columns and the registry's references.

    When the header itself has errors (a required column missing, a column twice) no row is
    checked: the result carries the header's errors and the number of non-empty rows only.
    Rows that are completely empty are skipped and not counted. A credit code already seen
    on an earlier row makes the later row invalid (``duplicate_in_file``).
    """
    if header.errors:
        count = sum(1 for cells in rows if not _blank(cells))
        return ValidationResult(
            records=[], errors=list(header.errors), rows=count, invalid_rows=frozenset()
        )
    # The run allocates a few long-lived containers per row (the records); the cyclic garbage
    # collector would rescan them again and again (a fifth of the time at 100,000 rows) while
    # nothing here creates cycles. It is paused for the run and restored afterwards.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _Validator(header, ctx).run(rows)
    finally:
        if paused:
            gc.enable()
