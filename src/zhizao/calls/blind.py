"""What a blind review hides from the experts (盲评): the fields that name or reach the
applicant, and the names, phone numbers and e-mail addresses written inside the other answers.

The rule is in one place so that the form editor, the call templates, the migration that set
existing fields and the expert's pages agree."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .enums import Prefill

#: prefills that put the applicant's identity into a field
IDENTIFYING_PREFILLS = frozenset({Prefill.ORG_NAME, Prefill.ORG_USCC, Prefill.ORG_ADDRESS})
#: a field is about a way to reach the applicant when its code or its label says so
_CONTACT_CODES = re.compile(
    r"(^|_)(contact|contacts|phone|tel|mobile|email|e_mail|fax|person)(_|$)"
)
_CONTACT_WORDS = (
    "联系人",
    "联系方式",
    "电话",
    "手机",
    "邮箱",
    "电子邮件",
    "传真",
    "地址",
    "营业执照",
    "信用代码",
    "单位名称",
    "企业名称",
    "申报单位",
    "法定代表人",
)
_CONTACT_WORDS_EN = re.compile(
    r"\b(contact|phone|telephone|mobile|e-?mail|fax|address|business licen[cs]e|"
    r"credit code|legal representative|applicant'?s? name)\b",
    re.I,
)

#: a mainland mobile number, a landline with its area code (0510-8000 0000, 025-88886666,
#: (0512)6666 8888), an e-mail address
_MOBILE = re.compile(r"(?<!\d)(\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)[(（]?0\d{2,3}[)）]?[- ]?\d{3,4}[- ]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def identifies(*, code: str, label: str, prefill: str = "") -> bool:
    """Whether a field names or reaches the applicant (hidden on a blind review, always)."""
    if prefill in IDENTIFYING_PREFILLS:
        return True
    if _CONTACT_CODES.search((code or "").lower()):
        return True
    label = label or ""
    return any(w in label for w in _CONTACT_WORDS) or bool(_CONTACT_WORDS_EN.search(label))


def applicant_names(name: str) -> list[str]:
    """The names a blind review hides: the applicant's name and its short form without the
    legal suffix (无锡宏图涂装科技有限公司 → 无锡宏图涂装科技), longest first."""
    name = (name or "").strip()
    names = {name} if name else set()
    for suffix in ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            names.add(name[: -len(suffix)])
    return sorted(names, key=len, reverse=True)


def redact(value, names: list[str]):
    """A free-text answer as a blind reviewer reads it: the applicant's names replaced by
    （申报单位）, phone numbers and e-mail addresses by （联系方式已隐去）. Other values pass."""
    if not isinstance(value, str):
        return value
    for name in names:
        value = value.replace(name, _("(the applicant)"))
    hidden = _("(contact details hidden)")
    for pattern in (_EMAIL, _MOBILE, _LANDLINE):
        value = pattern.sub(hidden, value)
    return value


def summary_for_expert(application, blind: bool) -> str:
    """The application's ``summary`` answer as an expert reads it while bidding: on a blind
    review without the applicant's name, phone numbers or e-mail addresses."""
    data = application.data if isinstance(application.data, dict) else {}
    summary = str(data.get("summary") or "")
    if not blind:
        return summary
    return redact(summary, applicant_names(application.applicant.name))
