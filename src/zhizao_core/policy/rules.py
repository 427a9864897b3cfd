"""Policy items as typed data: the rule format, its parser and its limits.

A rule is plain data (JSON or YAML): conditions built from a closed set of facts and operators,
an amount built from a closed set of amount nodes, caps, stages and a stacking group. Nothing is
ever evaluated as code. ``parse_rule`` checks everything at save time and names the place of
each problem (``amount.sum[1].percent``); the format is documented in docs/policy-rules.md.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .money import parse_decimal, yuan_to_fen
from .phrases import problem_text

MAX_DEPTH = 8
MAX_NODES = 400
MAX_LIST = 500
MAX_TEXT = 500
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")

#: fact path → type. ``money`` facts are in fen inside the engine, yuan in files.
FACTS: dict[str, str] = {
    "enterprise.region": "code",
    "enterprise.industry": "industry",
    "enterprise.maturity_level": "int",
    "enterprise.revenue": "money",
    "enterprise.employees": "int",
    "project.kind": "text",
    "project.start_date": "date",
    "project.region": "code",
    "project.equipment": "money",
    "project.intelligent_equipment": "money",
    "project.software": "money",
    "project.services": "money",
    "project.other": "money",
    "project.total_investment": "money",
    "project.loan_amount": "money",
    "project.intelligent_equipment_share": "ratio",
}
#: the facts-file key each fact is read from (for "missing" lists and sources)
FACT_KEYS: dict[str, str] = {
    "enterprise.region": "enterprise.region",
    "enterprise.industry": "enterprise.industry",
    "enterprise.maturity_level": "enterprise.maturity_level",
    "enterprise.revenue": "enterprise.revenue_yuan",
    "enterprise.employees": "enterprise.employees",
    "enterprise.titles": "enterprise.titles",
    "project.kind": "project.kind",
    "project.start_date": "project.start_date",
    "project.region": "project.region",
    "project.equipment": "project.equipment_yuan",
    "project.intelligent_equipment": "project.intelligent_equipment_yuan",
    "project.software": "project.software_yuan",
    "project.services": "project.services_yuan",
    "project.other": "project.other_yuan",
    "project.loans": "project.loans",
}
BASES = {name for name, kind in FACTS.items() if kind == "money"}
OPS_BY_TYPE = {
    "code": {"eq", "ne", "in", "not_in", "prefix", "not_prefix"},
    "industry": {"eq", "ne", "in", "not_in", "prefix", "not_prefix"},
    "text": {"eq", "ne", "in", "not_in"},
    "int": {"eq", "ne", "gt", "ge", "lt", "le", "between", "in", "not_in"},
    "money": {"eq", "gt", "ge", "lt", "le", "between"},
    "ratio": {"gt", "ge", "lt", "le", "between"},
    "date": {"eq", "gt", "ge", "lt", "le", "between"},
}
CAP_SCOPES = ("project", "project_year", "enterprise", "enterprise_year")
STACKING_MODES = ("highest", "exclusive", "difference", "total_le_investment")
SUBJECTS = ("enterprise", "project")
TITLE_LEVELS = ("national", "provincial", "city")
#: GB/T 4754-2017 sections by their two-digit divisions
SECTIONS = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


def section_of(industry: str) -> str | None:
    if not industry:
        return None
    if industry[0].isalpha():
        return industry[0]
    division = int(industry[:2])
    for letter, (lo, hi) in SECTIONS.items():
        if lo <= division <= hi:
            return letter
    return None


def industry_matches(industry: str, prefix: str) -> bool:
    """A GB/T 4754 code matches a prefix of digits, or a section letter (``C`` = 13–43)."""
    if prefix.isalpha():
        return section_of(industry) == prefix
    return industry.startswith(prefix)


# --- the typed nodes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A named rule parameter with the date from which it applies and where it is written."""

    name: str
    value: Fraction
    since: date | None
    label: dict
    reference: str = ""


@dataclass(frozen=True)
class Number:
    """A literal number or a parameter's value."""

    value: Fraction
    param: str | None = None


@dataclass(frozen=True)
class Cmp:
    fact: str
    op: str
    value: object  # Fraction | date | str | tuple
    param: str | None = None


@dataclass(frozen=True)
class HasTitle:
    titles: tuple[str, ...]
    levels: tuple[str, ...] | None


@dataclass(frozen=True)
class All:
    items: tuple


@dataclass(frozen=True)
class AnyOf:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


@dataclass(frozen=True)
class Fixed:
    yuan: Number


@dataclass(frozen=True)
class Percent:
    rate: Number
    bases: tuple[str, ...]


@dataclass(frozen=True)
class Sum:
    items: tuple


@dataclass(frozen=True)
class Min:
    items: tuple


@dataclass(frozen=True)
class Band:
    at_least: Fraction
    strict: bool
    amount: object


@dataclass(frozen=True)
class Tiers:
    fact: str
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class TitleRow:
    title: str
    levels: tuple[str, ...] | None
    yuan: Number


@dataclass(frozen=True)
class TitleTable:
    rows: tuple[TitleRow, ...]


@dataclass(frozen=True)
class Interest:
    """Percentage points of interest on each loan, per loan-year (pro-rated by days ÷ 365)."""

    points: Number
    not_above_rate: bool = False


@dataclass(frozen=True)
class LoanPercent:
    """A share of each loan's amount, counted in the year the loan starts."""

    rate: Number


@dataclass(frozen=True)
class Choice:
    when: object
    amount: object


@dataclass(frozen=True)
class Choose:
    """The first choice whose condition holds; ``otherwise`` (default 0) when none does."""

    choices: tuple[Choice, ...]
    otherwise: object | None


@dataclass(frozen=True)
class Cap:
    per: str
    yuan: Number
    when: object | None = None


@dataclass(frozen=True)
class Stage:
    label: dict
    share: Fraction


@dataclass(frozen=True)
class Stacking:
    group: str
    mode: str


@dataclass(frozen=True)
class Rule:
    key: str
    version: int
    name: dict
    subject: str
    valid_from: date
    valid_to: date | None
    reference: str
    conditions: object | None
    amount: object
    caps: tuple[Cap, ...] = ()
    stages: tuple[Stage, ...] = ()
    stacking: Stacking | None = None
    params: dict = field(default_factory=dict)
    category: str = "grant"
    data: dict = field(default_factory=dict, compare=False, hash=False)

    def in_force(self, as_of: date) -> bool:
        return self.valid_from <= as_of and (self.valid_to is None or as_of <= self.valid_to)

    def uses_projects(self) -> bool:
        return self.subject == "project"


@dataclass(frozen=True)
class RuleProblem:
    path: str
    code: str
    params: dict = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return f"{self.path}: {problem_text(self.code, self.params, lang)}"

    def as_dict(self, lang: str = "zh") -> dict:
        return {"path": self.path, "code": self.code, "message": self.text(lang)}


class RuleError(ValueError):
    def __init__(self, problems: list[RuleProblem]):
        self.problems = problems
        super().__init__("; ".join(p.text("en") for p in problems[:20]))


# --- the parser -----------------------------------------------------------------------------


class _Parser:
    def __init__(self, params: dict[str, Param], subject: str):
        self.problems: list[RuleProblem] = []
        self.nodes = 0
        self.params = params
        self.subject = subject

    def bad(self, path, code, **params):
        self.problems.append(RuleProblem(path, code, params))

    def count(self, path: str, depth: int) -> bool:
        self.nodes += 1
        if depth > MAX_DEPTH:
            self.bad(path, "too_deep", limit=MAX_DEPTH)
            return False
        if self.nodes > MAX_NODES:
            if self.nodes == MAX_NODES + 1:
                self.bad(path, "too_many_nodes", limit=MAX_NODES)
            return False
        return True

    def one_key(self, node, path: str, allowed: set[str]) -> tuple[str, object] | None:
        if not isinstance(node, dict) or not node:
            self.bad(path, "not_object")
            return None
        keys = [k for k in node if k in allowed]
        if len(keys) != 1:
            self.bad(path, "one_of", choices=", ".join(sorted(allowed)))
            return None
        return keys[0], node[keys[0]]

    def number(self, raw, path: str, *, lo=None, hi=None) -> Number | None:
        if isinstance(raw, dict) and "param" in raw:
            name = raw["param"]
            if name not in self.params:
                self.bad(f"{path}.param", "unknown_param", value=str(name))
                return None
            return Number(self.params[name].value, name)
        try:
            value = Fraction(parse_decimal(raw))
        except (ValueError, TypeError):
            self.bad(path, "not_decimal_string", value=str(raw))
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.bad(path, "out_of_range", value=str(raw), lo=str(lo), hi=str(hi))
            return None
        return Number(value)

    def money(self, raw, path: str) -> Number | None:
        number = self.number(raw, path, lo=0)
        if number is not None and number.value * 100 != int(number.value * 100):
            self.bad(path, "more_than_two_decimals")
            return None
        return number

    def fact(self, name, path: str) -> str | None:
        if name not in FACTS:
            self.bad(path, "unknown_fact", value=str(name))
            return None
        if name.startswith("project.") and self.subject != "project":
            self.bad(path, "project_fact_in_enterprise_rule", value=name)
            return None
        return name

    def scalar(self, kind: str, raw, path: str):
        if kind in ("money", "ratio", "int"):
            number = self.number(raw, path)
            if number is None:
                return None
            if kind == "money":
                return number.value * 100  # compare in fen
            if kind == "int" and number.value.denominator != 1:
                self.bad(path, "not_integer", value=str(raw))
                return None
            return number.value
        if kind == "date":
            try:
                if isinstance(raw, date):
                    return raw
                return date.fromisoformat(str(raw))
            except ValueError:
                self.bad(path, "bad_date", value=str(raw))
                return None
        if not isinstance(raw, str) or not raw or len(raw) > MAX_TEXT:
            self.bad(path, "not_text")
            return None
        if kind == "code" and not re.fullmatch(r"\d{2,6}", raw):
            self.bad(path, "bad_code_prefix", value=raw)
            return None
        if kind == "industry" and not re.fullmatch(r"[A-T]|\d{2,4}", raw):
            self.bad(path, "bad_industry_prefix", value=raw)
            return None
        return raw

    def condition(self, node, path: str, depth: int = 0):
        if not self.count(path, depth):
            return None
        picked = self.one_key(node, path, {"all", "any", "not", "fact", "title"})
        if picked is None:
            return None
        key, value = picked
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                self.bad(f"{path}.{key}", "not_list")
                return None
            if len(value) > MAX_LIST:
                self.bad(f"{path}.{key}", "too_many", limit=MAX_LIST)
                return None
            items = tuple(
                self.condition(item, f"{path}.{key}[{i}]", depth + 1)
                for i, item in enumerate(value)
            )
            return (All if key == "all" else AnyOf)(items)
        if key == "not":
            return Not(self.condition(value, f"{path}.not", depth + 1))
        if key == "title":
            titles = value if isinstance(value, list) else [value]
            if not titles or not all(isinstance(t, str) and t for t in titles):
                self.bad(f"{path}.title", "not_text")
                return None
            levels = node.get("levels")
            if levels is not None:
                if not isinstance(levels, list) or any(lv not in TITLE_LEVELS for lv in levels):
                    self.bad(f"{path}.levels", "bad_level", value=str(levels))
                    return None
                levels = tuple(levels)
            return HasTitle(tuple(titles), levels)
        fact = self.fact(value, f"{path}.fact")
        op = node.get("op")
        if fact is None:
            return None
        kind = FACTS[fact]
        if op not in OPS_BY_TYPE[kind]:
            self.bad(
                f"{path}.op", "bad_op", value=str(op), choices=", ".join(sorted(OPS_BY_TYPE[kind]))
            )
            return None
        raw = node.get("value")
        if op in ("in", "not_in", "prefix", "not_prefix"):
            items = raw if isinstance(raw, list) else [raw]
            if not items or len(items) > MAX_LIST:
                self.bad(f"{path}.value", "not_list")
                return None
            values = tuple(
                self.scalar(kind, item, f"{path}.value[{i}]") for i, item in enumerate(items)
            )
            if any(v is None for v in values):
                return None
            return Cmp(fact, op, values)
        if op == "between":
            if not isinstance(raw, list) or len(raw) != 2:
                self.bad(f"{path}.value", "between_two")
                return None
            lo = self.scalar(kind, raw[0], f"{path}.value[0]")
            hi = self.scalar(kind, raw[1], f"{path}.value[1]")
            if lo is None or hi is None:
                return None
            if hi < lo:
                self.bad(f"{path}.value", "between_order")
                return None
            return Cmp(fact, op, (lo, hi))
        scalar = self.scalar(kind, raw, f"{path}.value")
        param = raw["param"] if isinstance(raw, dict) and "param" in raw else None
        return None if scalar is None else Cmp(fact, op, scalar, param)

    def amount(self, node, path: str, depth: int = 0):
        if not self.count(path, depth):
            return None
        picked = self.one_key(
            node,
            path,
            {
                "fixed",
                "percent",
                "sum",
                "min",
                "tiers",
                "title_table",
                "interest",
                "loan_percent",
                "choose",
            },
        )
        if picked is None:
            return None
        key, value = picked
        here = f"{path}.{key}"
        if key == "fixed":
            number = self.money(value, here)
            return None if number is None else Fixed(number)
        if key in ("sum", "min"):
            if not isinstance(value, list) or not value or len(value) > MAX_LIST:
                self.bad(here, "not_list")
                return None
            items = tuple(
                self.amount(item, f"{here}[{i}]", depth + 1) for i, item in enumerate(value)
            )
            return (Sum if key == "sum" else Min)(items)
        if key == "percent":
            rate = self.number(value, here, lo=0, hi=1)
            bases = node.get("of")
            if isinstance(bases, str):
                bases = [bases]
            if not isinstance(bases, list) or not bases:
                self.bad(f"{path}.of", "not_list")
                return None
            for i, base in enumerate(bases):
                if base not in BASES:
                    self.bad(f"{path}.of[{i}]", "unknown_base", value=str(base))
                    return None
                if base.startswith("project.") and self.subject != "project":
                    self.bad(f"{path}.of[{i}]", "project_fact_in_enterprise_rule", value=base)
                    return None
            return None if rate is None else Percent(rate, tuple(bases))
        if key == "choose":
            if not isinstance(value, list) or not value or len(value) > 20:
                self.bad(here, "not_list")
                return None
            choices = []
            for i, choice in enumerate(value):
                where = f"{here}[{i}]"
                if not isinstance(choice, dict) or "when" not in choice or "amount" not in choice:
                    self.bad(where, "choice_when_amount")
                    return None
                when = self.condition(choice["when"], f"{where}.when", depth + 1)
                amount = self.amount(choice["amount"], f"{where}.amount", depth + 1)
                if when is None or amount is None:
                    return None
                choices.append(Choice(when, amount))
            otherwise = None
            if node.get("otherwise") is not None:
                otherwise = self.amount(node["otherwise"], f"{path}.otherwise", depth + 1)
                if otherwise is None:
                    return None
            return Choose(tuple(choices), otherwise)
        if key == "loan_percent":
            self.need_project(here)
            rate = self.number(value, here, lo=0, hi=1)
            return None if rate is None else LoanPercent(rate)
        if key == "interest":
            self.need_project(here)
            if not isinstance(value, dict):
                self.bad(here, "not_object")
                return None
            points = self.number(value.get("points"), f"{here}.points", lo=0, hi=Fraction(1, 5))
            not_above = value.get("not_above_rate", False)
            if not isinstance(not_above, bool):
                self.bad(f"{here}.not_above_rate", "not_boolean")
                return None
            return None if points is None else Interest(points, not_above)
        if key == "tiers":
            if not isinstance(value, dict):
                self.bad(here, "not_object")
                return None
            fact = self.fact(value.get("fact"), f"{here}.fact")
            if fact is not None and FACTS[fact] not in ("money", "int", "ratio"):
                self.bad(f"{here}.fact", "tiers_need_number", value=fact)
                return None
            bands_raw = value.get("bands")
            if not isinstance(bands_raw, list) or not bands_raw or len(bands_raw) > 50:
                self.bad(f"{here}.bands", "not_list")
                return None
            bands = []
            previous = None
            for i, band in enumerate(bands_raw):
                where = f"{here}.bands[{i}]"
                if not isinstance(band, dict) or ("from" in band) == ("above" in band):
                    self.bad(where, "band_from_or_above")
                    return None
                strict = "above" in band
                bound = self.number(band["above" if strict else "from"], where)
                amount = self.amount(band.get("amount"), f"{where}.amount", depth + 1)
                if bound is None or amount is None or fact is None:
                    return None
                threshold = bound.value * (100 if FACTS[fact] == "money" else 1)
                if previous is not None and threshold <= previous:
                    self.bad(where, "bands_ascending")
                    return None
                previous = threshold
                bands.append(Band(threshold, strict, amount))
            return None if fact is None else Tiers(fact, tuple(bands))
        # title_table
        if not isinstance(value, list) or not value or len(value) > 50:
            self.bad(here, "not_list")
            return None
        rows = []
        for i, row in enumerate(value):
            where = f"{here}[{i}]"
            if not isinstance(row, dict) or not isinstance(row.get("title"), str):
                self.bad(where, "title_row")
                return None
            levels = row.get("levels")
            if levels is not None and (
                not isinstance(levels, list) or any(lv not in TITLE_LEVELS for lv in levels)
            ):
                self.bad(f"{where}.levels", "bad_level", value=str(levels))
                return None
            yuan = self.money(row.get("yuan"), f"{where}.yuan")
            if yuan is None:
                return None
            rows.append(TitleRow(row["title"], tuple(levels) if levels else None, yuan))
        return TitleTable(tuple(rows))

    def need_project(self, path: str):
        if self.subject != "project":
            self.bad(path, "project_fact_in_enterprise_rule", value=path)


def _text_map(raw, path: str, problems: list, required=True) -> dict:
    if isinstance(raw, str):
        return {"zh": raw, "en": raw}
    if isinstance(raw, dict) and isinstance(raw.get("zh"), str) and raw["zh"]:
        return {"zh": raw["zh"], "en": raw.get("en") or raw["zh"]}
    if required:
        problems.append(RuleProblem(path, "name_required"))
    return {"zh": "", "en": ""}


def _day(raw, path: str, problems: list, required=False) -> date | None:
    if raw is None:
        if required:
            problems.append(RuleProblem(path, "required"))
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        problems.append(RuleProblem(path, "bad_date", {"value": str(raw)}))
        return None


def _params(raw, problems: list, valid_from: date | None) -> dict[str, Param]:
    params: dict[str, Param] = {}
    if raw is None:
        return params
    if not isinstance(raw, dict) or len(raw) > 100:
        problems.append(RuleProblem("parameters", "not_object"))
        return params
    for name, spec in raw.items():
        path = f"parameters.{name}"
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,59}", str(name)):
            problems.append(RuleProblem(path, "bad_param_name", {"value": str(name)}))
            continue
        if not isinstance(spec, dict):
            spec = {"value": spec}
        try:
            value = Fraction(parse_decimal(spec.get("value")))
        except (ValueError, TypeError):
            problems.append(
                RuleProblem(
                    f"{path}.value", "not_decimal_string", {"value": str(spec.get("value"))}
                )
            )
            continue
        since = _day(spec.get("since"), f"{path}.since", problems) or valid_from
        # a parameter is shown to officers (sandbox, explanations) by its label, never its name
        label = _text_map(spec.get("label"), f"{path}.label", problems)
        params[name] = Param(name, value, since, label, str(spec.get("reference") or ""))
    return params


def parse_rule(data) -> Rule:
    """Rule data (a dict, e.g. from YAML or the editor) → Rule, or RuleError naming every
    problem with its place."""
    problems: list[RuleProblem] = []
    if not isinstance(data, dict):
        raise RuleError([RuleProblem("$", "not_object")])
    key = data.get("id")
    if not isinstance(key, str) or not KEY.match(key):
        problems.append(RuleProblem("id", "bad_key", {"value": str(key)}))
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(
            RuleProblem("version", "int_range", {"value": str(version), "lo": 1, "hi": "∞"})
        )
        version = 1
    subject = data.get("subject", "project")
    if subject not in SUBJECTS:
        problems.append(RuleProblem("subject", "one_of", {"choices": ", ".join(SUBJECTS)}))
        subject = "project"
    name = _text_map(data.get("name"), "name", problems)
    valid_from = _day(data.get("valid_from"), "valid_from", problems, required=True)
    valid_to = _day(data.get("valid_to"), "valid_to", problems)
    if valid_from and valid_to and valid_to < valid_from:
        problems.append(RuleProblem("valid_to", "end_before_start"))
    params = _params(data.get("parameters"), problems, valid_from)
    parser = _Parser(params, subject)
    conditions = None
    if data.get("conditions") is not None:
        conditions = parser.condition(data["conditions"], "conditions")
    amount = None
    if data.get("amount") is None:
        parser.bad("amount", "required")
    else:
        amount = parser.amount(data["amount"], "amount")
    caps = []
    caps_raw = data.get("caps") or []
    if not isinstance(caps_raw, list) or len(caps_raw) > 8:
        parser.bad("caps", "not_list")
        caps_raw = []
    for i, cap in enumerate(caps_raw):
        path = f"caps[{i}]"
        if not isinstance(cap, dict) or cap.get("per") not in CAP_SCOPES:
            parser.bad(f"{path}.per", "one_of", choices=", ".join(CAP_SCOPES))
            continue
        if cap["per"].startswith("project") and subject != "project":
            parser.bad(f"{path}.per", "project_fact_in_enterprise_rule", value=cap["per"])
            continue
        yuan = parser.money(cap.get("yuan"), f"{path}.yuan")
        when = None
        if cap.get("when") is not None:
            if subject == "project" and cap["per"].startswith("enterprise"):
                parser.bad(f"{path}.when", "when_not_for_enterprise_cap")
                continue
            when = parser.condition(cap["when"], f"{path}.when")
        if yuan is not None:
            caps.append(Cap(cap["per"], yuan, when))
    stages = []
    stages_raw = data.get("stages") or []
    if not isinstance(stages_raw, list) or len(stages_raw) > 10:
        parser.bad("stages", "not_list")
        stages_raw = []
    for i, stage in enumerate(stages_raw):
        path = f"stages[{i}]"
        if not isinstance(stage, dict):
            parser.bad(path, "not_object")
            continue
        share = parser.number(stage.get("share"), f"{path}.share", lo=0, hi=1)
        label = _text_map(stage.get("label"), f"{path}.label", parser.problems)
        if share is not None:
            stages.append(Stage(label, share.value))
    if stages and sum(s.share for s in stages) != 1:
        parser.bad("stages", "stages_sum")
    stacking = None
    raw_stacking = data.get("stacking")
    if raw_stacking is not None:
        if (
            not isinstance(raw_stacking, dict)
            or not isinstance(raw_stacking.get("group"), str)
            or not KEY.match(raw_stacking["group"])
        ):
            parser.bad("stacking.group", "bad_key", value=str(raw_stacking))
        elif raw_stacking.get("mode") not in STACKING_MODES:
            parser.bad("stacking.mode", "one_of", choices=", ".join(STACKING_MODES))
        elif raw_stacking["mode"] == "total_le_investment" and subject != "project":
            parser.bad(
                "stacking.mode", "project_fact_in_enterprise_rule", value="total_le_investment"
            )
        else:
            stacking = Stacking(raw_stacking["group"], raw_stacking["mode"])
    reference = data.get("reference") or ""
    if not isinstance(reference, str) or len(reference) > MAX_TEXT:
        parser.bad("reference", "not_text")
        reference = ""
    category = data.get("category", "grant")
    if category not in ("reduction", "grant", "entitlement", "qualification"):
        parser.bad("category", "one_of", choices="reduction, grant, entitlement, qualification")
    problems += parser.problems
    if problems:
        raise RuleError(problems)
    return Rule(
        key=key,
        version=version,
        name=name,
        subject=subject,
        valid_from=valid_from,
        valid_to=valid_to,
        reference=reference,
        conditions=conditions,
        amount=amount,
        caps=tuple(caps),
        stages=tuple(stages),
        stacking=stacking,
        params=params,
        category=category,
        data=data,
    )


def with_changes(data: dict, changes: dict) -> dict:
    """A sandbox copy of rule data with parameters replaced: ``{"parameters.rate": "0.1"}`` or
    ``{"caps[0].yuan": "5000000"}`` (the what-if of the 政策沙盘). Returns new data; the
    original is not touched."""
    out = copy.deepcopy(data)
    for path, value in changes.items():
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
        target = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            key: object = int(part[1:-1]) if part.startswith("[") else part
            if last:
                if (
                    isinstance(target, dict)
                    and isinstance(target.get(key), dict)
                    and "value" in target[key]
                    and path.startswith("parameters.")
                ):
                    target[key]["value"] = value
                else:
                    target[key] = value
            else:
                target = target[key]
    return out


def decimal_text(value: Fraction) -> str:
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f")


def money_number(number: Number) -> int:
    return yuan_to_fen(Decimal(number.value.numerator) / Decimal(number.value.denominator))
