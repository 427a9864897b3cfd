"""The missing facts of an outcome (the keys the explainer lists: ``project.software_yuan``,
``project.loans[1].annual_rate``) as people read them, in Chinese or English."""

from __future__ import annotations

import re

from .phrases import FACT_LABELS, pick
from .rules import FACT_KEYS

#: the names of the facts an outcome lists as missing (keys as the explainer writes them)
MISSING_LABELS = {
    **{key: FACT_LABELS[fact] for fact, key in FACT_KEYS.items()},
    "enterprise.projects": ("企业的项目", "the enterprise's projects"),
}
LOAN_FIELD_LABELS = {
    "amount_yuan": ("贷款金额", "loan amount"),
    "start_date": ("贷款起始日", "loan start date"),
    "end_date": ("贷款到期日", "loan end date"),
    "annual_rate": ("贷款年利率", "loan annual rate"),
    "interest_paid_yuan": ("已付利息", "interest paid"),
}
_LOAN_KEY = re.compile(r"^project\.loans\[(\d+)\]\.([a-z_]+)$")


def missing_label(key: str, lang: str) -> str:
    """A missing fact as people read it (“第 2 笔贷款的贷款年利率”), never the fact's code; a key
    no table knows reads as “other information”."""
    if key in MISSING_LABELS:
        return pick(MISSING_LABELS[key], lang)
    m = _LOAN_KEY.match(key)
    if m and m.group(2) in LOAN_FIELD_LABELS:
        n, what = int(m.group(1)) + 1, pick(LOAN_FIELD_LABELS[m.group(2)], lang)
        return f"第 {n} 笔贷款的{what}" if lang.startswith("zh") else f"{what} of loan {n}"
    return pick(("其他信息", "other information"), lang)
