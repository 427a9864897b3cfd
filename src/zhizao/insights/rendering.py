"""The dashboard's figures drawn as HTML: panels, charts, the map and its table.

The drawn part depends only on the filters (scope included), the figure on the map, the
language (with the translation catalogues' version, ``common.catalogue``: new ``.mo`` files
draw new bodies) and the summary tables — which change only when they are refreshed. So it is
drawn once per (filters, map figure, language, catalogues, refresh) and kept in the shared
cache; a page view
then reads one cache row instead of the summary table, and draws no SVG. A refresh writes a
new ``Refresh`` row, whose id is in the key: the next view draws the new figures."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override

from zhizao.common.catalogue import catalogue_version

from . import charts
from .access import EVERYWHERE, Scope, scope_of_region
from .forms import FilterForm
from .models import Jurisdiction
from .providers import figure, figures
from .selectors import Filters, by_region, dashboard, default_period, filter_choices

AREAS = (
    ("registry", "企业库"),
    ("diagnosis", "诊断评估"),
    ("projects", "智改数转项目与投资"),
    ("subsidies", "政策资金"),
    ("matchmaking", "供需对接"),
    ("recognitions", "荣誉认定"),
    ("calls", "申报评审"),
    ("events", "活动与对接会"),
    ("classroom", "云课堂"),
)
FUNNEL = (
    "matchmaking.suggested",
    "matchmaking.requested",
    "matchmaking.accepted",
    "matchmaking.met",
    "matchmaking.deal",
)
DEFAULT_MAP = "registry.enterprises"
BODY_TIMEOUT = 2 * 24 * 3600  # a refresh changes the key long before this


def map_figure_name(name: str | None) -> str:
    return name if name and figure(name) is not None else DEFAULT_MAP


def figures_context(filters: Filters, map_name: str) -> dict:
    """Everything the dashboard draws for ``filters``: panels with their charts, the funnel,
    the budgets' burn-down, the map and the table under it."""
    data = dashboard(filters)
    map_name = map_figure_name(map_name)
    region_rows = by_region(filters, map_name)
    map_fig = figure(map_name)
    panels = []
    for area, title in AREAS:
        items = [v for v in data["values"].values() if v.figure.area == area]
        if not items:
            continue
        panel = {"area": area, "title": title, "figures": items, "charts": []}
        for item in items:
            if item.keys:
                svg = charts.bar_svg(
                    [
                        {"label": k["label"], "value": k["value"], "link": k["link"]}
                        for k in item.keys
                    ],
                    title=str(item.figure.label),
                )
            else:
                svg = charts.columns_svg(
                    data["monthly"][item.figure.name], title=str(item.figure.label)
                )
            panel["charts"].append({"figure": item.figure, "svg": svg})
        panels.append(panel)
    budgets = [
        {
            **b,
            "svg": charts.columns_svg(
                [{**p, "value": max(p["value"], Decimal("0"))} for p in b["points"]],
                title=str(b["label"]),
                height=140,
            ),
        }
        for b in data["budgets"]
    ]
    return {
        "filters": filters,
        "panels": panels,
        "funnel": [data["values"][n] for n in FUNNEL if n in data["values"]],
        "budgets": budgets,
        "map_figure": map_fig,
        "map_svg": charts.map_svg(region_rows, title=str(map_fig.label)),
        "region_rows": region_rows,
        "boundary": charts.boundaries(),
        "map_figures": [f for f in figures() if not f.key],
        "query": filters.query(),
    }


def body_key(filters: Filters, map_name: str, refresh_id: int | None, own: Scope) -> str:
    parts = (
        own.code,
        filters.scope.code,
        filters.cluster,
        filters.chain,
        filters.division,
        filters.size,
        filters.start.isoformat() if filters.start else "",
        filters.end.isoformat() if filters.end else "",
        map_figure_name(map_name),
        get_language() or "",
        catalogue_version(),
    )
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"insights:body:{refresh_id or 0}:{digest}"


# The bodies this process served last, in front of the shared cache: a hit costs no query
# and no unpickling of ~200 KB. A key never changes meaning (its refresh is immutable, and
# the refresh's start time tells apart two databases that reused an id), so nothing is ever
# invalidated here; the oldest entries go when the store holds more than LOCAL_BYTES.
LOCAL_BYTES = 32 * 1024 * 1024
_local: OrderedDict[tuple, str] = OrderedDict()
_local_bytes = 0
_local_lock = threading.Lock()


def _local_get(key: tuple) -> str | None:
    with _local_lock:
        body = _local.get(key)
        if body is not None:
            _local.move_to_end(key)
        return body


def _local_put(key: tuple, body: str) -> None:
    global _local_bytes
    with _local_lock:
        if key in _local:
            return
        _local[key] = body
        _local_bytes += len(body)
        while _local_bytes > LOCAL_BYTES and len(_local) > 1:
            _old, dropped = _local.popitem(last=False)
            _local_bytes -= len(dropped)


def clear_local() -> None:
    global _local_bytes
    with _local_lock:
        _local.clear()
        _local_bytes = 0


def dashboard_body(filters: Filters, map_name: str, refresh, own: Scope) -> SafeString:
    """The drawn dashboard (HTML: the filter form with the choices of the user's own scope
    ``own``, then the figures), from this process's store or the shared cache when this
    refresh drew it before."""
    key = body_key(filters, map_name, refresh.pk if refresh else None, own)
    local_key = (key, refresh.started_at.isoformat() if refresh else "")
    body = _local_get(local_key) if refresh is not None else None
    if body is None:
        body = cache.get(key)
        if body is None:
            context = figures_context(filters, map_name)
            context.update(
                choices=filter_choices(own),
                form=FilterForm(initial={"size": filters.size}),
            )
            body = str(render_to_string("insights/_dashboard_body.html", context))
            cache.set(key, body, BODY_TIMEOUT)
        if refresh is not None:
            _local_put(local_key, body)
    return mark_safe(body)  # noqa: S308 - our own template, rendered with autoescape


def warm_dashboards(refresh) -> int:
    """Draw, right after a refresh, the page each officer opens first (his whole
    jurisdiction, the default period, in the default language) and the operators' page, so
    that nobody waits for the drawing. Returns the number of pages drawn."""
    scopes = {EVERYWHERE}
    for jurisdiction in Jurisdiction.objects.select_related("region"):
        scopes.add(scope_of_region(jurisdiction.region))
    start, end = default_period()
    with override(settings.LANGUAGE_CODE):
        for scope in sorted(scopes, key=lambda s: s.code):
            dashboard_body(
                Filters(scope=scope, start=start, end=end), DEFAULT_MAP, refresh, own=scope
            )
    return len(scopes)
