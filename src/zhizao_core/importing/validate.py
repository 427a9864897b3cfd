"""Validate organisation rows on plain data: every problem of every row, with row and column."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from zhizao_core.registry.uscc import expected_check_character, normalize_uscc, validate_uscc
from zhizao_core.text import AmountError, parse_amount, split_list

from .columns import BY_KEY, COLUMNS, HEADER_INDEX, KIND_VALUES, SIZE_VALUES, header_key

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DOMAIN = re.compile(r"^(https?://)?([a-z0-9-]+\.)+[a-z]{2,}(:\d+)?(/\S*)?$", re.IGNORECASE)
MAX_ITEMS, MAX_ITEM_LENGTH = 50, 50
TEXT_LIMITS = {"name": (2, 200), "address": (0, 300), "description": (0, 2000),
               "contact_name": (0, 50)}


@dataclass(frozen=True)
class ImportContext:
    region_codes: frozenset[str]
    industry_codes: frozenset[str]
    clusters: Mapping[str, str]
    chain_nodes: Mapping[str, str]
    current_year: int


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class OrganizationRecord:
    row: int
    name: str
    uscc: str
    kind: str
    region: str
    industry: str = ""
    size: str = ""
    founded_year: int | None = None
    employees: int | None = None
    revenue_wan: Decimal | None = None
    address: str = ""
    website: str = ""
    description: str = ""
    products: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    chain_nodes: tuple[str, ...] = ()
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    present: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HeaderResult:
    columns: dict[int, str]
    errors: list[CellError]
    unknown_columns: list[str]
    labels: dict[str, str]


@dataclass(frozen=True)
class ValidationResult:
    records: list[OrganizationRecord]
    errors: list[CellError]
    rows: int
    invalid_rows: frozenset[int]


def map_header(cells: Sequence[object]) -> HeaderResult:
    columns: dict[int, str] = {}
    labels: dict[str, str] = {}
    errors: list[CellError] = []
    unknown: list[str] = []
    for index, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        key = HEADER_INDEX.get(header_key(text))
        if key is None:
            unknown.append(text)
        elif key in labels:
            errors.append(CellError(0, text, "duplicate_column", {"first": labels[key]}))
        else:
            columns[index] = key
            labels[key] = text
    for column in COLUMNS:
        if column.required and column.key not in labels:
            errors.append(CellError(0, column.zh, "missing_column", {"column": column.zh}))
    return HeaderResult(columns=columns, errors=errors, unknown_columns=unknown, labels=labels)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def _code(value: object) -> str:
    """A numeric code as digits: 320214.0 → "320214"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value).replace(" ", "")


class _Row:
    __slots__ = ("errors", "labels", "number", "values")

    def __init__(self, number: int, labels: dict[str, str]):
        self.number = number
        self.labels = labels
        self.errors: list[CellError] = []
        self.values: dict[str, object] = {}

    def fail(self, key: str, code: str, **params: object) -> None:
        self.errors.append(CellError(self.number, self.labels.get(key, BY_KEY[key].zh), code, params))


def _check_row(row: _Row, raw: dict[str, object], ctx: ImportContext) -> None:
    v = row.values
    for key in ("name", "address", "description", "contact_name"):
        if key not in raw:
            v[key] = ""
            continue
        text = _text(raw[key])
        low, high = TEXT_LIMITS[key]
        if key == "name" and not text:
            row.fail(key, "required")
        elif len(text) > high:
            row.fail(key, "too_long", max=high)
        elif text and len(text) < low:
            row.fail(key, "too_short", min=low)
        v[key] = text

    uscc = normalize_uscc(_text(raw.get("uscc")))
    v["uscc"] = uscc
    if not uscc:
        row.fail("uscc", "required")
    else:
        problem = validate_uscc(uscc)
        if problem == "uscc_check":
            row.fail("uscc", problem, value=uscc, expected=expected_check_character(uscc))
        elif problem:
            row.fail("uscc", problem, value=uscc)

    kind_text = _text(raw.get("kind"))
    kind = KIND_VALUES.get(kind_text) or KIND_VALUES.get(kind_text.casefold())
    v["kind"] = kind or ""
    if not kind_text:
        row.fail("kind", "required")
    elif kind is None:
        row.fail("kind", "kind_unknown", value=kind_text)

    region = _code(raw.get("region"))
    v["region"] = region
    if not region:
        row.fail("region", "required")
    elif not (len(region) == 6 and region.isdigit()):
        row.fail("region", "region_format", value=region)
    elif region not in ctx.region_codes:
        row.fail("region", "region_unknown", value=region)

    industry = _code(raw.get("industry")) if "industry" in raw else ""
    if industry and industry.isdigit() and industry not in ctx.industry_codes:
        # Spreadsheets drop leading zeros: 511 may be 0511.
        padded = industry.zfill(len(industry) + 1)
        if len(padded) <= 4 and padded in ctx.industry_codes:
            industry = padded
    v["industry"] = industry
    if not industry:
        if kind == "manufacturer":
            row.fail("industry", "industry_required")
    elif not (industry.isdigit() and 2 <= len(industry) <= 4):
        row.fail("industry", "industry_format", value=industry)
    elif industry not in ctx.industry_codes:
        row.fail("industry", "industry_unknown", value=industry)

    size_text = _text(raw.get("size"))
    v["size"] = SIZE_VALUES.get(size_text.casefold(), "") if size_text else ""
    if size_text and not v["size"]:
        row.fail("size", "size_unknown", value=size_text)

    year_text = _code(raw.get("founded_year"))
    v["founded_year"] = None
    if year_text:
        year_text = year_text.removesuffix("年")
        if year_text.isdigit() and 1800 <= int(year_text) <= ctx.current_year:
            v["founded_year"] = int(year_text)
        elif len(year_text) >= 4 and year_text[:4].isdigit() and year_text[4:5] in {"-", "/", "."} \
                and 1800 <= int(year_text[:4]) <= ctx.current_year:
            v["founded_year"] = int(year_text[:4])  # a full date such as 2008-05-01
        else:
            row.fail("founded_year", "year_invalid", value=year_text, max=ctx.current_year)

    employees = raw.get("employees")
    v["employees"] = None
    if employees not in (None, ""):
        text = _code(employees).replace(",", "").removesuffix("人")
        if text.isdigit():
            v["employees"] = int(text)
        else:
            row.fail("employees", "integer_invalid", value=_text(employees))

    revenue = raw.get("revenue_wan")
    v["revenue_wan"] = None
    if revenue not in (None, ""):
        try:
            v["revenue_wan"] = parse_amount(revenue, unit="wan")
        except AmountError as error:
            row.fail("revenue_wan", error.code, value=_text(revenue))

    website = _text(raw.get("website"))
    if website:
        if not DOMAIN.match(website):
            row.fail("website", "website_invalid", value=website)
        elif not website.lower().startswith(("http://", "https://")):
            website = "https://" + website
    v["website"] = website

    for key in ("products", "capabilities"):
        items = split_list(_text(raw.get(key)))
        if len(items) > MAX_ITEMS:
            row.fail(key, "list_too_long", max=MAX_ITEMS)
        for item in items:
            if len(item) > MAX_ITEM_LENGTH:
                row.fail(key, "item_too_long", max=MAX_ITEM_LENGTH, value=item)
                break
        v[key] = tuple(items)

    for key, mapping, code in (("clusters", ctx.clusters, "cluster_unknown"),
                               ("chain_nodes", ctx.chain_nodes, "chain_node_unknown")):
        resolved = []
        for item in split_list(_text(raw.get(key))) if key == "clusters" else \
                _split_nodes(_text(raw.get(key))):
            target = mapping.get(item)
            if target is None:
                row.fail(key, code, value=item)
            else:
                resolved.append(target)
        v[key] = tuple(dict.fromkeys(resolved))

    phone = _text(raw.get("contact_phone"))
    if phone:
        compact = re.sub(r"[\s()（）]", "", phone)
        compact = re.sub(r"^(\+?86)-?", "", compact)
        if MOBILE.match(compact.replace("-", "")):
            phone = compact.replace("-", "")
        elif LANDLINE.match(compact):
            phone = compact
        else:
            row.fail("contact_phone", "phone_invalid", value=phone)
    v["contact_phone"] = phone
    email = _text(raw.get("contact_email")).lower()
    if email and not EMAIL.match(email):
        row.fail("contact_email", "email_invalid", value=email)
    v["contact_email"] = email
    if (phone or email) and not v["contact_name"]:
        row.fail("contact_name", "contact_name_required")


def _split_nodes(text: str) -> list[str]:
    # "链/环节" uses a slash, so nodes are separated by the other separators only.
    items = re.split(r"[;；、,，|\n]+", text) if text else []
    return list(dict.fromkeys(item.strip() for item in items if item.strip()))


def validate_rows(header: HeaderResult, rows: Iterable[Sequence[object]],
                  ctx: ImportContext) -> ValidationResult:
    records: list[OrganizationRecord] = []
    errors: list[CellError] = []
    invalid: set[int] = set()
    first_seen: dict[str, int] = {}
    present = frozenset(header.columns.values())
    order = {c.key: i for i, c in enumerate(COLUMNS)}
    index_of = {key: i for i, key in enumerate(c.key for c in COLUMNS)}
    count = 0
    for number, cells in enumerate(rows, start=1):
        raw = {key: cells[i] for i, key in header.columns.items() if i < len(cells)}
        if all(value is None or (isinstance(value, str) and not value.strip())
               for value in raw.values()):
            continue
        count += 1
        row = _Row(number, header.labels)
        for key in present:
            raw.setdefault(key, None)
        _check_row(row, raw, ctx)
        uscc = row.values["uscc"]
        if uscc and not any(e.column == header.labels.get("uscc") for e in row.errors):
            if uscc in first_seen:
                row.fail("uscc", "duplicate_in_file", first_row=first_seen[uscc], value=uscc)
            else:
                first_seen[uscc] = number
        if row.errors:
            invalid.add(number)
            label_order = {header.labels.get(k, BY_KEY[k].zh): index_of[k] for k in order}
            errors.extend(sorted(row.errors, key=lambda e: label_order.get(e.column, 99)))
            continue
        values = row.values
        records.append(OrganizationRecord(row=number, present=present, **values))
    return ValidationResult(records=records, errors=errors, rows=count,
                            invalid_rows=frozenset(invalid))
