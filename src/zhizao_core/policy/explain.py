"""The explainer: one enterprise (and each of its projects) against policy items, with the
whole reasoning as a list of steps a factory manager can read.

Three-valued logic (Kleene): a condition on an unknown fact is *unknown*, ``all`` is false if
any part is false, else unknown if any part is unknown; the result is then "possibly, if …" with
the missing facts named. Amounts are exact fractions of fen until each year's amount is final,
then rounded half-up to the fen. The bulk screener (``screen.py``) computes the same numbers
over arrays; property tests hold the two together.

Order of work for an item and an enterprise:
1. the version in force on ``as_of`` (the highest version number whose validity covers it);
2. the subjects: the enterprise, or each of its projects (ordered by start date, then id);
3. conditions; 4. the amount, as contributions per year (the loan-year for interest and loan
   shares, the project's start year otherwise, the ``as_of`` year when that is unknown);
5. per-project caps (per year, then in total, earliest years first); rounding per year;
6. per-enterprise caps across the projects in order, only eligible subjects using them up
   (the per-enterprise total also counts what was already received under the item);
7. stacking groups across items (take the higher / mutually exclusive / pay the difference /
   total ≤ investment); 8. staged payments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from .facts import Enterprise, Project
from .money import fen_display, fen_str, half_up, percent_text
from .phrases import CAPS, FACT_LABELS, LEVELS, OPS, RESULT, pick, word
from .rules import (
    FACT_KEYS,
    FACTS,
    All,
    AnyOf,
    Choose,
    Cmp,
    Fixed,
    HasTitle,
    Interest,
    LoanPercent,
    Min,
    Not,
    Percent,
    Rule,
    Sum,
    Tiers,
    TitleTable,
    decimal_text,
    industry_matches,
)


@dataclass
class Outcome:
    item: str
    version: int | None
    enterprise: str
    project: str | None
    eligible: bool | None
    amount_fen: int | None
    binding_cap: dict | None = None
    missing: list[str] = field(default_factory=list)
    explanation: list[dict] = field(default_factory=list)
    stages: list[dict] = field(default_factory=list)
    years: dict = field(default_factory=dict)  # year → fen (final, before stacking)
    group: str | None = None

    @property
    def eligible_code(self) -> str:
        return {True: "yes", False: "no", None: "unknown"}[self.eligible]

    def as_json(self) -> dict:
        return {
            "item": self.item,
            "version": self.version,
            "enterprise": self.enterprise,
            "project": self.project,
            "eligible": "unknown" if self.eligible is None else self.eligible,
            "amount_yuan": None if self.amount_fen is None else fen_str(self.amount_fen),
            "binding_cap": self.binding_cap,
            "missing": list(self.missing),
            "stages": list(self.stages),
            "explanation": list(self.explanation),
        }


def version_in_force(versions: list[Rule], as_of: date) -> Rule | None:
    candidates = [rule for rule in versions if rule.in_force(as_of)]
    return max(candidates, key=lambda r: r.version) if candidates else None


def project_order(projects) -> list[Project]:
    return sorted(projects, key=lambda p: (p.start_date is None, p.start_date or date.min, p.id))


class _Subject:
    """The facts one evaluation reads, with where each came from."""

    def __init__(self, enterprise: Enterprise, project: Project | None, index: int | None, lang):
        self.enterprise = enterprise
        self.project = project
        self.index = index
        self.lang = lang

    def source(self, fact: str) -> str:
        owner = self.project if fact.startswith("project.") else self.enterprise
        found = owner.sources.get(fact) if owner is not None else None
        if found:
            return found
        key = FACT_KEYS.get(fact, fact)
        if key.startswith("project.") and self.project is not None:
            return key.replace("project.", f"projects[{self.project.id}].", 1)
        return key

    def value(self, fact: str):
        """(value, missing fact keys). Money in fen, ratios as Fraction."""
        e, p = self.enterprise, self.project
        simple = {
            "enterprise.region": lambda: e.region,
            "enterprise.industry": lambda: e.industry,
            "enterprise.maturity_level": lambda: e.maturity_level,
            "enterprise.revenue": lambda: e.revenue_fen,
            "enterprise.employees": lambda: e.employees,
            "project.kind": lambda: p.kind,
            "project.start_date": lambda: p.start_date,
            "project.region": lambda: p.region,
            "project.equipment": lambda: p.equipment_fen,
            "project.intelligent_equipment": lambda: p.intelligent_equipment_fen,
            "project.software": lambda: p.software_fen,
            "project.services": lambda: p.services_fen,
            "project.other": lambda: p.other_fen,
        }
        if fact in simple:
            value = simple[fact]()
            return value, ([] if value is not None else [FACT_KEYS[fact]])
        if fact == "project.total_investment":
            parts = ("project.equipment", "project.software", "project.services", "project.other")
            missing = [FACT_KEYS[f] for f in parts if simple[f]() is None]
            return (None, missing) if missing else (p.total_fen, [])
        if fact == "project.loan_amount":
            if p.loans is None:
                return None, ["project.loans"]
            missing = [
                f"project.loans[{i}].amount_yuan"
                for i, loan in enumerate(p.loans)
                if loan.amount_fen is None
            ]
            return (None, missing) if missing else (sum(loan.amount_fen for loan in p.loans), [])
        if fact == "project.intelligent_equipment_share":
            ie, eq = p.intelligent_equipment_fen, p.equipment_fen
            missing = [
                FACT_KEYS[f]
                for f, v in (("project.intelligent_equipment", ie), ("project.equipment", eq))
                if v is None
            ]
            if missing:
                return None, missing
            return (Fraction(ie, eq) if eq else Fraction(0)), []
        raise KeyError(fact)

    def year(self, as_of: date) -> int:
        if self.project is not None and self.project.start_date is not None:
            return self.project.start_date.year
        return as_of.year


def show(fact_kind: str, value, lang: str) -> str:
    if value is None:
        return word("unknown", lang)
    if fact_kind == "money":
        return f"{fen_display(half_up(Fraction(value)))}{word('yuan', lang)}"
    if fact_kind == "ratio":
        return percent_text(Fraction(value))
    if isinstance(value, Fraction):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# Names of codes (places, industries, project kinds) for the explanation: ``names(fact,
# code)`` returns the name, or None to show the code. The caller passes it (the Django side
# reads the reference tables and vocabularies); without it the explanation shows codes, as the
# rule file does.
CodeNames = Callable[[str, str], str | None]


def _show_named(fact: str, value, lang: str, names: CodeNames | None) -> str:
    if names is not None and isinstance(value, str) and value:
        return names(fact, value) or value
    return show(FACTS[fact], value, lang)


def _named(fact: str) -> bool:
    """The fact's values are codes that have names (``CodeNames``)."""
    return FACTS.get(fact) in ("code", "industry") or fact == "project.kind"


def _show_operand(fact: str, op: str, value, lang: str, names: CodeNames | None = None) -> str:
    if isinstance(value, tuple):
        joiner = " – " if op == "between" else "、"
        return joiner.join(_show_named(fact, v, lang, names) for v in value)
    return _show_named(fact, value, lang, names)


def _compare(kind: str, op: str, value, operand) -> bool:
    if op == "eq":
        return value == operand
    if op == "ne":
        return value != operand
    if op == "gt":
        return value > operand
    if op == "ge":
        return value >= operand
    if op == "lt":
        return value < operand
    if op == "le":
        return value <= operand
    if op == "between":
        return operand[0] <= value <= operand[1]
    if op == "in":
        return value in operand
    if op == "not_in":
        return value not in operand
    if kind == "industry":
        hit = any(industry_matches(value, prefix) for prefix in operand)
    else:
        hit = any(str(value).startswith(prefix) for prefix in operand)
    return hit if op == "prefix" else not hit


def title_holds(enterprise: Enterprise, titles, levels, as_of: date) -> bool | None:
    """Does the enterprise hold one of ``titles`` (at one of ``levels``) on ``as_of``?
    Unknown when the titles are unknown, or a matching title's level is unknown."""
    if enterprise.titles is None:
        return None
    unsure = False
    for held in enterprise.titles:
        if held.title not in titles or (held.since is not None and held.since > as_of):
            continue
        if levels is None or held.level in levels:
            return True
        if held.level is None:
            unsure = True
    return None if unsure else False


class _Explainer:
    def __init__(self, rule: Rule, as_of: date, lang: str, names: CodeNames | None = None):
        self.rule = rule
        self.as_of = as_of
        self.lang = lang
        self.names = names
        self.params_used: dict[str, None] = {}

    # conditions ----------------------------------------------------------------------------
    def condition(self, node, subject: _Subject, steps: list, missing: list, depth: int):
        lang = self.lang
        if isinstance(node, All | AnyOf):
            here = {
                "step": "group",
                "op": "all" if isinstance(node, All) else "any",
                "depth": depth,
            }
            steps.append(here)
            results = [self.condition(c, subject, steps, missing, depth + 1) for c in node.items]
            if isinstance(node, All):
                result = False if False in results else (None if None in results else True)
            else:
                result = True if True in results else (None if None in results else False)
            here["result"] = result
            here["text"] = (
                f"{word(here['op'], lang)}{word('colon', lang)}{pick(RESULT[result], lang)}"
            )
            return result
        if isinstance(node, Not):
            here = {"step": "group", "op": "not", "depth": depth}
            steps.append(here)
            inner = self.condition(node.item, subject, steps, missing, depth + 1)
            result = None if inner is None else not inner
            here["result"] = result
            here["text"] = f"{word('not', lang)}{word('colon', lang)}{pick(RESULT[result], lang)}"
            return result
        if isinstance(node, HasTitle):
            result = title_holds(subject.enterprise, node.titles, node.levels, self.as_of)
            if result is None:
                missing.append("enterprise.titles")
            held = subject.enterprise.titles
            levels = "/".join(pick(LEVELS[lv], lang) for lv in node.levels) if node.levels else ""
            want = "、".join(node.titles)
            if held is None:
                have = word("unknown", lang)
            elif held:
                have = "、".join(
                    f"{pick(LEVELS[t.level], lang) if t.level else ''}{t.title}" for t in held
                )
            else:
                have = word("titles_none", lang)
            label = pick(FACT_LABELS["enterprise.titles"], lang)
            steps.append(
                {
                    "step": "condition",
                    "depth": depth,
                    "fact": "enterprise.titles",
                    "result": result,
                    "value": have,
                    "source": subject.source("enterprise.titles"),
                    "text": f"{label}{word('colon', lang)}{levels}{want}{word('question', lang)}{have} → {pick(RESULT[result], lang)}",
                }
            )
            return result
        assert isinstance(node, Cmp)
        if node.param:
            self.params_used[node.param] = None
        value, lacking = subject.value(node.fact)
        kind = FACTS[node.fact]
        if value is None:
            result = None
            missing.extend(lacking)
        else:
            result = _compare(kind, node.op, value, node.value)
        label = pick(FACT_LABELS[node.fact], lang)
        operand = _show_operand(node.fact, node.op, node.value, lang, self.names)
        shown = _show_named(node.fact, value, lang, self.names)
        step = {
            "step": "condition",
            "depth": depth,
            "fact": node.fact,
            "op": node.op,
            "result": result,
            "value": shown,
            "source": subject.source(node.fact),
            "text": f"{label} {shown} {pick(OPS[node.op], lang)} {operand} → {pick(RESULT[result], lang)}",
        }
        if _named(node.fact):
            # A code (a place, an industry, a project kind): ``value`` and ``operand`` keep the
            # codes, ``value_label`` and ``operand_label`` name them (the text uses the names).
            codes = list(node.value) if isinstance(node.value, tuple) else [node.value]
            step["value"] = _show_named(node.fact, value, lang, None)
            step["value_label"] = shown if value is not None else None
            step["operand"] = [str(c) for c in codes]
            step["operand_label"] = [_show_named(node.fact, c, lang, self.names) for c in codes]
        steps.append(step)
        return result

    # amounts -------------------------------------------------------------------------------
    def number(self, number) -> Fraction:
        if number.param:
            self.params_used[number.param] = None
        return number.value

    def amount(self, node, subject: _Subject, steps: list, missing: list) -> dict | None:
        """Contributions {year: exact fen} or None when unknown."""
        lang = self.lang
        year = subject.year(self.as_of)
        if isinstance(node, Fixed):
            fen = self.number(node.yuan) * 100
            steps.append(
                {"step": "amount", "text": word("fixed", lang, amount=fen_display(half_up(fen)))}
            )
            return {year: fen}
        if isinstance(node, Percent):
            rate = self.number(node.rate)
            total = Fraction(0)
            lacking = []
            for base in node.bases:
                value, miss = subject.value(base)
                lacking += miss
                if value is not None:
                    total += value
            base_label = " + ".join(pick(FACT_LABELS[b], lang) for b in node.bases)
            if lacking:
                missing.extend(lacking)
                steps.append(
                    {
                        "step": "amount",
                        "text": word(
                            "percent_unknown", lang, rate=percent_text(rate), base=base_label
                        ),
                    }
                )
                return None
            fen = total * rate
            steps.append(
                {
                    "step": "amount",
                    "source": ", ".join(subject.source(b) for b in node.bases),
                    "text": word(
                        "percent",
                        lang,
                        rate=percent_text(rate),
                        base=base_label,
                        value=fen_display(half_up(total)),
                        amount=fen_display(half_up(fen)),
                    ),
                }
            )
            return {year: fen}
        if isinstance(node, Sum | Min):
            parts = [self.amount(child, subject, steps, missing) for child in node.items]
            if any(part is None for part in parts):
                return None
            if isinstance(node, Sum):
                out: dict = defaultdict(Fraction)
                for part in parts:
                    for y, fen in part.items():
                        out[y] += fen
                out = dict(out)
                steps.append(
                    {
                        "step": "amount",
                        "text": word(
                            "sum", lang, amount=fen_display(half_up(sum(out.values(), Fraction(0))))
                        ),
                    }
                )
                return out
            best = min(sum(part.values(), Fraction(0)) for part in parts)
            steps.append(
                {"step": "amount", "text": word("min", lang, amount=fen_display(half_up(best)))}
            )
            return {year: best}
        if isinstance(node, Tiers):
            value, lacking = subject.value(node.fact)
            label = pick(FACT_LABELS[node.fact], lang)
            if value is None:
                missing.extend(lacking)
                return None
            chosen = None
            for band in node.bands:
                if (value > band.at_least) if band.strict else (value >= band.at_least):
                    chosen = band
            shown = show(FACTS[node.fact], value, lang)
            if chosen is None:
                steps.append(
                    {"step": "amount", "text": word("tier_none", lang, label=label, value=shown)}
                )
                return {year: Fraction(0)}
            bound = show(FACTS[node.fact], chosen.at_least, lang)
            band_text = f"{'>' if chosen.strict else '≥'} {bound}"
            steps.append(
                {
                    "step": "amount",
                    "source": subject.source(node.fact),
                    "text": word("tier", lang, label=label, value=shown, band=band_text),
                }
            )
            return self.amount(chosen.amount, subject, steps, missing)
        if isinstance(node, TitleTable):
            enterprise = subject.enterprise
            if enterprise.titles is None:
                missing.append("enterprise.titles")
                return None
            best = None
            unsure = False
            for row in node.rows:
                holds = title_holds(enterprise, (row.title,), row.levels, self.as_of)
                if holds is None:
                    unsure = True
                if holds:
                    fen = self.number(row.yuan) * 100
                    level = (
                        "/".join(pick(LEVELS[lv], lang) for lv in row.levels) if row.levels else ""
                    )
                    steps.append(
                        {
                            "step": "amount",
                            "source": subject.source("enterprise.titles"),
                            "text": word(
                                "title_row",
                                lang,
                                level=level,
                                title=row.title,
                                amount=fen_display(half_up(fen)),
                            ),
                        }
                    )
                    best = fen if best is None else max(best, fen)
            if unsure and best is None:
                missing.append("enterprise.titles")
                return None
            if best is None:
                steps.append({"step": "amount", "text": word("title_none", lang)})
                return {year: Fraction(0)}
            steps.append(
                {
                    "step": "amount",
                    "text": word("title_pick", lang, amount=fen_display(half_up(best))),
                }
            )
            return {year: best}
        if isinstance(node, Interest | LoanPercent):
            return self.loans(node, subject, steps, missing)
        if isinstance(node, Choose):
            for n, choice in enumerate(node.choices, start=1):
                lacking: list = []
                held = self.condition(choice.when, subject, steps, lacking, 1)
                if held is None:
                    missing.extend(lacking)
                    return None
                if held:
                    steps.append({"step": "amount", "text": word("choose", lang, n=n)})
                    return self.amount(choice.amount, subject, steps, missing)
            if node.otherwise is None:
                steps.append({"step": "amount", "text": word("choose_none", lang)})
                return {year: Fraction(0)}
            return self.amount(node.otherwise, subject, steps, missing)
        raise TypeError(node)

    def loans(self, node, subject: _Subject, steps: list, missing: list) -> dict | None:
        lang = self.lang
        project = subject.project
        if project.loans is None:
            missing.append("project.loans")
            return None
        if not project.loans:
            steps.append({"step": "amount", "text": word("no_loans", lang)})
            return {}
        out: dict = defaultdict(Fraction)
        unknown = False
        rate_param = self.number(node.points if isinstance(node, Interest) else node.rate)
        for i, loan in enumerate(project.loans):
            n = i + 1
            lacking = [
                f"project.loans[{i}].{key}"
                for key, value in (
                    ("amount_yuan", loan.amount_fen),
                    ("start_date", loan.start_date),
                    ("end_date", loan.end_date if isinstance(node, Interest) else True),
                    (
                        "annual_rate",
                        loan.annual_rate
                        if isinstance(node, Interest) and node.not_above_rate
                        else True,
                    ),
                )
                if value is None
            ]
            if lacking:
                missing.extend(lacking)
                steps.append({"step": "amount", "text": word("loan_unknown", lang, n=n)})
                unknown = True
                continue
            amount_text = fen_display(loan.amount_fen)
            if isinstance(node, LoanPercent):
                fen = loan.amount_fen * rate_param
                out[loan.start_date.year] += fen
                steps.append(
                    {
                        "step": "amount",
                        "text": word(
                            "loan_percent",
                            lang,
                            n=n,
                            amount=amount_text,
                            rate=percent_text(rate_param),
                            year=loan.start_date.year,
                            value=fen_display(half_up(fen)),
                        ),
                    }
                )
                continue
            points = rate_param
            if node.not_above_rate and loan.annual_rate < points:
                points = loan.annual_rate
                steps.append(
                    {
                        "step": "amount",
                        "text": word("interest_rate_bound", lang, rate=percent_text(points)),
                    }
                )
            for year, days, whole in loan_years(loan.start_date, loan.end_date):
                factor = Fraction(1) if whole else Fraction(days, 365)
                fen = loan.amount_fen * points * factor
                out[year] += fen
                key = "interest_full_year" if whole else "interest_year"
                steps.append(
                    {
                        "step": "amount",
                        "text": word(
                            key,
                            lang,
                            n=n,
                            amount=amount_text,
                            points=percent_text(points),
                            days=days,
                            year=year,
                            value=fen_display(half_up(fen)),
                        ),
                    }
                )
        return None if unknown else dict(out)


def loan_years(start: date, end: date):
    """(year, days, whole year?) for each calendar year a loan runs, both end dates counted."""
    for year in range(start.year, end.year + 1):
        first = max(start, date(year, 1, 1))
        last = min(end, date(year, 12, 31))
        whole = first == date(year, 1, 1) and last == date(year, 12, 31)
        days = (last - first).days + 1
        yield year, days, whole


def _cap_years(years: dict, cap_fen: int) -> tuple[dict, bool]:
    """Apply a total cap to per-year amounts, earliest years first."""
    total = sum(years.values(), Fraction(0))
    if total <= cap_fen:
        return years, False
    left = Fraction(cap_fen)
    out = {}
    for year in sorted(years):
        take = min(years[year], left)
        out[year] = take
        left -= take
    return out, True


def _cap_info(cap, fen: int) -> dict:
    return {"per": cap.per, "yuan": fen_str(fen)}


def evaluate_rule(
    rule: Rule,
    enterprise: Enterprise,
    as_of: date,
    *,
    lang: str = "zh",
    names: CodeNames | None = None,
) -> list[Outcome]:
    """One item version against one enterprise: an outcome per subject, before stacking."""
    explainer = _Explainer(rule, as_of, lang, names)
    head = {
        "step": "version",
        "text": word(
            "version",
            lang,
            version=rule.version,
            valid_from=rule.valid_from.isoformat(),
            valid_to=word("version_to", lang, date=rule.valid_to.isoformat())
            if rule.valid_to
            else "",
            reference=rule.reference or "—",
        ),
    }
    if rule.subject == "project":
        if enterprise.projects is None:
            return [
                Outcome(
                    rule.key,
                    rule.version,
                    enterprise.uscc,
                    None,
                    None,
                    None,
                    missing=["enterprise.projects"],
                    explanation=[head, {"step": "result", "text": word("projects_unknown", lang)}],
                    group=rule.stacking.group if rule.stacking else None,
                )
            ]
        if not enterprise.projects:
            return [
                Outcome(
                    rule.key,
                    rule.version,
                    enterprise.uscc,
                    None,
                    False,
                    0,
                    explanation=[head, {"step": "result", "text": word("no_projects", lang)}],
                    group=rule.stacking.group if rule.stacking else None,
                )
            ]
        subjects = [
            _Subject(enterprise, project, i, lang)
            for i, project in enumerate(project_order(enterprise.projects))
        ]
    else:
        subjects = [_Subject(enterprise, None, None, lang)]

    outcomes = []
    for subject in subjects:
        steps: list = [dict(head)]
        missing: list = []
        cond = True
        if rule.conditions is not None:
            cond = explainer.condition(rule.conditions, subject, steps, missing, 0)
        amount_missing: list = []
        years = None
        if cond is not False:
            years = explainer.amount(rule.amount, subject, steps, amount_missing)
        binding = None
        if years is not None:
            for cap in rule.caps:
                cap_fen = half_up(cap.yuan.value * 100)
                if cap.when is not None:
                    lacking: list = []
                    applies = explainer.condition(cap.when, subject, steps, lacking, 1)
                    if applies is None:
                        amount_missing.extend(lacking)
                        years = None
                        break
                    if not applies:
                        steps.append(
                            {
                                "step": "cap",
                                "per": cap.per,
                                "bound": False,
                                "text": word(
                                    "cap_skipped",
                                    lang,
                                    cap=pick(CAPS[cap.per], lang),
                                    cap_amount=fen_display(cap_fen),
                                ),
                            }
                        )
                        continue
                explainer.number(cap.yuan)
                if cap.per == "project_year" or (
                    cap.per == "enterprise_year" and rule.subject == "enterprise"
                ):
                    for year in sorted(years):
                        bound = years[year] > cap_fen
                        outcome_text = (
                            word(
                                "cap_bound",
                                lang,
                                before=fen_display(half_up(years[year])),
                                after=fen_display(cap_fen),
                            )
                            if bound
                            else word("cap_free", lang)
                        )
                        steps.append(
                            {
                                "step": "cap",
                                "per": cap.per,
                                "year": year,
                                "bound": bound,
                                "text": word(
                                    "cap_year",
                                    lang,
                                    year=year,
                                    cap=pick(CAPS[cap.per], lang),
                                    cap_amount=fen_display(cap_fen),
                                    outcome=outcome_text,
                                ),
                            }
                        )
                        if bound:
                            years[year] = Fraction(cap_fen)
                            binding = _cap_info(cap, cap_fen)
                elif cap.per == "project" or (
                    cap.per == "enterprise" and rule.subject == "enterprise"
                ):
                    before = sum(years.values(), Fraction(0))
                    years, bound = _cap_years(years, cap_fen)
                    outcome_text = (
                        word(
                            "cap_bound",
                            lang,
                            before=fen_display(half_up(before)),
                            after=fen_display(cap_fen),
                        )
                        if bound
                        else word("cap_free", lang)
                    )
                    steps.append(
                        {
                            "step": "cap",
                            "per": cap.per,
                            "bound": bound,
                            "text": word(
                                "cap",
                                lang,
                                cap=pick(CAPS[cap.per], lang),
                                cap_amount=fen_display(cap_fen),
                                outcome=outcome_text,
                            ),
                        }
                    )
                    if bound:
                        binding = _cap_info(cap, cap_fen)
        if years is not None:
            years = {year: half_up(fen) for year, fen in years.items()}
        else:
            binding = None
        if cond is False:
            eligible, amount, missing_out = False, 0, []
        elif cond is None:
            eligible = None
            amount = None if years is None else sum(years.values())
            missing_out = missing + amount_missing
        elif years is None:
            eligible, amount, missing_out = None, None, amount_missing
        else:
            eligible, amount, missing_out = True, sum(years.values()), []
        outcomes.append(
            Outcome(
                rule.key,
                rule.version,
                enterprise.uscc,
                subject.project.id if subject.project else None,
                eligible,
                amount,
                binding_cap=binding,
                missing=list(dict.fromkeys(missing_out)),
                explanation=steps,
                years=years if years is not None and eligible is not False else {},
                group=rule.stacking.group if rule.stacking else None,
            )
        )
    _enterprise_caps(rule, enterprise, outcomes, lang)
    # the parameters this version used, with the date each applies from
    param_steps = []
    for name in explainer.params_used:
        param = rule.params[name]
        param_steps.append(
            {
                "step": "parameter",
                "name": name,
                "value": decimal_text(param.value),
                "since": param.since.isoformat() if param.since else None,
                "text": word(
                    "param",
                    lang,
                    label=pick((param.label["zh"], param.label["en"]), lang),
                    value=decimal_text(param.value),
                    since=param.since.isoformat() if param.since else "—",
                    reference=word("param_ref", lang, reference=param.reference)
                    if param.reference
                    else "",
                ),
            }
        )
    for outcome in outcomes:
        if outcome.explanation and outcome.explanation[0]["step"] == "version":
            outcome.explanation[1:1] = [dict(step) for step in param_steps]
    return outcomes


def _enterprise_caps(rule: Rule, enterprise: Enterprise, outcomes: list[Outcome], lang: str):
    """Per-enterprise caps of a per-project item: projects in order; eligible ones use the cap
    up, possible ones see what is left without using it."""
    if rule.subject != "project":
        return
    for cap in rule.caps:
        if cap.per not in ("enterprise", "enterprise_year"):
            continue
        cap_fen = half_up(cap.yuan.value * 100)
        used: dict = defaultdict(int)
        if cap.per == "enterprise":
            used[None] = enterprise.received.get(rule.key, 0)
        for outcome in outcomes:
            if outcome.eligible is False or outcome.amount_fen is None:
                continue
            for year in sorted(outcome.years):
                slot = year if cap.per == "enterprise_year" else None
                room = max(0, cap_fen - used[slot])
                before = outcome.years[year]
                after = min(before, room)
                bound = after < before
                text_key = "cap_used"
                outcome.explanation.append(
                    {
                        "step": "cap",
                        "per": cap.per,
                        "year": year if slot is not None else None,
                        "bound": bound,
                        "text": (f"{year} " if slot is not None else "")
                        + word(
                            text_key,
                            lang,
                            cap=pick(CAPS[cap.per], lang),
                            cap_amount=fen_display(cap_fen),
                            used=fen_display(used[slot]),
                            outcome=word(
                                "cap_bound",
                                lang,
                                before=fen_display(before),
                                after=fen_display(after),
                            )
                            if bound
                            else word("cap_free", lang),
                        ),
                    }
                )
                if bound:
                    outcome.years[year] = after
                    outcome.binding_cap = _cap_info(cap, cap_fen)
                if outcome.eligible is True:
                    used[slot] += after
            outcome.amount_fen = sum(outcome.years.values())


def apply_stacking(
    rules: dict[str, Rule], outcomes: list[Outcome], enterprise: Enterprise, lang: str
):
    """Stacking groups across the items of one enterprise (outcomes of every item of the
    group for this enterprise)."""
    by_group: dict = defaultdict(list)
    for outcome in outcomes:
        rule = rules.get(outcome.item)
        if rule is not None and rule.stacking is not None and outcome.version is not None:
            by_group[rule.stacking.group].append(outcome)
    for group, members in by_group.items():
        mode = rules[members[0].item].stacking.mode
        if mode in ("highest", "exclusive"):
            by_subject: dict = defaultdict(list)
            for outcome in members:
                by_subject[outcome.project].append(outcome)
            for subject_outcomes in by_subject.values():
                live = [o for o in subject_outcomes if o.eligible is not False and o.amount_fen]
                if len(live) < 2:
                    continue
                # the highest amount; on a tie the first item in id order
                keep = max(sorted(live, key=lambda o: o.item), key=lambda o: o.amount_fen)
                for outcome in live:
                    if outcome is keep:
                        outcome.explanation.append(
                            {"step": "stacking", "text": word("stacking_kept", lang)}
                        )
                        continue
                    other = rules[keep.item].name
                    key = "stacking_highest" if mode == "highest" else "stacking_exclusive"
                    text = word(
                        key,
                        lang,
                        other=pick((other["zh"], other["en"]), lang),
                        other_amount=fen_display(keep.amount_fen),
                    )
                    outcome.explanation.append({"step": "stacking", "text": text})
                    outcome.amount_fen = 0
                    outcome.years = {}
        elif mode == "difference":
            items = {o.item for o in members} | {
                key for key, rule in rules.items() if rule.stacking and rule.stacking.group == group
            }
            received = enterprise.received.get(group, 0) + sum(
                enterprise.received.get(key, 0) for key in items if key != group
            )
            if not received:
                continue
            for outcome in members:
                if outcome.amount_fen is None or outcome.eligible is False:
                    continue
                before = outcome.amount_fen
                after = max(0, before - received)
                outcome.explanation.append(
                    {
                        "step": "stacking",
                        "text": word(
                            "stacking_difference",
                            lang,
                            received=fen_display(received),
                            before=fen_display(before),
                            after=fen_display(after),
                        ),
                    }
                )
                outcome.amount_fen = after
        else:  # total_le_investment
            projects = {p.id: p for p in enterprise.projects or ()}
            by_project: dict = defaultdict(list)
            for outcome in members:
                if outcome.project is not None:
                    by_project[outcome.project].append(outcome)
            for pid, project_outcomes in by_project.items():
                total = projects[pid].total_fen
                if total is None:
                    continue
                used = 0
                for outcome in sorted(project_outcomes, key=lambda o: o.item):
                    if outcome.amount_fen is None or outcome.eligible is False:
                        continue
                    before = outcome.amount_fen
                    after = min(before, max(0, total - used))
                    if after < before:
                        outcome.explanation.append(
                            {
                                "step": "stacking",
                                "text": word(
                                    "stacking_investment",
                                    lang,
                                    total=fen_display(total),
                                    before=fen_display(before),
                                    after=fen_display(after),
                                ),
                            }
                        )
                        outcome.amount_fen = after
                        outcome.binding_cap = {"per": "investment", "yuan": fen_str(total)}
                    if outcome.eligible is True:
                        used += after


def finish(rule: Rule, outcome: Outcome, lang: str):
    """Stages and the closing sentence."""
    if outcome.amount_fen is not None and rule.stages and outcome.eligible is not False:
        left = outcome.amount_fen
        for i, stage in enumerate(rule.stages):
            fen = left if i == len(rule.stages) - 1 else half_up(outcome.amount_fen * stage.share)
            left -= fen
            label = pick((stage.label["zh"], stage.label["en"]), lang)
            outcome.stages.append(
                {"label": label, "share": decimal_text(stage.share), "amount_yuan": fen_str(fen)}
            )
            outcome.explanation.append(
                {
                    "step": "stage",
                    "text": word(
                        "stage",
                        lang,
                        label=label,
                        share=percent_text(stage.share),
                        amount=fen_display(fen),
                    ),
                }
            )
    if outcome.explanation and outcome.explanation[-1].get("step") == "result":
        return
    if outcome.eligible is True:
        text = word("result_yes", lang, amount=fen_display(outcome.amount_fen))
    elif outcome.eligible is False:
        text = word("result_no", lang)
    elif outcome.amount_fen is not None:
        text = word(
            "result_unknown_amount",
            lang,
            amount=fen_display(outcome.amount_fen),
            missing="、".join(outcome.missing),
        )
    else:
        text = word("result_unknown", lang, missing="、".join(outcome.missing))
    outcome.explanation.append({"step": "result", "text": text})


def evaluate(
    catalogue: dict[str, list[Rule]],
    enterprise: Enterprise,
    as_of: date,
    *,
    items: list[str] | None = None,
    lang: str = "zh",
    names: CodeNames | None = None,
) -> list[Outcome]:
    """Every requested item (default: all) for one enterprise, stacking applied, in item
    order. Items of a stacking group are evaluated together even if only one is asked for.
    ``names`` names the places and industries in the explanation (see ``CodeNames``)."""
    wanted = list(items) if items is not None else sorted(catalogue)
    in_force: dict[str, Rule] = {}
    for key in catalogue:
        rule = version_in_force(catalogue[key], as_of)
        if rule is not None:
            in_force[key] = rule
    groups = {
        rule.stacking.group for key, rule in in_force.items() if key in wanted and rule.stacking
    }
    needed = [
        key
        for key in sorted(in_force)
        if key in wanted or (in_force[key].stacking and in_force[key].stacking.group in groups)
    ]
    outcomes: list[Outcome] = []
    for key in needed:
        outcomes += evaluate_rule(in_force[key], enterprise, as_of, lang=lang, names=names)
    apply_stacking(in_force, outcomes, enterprise, lang)
    out = []
    for key in wanted:
        if key not in in_force:
            out.append(
                Outcome(
                    key,
                    None,
                    enterprise.uscc,
                    None,
                    False,
                    0,
                    explanation=[
                        {
                            "step": "version",
                            "text": word("not_in_force", lang, as_of=as_of.isoformat()),
                        },
                        {"step": "result", "text": word("result_no", lang)},
                    ],
                )
            )
            continue
        for outcome in outcomes:
            if outcome.item == key:
                finish(in_force[key], outcome, lang)
                out.append(outcome)
    return out
