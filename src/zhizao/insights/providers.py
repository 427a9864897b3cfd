"""The registry of figures and report activities. Each app declares what it counts in its own
``<app>/insights.py`` (imported by ``InsightsConfig.ready``); the insights app knows no app.

A ``Figure`` names a queryset, the path from its rows to the organisation they belong to,
the date that places a row in a month and the value summed (a count or an amount). The
refresh aggregates every figure the same way into ``Fact`` rows, so a new app's figures appear
on the dashboards and in the report without a change here.

An ``ActivitySource`` lists what happened in a month (events, campaigns, calls' milestones …)
for the report, each activity with its report section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhizao_core.insights import Activity


@dataclass(frozen=True)
class Figure:
    name: str  # "<app>.<figure>", stable: the API, exports and reports use it
    label: Any  # lazy translation
    area: str  # the dashboard panel it belongs to
    queryset: Callable[[], Any]
    date: str  # field path giving the month
    organization: str = ""  # path to the Organization ("" when the rows are organisations)
    amount: str = ""  # field summed; counted rows when empty
    key: str = ""  # field path splitting the figure (level, policy, title …)
    unit: str = "count"  # "count" or "yuan"
    stock: bool = False  # show running totals (a registry) rather than monthly flows
    order: int = 100
    # records(filters) → URL of the records behind the number (the list page of the owning
    # app filtered the same way), or "" when there is no such page.
    records: Callable[[dict[str, str]], str] | None = None
    key_labels: Callable[[], dict[str, str]] | None = None
    # detail(row) → URL of one record on the records page (the project, the organisation …)
    detail: Callable[[Any], str] | None = None
    in_report: bool = True
    # The records page lists only the organisations and dates, not each row's key or value
    # (officers see diagnosis results as distributions, never one enterprise's level).
    private: bool = False
    # budgets() → {key: budget in yuan}: the figure is burnt down against them (subsidies
    # paid against each policy's budget).
    budgets: Callable[[], dict[str, Any]] | None = None


@dataclass(frozen=True)
class ActivitySource:
    name: str
    # fetch(first_day, last_day, scope_prefix) → activities of the month within the scope
    fetch: Callable[[dt.date, dt.date, str], list[Activity]]


@dataclass
class _Registry:
    figures: dict[str, Figure] = field(default_factory=dict)
    activities: dict[str, ActivitySource] = field(default_factory=dict)


_REGISTRY = _Registry()


def register_figure(figure: Figure) -> None:
    _REGISTRY.figures[figure.name] = figure


def register_activities(source: ActivitySource) -> None:
    _REGISTRY.activities[source.name] = source


def figures() -> list[Figure]:
    return sorted(_REGISTRY.figures.values(), key=lambda f: (f.order, f.name))


def figure(name: str) -> Figure | None:
    return _REGISTRY.figures.get(name)


def activity_sources() -> list[ActivitySource]:
    return [s for _n, s in sorted(_REGISTRY.activities.items())]
