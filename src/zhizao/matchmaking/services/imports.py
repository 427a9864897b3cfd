"""Import of a provider pool or a product catalogue (服务商资源池 / 产品目录) from xlsx or csv
(issue 16), read with the registry's safe table reader. A preview first (every row's action and
every problem, in Chinese, by row and column), then — only when no row has a problem — all rows
in one transaction. A re-import of the same file changes nothing (an offering is the provider's
offering of that title; an unchanged row is left alone).

Categories may be our codes, Chinese or English names or aliases (MES, 制造执行系统, 视觉检测,
AOI); a label we do not know is kept as the offering's tag (searched and matched as text) and
reported once as a warning, never as an error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhizao.accounts.roles import is_operator
from zhizao.common.audit import Actor
from zhizao.registry.models import Organization
from zhizao.registry.services.files import TableError, read_table
from zhizao_core.importing.columns import header_key
from zhizao_core.matching.lexicon import resolve_category

from .. import codes
from ..enums import OfferingKind, OfferingState
from ..errors import MatchError
from ..models import Offering
from .listings import (
    OFFERING_FIELDS,
    SUPPLIER_KINDS,
    create_offering,
    publish_offering,
    update_offering,
)

#: header (as people write it, normalised by ``header_key``) → field
HEADERS = {
    "provider": ("服务商", "服务商名称", "供应商", "机构名称", "企业名称", "provider"),
    "uscc": ("统一社会信用代码", "信用代码", "uscc"),
    "kind": ("类型", "供给类型", "kind"),
    "title": ("名称", "产品名称", "方案名称", "服务名称", "标题", "title"),
    "description": ("简介", "描述", "说明", "产品介绍", "description"),
    "categories": ("类别", "分类", "领域", "能力类别", "categories", "category"),
    "industries": ("服务行业", "行业", "行业代码", "industries"),
    "regions": ("服务地区", "地区", "地区代码", "regions"),
    "certifications": ("资质", "资质证书", "证书", "certifications"),
    "price_min_yuan": ("起价", "起价（元）", "最低价", "price_min_yuan", "price from"),
    "price_max_yuan": ("最高价", "最高价（元）", "price_max_yuan", "price up to"),
}
KINDS = {
    "solution": OfferingKind.SOLUTION,
    "解决方案": OfferingKind.SOLUTION,
    "方案": OfferingKind.SOLUTION,
    "product": OfferingKind.PRODUCT,
    "产品": OfferingKind.PRODUCT,
    "service": OfferingKind.SERVICE,
    "服务": OfferingKind.SERVICE,
    "financial": OfferingKind.FINANCIAL,
    "金融产品": OfferingKind.FINANCIAL,
    "金融": OfferingKind.FINANCIAL,
}
_SPLIT = re.compile(r"[、,，;；/|\n]+")


@dataclass
class ImportRow:
    line: int
    title: str = ""
    provider: str = ""
    #: create / update / unchanged / error
    action: str = "error"
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict, repr=False)
    offering_id: int | None = None


@dataclass
class OfferingImport:
    rows: list[ImportRow]
    warnings: list[str]
    applied: bool = False

    @property
    def errors(self) -> list[str]:
        return [e for r in self.rows for e in r.errors]

    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for r in self.rows:
            out[r.action] += 1
        return out

    def as_json(self) -> dict:
        return {
            "applied": self.applied,
            "counts": self.counts(),
            "warnings": self.warnings,
            "rows": [
                {
                    "line": r.line,
                    "title": r.title,
                    "provider": r.provider,
                    "action": r.action,
                    "errors": r.errors,
                    "offering": r.offering_id,
                }
                for r in self.rows
            ],
        }


def _columns(header: list) -> dict[str, int]:
    keys = {header_key(h): f for f, names in HEADERS.items() for h in names}
    out: dict[str, int] = {}
    for i, cell in enumerate(header):
        f = keys.get(header_key(cell))
        if f and f not in out:
            out[f] = i
    return out


def _cell(row: list, cols: dict[str, int], name: str) -> str:
    i = cols.get(name)
    if i is None or i >= len(row) or row[i] is None:
        return ""
    value = row[i]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parts(text: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(text) if p.strip()]


def _say(line: int, column: str, message: str) -> str:
    return _("Row %(line)s · %(column)s: %(message)s") % {
        "line": line,
        "column": column,
        "message": message,
    }


def _read_row(line, row, cols, providers, warned, warnings, header) -> ImportRow:
    def col(name: str, fallback: str) -> str:
        """The column as the file names it (the person's own header)."""
        i = cols.get(name)
        return str(header[i]).strip() if i is not None and header[i] else fallback

    out = ImportRow(line=line, title=_cell(row, cols, "title"))
    name, uscc = _cell(row, cols, "provider"), _cell(row, cols, "uscc")
    out.provider = name or uscc
    provider = providers.get(uscc) if uscc else providers.get(name)
    if provider is None:
        out.errors.append(
            _say(line, col("provider", col("uscc", _("provider"))), _("no provider or bank named “%(name)s” in the registry")
                 % {"name": out.provider or "—"})
        )  # fmt: skip
    if not out.title:
        out.errors.append(_say(line, col("title", pgettext("listing", "title")), _("required")))
    kind_text = _cell(row, cols, "kind")
    if kind_text:
        kind = KINDS.get(kind_text.lower()) or KINDS.get(kind_text)
        if kind is None:
            out.errors.append(
                _say(
                    line,
                    col("kind", pgettext("offering kind", "kind")),
                    _("unknown kind “%(v)s”") % {"v": kind_text},
                )
            )
    elif provider is not None:
        kind = OfferingKind.FINANCIAL if provider.kind == "bank" else OfferingKind.SOLUTION
    else:
        kind = OfferingKind.SOLUTION
    categories, tags = [], []
    for label in _parts(_cell(row, cols, "categories")):
        code = resolve_category(label)
        if code:
            if code not in categories:
                categories.append(code)
            continue
        if label not in tags:
            tags.append(label)
        if label not in warned:
            warned.add(label)
            warnings.append(
                _("Row %(line)s: unknown category “%(label)s”, kept as a tag (matched as text)")
                % {"line": line, "label": label}
            )
    industries = _parts(_cell(row, cols, "industries"))
    for code in industries:
        if not codes.industry_exists(code):
            out.errors.append(
                _say(
                    line,
                    col("industries", _("industries")),
                    _("unknown industry code %(c)s") % {"c": code},
                )
            )
    regions = _parts(_cell(row, cols, "regions"))
    for code in regions:
        if not codes.region_exists(code):
            out.errors.append(
                _say(
                    line, col("regions", _("regions")), _("unknown region code %(c)s") % {"c": code}
                )
            )
    prices = {}
    for f, label in (("price_min_yuan", _("price from")), ("price_max_yuan", _("price up to"))):
        text = _cell(row, cols, f).replace(",", "").replace("元", "")
        if not text:
            prices[f] = None
            continue
        try:
            prices[f] = Decimal(text)
            if not prices[f].is_finite() or prices[f] < 0:
                raise InvalidOperation
        except InvalidOperation:
            out.errors.append(
                _say(line, col(f, label), _("not an amount in yuan: %(v)s") % {"v": text})
            )
    out.values = {
        "kind": kind,
        "title": out.title,
        "description": _cell(row, cols, "description"),
        "categories": categories,
        "industries": industries,
        "regions": regions,
        "certifications": _parts(_cell(row, cols, "certifications")),
        "tags": tags,
        **prices,
    }
    out.values["_provider"] = provider
    return out


def _same(offering: Offering, values: dict) -> bool:
    for f in OFFERING_FIELDS:
        have, want = getattr(offering, f), values.get(f)
        if f.startswith("price"):
            if (have is None) != (want is None) or (have is not None and Decimal(have) != want):
                return False
        elif (have or ([] if isinstance(want, list) else "")) != want:
            return False
    return True


def import_offerings(
    actor: Actor, *, data: bytes, name: str, apply: bool = False, publish: bool = False
) -> OfferingImport:
    """Preview (``apply=False``) or import a provider pool / product catalogue. Operators only.
    With ``apply``, nothing is written unless every row is free of problems; then all rows in
    one transaction (new offerings created — and published with ``publish`` when they can be —
    changed ones updated, unchanged ones left alone)."""
    if not is_operator(actor):
        raise MatchError("not_operator", _("Only operators import offerings."))
    try:
        table = read_table(data, name)
    except TableError as error:
        raise MatchError(
            "bad_file", _("The file cannot be read (%(code)s).") % {"code": error.code}
        ) from error
    cols = _columns(table.header)
    missing = [f for f in ("title",) if f not in cols]
    if "provider" not in cols and "uscc" not in cols:
        missing.append("provider")
    if missing:
        raise MatchError(
            "missing_columns",
            _("Columns missing: %(cols)s (the first row must name the columns).")
            % {"cols": "、".join(HEADERS[f][0] for f in missing)},
        )
    suppliers = Organization.objects.filter(kind__in=SUPPLIER_KINDS)
    wanted = {_cell(r, cols, "provider") for r in table.rows} | {
        _cell(r, cols, "uscc") for r in table.rows
    }
    providers = {}
    for org in suppliers.filter(Q(name__in=wanted) | Q(uscc__in=wanted)):
        providers[org.name] = org
        providers[org.uscc] = org
    warned: set[str] = set()
    warnings: list[str] = []
    rows = []
    for n, row in enumerate(table.rows, start=2):
        if not any(str(c).strip() for c in row if c is not None):
            continue
        rows.append(_read_row(n, row, cols, providers, warned, warnings, table.header))
    seen: set[tuple[int, str]] = set()
    existing = {
        (o.provider_id, o.title): o
        for o in Offering.objects.filter(
            provider__in={r.values["_provider"] for r in rows if r.values.get("_provider")}
        ).order_by("id")
    }
    for r in rows:
        provider = r.values.get("_provider")
        if provider is not None and r.title:
            key = (provider.pk, r.title)
            if key in seen:
                r.errors.append(
                    _say(r.line, pgettext("listing", "title"), _("the same offering appears twice"))
                )
            seen.add(key)
        if r.errors:
            r.action = "error"
            continue
        offering = existing.get((provider.pk, r.title))
        values = {k: v for k, v in r.values.items() if k != "_provider"}
        if offering is None:
            r.action = "create"
        else:
            r.offering_id = offering.pk
            r.action = "unchanged" if _same(offering, values) else "update"
    result = OfferingImport(rows=rows, warnings=warnings)
    if not apply or result.errors:
        return result
    with transaction.atomic():
        for r in rows:
            values = {k: v for k, v in r.values.items() if k != "_provider"}
            provider = r.values["_provider"]
            try:
                if r.action == "create":
                    offering = create_offering(actor, provider, **values)
                    if publish and offering.categories and offering.description.strip():
                        offering = publish_offering(actor, offering)
                    r.offering_id = offering.pk
                elif r.action == "update":
                    offering = Offering.objects.get(pk=r.offering_id)
                    if offering.state != OfferingState.WITHDRAWN:
                        update_offering(actor, offering, **values)
            except MatchError as error:  # a business rule the preview cannot know: name it
                raise MatchError(error.code, _say(r.line, r.title, str(error.message))) from error
    result.applied = True
    return result
