"""Facts about enterprises and their projects, as plain frozen data, and the parser of the
facts file (a JSON list of enterprises; the format is in docs/policy-rules.md).

A missing key or ``null`` means *unknown*, never zero: the engine answers "possibly, if …"
for an unknown fact instead of a silent "no".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from .money import parse_decimal, yuan_to_fen
from .phrases import problem_text

TITLE_LEVELS = ("national", "provincial", "city")
_USCC = re.compile(r"^[0-9A-Z]{18}$")
_REGION = re.compile(r"^\d{6}$")
_INDUSTRY = re.compile(r"^(?:[A-T]|\d{2,4})$")
_MONEY_FIELDS = (
    "equipment_yuan",
    "intelligent_equipment_yuan",
    "software_yuan",
    "services_yuan",
    "other_yuan",
)
MAX_ENTERPRISES = 2_000_000
MAX_PROJECTS = 1_000
MAX_LOANS = 100


@dataclass(frozen=True)
class Title:
    title: str
    level: str | None = None
    since: date | None = None


@dataclass(frozen=True)
class Loan:
    amount_fen: int | None = None
    annual_rate: Fraction | None = None
    start_date: date | None = None
    end_date: date | None = None
    interest_paid_fen: int | None = None


@dataclass(frozen=True)
class Project:
    id: str
    kind: str | None = None
    start_date: date | None = None
    region: str | None = None
    equipment_fen: int | None = None
    intelligent_equipment_fen: int | None = None
    software_fen: int | None = None
    services_fen: int | None = None
    other_fen: int | None = None
    loans: tuple[Loan, ...] | None = None
    #: fact name → where the value came from (a page, a document, a file path)
    sources: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def total_fen(self) -> int | None:
        parts = (self.equipment_fen, self.software_fen, self.services_fen, self.other_fen)
        if any(part is None for part in parts):
            return None
        return sum(parts)


@dataclass(frozen=True)
class Enterprise:
    uscc: str
    name: str = ""
    region: str | None = None
    industry: str | None = None
    titles: tuple[Title, ...] | None = None
    maturity_level: int | None = None
    revenue_fen: int | None = None
    employees: int | None = None
    projects: tuple[Project, ...] | None = None
    #: item key or stacking group → fen already received (for "pay the difference")
    received: dict = field(default_factory=dict, compare=False, hash=False)
    sources: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class FactProblem:
    path: str
    code: str
    params: dict = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return f"{self.path}: {problem_text(self.code, self.params, lang)}"


class FactsError(ValueError):
    def __init__(self, problems: list[FactProblem]):
        self.problems = problems
        super().__init__("; ".join(p.text("en") for p in problems[:20]))


class _Reader:
    def __init__(self):
        self.problems: list[FactProblem] = []

    def bad(self, path: str, code: str, **params):
        self.problems.append(FactProblem(path, code, params))

    def text(self, obj: dict, key: str, path: str, *, pattern=None, required=False):
        value = obj.get(key)
        if value is None:
            if required:
                self.bad(f"{path}.{key}", "required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.bad(f"{path}.{key}", "not_text")
            return None
        value = value.strip()
        if pattern is not None and not pattern.match(value):
            self.bad(f"{path}.{key}", f"bad_{key}", value=value)
            return None
        return value

    def money(self, obj: dict, key: str, path: str) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        try:
            amount = parse_decimal(value)
            if amount < 0:
                self.bad(f"{path}.{key}", "negative", value=str(value))
                return None
            return yuan_to_fen(amount)
        except ValueError as exc:
            self.bad(f"{path}.{key}", str(exc), value=str(value))
            return None

    def rate(self, obj: dict, key: str, path: str) -> Fraction | None:
        value = obj.get(key)
        if value is None:
            return None
        try:
            rate = parse_decimal(value)
        except ValueError:
            self.bad(f"{path}.{key}", "not_decimal_string", value=str(value))
            return None
        if rate < 0 or rate >= 1:
            self.bad(f"{path}.{key}", "rate_range", value=str(value))
            return None
        return Fraction(rate)

    def day(self, obj: dict, key: str, path: str) -> date | None:
        value = obj.get(key)
        if value is None:
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.bad(f"{path}.{key}", "bad_date", value=str(value))
            return None

    def integer(self, obj: dict, key: str, path: str, lo: int, hi: int) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.bad(f"{path}.{key}", "int_range", value=str(value), lo=lo, hi=hi)
            return None
        return value

    def listing(self, obj: dict, key: str, path: str, limit: int):
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            self.bad(f"{path}.{key}", "not_list")
            return None
        if len(value) > limit:
            self.bad(f"{path}.{key}", "too_many", limit=limit)
            return None
        return value


def _loan(reader: _Reader, raw, path: str) -> Loan | None:
    if not isinstance(raw, dict):
        reader.bad(path, "not_object")
        return None
    loan = Loan(
        amount_fen=reader.money(raw, "amount_yuan", path),
        annual_rate=reader.rate(raw, "annual_rate", path),
        start_date=reader.day(raw, "start_date", path),
        end_date=reader.day(raw, "end_date", path),
        interest_paid_fen=reader.money(raw, "interest_paid_yuan", path),
    )
    if loan.start_date and loan.end_date and loan.end_date < loan.start_date:
        reader.bad(f"{path}.end_date", "end_before_start")
    return loan


def _project(reader: _Reader, raw, path: str, seen: set) -> Project | None:
    if not isinstance(raw, dict):
        reader.bad(path, "not_object")
        return None
    pid = raw.get("id")
    if isinstance(pid, int) and not isinstance(pid, bool):
        pid = str(pid)
    if not isinstance(pid, str) or not pid.strip():
        reader.bad(f"{path}.id", "required")
        pid = None
    elif pid in seen:
        reader.bad(f"{path}.id", "duplicate_project", value=pid)
    else:
        seen.add(pid)
    money = {key: reader.money(raw, key, path) for key in _MONEY_FIELDS}
    if (
        money["intelligent_equipment_yuan"] is not None
        and money["equipment_yuan"] is not None
        and money["intelligent_equipment_yuan"] > money["equipment_yuan"]
    ):
        reader.bad(f"{path}.intelligent_equipment_yuan", "intelligent_above_equipment")
    loans_raw = reader.listing(raw, "loans", path, MAX_LOANS)
    loans = None
    if loans_raw is not None:
        loans = tuple(
            loan
            for i, item in enumerate(loans_raw)
            if (loan := _loan(reader, item, f"{path}.loans[{i}]")) is not None
        )
    kind = reader.text(raw, "kind", path)
    return Project(
        id=pid or "",
        kind=kind,
        start_date=reader.day(raw, "start_date", path),
        region=reader.text(raw, "region", path, pattern=_REGION),
        equipment_fen=money["equipment_yuan"],
        intelligent_equipment_fen=money["intelligent_equipment_yuan"],
        software_fen=money["software_yuan"],
        services_fen=money["services_yuan"],
        other_fen=money["other_yuan"],
        loans=loans,
    )


def _titles(reader: _Reader, raw: dict, path: str):
    items = reader.listing(raw, "titles", path, 200)
    if items is None:
        return None
    titles = []
    for i, item in enumerate(items):
        here = f"{path}.titles[{i}]"
        if not isinstance(item, dict):
            reader.bad(here, "not_object")
            continue
        name = reader.text(item, "title", here, required=True)
        level = item.get("level")
        if level is not None and level not in TITLE_LEVELS:
            reader.bad(f"{here}.level", "bad_level", value=str(level))
            level = None
        if name:
            titles.append(Title(name, level, reader.day(item, "since", here)))
    return tuple(titles)


def parse_enterprise(raw, path: str, reader: _Reader | None = None) -> Enterprise | None:
    reader = reader or _Reader()
    if not isinstance(raw, dict):
        reader.bad(path, "not_object")
        return None
    uscc = reader.text(raw, "uscc", path, pattern=_USCC, required=True)
    name = raw.get("name")
    if name is None:
        reader.bad(f"{path}.name", "required")
    elif not isinstance(name, str):
        reader.bad(f"{path}.name", "not_text")
    projects_raw = reader.listing(raw, "projects", path, MAX_PROJECTS)
    projects = None
    if projects_raw is not None:
        seen: set = set()
        projects = tuple(
            project
            for i, item in enumerate(projects_raw)
            if (project := _project(reader, item, f"{path}.projects[{i}]", seen)) is not None
        )
    received = {}
    received_raw = reader.listing(raw, "received", path, 1000) or []
    for i, item in enumerate(received_raw):
        here = f"{path}.received[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("item"), str):
            reader.bad(here, "bad_received")
            continue
        fen = reader.money(item, "amount_yuan", here)
        if fen is not None:
            received[item["item"]] = received.get(item["item"], 0) + fen
    return Enterprise(
        uscc=uscc or "",
        name=name if isinstance(name, str) else "",
        region=reader.text(raw, "region", path, pattern=_REGION),
        industry=reader.text(raw, "industry", path, pattern=_INDUSTRY),
        titles=_titles(reader, raw, path),
        maturity_level=reader.integer(raw, "maturity_level", path, 0, 5),
        revenue_fen=reader.money(raw, "revenue_yuan", path),
        employees=reader.integer(raw, "employees", path, 0, 10_000_000),
        projects=projects,
        received=received,
    )


def check_enterprise(raw, path: str = "enterprise") -> tuple[Enterprise | None, list[FactProblem]]:
    """One enterprise's facts (a facts-file entry) → (Enterprise or None, problems)."""
    reader = _Reader()
    enterprise = parse_enterprise(raw, path, reader)
    return (None if reader.problems else enterprise), reader.problems


def parse_facts(data) -> list[Enterprise]:
    """The facts file's content (already JSON-decoded) → enterprises. Every problem is
    collected and raised together in a FactsError, each with its path
    (``[3].projects[0].equipment_yuan``)."""
    reader = _Reader()
    if not isinstance(data, list):
        raise FactsError([FactProblem("$", "facts_not_list")])
    if len(data) > MAX_ENTERPRISES:
        raise FactsError([FactProblem("$", "too_many", {"limit": MAX_ENTERPRISES})])
    enterprises = []
    seen: set = set()
    for i, raw in enumerate(data):
        enterprise = parse_enterprise(raw, f"[{i}]", reader)
        if enterprise is None:
            continue
        if enterprise.uscc and enterprise.uscc in seen:
            reader.bad(f"[{i}].uscc", "duplicate_enterprise", value=enterprise.uscc)
        seen.add(enterprise.uscc)
        enterprises.append(enterprise)
    if reader.problems:
        raise FactsError(reader.problems)
    return enterprises
