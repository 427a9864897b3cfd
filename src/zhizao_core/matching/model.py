"""Offerings, demands and requirements as plain frozen data, and the parsers of the catalogue and
demands files (the formats are in docs/matching.md). Bad input is reported as a list of problems,
each naming its place (``[3].region``), never as the first exception only."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .lexicon import resolve_category
from .text import normalize
from .vocabulary import CATEGORIES, CERTIFICATIONS, KINDS, LEVELLED_CERTIFICATIONS

__all__ = [
    "REQUIREMENT_KINDS",
    "Case",
    "Demand",
    "InputError",
    "Offering",
    "Problem",
    "Requirement",
    "Signals",
    "certification_level",
    "parse_catalogue",
    "parse_demands",
    "parse_requirement",
]

REQUIREMENT_KINDS = ("certification", "region", "industry_case", "category", "text")
_REGION = re.compile(r"^\d{6}$")
_INDUSTRY = re.compile(r"^(?:[A-T]|\d{2,4})$")
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_LEVELLED = "|".join(sorted((re.escape(n) for n in LEVELLED_CERTIFICATIONS), key=len, reverse=True))
_LEVELLED_RE = re.compile(
    rf"(?P<name>{_LEVELLED})\s*(?:v?2\.0\s*)?(?:level\s*|l)?(?P<level>[1-5一二两三四五])\s*级?"
    r"\s*(?P<plus>及以上|或以上|以上|\+)?",
    re.IGNORECASE,
)
_LOCAL = {"本地服务团队", "本地服务", "本地化服务", "本地团队", "本地服务网点", "本地驻场", "本地"}
_SAME_INDUSTRY = {"同行业案例", "同行业项目经验", "同行业经验", "行业案例", "同行业项目"}

_MESSAGES = {
    "required": ("必填", "required"),
    "not_text": ("应为非空文本", "must be non-empty text"),
    "not_list": ("应为列表", "must be a list"),
    "not_object": ("应为对象", "must be an object"),
    "not_list_of_objects": ("应为对象列表", "must be a list of objects"),
    "bad_kind": (
        "未知的类型 {value}（可选：{choices}）",
        "unknown kind {value} (one of: {choices})",
    ),
    "bad_category": ("未知的类别代码 {value}", "unknown category code {value}"),
    "unknown_category": (
        "未知的类别 {value}，已作为标签保留（按文本匹配）",
        "unknown category {value}, kept as a tag (matched as text)",
    ),
    "bad_industry": (
        "行业代码应为 GB/T 4754 门类字母或 2–4 位数字：{value}",
        "industry must be a GB/T 4754 section letter or 2–4 digits: {value}",
    ),
    "bad_region": (
        "地区代码应为 6 位 GB/T 2260 代码：{value}",
        "region must be a 6-digit GB/T 2260 code: {value}",
    ),
    "bad_amount": (
        "金额应为非负的十进制数字文本：{value}",
        "amount must be a non-negative decimal string: {value}",
    ),
    "bad_level": ("级别应为 1–5 的整数：{value}", "level must be an integer from 1 to 5: {value}"),
    "bad_requirement_kind": (
        "未知的要求类型 {value}（可选：{choices}）",
        "unknown requirement kind {value} (one of: {choices})",
    ),
    "duplicate_id": ("编号重复：{value}", "duplicate id: {value}"),
    "not_a_list_file": ("文件内容应为 JSON 列表", "the file must hold a JSON list"),
}


@dataclass(frozen=True)
class Problem:
    path: str
    code: str
    params: dict = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        zh, en = _MESSAGES[self.code]
        return f"{self.path}: {(en if lang == 'en' else zh).format(**self.params)}"


class InputError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.text("en") for p in problems[:20]))


@dataclass(frozen=True)
class Case:
    title: str = ""
    industry: str | None = None
    region: str | None = None
    result: str = ""


@dataclass(frozen=True)
class Offering:
    id: str
    kind: str
    title: str
    description: str = ""
    categories: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    cases: tuple[Case, ...] = ()
    #: who offers it (for the diversity rule); the id itself when not given
    provider: str | None = None
    price_min_yuan: Decimal | None = None
    price_max_yuan: Decimal | None = None
    #: category labels given that are none of ours (searched and matched as text)
    tags: tuple[str, ...] = ()

    @property
    def provider_key(self) -> str:
        return self.provider or f"offering:{self.id}"

    def fields(self) -> dict[str, str]:
        """The texts searched and highlighted, by field name."""
        out = {"title": self.title, "description": self.description}
        for i, case in enumerate(self.cases):
            out[f"cases[{i}]"] = " ".join(p for p in (case.title, case.result) if p)
        if self.tags:
            out["tags"] = " ".join(self.tags)
        return out

    def as_json(self) -> dict:
        data = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "description": self.description,
            "categories": list(self.categories),
            "industries": list(self.industries),
            "regions": list(self.regions),
            "certifications": list(self.certifications),
            "cases": [
                {"title": c.title, "industry": c.industry, "region": c.region, "result": c.result}
                for c in self.cases
            ],
        }
        if self.provider:
            data["provider"] = self.provider
        if self.price_min_yuan is not None:
            data["price_min_yuan"] = str(self.price_min_yuan)
        if self.price_max_yuan is not None:
            data["price_max_yuan"] = str(self.price_max_yuan)
        if self.tags:
            data["tags"] = list(self.tags)
        return data


@dataclass(frozen=True)
class Requirement:
    """One requirement of a demand. ``value`` is ``None`` for region and industry_case when it
    means the demand's own region or industry."""

    kind: str
    value: str | None = None
    min_level: int | None = None
    #: as the person wrote it (shown in reasons)
    label: str = ""

    def as_json(self) -> dict | str:
        if self.label and parse_requirement(self.label) == self:
            return self.label
        data: dict = {"kind": self.kind, "value": self.value}
        if self.min_level is not None:
            data["min_level"] = self.min_level
        return data


@dataclass(frozen=True)
class Demand:
    id: str
    title: str
    description: str = ""
    category: str | None = None
    industry: str | None = None
    region: str | None = None
    budget_yuan: Decimal | None = None
    must: tuple[Requirement, ...] = ()
    nice: tuple[Requirement, ...] = ()
    #: a category label given that is none of ours (searched as text)
    tags: tuple[str, ...] = ()

    def fields(self) -> dict[str, str]:
        out = {"title": self.title, "description": self.description}
        if self.tags:
            out["tags"] = " ".join(self.tags)
        return out

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "category": self.category,
            "industry": self.industry,
            "region": self.region,
            "budget_yuan": None if self.budget_yuan is None else str(self.budget_yuan),
            "must": [r.as_json() for r in self.must],
            "nice": [r.as_json() for r in self.nice],
        } | ({"tags": list(self.tags)} if self.tags else {})


@dataclass(frozen=True)
class Signals:
    """What happened to introductions involving one offering (plain counts)."""

    accepted: int = 0
    declined: int = 0
    dealt: int = 0


def certification_level(text: str) -> tuple[str, int | None] | None:
    """``"CMMI5"`` → ``("CMMI", 5)``, ``"等保三级"`` → ``("等保", 3)``, ``"ISO 9001"`` →
    ``("ISO9001", None)``; ``None`` for text naming no known certification."""
    m = _LEVELLED_RE.search(text)
    if m:
        name = next(n for n in LEVELLED_CERTIFICATIONS if n.lower() == m.group("name").lower())
        level = m.group("level")
        return name, _NUMERALS.get(level) or int(level)
    compact = re.sub(r"[\s:：-]", "", normalize(text))
    for name in sorted(CERTIFICATIONS, key=len, reverse=True):
        if normalize(name) in compact:
            return name, None
    for name in LEVELLED_CERTIFICATIONS:
        if normalize(name) in compact:
            return name, None
    return None


def parse_requirement(item: str) -> Requirement:
    """A requirement written in Chinese (``"CMMI3及以上"``, ``"本地服务团队"``, ``"同行业案例"``,
    ``"等保三级"``, ``"ISO9001"``, a category name); anything else is a text requirement (the
    phrase must appear in the offering's text)."""
    label = item.strip()
    compact = re.sub(r"\s+", "", label)
    if compact in _LOCAL:
        return Requirement("region", None, None, label)
    if compact in _SAME_INDUSTRY:
        return Requirement("industry_case", None, None, label)
    for code, (zh, en) in CATEGORIES.items():
        if compact.lower() in (code, normalize(zh), normalize(en)):
            return Requirement("category", code, None, label)
    m = _LEVELLED_RE.fullmatch(compact)
    if m:
        name, level = certification_level(compact)
        return Requirement("certification", name, level, label)
    cert = certification_level(compact)
    if cert and len(compact) <= len(cert[0]) + 4:
        return Requirement("certification", cert[0], cert[1], label)
    return Requirement("text", label, None, label)


class _Reader:
    def __init__(self, warnings: list[Problem] | None = None):
        self.problems: list[Problem] = []
        self.warnings = warnings if warnings is not None else []

    def categories(
        self, labels, path: str, *, single: bool = False
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Labels → (our codes, the unknown labels kept as tags); one warning per unknown label
        (for the whole file: a label already warned about is not repeated)."""
        codes: list[str] = []
        tags: list[str] = []
        for j, label in enumerate(labels):
            code = resolve_category(label)
            if code is not None:
                if code not in codes:
                    codes.append(code)
                continue
            if label not in tags:
                tags.append(label)
            if not any(
                w.code == "unknown_category" and w.params.get("value") == label
                for w in self.warnings
            ):
                where = path if single else f"{path}[{j}]"
                self.warnings.append(Problem(where, "unknown_category", {"value": label}))
        return tuple(codes), tuple(tags)

    def bad(self, path: str, code: str, **params):
        self.problems.append(Problem(path, code, params))

    def text(self, obj: dict, key: str, path: str, *, required=False, pattern=None, code=None):
        value = obj.get(key)
        if value is None:
            if required:
                self.bad(f"{path}.{key}", "required")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.bad(f"{path}.{key}", "not_text")
            return None
        value = value.strip()
        if pattern is not None and value and not pattern.match(value):
            self.bad(f"{path}.{key}", code or f"bad_{key}", value=value)
            return None
        return value

    def strings(self, obj: dict, key: str, path: str, *, pattern=None, code=None) -> tuple:
        value = obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.bad(f"{path}.{key}", "not_list")
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.bad(f"{path}.{key}[{i}]", "not_text")
                continue
            item = item.strip()
            if pattern is not None and not pattern.match(item):
                self.bad(f"{path}.{key}[{i}]", code, value=item)
                continue
            out.append(item)
        return tuple(out)

    def amount(self, obj: dict, key: str, path: str) -> Decimal | None:
        value = obj.get(key)
        if value is None:
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                raise InvalidOperation
            amount = Decimal(str(value).strip())
            if not amount.is_finite() or amount < 0:
                raise InvalidOperation
        except InvalidOperation:
            self.bad(f"{path}.{key}", "bad_amount", value=str(value))
            return None
        return amount

    def requirements(self, obj: dict, key: str, path: str) -> tuple[Requirement, ...]:
        value = obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.bad(f"{path}.{key}", "not_list")
            return ()
        out = []
        for i, item in enumerate(value):
            where = f"{path}.{key}[{i}]"
            if isinstance(item, str):
                if not item.strip():
                    self.bad(where, "not_text")
                    continue
                out.append(parse_requirement(item))
            elif isinstance(item, dict):
                req = self.requirement_object(item, where)
                if req is not None:
                    out.append(req)
            else:
                self.bad(where, "not_object")
        return tuple(out)

    def requirement_object(self, item: dict, where: str) -> Requirement | None:
        kind = item.get("kind")
        if kind not in REQUIREMENT_KINDS:
            self.bad(
                f"{where}.kind",
                "bad_requirement_kind",
                value=kind,
                choices="/".join(REQUIREMENT_KINDS),
            )
            return None
        before = len(self.problems)
        value = None
        if kind == "region":
            value = self.text(item, "value", where, pattern=_REGION, code="bad_region")
        elif kind == "industry_case":
            value = self.text(item, "value", where, pattern=_INDUSTRY, code="bad_industry")
        elif kind == "category":
            value = self.text(item, "value", where, required=True)
            if value is not None and resolve_category(value) is None:
                self.bad(f"{where}.value", "bad_category", value=value)
            elif value is not None:
                value = resolve_category(value)
        else:
            value = self.text(item, "value", where, required=True)
        level = item.get("min_level")
        if level is not None and (
            isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5
        ):
            self.bad(f"{where}.min_level", "bad_level", value=level)
            level = None
        if len(self.problems) > before:
            return None
        if kind == "certification":
            found = certification_level(value)
            if found is not None and found[0] in LEVELLED_CERTIFICATIONS:
                value, level = found[0], level if level is not None else found[1]
            elif found is not None:
                value = found[0]
        label = item.get("label") if isinstance(item.get("label"), str) else ""
        return Requirement(kind, value, level, label or _default_label(kind, value, level))

    def ident(self, obj: dict, path: str, seen: set) -> str | None:
        value = obj.get("id")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is None:
            self.bad(f"{path}.id", "required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.bad(f"{path}.id", "not_text")
            return None
        if value in seen:
            self.bad(f"{path}.id", "duplicate_id", value=value)
        seen.add(value)
        return value


def _default_label(kind: str, value: str | None, level: int | None) -> str:
    if kind == "certification":
        return f"{value}{level}及以上" if level else str(value)
    if kind == "region":
        return "本地服务团队" if value is None else f"本地服务团队（{value}）"
    if kind == "industry_case":
        return "同行业案例" if value is None else f"同行业案例（{value}）"
    if kind == "category":
        return CATEGORIES[value][0]
    return str(value)


def _list_of_objects(data, problems_reader: _Reader):
    if not isinstance(data, list):
        problems_reader.bad("$", "not_a_list_file")
        return []
    return data


def parse_catalogue(data, warnings: list[Problem] | None = None) -> list[Offering]:
    """Offerings from the decoded catalogue file; every problem is collected in ``InputError``.
    Categories may be codes, names or aliases (``lexicon.resolve_category``); a label we do not
    know is kept as the offering's tag and reported once in ``warnings`` (never a problem)."""
    r = _Reader(warnings)
    out: list[Offering] = []
    seen: set[str] = set()
    for i, obj in enumerate(_list_of_objects(data, r)):
        path = f"[{i}]"
        if not isinstance(obj, dict):
            r.bad(path, "not_object")
            continue
        before = len(r.problems)
        ident = r.ident(obj, path, seen)
        kind = obj.get("kind")
        if kind is None:
            r.bad(f"{path}.kind", "required")
        elif kind not in KINDS:
            r.bad(f"{path}.kind", "bad_kind", value=kind, choices="/".join(KINDS))
        title = r.text(obj, "title", path, required=True)
        description = r.text(obj, "description", path) or ""
        categories, tags = r.categories(r.strings(obj, "categories", path), f"{path}.categories")
        tags = tags + tuple(t for t in r.strings(obj, "tags", path) if t not in tags)
        industries = r.strings(obj, "industries", path, pattern=_INDUSTRY, code="bad_industry")
        regions = r.strings(obj, "regions", path, pattern=_REGION, code="bad_region")
        certifications = r.strings(obj, "certifications", path)
        provider = r.text(obj, "provider", path)
        price_min = r.amount(obj, "price_min_yuan", path)
        price_max = r.amount(obj, "price_max_yuan", path)
        cases = []
        raw_cases = obj.get("cases")
        if raw_cases is not None and not isinstance(raw_cases, list):
            r.bad(f"{path}.cases", "not_list_of_objects")
            raw_cases = []
        for j, case in enumerate(raw_cases or []):
            where = f"{path}.cases[{j}]"
            if not isinstance(case, dict):
                r.bad(where, "not_object")
                continue
            cases.append(
                Case(
                    title=r.text(case, "title", where) or "",
                    industry=r.text(case, "industry", where, pattern=_INDUSTRY),
                    region=r.text(case, "region", where, pattern=_REGION),
                    result=r.text(case, "result", where) or "",
                )
            )
        if len(r.problems) > before:
            continue
        out.append(
            Offering(
                id=ident,
                kind=kind,
                title=title,
                description=description,
                categories=categories,
                industries=industries,
                regions=regions,
                certifications=certifications,
                cases=tuple(cases),
                provider=provider,
                price_min_yuan=price_min,
                price_max_yuan=price_max,
                tags=tags,
            )
        )
    if r.problems:
        raise InputError(r.problems)
    return out


def parse_demands(data, warnings: list[Problem] | None = None) -> list[Demand]:
    """Demands from the decoded demands file; every problem is collected in ``InputError``. The
    category may be a code, a name or an alias; an unknown one is kept as a tag (one warning)."""
    r = _Reader(warnings)
    out: list[Demand] = []
    seen: set[str] = set()
    for i, obj in enumerate(_list_of_objects(data, r)):
        path = f"[{i}]"
        if not isinstance(obj, dict):
            r.bad(path, "not_object")
            continue
        before = len(r.problems)
        ident = r.ident(obj, path, seen)
        title = r.text(obj, "title", path, required=True)
        description = r.text(obj, "description", path) or ""
        label = r.text(obj, "category", path)
        category, tags = None, ()
        if label:
            codes, tags = r.categories([label], f"{path}.category", single=True)
            category = codes[0] if codes else None
        industry = r.text(obj, "industry", path, pattern=_INDUSTRY)
        region = r.text(obj, "region", path, pattern=_REGION)
        budget = r.amount(obj, "budget_yuan", path)
        must = r.requirements(obj, "must", path)
        nice = r.requirements(obj, "nice", path)
        if len(r.problems) > before:
            continue
        out.append(
            Demand(
                id=ident,
                title=title,
                description=description,
                category=category,
                industry=industry,
                region=region,
                budget_yuan=budget,
                must=must,
                nice=nice,
                tags=tags,
            )
        )
    if r.problems:
        raise InputError(r.problems)
    return out
