from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .. import codes

PAGE_SIZE = 25


def paginate(request, qs, size: int = PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _options(rows, selected: str, *, with_parent: bool):
    if with_parent:
        return format_html_join(
            "",
            '<option value="{}" data-parent="{}"{}>{}</option>',
            ((c, p, mark_safe(" selected") if c == selected else "", n) for c, n, p in rows),
        )
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((c, mark_safe(" selected") if c == selected else "", n) for c, n, _p in rows),
    )


def picker_options(values) -> dict:
    """Pre-rendered <option> lists of the region (province → city → district) and industry
    (division → group → class) pickers, the given values selected; the registry's filters
    work the same way (static/zhizao/js/zhizao.js: narrowing pickers)."""
    regions = codes.region_rows()
    industries = codes.industry_rows()
    get = values.get
    out = {
        "province": _options(
            [(c, n, "") for c, n, _p, lvl in regions if lvl == "province"],
            get("province") or "",
            with_parent=False,
        ),
    }
    # the lower levels hold only the children of the chosen parent (zhizao.common.pickers
    # fetches the next level's options when one is chosen): never every district or class
    for rows, chain in (
        (regions, (("province", ""), ("city", "city"), ("district", "district"))),
        (industries, (("division", ""), ("group", "group"), ("industry_class", "class"))),
    ):
        parent = (get(chain[0][0]) or "").strip()
        for name, level in chain[1:]:
            # names only, as the next level fetched by the picker shows them
            children = [
                (c, n, p) for c, n, p, lvl in rows if lvl == level and parent and p == parent
            ]
            value = (get(name) or "").strip()
            out[name] = _options(children, value, with_parent=False)
            out[f"{name}_hidden"] = not children
            parent = value if any(c[0] == value for c in children) else ""
    groups = []
    for code, name, _p, lvl in industries:
        if lvl != "section":
            continue
        inner = [
            (c, f"{c} {n}", "")
            for c, n, p, level in industries
            if level == "division" and p == code
        ]
        if inner:
            groups.append(
                format_html(
                    '<optgroup label="{}">{}</optgroup>',
                    f"{code} {name}",
                    _options(inner, get("division") or "", with_parent=False),
                )
            )
    out["division"] = mark_safe("".join(groups))  # noqa: S308 (built with format_html)
    return out
