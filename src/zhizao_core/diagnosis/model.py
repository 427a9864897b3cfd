"""Maturity models as data: parse and validate a model mapping (from YAML or JSON).

A model is a tree element → domain → sub-domain with weights per enterprise type, a list of
levels and a list of requirements, each on one sub-domain at one level. ``parse_model`` turns the
plain mapping into frozen dataclasses, or raises ``ModelError`` listing every problem with the
place it was found (``requirements[12].subdomain``) and a stable code the platform translates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

ENTERPRISE_TYPES = ("discrete", "process")
LEVEL_RULES = ("full_credit", "actual_score")
SCALES = ("level", "percent")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")

# Size limits: a model is reference data written by people; anything beyond these is a mistake
# (or an attack on the loader) and is refused with a message rather than loaded slowly.
MAX_LEVELS = 10
MAX_NODES = 500
MAX_REQUIREMENTS = 5000
MAX_TEXT = 2000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model or an answers file: where, what (a stable code), details."""

    path: str
    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"path": self.path, "code": self.code, "params": dict(self.params)}


class ModelError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.code} {p.params}" for p in problems[:20]))


@dataclass(frozen=True)
class Level:
    number: int
    name: dict
    description: dict


@dataclass(frozen=True)
class Subdomain:
    id: str
    name: dict
    weights: dict  # enterprise type -> Fraction
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Domain:
    id: str
    name: dict
    weights: dict
    subdomains: tuple[Subdomain, ...]


@dataclass(frozen=True)
class Element:
    id: str
    name: dict
    weights: dict
    domains: tuple[Domain, ...]


@dataclass(frozen=True)
class Requirement:
    id: str
    subdomain: str
    level: int
    text: dict
    allow_na: bool
    next_step: dict
    evidence: dict


@dataclass(frozen=True)
class Model:
    id: str
    version: str
    name: dict
    description: dict
    source: dict
    level_rule: str
    threshold: Fraction
    scale: str
    enterprise_types: tuple[str, ...]
    levels: tuple[Level, ...]
    elements: tuple[Element, ...]
    requirements: tuple[Requirement, ...]

    # Lookups built once in ``parse_model``.
    requirement_by_id: dict = field(compare=False, repr=False, default_factory=dict)
    path_of_subdomain: dict = field(compare=False, repr=False, default_factory=dict)
    cells: dict = field(compare=False, repr=False, default_factory=dict)

    @property
    def level_numbers(self) -> list[int]:
        return [level.number for level in self.levels]

    def subdomains(self) -> list[Subdomain]:
        return [s for e in self.elements for d in e.domains for s in d.subdomains]

    def domains(self) -> list[Domain]:
        return [d for e in self.elements for d in e.domains]

    def node_name(self, node_id: str) -> dict:
        for element in self.elements:
            if element.id == node_id:
                return element.name
            for domain in element.domains:
                if domain.id == node_id:
                    return domain.name
                for sub in domain.subdomains:
                    if sub.id == node_id:
                        return sub.name
        return {"zh": node_id, "en": node_id}

    def open_domains(self, enterprise_type: str, answered) -> set[str]:
        """The domains (questionnaire sections) with an asked requirement not yet answered; a
        section not in the set is done."""
        return {
            self.path_of_subdomain[req.subdomain][1].id
            for req in self.asked(enterprise_type)
            if req.id not in answered
        }

    def asked(self, enterprise_type: str) -> list[Requirement]:
        """The requirements an enterprise of this type answers: those whose whole path has a
        non-zero weight for its type (a weight of 0 means "does not apply to this type")."""
        out = []
        for req in self.requirements:
            element, domain, sub = self.path_of_subdomain[req.subdomain]
            if all(node.weights[enterprise_type] > 0 for node in (element, domain, sub)):
                out.append(req)
        return out


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, code: str, **params) -> None:
        self.problems.append(Problem(path, code, params))

    def mapping(self, value, path: str) -> dict | None:
        if not isinstance(value, dict):
            self.add(path, "not_a_mapping")
            return None
        return value

    def listing(self, value, path: str, *, limit: int) -> list:
        if not isinstance(value, list):
            self.add(path, "not_a_list")
            return []
        if not value:
            self.add(path, "empty_list")
        if len(value) > limit:
            self.add(path, "too_many", limit=limit, count=len(value))
            return []
        return value

    def ident(self, value, path: str) -> str | None:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(path, "bad_id", value=str(value)[:80])
            return None
        return value

    def text(self, value, path: str, *, required: bool = True) -> dict:
        if value is None and not required:
            return {"zh": "", "en": ""}
        if not isinstance(value, dict):
            self.add(path, "not_bilingual")
            return {"zh": "", "en": ""}
        out = {}
        for lang in ("zh", "en"):
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                if required:
                    self.add(f"{path}.{lang}", "missing_text")
                text = ""
            elif len(text) > MAX_TEXT:
                self.add(f"{path}.{lang}", "text_too_long", limit=MAX_TEXT)
            out[lang] = text.strip()
        unknown = set(value) - {"zh", "en"}
        if unknown:
            self.add(path, "unknown_keys", keys=sorted(map(str, unknown)))
        return out

    def decimal(self, value, path: str) -> Fraction | None:
        if isinstance(value, bool) or value is None:
            self.add(path, "not_a_number", value=str(value))
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.add(path, "not_a_number", value=str(value)[:40])
            return None
        if not number.is_finite() or number < 0:
            self.add(path, "negative_or_infinite", value=str(value)[:40])
            return None
        return Fraction(number)

    def weights(self, value, path: str, types: tuple[str, ...]) -> dict:
        if isinstance(value, dict):
            out = {}
            for key in value:
                if key not in types:
                    self.add(f"{path}.{key}", "unknown_enterprise_type", value=str(key))
            for kind in types:
                if kind not in value:
                    self.add(path, "weight_type_missing", type=kind)
                    out[kind] = Fraction(0)
                else:
                    out[kind] = self.decimal(value[kind], f"{path}.{kind}") or Fraction(0)
            return out
        if value is None:
            return dict.fromkeys(types, Fraction(1))
        number = self.decimal(value, path)
        return dict.fromkeys(types, number if number is not None else Fraction(0))


def parse_model(data) -> Model:
    """Validate ``data`` (a mapping as read from YAML/JSON) and return a ``Model``."""
    check = _Checker()
    root = check.mapping(data, "$")
    if root is None:
        raise ModelError(check.problems)
    known = {
        "id",
        "version",
        "name",
        "description",
        "source",
        "level_rule",
        "threshold",
        "scale",
        "enterprise_types",
        "levels",
        "elements",
        "requirements",
    }
    for key in sorted(set(root) - known, key=str):
        check.add(str(key), "unknown_key")
    model_id = check.ident(root.get("id"), "id") or ""
    version = root.get("version")
    if not isinstance(version, (str, int, float)) or not str(version).strip():
        check.add("version", "missing_version")
        version = ""
    version = str(version).strip()
    if len(version) > 40:
        check.add("version", "text_too_long", limit=40)
    name = check.text(root.get("name"), "name")
    description = check.text(root.get("description"), "description", required=False)
    source = check.text(root.get("source"), "source", required=False)
    level_rule = root.get("level_rule", "full_credit")
    if level_rule not in LEVEL_RULES:
        check.add("level_rule", "bad_choice", value=str(level_rule), choices=list(LEVEL_RULES))
    threshold = check.decimal(root.get("threshold", "0.8"), "threshold")
    if threshold is not None and not (0 < threshold <= 1):
        check.add("threshold", "out_of_range", low="0", high="1")
    scale = root.get("scale", "level")
    if scale not in SCALES:
        check.add("scale", "bad_choice", value=str(scale), choices=list(SCALES))
    raw_types = root.get("enterprise_types", list(ENTERPRISE_TYPES))
    types: tuple[str, ...] = ()
    if not isinstance(raw_types, list) or not raw_types:
        check.add("enterprise_types", "not_a_list")
        types = ENTERPRISE_TYPES
    else:
        for i, kind in enumerate(raw_types):
            if kind not in ENTERPRISE_TYPES:
                check.add(f"enterprise_types[{i}]", "unknown_enterprise_type", value=str(kind))
        types = tuple(k for k in ENTERPRISE_TYPES if k in raw_types) or ENTERPRISE_TYPES

    levels: list[Level] = []
    for i, raw in enumerate(check.listing(root.get("levels"), "levels", limit=MAX_LEVELS)):
        where = f"levels[{i}]"
        item = check.mapping(raw, where)
        if item is None:
            continue
        number = item.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number != i + 1:
            check.add(f"{where}.number", "level_sequence", expected=i + 1, value=str(number))
            number = i + 1
        levels.append(
            Level(
                number,
                check.text(item.get("name"), f"{where}.name"),
                check.text(item.get("description"), f"{where}.description", required=False),
            )
        )

    seen_ids: dict[str, str] = {}
    node_count = 0

    def claim(node_id: str | None, where: str) -> None:
        if node_id is None:
            return
        if node_id in seen_ids:
            check.add(where, "duplicate_id", value=node_id, first=seen_ids[node_id])
        else:
            seen_ids[node_id] = where

    elements: list[Element] = []
    for ei, raw_e in enumerate(check.listing(root.get("elements"), "elements", limit=MAX_NODES)):
        ewhere = f"elements[{ei}]"
        e = check.mapping(raw_e, ewhere)
        if e is None:
            continue
        eid = check.ident(e.get("id"), f"{ewhere}.id")
        claim(eid, f"{ewhere}.id")
        domains: list[Domain] = []
        for di, raw_d in enumerate(
            check.listing(e.get("domains"), f"{ewhere}.domains", limit=MAX_NODES)
        ):
            dwhere = f"{ewhere}.domains[{di}]"
            d = check.mapping(raw_d, dwhere)
            if d is None:
                continue
            did = check.ident(d.get("id"), f"{dwhere}.id")
            claim(did, f"{dwhere}.id")
            subs: list[Subdomain] = []
            for si, raw_s in enumerate(
                check.listing(d.get("subdomains"), f"{dwhere}.subdomains", limit=MAX_NODES)
            ):
                swhere = f"{dwhere}.subdomains[{si}]"
                s = check.mapping(raw_s, swhere)
                if s is None:
                    continue
                sid = check.ident(s.get("id"), f"{swhere}.id")
                claim(sid, f"{swhere}.id")
                tags = s.get("tags", [])
                if not isinstance(tags, list) or not all(
                    isinstance(t, str) and 0 < len(t) <= 40 for t in tags
                ):
                    check.add(f"{swhere}.tags", "bad_tags")
                    tags = []
                node_count += 1
                subs.append(
                    Subdomain(
                        sid or "",
                        check.text(s.get("name"), f"{swhere}.name"),
                        check.weights(s.get("weight"), f"{swhere}.weight", types),
                        tuple(tags),
                    )
                )
            node_count += 1
            domains.append(
                Domain(
                    did or "",
                    check.text(d.get("name"), f"{dwhere}.name"),
                    check.weights(d.get("weight"), f"{dwhere}.weight", types),
                    tuple(subs),
                )
            )
        node_count += 1
        elements.append(
            Element(
                eid or "",
                check.text(e.get("name"), f"{ewhere}.name"),
                check.weights(e.get("weight"), f"{ewhere}.weight", types),
                tuple(domains),
            )
        )
    if node_count > MAX_NODES:
        check.add("elements", "too_many", limit=MAX_NODES, count=node_count)

    path_of_subdomain = {
        s.id: (e, d, s) for e in elements for d in e.domains for s in d.subdomains if s.id
    }
    level_set = {level.number for level in levels}
    requirements: list[Requirement] = []
    req_ids: dict[str, str] = {}
    cells: dict[tuple[str, int], list[Requirement]] = {}
    for ri, raw_r in enumerate(
        check.listing(root.get("requirements"), "requirements", limit=MAX_REQUIREMENTS)
    ):
        rwhere = f"requirements[{ri}]"
        r = check.mapping(raw_r, rwhere)
        if r is None:
            continue
        rid = check.ident(r.get("id"), f"{rwhere}.id")
        if rid is not None:
            if rid in req_ids:
                check.add(f"{rwhere}.id", "duplicate_id", value=rid, first=req_ids[rid])
            elif rid in seen_ids:
                check.add(f"{rwhere}.id", "duplicate_id", value=rid, first=seen_ids[rid])
            else:
                req_ids[rid] = f"{rwhere}.id"
        sub = r.get("subdomain")
        if sub not in path_of_subdomain:
            check.add(f"{rwhere}.subdomain", "unknown_subdomain", value=str(sub))
        level = r.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or level not in level_set:
            check.add(f"{rwhere}.level", "unknown_level", value=str(level))
        allow_na = r.get("allow_na", False)
        if not isinstance(allow_na, bool):
            check.add(f"{rwhere}.allow_na", "not_a_boolean")
            allow_na = False
        req = Requirement(
            rid or "",
            str(sub),
            level if isinstance(level, int) else 0,
            check.text(r.get("text"), f"{rwhere}.text"),
            allow_na,
            check.text(r.get("next_step"), f"{rwhere}.next_step", required=False),
            check.text(r.get("evidence"), f"{rwhere}.evidence", required=False),
        )
        requirements.append(req)
        cells.setdefault((req.subdomain, req.level), []).append(req)

    for kind in types:
        for where, nodes in _sibling_groups(elements):
            if nodes and not any(node.weights[kind] > 0 for node in nodes):
                check.add(where, "all_weights_zero", type=kind)

    if check.problems:
        raise ModelError(check.problems)
    return Model(
        id=model_id,
        version=version,
        name=name,
        description=description,
        source=source,
        level_rule=level_rule,
        threshold=threshold,
        scale=scale,
        enterprise_types=types,
        levels=tuple(levels),
        elements=tuple(elements),
        requirements=tuple(requirements),
        requirement_by_id={r.id: r for r in requirements},
        path_of_subdomain=path_of_subdomain,
        cells=cells,
    )


def _sibling_groups(elements: list[Element]):
    yield "elements", elements
    for ei, e in enumerate(elements):
        yield f"elements[{ei}].domains", list(e.domains)
        for di, d in enumerate(e.domains):
            yield f"elements[{ei}].domains[{di}].subdomains", list(d.subdomains)
