"""``zhizao review assign|draw|aggregate --input FILE``: JSON in, JSON out, no database, no
Django (``zhizao`` dispatches here before Django starts, so the commands start fast).

Exit 0 on success; 1 on bad input or an infeasible problem, every problem on stderr (its JSON
path and what is wrong, Chinese by default, ``--language en`` for English); 2 when the file
cannot be read or is not JSON. Never a traceback. Decimals may be numbers or strings in the
input and are strings in the output. The formats are in docs/review.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .aggregate import METHODS, aggregate
from .assign import solve_assignment
from .draw import random_draw
from .model import (
    Application,
    AssignmentProblem,
    AssignmentResult,
    Collaboration,
    Criterion,
    Expert,
    InfeasibleAssignment,
    PanelRule,
    PastOrganisation,
    ReviewScore,
)
from .problems import InputError, Problem

__all__ = [
    "assign_output",
    "main",
    "parse_aggregate_input",
    "parse_assign_input",
]

PANEL_KINDS = ("at_least_attribute", "at_most_per_region")


class _Reader:
    """Collects every problem of a JSON document, by path."""

    def __init__(self):
        self.problems: list[Problem] = []

    def fail(self, path: str, code: str, **params) -> None:
        self.problems.append(Problem(path, code, params))

    def obj(self, value, path: str) -> dict | None:
        if not isinstance(value, dict):
            self.fail(path, "not_object")
            return None
        return value

    def lst(self, value, path: str, *, required: bool = True) -> list:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.fail(path, "required" if value is None else "not_list")
            return []
        return value

    def string(self, value, path: str, *, required: bool = True, default: str = "") -> str:
        if value is None and not required:
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(path, "required" if value is None else "not_string")
            return default
        return value.strip()

    def strings(self, value, path: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(path, "not_string_list")
            return ()
        return tuple(v.strip() for v in value)

    def integer(self, value, path: str, *, default=None, minimum: int = 0, nullable=False):
        if value is None:
            if nullable or default is not None:
                return default
            self.fail(path, "required")
            return default
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.fail(path, "int_min", min=minimum)
            return default
        if isinstance(value, Decimal):
            if value != value.to_integral_value():
                self.fail(path, "int_min", min=minimum)
                return default
            value = int(value)
        if value < minimum:
            self.fail(path, "int_min", min=minimum)
            return default
        return value

    def day(self, value, path: str) -> date | None:
        if value is None:
            self.fail(path, "required")
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.fail(path, "not_date")
            return None

    def decimal(self, value, path: str, *, places: int | None = None, default=None):
        if value is None:
            if default is not None:
                return default
            self.fail(path, "required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.fail(path, "not_decimal")
            return None
        try:
            number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
        except InvalidOperation:
            self.fail(path, "not_decimal")
            return None
        if not number.is_finite():
            self.fail(path, "not_decimal")
            return None
        if places is not None and number.as_tuple().exponent < -places:
            if number != number.quantize(Decimal(1).scaleb(-places), rounding="ROUND_DOWN"):
                self.fail(path, "decimal_places", places=places)
                return None
        return number

    def boolean(self, value, path: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(path, "not_bool")
            return default
        return value

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def parse_assign_input(data) -> AssignmentProblem:
    """The assignment input (docs/review.md) as a problem; ``InputError`` names every fault."""
    r = _Reader()
    root = r.obj(data, "$")
    r.raise_if_any()
    call_date = r.day(root.get("call_date"), "call_date")
    k = r.integer(
        root.get("reviewers_per_application"), "reviewers_per_application", default=3, minimum=1
    )
    m = r.integer(
        root.get("max_experts_per_organisation"),
        "max_experts_per_organisation",
        default=1,
        minimum=1,
    )
    years = r.integer(root.get("conflict_years"), "conflict_years", default=3, minimum=0)
    prefix = r.integer(
        root.get("same_region_prefix"), "same_region_prefix", minimum=1, nullable=True
    )
    max_named = r.integer(
        root.get("max_named_exclusions"), "max_named_exclusions", default=3, minimum=0
    )

    apps: list[Application] = []
    app_ids: set[str] = set()
    for i, item in enumerate(r.lst(root.get("applications"), "applications")):
        path = f"applications[{i}]"
        obj = r.obj(item, path)
        if obj is None:
            continue
        aid = r.string(obj.get("id"), f"{path}.id")
        if aid and aid in app_ids:
            r.fail(f"{path}.id", "duplicate_id", value=aid)
        app_ids.add(aid)
        named = r.strings(obj.get("named_exclusions"), f"{path}.named_exclusions")
        if len(dict.fromkeys(named)) > (max_named if max_named is not None else 3):
            r.fail(f"{path}.named_exclusions", "too_many_named", limit=max_named)
        apps.append(
            Application(
                id=aid,
                organisations=r.strings(obj.get("organisations"), f"{path}.organisations"),
                people=r.strings(obj.get("people"), f"{path}.people"),
                region=r.string(obj.get("region"), f"{path}.region", required=False),
                industry=r.string(obj.get("industry"), f"{path}.industry", required=False),
                category=r.string(obj.get("category"), f"{path}.category", required=False),
                named_exclusions=named,
            )
        )
    experts: list[Expert] = []
    exp_ids: set[str] = set()
    for i, item in enumerate(r.lst(root.get("experts"), "experts")):
        path = f"experts[{i}]"
        obj = r.obj(item, path)
        if obj is None:
            continue
        eid = r.string(obj.get("id"), f"{path}.id")
        if eid and eid in exp_ids:
            r.fail(f"{path}.id", "duplicate_id", value=eid)
        exp_ids.add(eid)
        past = []
        for j, p in enumerate(
            r.lst(obj.get("past_organisations"), f"{path}.past_organisations", required=False)
        ):
            ppath = f"{path}.past_organisations[{j}]"
            pobj = r.obj(p, ppath)
            if pobj is None:
                continue
            uscc = r.string(pobj.get("uscc"), f"{ppath}.uscc")
            until = r.day(pobj.get("until"), f"{ppath}.until")
            if uscc and until:
                past.append(PastOrganisation(uscc, until))
        collabs = []
        for j, p in enumerate(
            r.lst(obj.get("collaborations"), f"{path}.collaborations", required=False)
        ):
            cpath = f"{path}.collaborations[{j}]"
            cobj = r.obj(p, cpath)
            if cobj is None:
                continue
            org = r.string(cobj.get("organisation"), f"{cpath}.organisation")
            on = r.day(cobj.get("on"), f"{cpath}.on")
            kind = r.string(cobj.get("kind"), f"{cpath}.kind", required=False)
            if org and on:
                collabs.append(Collaboration(org, on, kind))
        lo = r.integer(obj.get("min_load"), f"{path}.min_load", default=0)
        hi = r.integer(obj.get("max_load"), f"{path}.max_load", nullable=True)
        if lo is not None and hi is not None and lo > hi:
            r.fail(f"{path}.min_load", "min_above_max", min=lo, max=hi)
        organisation = obj.get("organisation")
        experts.append(
            Expert(
                id=eid,
                organisation=""
                if organisation is None
                else r.string(organisation, f"{path}.organisation", required=False),
                past_organisations=tuple(past),
                relations=r.strings(obj.get("relations"), f"{path}.relations"),
                max_load=hi,
                min_load=lo or 0,
                region=r.string(obj.get("region"), f"{path}.region", required=False),
                attributes=frozenset(r.strings(obj.get("attributes"), f"{path}.attributes")),
                collaborations=tuple(collabs),
            )
        )
    affinity: dict[tuple[str, str], Decimal] = {}
    for i, item in enumerate(r.lst(root.get("affinity"), "affinity", required=False)):
        path = f"affinity[{i}]"
        obj = r.obj(item, path)
        if obj is None:
            continue
        pair = _pair(r, obj, path, app_ids, exp_ids)
        score = r.decimal(obj.get("score"), f"{path}.score", places=4)
        if score is not None and not (Decimal(0) <= score <= 1):
            r.fail(f"{path}.score", "affinity_range")
            score = None
        if pair and score is not None:
            if pair in affinity:
                r.fail(path, "duplicate_pair")
            affinity[pair] = score
    conflicts = _pairs(r, root.get("conflicts"), "conflicts", app_ids, exp_ids)
    fixed = _pairs(r, root.get("fixed"), "fixed", app_ids, exp_ids)
    rules = []
    for i, item in enumerate(r.lst(root.get("panel_rules"), "panel_rules", required=False)):
        path = f"panel_rules[{i}]"
        obj = r.obj(item, path)
        if obj is None:
            continue
        kind = obj.get("kind")
        if kind not in PANEL_KINDS:
            r.fail(f"{path}.kind", "unknown_rule_kind", value=kind, choices=", ".join(PANEL_KINDS))
            continue
        count = r.integer(obj.get("count"), f"{path}.count", default=1, minimum=0)
        if kind == "at_least_attribute":
            rules.append(
                PanelRule(
                    kind, attribute=r.string(obj.get("attribute"), f"{path}.attribute"), count=count
                )
            )
        else:
            plen = r.integer(obj.get("prefix_len"), f"{path}.prefix_len", minimum=1)
            rules.append(PanelRule(kind, prefix_len=plen or 0, count=count))
    r.raise_if_any()
    return AssignmentProblem(
        call_date=call_date,
        applications=apps,
        experts=experts,
        reviewers_per_application=k,
        max_experts_per_organisation=m,
        conflict_years=years,
        affinity=affinity,
        conflicts=frozenset(conflicts),
        same_region_prefix=prefix,
        max_named_exclusions=max_named,
        panel_rules=tuple(rules),
        fixed=frozenset(fixed),
    )


def _pair(r: _Reader, obj: dict, path: str, app_ids, exp_ids):
    a = r.string(obj.get("application"), f"{path}.application")
    e = r.string(obj.get("expert"), f"{path}.expert")
    ok = True
    if a and a not in app_ids:
        r.fail(f"{path}.application", "unknown_application", value=a)
        ok = False
    if e and e not in exp_ids:
        r.fail(f"{path}.expert", "unknown_expert", value=e)
        ok = False
    return (a, e) if ok and a and e else None


def _pairs(r: _Reader, value, name: str, app_ids, exp_ids) -> set[tuple[str, str]]:
    out = set()
    for i, item in enumerate(r.lst(value, name, required=False)):
        obj = r.obj(item, f"{name}[{i}]")
        if obj is not None:
            pair = _pair(r, obj, f"{name}[{i}]", app_ids, exp_ids)
            if pair:
                out.add(pair)
    return out


def assign_output(result: AssignmentResult, problem: AssignmentProblem) -> dict:
    out = {
        "total_affinity": str(result.total_affinity),
        "assignments": [
            {"application": a.id, "experts": list(result.assignments[a.id])}
            for a in problem.applications
        ],
        "loads": {e.id: result.loads[e.id] for e in problem.experts if result.loads.get(e.id)},
        "conflicts_avoided": [x.as_json() for x in result.exclusions],
    }
    if result.method.startswith("draw"):
        out["method"] = result.method
        out["seed"] = result.seed
        out["cap"] = str(result.cap)
        out["probabilities"] = [
            {"application": a, "expert": e, "probability": str(p)}
            for (a, e), p in result.probabilities.items()
        ]
    return out


def parse_aggregate_input(data):
    """(criteria, scores, method, trim, divergence) of the aggregation input."""
    r = _Reader()
    root = r.obj(data, "$")
    r.raise_if_any()
    criteria = []
    for i, item in enumerate(r.lst(root.get("criteria"), "criteria")):
        path = f"criteria[{i}]"
        obj = r.obj(item, path)
        if obj is None:
            continue
        cid = r.string(obj.get("id"), f"{path}.id")
        weight = r.decimal(obj.get("weight"), f"{path}.weight")
        top = r.decimal(obj.get("max"), f"{path}.max")
        ranked = r.boolean(obj.get("ranked"), f"{path}.ranked", True)
        if cid and weight is not None and top is not None:
            criteria.append(Criterion(cid, weight, top, ranked))
    method = root.get("method", "mean")
    if not isinstance(method, str):
        r.fail("method", "unknown_method", value=method, choices=", ".join(METHODS))
        method = "mean"
    trim = r.integer(root.get("trim"), "trim", default=1, minimum=0)
    divergence = r.decimal(root.get("divergence"), "divergence", default=Decimal(20))
    scores = []
    for i, item in enumerate(r.lst(root.get("scores"), "scores")):
        path = f"scores[{i}]"
        obj = r.obj(item, path)
        if obj is None:
            continue
        a = r.string(obj.get("application"), f"{path}.application")
        e = r.string(obj.get("expert"), f"{path}.expert")
        values = r.obj(obj.get("criteria"), f"{path}.criteria")
        parsed = {}
        for cid, v in (values or {}).items():
            d = r.decimal(v, f"{path}.criteria.{cid}")
            if d is not None:
                parsed[cid] = d
        if a and e and values is not None:
            scores.append(ReviewScore(a, e, parsed))
    r.raise_if_any()
    return criteria, scores, method, trim, divergence


def _read(path: str, lang: str):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc)
        return None, Problem(path, "file_unreadable", {"detail": detail})
    try:
        return json.loads(text, parse_float=Decimal, parse_int=int), None
    except json.JSONDecodeError as exc:
        return None, Problem(path, "not_json", {"detail": f"{exc.msg} ({exc.lineno}:{exc.colno})"})


def _emit(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _fail(lines: list[str], status: int) -> int:
    for line in lines:
        sys.stderr.write(line + "\n")
    return status


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="zhizao review")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("assign", "draw", "aggregate"):
        p = sub.add_parser(name)
        p.add_argument("--input", required=True)
        p.add_argument("--language", "--lang", default="zh-hans", dest="language")
        if name == "draw":
            p.add_argument("--seed", type=int, required=True)
            p.add_argument("--cap", required=True)
        if name == "aggregate":
            p.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    lang = "en" if args.language.startswith("en") else "zh"
    data, problem = _read(args.input, lang)
    if problem is not None:
        return _fail([problem.text(lang)], 2)
    try:
        if args.command == "aggregate":
            criteria, scores, method, trim, divergence = parse_aggregate_input(data)
            results = aggregate(criteria, scores, method=method, trim=trim, divergence=divergence)
            out = []
            for res in results:
                item = res.as_json()
                if args.explain:
                    item |= {
                        "raw_mean": str(res.raw_mean),
                        "spread": str(res.spread),
                        "dropped": [{"expert": e, "total": str(t)} for e, t in res.dropped],
                        "offsets": {e: str(o) for e, o in res.offsets.items()},
                        "explanation": res.explanation_en if lang == "en" else res.explanation,
                    }
                out.append(item)
            _emit({"results": out})
            return 0
        assignment = parse_assign_input(data)
        if args.command == "draw":
            cap_reader = _Reader()
            cap = cap_reader.decimal(args.cap, "--cap", places=4)
            if cap is not None and not (Decimal(0) < cap <= 1):
                cap_reader.fail("--cap", "cap_range")
            cap_reader.raise_if_any()
            result = random_draw(assignment, seed=args.seed, cap=cap)
        else:
            result = solve_assignment(assignment)
        _emit(assign_output(result, assignment))
        return 0
    except InputError as exc:
        return _fail([p.text(lang) for p in exc.problems], 1)
    except InfeasibleAssignment as exc:
        return _fail(exc.problems_en if lang == "en" else exc.problems, 1)
