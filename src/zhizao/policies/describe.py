"""A rule in one sentence, for the editor's live preview and the item pages:

    无锡市智能化改造项目奖补：注册地 3202 开头 且 项目类型 属于 智能化改造 且 项目总投资 大于
    3,000万元 → 设备投资 × 8% + 软件投资 × 10%

``describe_rule(rule, lang)`` takes a parsed ``zhizao_core.policy.Rule`` (or rule data, which is
parsed first: ``RuleError`` names the problems) and ``lang`` ``"zh"`` or ``"en"``. Numbers are
the values in force (parameters resolved); money is written as Chinese readers expect
(万元/亿元)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.utils import translation

from zhizao_core.policy import Rule, parse_rule
from zhizao_core.policy.money import percent_text
from zhizao_core.policy.phrases import CAPS, FACT_LABELS, LEVELS, pick
from zhizao_core.policy.rules import (
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
    Sum,
    Tiers,
    TitleTable,
    decimal_text,
)
from zhizao_core.text.amounts import format_cny

from .enums import ProjectKind

WORDS = {
    "and": (" 且 ", " and "),
    "or": (" 或 ", " or "),
    "not": ("并非", "not "),
    "always": ("无条件", "always"),
    "prefix": ("{label} {codes} 开头", "{label} starts with {codes}"),
    "not_prefix": ("{label} 不以 {codes} 开头", "{label} does not start with {codes}"),
    "prefix_named": ("{label}属于 {names}", "{label} within {names}"),
    "not_prefix_named": ("{label}不属于 {names}", "{label} outside {names}"),
    "section": ("门类 {code}", "section {code}"),
    "holds": ("持有{levels}{titles}", "holds {levels}{titles}"),
    "titles_or": ("或", " or "),
    "fixed": ("定额 {amount}", "fixed {amount}"),
    "interest": (
        "贷款贴息 {points} 个百分点/贷款年",
        "{points} percentage points on loans per loan-year",
    ),
    "interest_bound": ("（不超过贷款利率）", " (not above the loan's rate)"),
    "loan_percent": ("贷款额 × {rate}", "loan amount × {rate}"),
    "tiers": ("按{label}分档（{bands}）", "by {label} in bands ({bands})"),
    "title_table": ("按荣誉资质（{rows}，取最高）", "by title ({rows}; the highest counts)"),
    "min": ("取较小者（{items}）", "the smaller of ({items})"),
    "choose_if": ("若 {when} 则 {amount}", "if {when} then {amount}"),
    "otherwise": ("否则 {amount}", "otherwise {amount}"),
    "nothing": ("0", "0"),
    "caps": ("上限：{caps}", "caps: {caps}"),
    "stages": ("分期：{stages}", "stages: {stages}"),
    "stacking": ("叠加：同组“{group}”{mode}", "stacking: group “{group}” {mode}"),
    "highest": ("就高", "take the highest"),
    "exclusive": ("互斥", "mutually exclusive"),
    "difference": ("补差", "pay the difference"),
    "total_le_investment": ("合计不超过项目总投资", "total not above the investment"),
    "valid": ("有效期 {start} 起{end}", "valid from {start}{end}"),
    "valid_to": ("至 {date}", " to {date}"),
    "sep": ("；", "; "),
    "list": ("、", ", "),
}
SHORT_LABELS = {"enterprise.region": ("注册地", "registered region")}
OPS = {
    "eq": ("等于", "equals"),
    "ne": ("不等于", "is not"),
    "gt": ("大于", "above"),
    "ge": ("不低于", "at least"),
    "lt": ("小于", "below"),
    "le": ("不高于", "at most"),
    "between": ("介于", "between"),
    "in": ("属于", "is one of"),
    "not_in": ("不属于", "is none of"),
}


def _w(key: str, lang: str, **params) -> str:
    return pick(WORDS[key], lang).format(**params)


def money_text(fen: Fraction | int, lang: str) -> str:
    """Fen → 3,000万元 / ¥30 million."""
    value = Fraction(fen) / 100
    return format_cny(
        Decimal(value.numerator) / Decimal(value.denominator), lang=_django_lang(lang)
    )


def _django_lang(lang: str) -> str:
    return "en" if lang.startswith("en") else "zh-hans"


def _paren(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _kind_label(value: str, lang: str) -> str:
    if value not in ProjectKind.values:
        return value
    with translation.override(_django_lang(lang)):
        return str(ProjectKind(value).label)


def _scalar(fact: str, value, lang: str) -> str:
    kind = FACTS[fact]
    if kind == "money":
        return money_text(value, lang)
    if kind == "ratio":
        return percent_text(Fraction(value))
    if kind == "text":
        return _kind_label(str(value), lang)
    if kind == "industry" and isinstance(value, str) and value.isalpha():
        return _w("section", lang, code=value)
    if isinstance(value, Fraction):
        return decimal_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _condition(node, lang: str, top: bool = True, names: dict | None = None) -> str:
    if isinstance(node, All | AnyOf):
        joiner = _w("and" if isinstance(node, All) else "or", lang)
        text = joiner.join(_condition(item, lang, top=False, names=names) for item in node.items)
        return text if top or len(node.items) < 2 else _paren(text, lang).strip()
    if isinstance(node, Not):
        return _w("not", lang) + _condition(node.item, lang, top=False, names=names)
    if isinstance(node, HasTitle):
        levels = "/".join(pick(LEVELS[lv], lang) for lv in node.levels) if node.levels else ""
        titles = _w("titles_or", lang).join(node.titles)
        return _w(
            "holds", lang, levels=levels + (" " if levels and lang == "en" else ""), titles=titles
        )
    assert isinstance(node, Cmp)
    label = pick(SHORT_LABELS.get(node.fact) or FACT_LABELS[node.fact], lang)
    known = (names or {}).get(node.fact) or {}
    if node.op in ("prefix", "not_prefix") and known and all(str(v) in known for v in node.value):
        shown = _w("list", lang).join(known[str(v)] for v in node.value)
        return _w(f"{node.op}_named", lang, label=label, names=shown)
    if node.op in ("prefix", "not_prefix") and all(str(v).isalpha() for v in node.value):
        op = OPS["in" if node.op == "prefix" else "not_in"]
        return f"{label} {pick(op, lang)} " + "/".join(
            _scalar(node.fact, v, lang) for v in node.value
        )
    if node.op in ("prefix", "not_prefix"):
        codes = "/".join(_scalar(node.fact, v, lang) for v in node.value)
        return _w(node.op, lang, label=label, codes=codes)
    if node.op == "between":
        lo, hi = (_scalar(node.fact, v, lang) for v in node.value)
        return f"{label} {pick(OPS['between'], lang)} {lo} – {hi}"
    if isinstance(node.value, tuple):
        shown = _w("list", lang).join(_scalar(node.fact, v, lang) for v in node.value)
    else:
        shown = _scalar(node.fact, node.value, lang)
    return f"{label} {pick(OPS[node.op], lang)} {shown}"


def describe_conditions(node, lang: str = "zh", names: dict | None = None) -> str:
    """Parsed conditions (``Rule.conditions``) in words, without the amount: a call's
    eligibility rule shown to applicants. ``names`` (fact → code prefix → name) words a
    prefix condition by names (注册地属于 江苏省无锡市) when every one of its codes has one."""
    if node is None:
        return _w("always", lang)
    return _condition(node, "en" if lang.startswith("en") else "zh", names=names)


def _amount(node, lang: str) -> str:
    if isinstance(node, Fixed):
        return _w("fixed", lang, amount=money_text(node.yuan.value * 100, lang))
    if isinstance(node, Percent):
        bases = " + ".join(pick(FACT_LABELS[b], lang) for b in node.bases)
        if len(node.bases) > 1:
            bases = _paren(bases, lang).strip()
        return f"{bases} × {percent_text(node.rate.value)}"
    if isinstance(node, Sum):
        return " + ".join(_amount(item, lang) for item in node.items)
    if isinstance(node, Min):
        return _w("min", lang, items=_w("list", lang).join(_amount(i, lang) for i in node.items))
    if isinstance(node, Interest):
        points = format(
            (
                Decimal(node.points.value.numerator) / node.points.value.denominator * 100
            ).normalize(),
            "f",
        )
        text = _w("interest", lang, points=points)
        return text + (_w("interest_bound", lang) if node.not_above_rate else "")
    if isinstance(node, LoanPercent):
        return _w("loan_percent", lang, rate=percent_text(node.rate.value))
    if isinstance(node, Tiers):
        kind = FACTS[node.fact]
        bands = []
        for band in node.bands:
            bound = (
                money_text(band.at_least, lang)
                if kind == "money"
                else _scalar(node.fact, band.at_least, lang)
            )
            bands.append(f"{'>' if band.strict else '≥'} {bound} → {_amount(band.amount, lang)}")
        return _w(
            "tiers",
            lang,
            label=pick(FACT_LABELS[node.fact], lang),
            bands=_w("sep", lang).join(bands),
        )
    if isinstance(node, TitleTable):
        rows = []
        for row in node.rows:
            levels = "/".join(pick(LEVELS[lv], lang) for lv in row.levels) if row.levels else ""
            rows.append(
                f"{levels}{' ' if levels and lang == 'en' else ''}{row.title} {money_text(row.yuan.value * 100, lang)}"
            )
        return _w("title_table", lang, rows=_w("list", lang).join(rows))
    if isinstance(node, Choose):
        parts = [
            _w("choose_if", lang, when=_condition(c.when, lang), amount=_amount(c.amount, lang))
            for c in node.choices
        ]
        other = _amount(node.otherwise, lang) if node.otherwise is not None else _w("nothing", lang)
        parts.append(_w("otherwise", lang, amount=other))
        return _w("sep", lang).join(parts)
    return "?"


def describe_rule(rule: Rule | dict, lang: str = "zh") -> str:
    """The rule as one readable sentence (conditions → amount; caps, stages, stacking)."""
    if not isinstance(rule, Rule):
        rule = parse_rule(rule)
    lang = "en" if lang.startswith("en") else "zh"
    name = pick((rule.name["zh"], rule.name["en"]), lang)
    conditions = (
        _condition(rule.conditions, lang) if rule.conditions is not None else _w("always", lang)
    )
    colon = "：" if lang == "zh" else ": "
    text = f"{name}{colon}{conditions} → {_amount(rule.amount, lang)}"
    extra = []
    if rule.caps:
        caps = _w("list", lang).join(
            f"{pick(CAPS[cap.per], lang)} {money_text(cap.yuan.value * 100, lang)}"
            + (_paren(_condition(cap.when, lang), lang) if cap.when is not None else "")
            for cap in rule.caps
        )
        extra.append(_w("caps", lang, caps=caps))
    if rule.stages:
        stages = _w("list", lang).join(
            f"{pick((s.label['zh'], s.label['en']), lang)} {percent_text(s.share)}"
            for s in rule.stages
        )
        extra.append(_w("stages", lang, stages=stages))
    if rule.stacking is not None:
        extra.append(
            _w("stacking", lang, group=rule.stacking.group, mode=_w(rule.stacking.mode, lang))
        )
    end = _w("valid_to", lang, date=rule.valid_to.isoformat()) if rule.valid_to else ""
    extra.append(_w("valid", lang, start=rule.valid_from.isoformat(), end=end))
    return text + _w("sep", lang) + _w("sep", lang).join(extra)
