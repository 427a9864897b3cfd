"""Exact scoring of a maturity assessment (the GB/T 39117-2020 method as reconstructed in
``docs/diagnosis-models.md``), with the explanation every report shows.

All arithmetic is on ``fractions.Fraction``: a mean of 1, 0.8 and 0.5 is exactly 23/30, and a
level score compared with the 0.8 threshold is compared exactly. Rounding happens only when a
figure is shown (``round_half_up``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .model import ENTERPRISE_TYPES, Model, ModelError, Problem, Requirement

NA = "na"
ANSWER_SCALE = {
    "1": Fraction(1),
    "0.8": Fraction(4, 5),
    "0.5": Fraction(1, 2),
    "0": Fraction(0),
}
_TENTHS = {value: int(value * 10) for value in ANSWER_SCALE.values()}
# Stable codes for the four answers, used by forms and stored on answers.
ANSWER_CHOICES = ("1", "0.8", "0.5", "0", NA)


def round_half_up(value: Fraction, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals, as a string: 0.845 → "0.85" at 2.
    Decided exactly on the integers of the fraction, never on a float."""
    value = Fraction(value)
    unit = 10**places
    whole, rest = divmod(abs(value.numerator) * unit, value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    sign = "-" if value < 0 and whole else ""
    if places == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole // unit}.{whole % unit:0{places}d}"


def normalize_answer(value) -> Fraction | str | None:
    """1 / 0.8 / 0.5 / 0 (numbers or strings) or "na"; ``None`` when it is none of them."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().lower()
        if text == NA:
            return NA
        try:
            number = Decimal(text)
        except ArithmeticError:
            return None
    elif isinstance(value, (int, float)):
        number = Decimal(str(value))
    else:
        return None
    if not number.is_finite():
        return None
    for code, fraction in ANSWER_SCALE.items():
        if Fraction(number) == fraction:
            return ANSWER_SCALE[code]
    return None


def answer_code(value: Fraction | str) -> str:
    if value == NA:
        return NA
    for code, fraction in ANSWER_SCALE.items():
        if fraction == value:
            return code
    raise ValueError(value)


def parse_answers(model: Model, data, *, require_all: bool = True) -> tuple[str, dict]:
    """Check an answers mapping ``{"enterprise_type", "answers": {id: value}}`` against the
    model. Returns (enterprise type, {requirement id: Fraction or "na"}); raises ``ModelError``
    naming every unknown id, missing answer, invalid value and 不适用 where it is not allowed."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ModelError([Problem("$", "not_a_mapping")])
    kind = data.get("enterprise_type")
    if kind not in ENTERPRISE_TYPES or kind not in model.enterprise_types:
        problems.append(
            Problem(
                "enterprise_type",
                "bad_choice",
                {"value": str(kind), "choices": list(model.enterprise_types)},
            )
        )
        kind = model.enterprise_types[0]
    raw = data.get("answers")
    if not isinstance(raw, dict):
        problems.append(Problem("answers", "not_a_mapping"))
        raise ModelError(problems)
    answers: dict[str, Fraction | str] = {}
    for key, value in raw.items():
        req = model.requirement_by_id.get(key)
        where = f"answers.{key}"
        if req is None:
            problems.append(Problem(where, "unknown_requirement", {"value": str(key)}))
            continue
        answer = normalize_answer(value)
        if answer is None:
            problems.append(Problem(where, "invalid_answer", {"value": str(value)[:40]}))
        elif answer == NA and not req.allow_na:
            problems.append(Problem(where, "na_not_allowed"))
        else:
            answers[key] = answer
    if require_all:
        for req in model.asked(kind):
            if req.id not in raw:
                problems.append(Problem(f"answers.{req.id}", "missing_answer"))
    if problems:
        raise ModelError(problems)
    return kind, answers


@dataclass
class NodeScore:
    """A node (element, domain or sub-domain) at one level."""

    score: Fraction = Fraction(0)
    applies: bool = False
    weight: Fraction = Fraction(0)  # its weight after renormalisation among applying siblings
    answered: int = 0  # requirements scored (not 不适用) under it at this level


@dataclass
class LevelScore:
    number: int
    score: Fraction
    applies: bool
    met: bool
    reason: str  # met | below_threshold | nothing_applies | lower_level_not_met


@dataclass
class Result:
    model_id: str
    model_version: str
    enterprise_type: str
    level_rule: str
    threshold: Fraction
    score: Fraction
    level: int
    levels: list[LevelScore]
    nodes: dict[str, dict[int, NodeScore]]
    requirement_scores: dict[str, Fraction | str]
    # the factor by which a requirement's score enters X of its level: the product of the
    # renormalised weights on its path divided by the number of scored requirements in its cell
    coefficients: dict[str, Fraction] = field(default_factory=dict)
    explanation: list[dict] = field(default_factory=list)

    @property
    def working_level(self) -> int:
        """The first level not met (the one to work on), or the top level when all are met."""
        for level in self.levels:
            if not level.met:
                return level.number
        return self.levels[-1].number if self.levels else 0

    def node(self, node_id: str, level: int) -> NodeScore:
        return self.nodes.get(node_id, {}).get(level) or NodeScore()

    def as_json(self, model: Model) -> dict:
        """The ``zhizao diagnosis score`` output: decimal strings, S to 2 places, the rest to 4."""
        subdomains = {}
        for sub in model.subdomains():
            subdomains[sub.id] = {
                str(level.number): round_half_up(self.node(sub.id, level.number).score, 4)
                for level in self.levels
                if self.node(sub.id, level.number).applies
            }
        return {
            "model": model.id,
            "version": model.version,
            "enterprise_type": self.enterprise_type,
            "score": round_half_up(self.score, 2),
            "level": self.level,
            "levels": {str(lv.number): round_half_up(lv.score, 4) for lv in self.levels},
            "elements": _node_table(self, [e.id for e in model.elements]),
            "domains": _node_table(self, [d.id for d in model.domains()]),
            "subdomains": subdomains,
            "explanation": self.explanation,
        }


def _node_table(result: Result, ids: list[str]) -> dict:
    return {
        node_id: {
            str(level.number): round_half_up(result.node(node_id, level.number).score, 4)
            for level in result.levels
            if result.node(node_id, level.number).applies
        }
        for node_id in ids
    }


def _weighted(children: list[tuple[str, Fraction, NodeScore]]):
    """Weighted mean over the children that apply; sets each child's renormalised weight."""
    total = sum((w for _, w, node in children if node.applies and w > 0), Fraction(0))
    if total == 0:
        return Fraction(0), False
    value = Fraction(0)
    for _, w, node in children:
        if node.applies and w > 0:
            node.weight = w / total
            value += node.weight * node.score
    return value, True


def score(model: Model, enterprise_type: str, answers: dict) -> Result:
    """Score complete ``answers`` (from ``parse_answers``) by the model's rules."""
    kind = enterprise_type
    nodes: dict[str, dict[int, NodeScore]] = {}
    coefficients: dict[str, Fraction] = {}
    levels: list[LevelScore] = []
    explanation: list[dict] = []
    all_met_so_far = True
    for level in model.levels:
        n = level.number
        element_children = []
        for element in model.elements:
            domain_children = []
            for domain in element.domains:
                sub_children = []
                for sub in domain.subdomains:
                    cell: list[Requirement] = model.cells.get((sub.id, n), [])
                    # answers in tenths (1 → 10, 0.8 → 8 …): integer sums, one Fraction per cell
                    scored = [
                        _TENTHS[answers[r.id]]
                        for r in cell
                        if r.id in answers and answers[r.id] != NA
                    ]
                    node = NodeScore(answered=len(scored))
                    if scored and sub.weights[kind] > 0:
                        node.applies = True
                        node.score = Fraction(sum(scored), 10 * len(scored))
                    nodes.setdefault(sub.id, {})[n] = node
                    sub_children.append((sub.id, sub.weights[kind], node))
                d_node = NodeScore(answered=sum(c[2].answered for c in sub_children))
                d_node.score, d_node.applies = _weighted(sub_children)
                d_node.applies = d_node.applies and domain.weights[kind] > 0
                nodes.setdefault(domain.id, {})[n] = d_node
                domain_children.append((domain.id, domain.weights[kind], d_node))
            e_node = NodeScore(answered=sum(c[2].answered for c in domain_children))
            e_node.score, e_node.applies = _weighted(domain_children)
            e_node.applies = e_node.applies and element.weights[kind] > 0
            nodes.setdefault(element.id, {})[n] = e_node
            element_children.append((element.id, element.weights[kind], e_node))
        x_n, applies = _weighted(element_children)
        # coefficients of this level's requirements
        for element in model.elements:
            e_node = nodes[element.id][n]
            for domain in element.domains:
                d_node = nodes[domain.id][n]
                for sub in domain.subdomains:
                    s_node = nodes[sub.id][n]
                    if not (e_node.applies and d_node.applies and s_node.applies):
                        continue
                    factor = e_node.weight * d_node.weight * s_node.weight / s_node.answered
                    for r in model.cells.get((sub.id, n), []):
                        if answers.get(r.id, NA) != NA:
                            coefficients[r.id] = factor
        if not all_met_so_far:
            met, reason = False, "lower_level_not_met"
        elif not applies:
            met, reason = False, "nothing_applies"
        elif x_n >= model.threshold:
            met, reason = True, "met"
        else:
            met, reason = False, "below_threshold"
        levels.append(LevelScore(n, x_n, applies, met, reason))
        explanation.append(
            {
                "step": "level",
                "level": n,
                "score": round_half_up(x_n, 4),
                "threshold": round_half_up(model.threshold, 4),
                "met": met,
                "reason": reason,
                "elements": [
                    {
                        "id": element.id,
                        "score": round_half_up(nodes[element.id][n].score, 4),
                        "weight": round_half_up(nodes[element.id][n].weight, 4),
                    }
                    for element in model.elements
                    if nodes[element.id][n].applies
                ],
            }
        )
        all_met_so_far = all_met_so_far and met

    met_levels = [lv for lv in levels if lv.met]
    first_unmet = next((lv for lv in levels if not lv.met), None)
    if model.level_rule == "full_credit":
        base = Fraction(len(met_levels))
        terms = ["1"] * len(met_levels)
    else:
        base = sum((lv.score for lv in met_levels), Fraction(0))
        terms = [round_half_up(lv.score, 4) for lv in met_levels]
    total = base + (first_unmet.score if first_unmet else Fraction(0))
    if first_unmet:
        terms.append(round_half_up(first_unmet.score, 4))
    explanation.append(
        {
            "step": "total",
            "rule": model.level_rule,
            "terms": terms,
            "score": round_half_up(total, 2),
            "level": len(met_levels),
            "first_unmet": first_unmet.number if first_unmet else None,
        }
    )
    return Result(
        model_id=model.id,
        model_version=model.version,
        enterprise_type=kind,
        level_rule=model.level_rule,
        threshold=model.threshold,
        score=total,
        level=len(met_levels),
        levels=levels,
        nodes=nodes,
        requirement_scores=dict(answers),
        coefficients=coefficients,
        explanation=explanation,
    )


def score_file(model: Model, data) -> Result:
    kind, answers = parse_answers(model, data)
    return score(model, kind, answers)


def percent(value: Fraction, model: Model) -> Fraction:
    """S on the percent scale: S ÷ number of levels × 100."""
    return value * 100 / len(model.levels) if model.levels else Fraction(0)
