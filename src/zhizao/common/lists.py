"""One way to build a list page: a declarative ``ListSpec`` per list.

A spec names what the list's users need and nothing else:

* ``search`` — the fields a free-text search looks in. The query is bounded by
  ``validators.validate_search_query`` and normalised like the registry's (NFKC, case-folded,
  ``zhizao_core.text.normalize_search_text``); every word must occur in one of the fields.
* ``filters`` — ``Choice`` (a state, a kind, a role), ``Region`` (a province or city code:
  ``within`` selects rows whose region lies inside it, ``covers`` rows whose service area
  contains it or lies inside it), ``Industry`` (a ``Choice`` of divisions matched as a prefix),
  ``DateRange`` (from / to, ISO date inputs whatever the language). The blocks most lists share
  are built by ``state_filter``, ``region_filter``, ``updated_filter`` and ``updated_sort``.
* ``sorts`` — whitelisted keys (``?sort=key`` ascending, ``?sort=-key`` descending), each
  ending on the primary key so that pages never overlap; text sorts use the stored pinyin key
  (``name_sort``: GBK bytes) where the list sorts Chinese names. Empty values sort last.
* ``columns`` — the export: a label (translated) and a function of the row giving the value a
  person reads (labels, never codes).

``spec.run(request, queryset)`` applies the search, the filters and the sort to the queryset the
view has already restricted to what the viewer may see (the app's ``*_for`` function), pages it
with ``pagination.paginate`` and, for ``?export=csv`` or ``?export=xlsx``, answers with the
whole filtered list instead: CSV is streamed (any size), XLSX is built in memory up to
``XLSX_MAX_ROWS`` rows (more is refused with a message that names the CSV). An export of a list
marked ``personal_data`` is audit-logged with its filters and size (``services.record_export``).

A list whose rows are not one model's (the records behind a dashboard figure: each figure
reads its own model) passes a ``Provider`` to ``run``: the spec's search, filters and sorts
name fields the queryset annotates the same way whatever the model, and the provider turns
each chunk of rows into what the page and the export read (labels, links) and may name the
export's columns for this provider.

The page renders ``components/list_controls.html`` (search, filters, export links) and
``components/sort_header.html`` for its sortable columns, with ``listing`` in the context.
Views declare their spec with ``@list_page(SPEC)`` (or ``list_spec = SPEC`` on a class), so
that ``tests/common/test_lists.py`` finds every list page and checks it is complete.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import F, Q, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhizao.accounts.selectors import actor_for_request
from zhizao_core.text import normalize_search_text

from .exports import csv_stream, xlsx_bytes
from .pagination import paginate
from .services import record_export
from .validators import SEARCH_MAX_TERMS, search_field
from .widgets import ISO_MONTH, IsoDateInput, IsoMonthInput

XLSX_MAX_ROWS = 50_000  # settings.ZHIZAO_XLSX_MAX_ROWS overrides it
EXPORT_CHUNK = 1_000
EXPORT_FORMATS = ("csv", "xlsx")

ALL = gettext_lazy("All")
ALL_REGIONS = gettext_lazy("All regions")
ALL_INDUSTRIES = gettext_lazy("All industries")
SEARCH = gettext_lazy("Search")
SORT = gettext_lazy("Sort by")
STATE = gettext_lazy("State")
ALL_STATES = gettext_lazy("All states")
REGION = gettext_lazy("Region")
UPDATED = gettext_lazy("Updated")

Label = str | Promise
Choices = Sequence[tuple[str, Any]] | Callable[[], Sequence[tuple[str, Any]]]


def _choices(choices: Choices) -> list[tuple[str, Any]]:
    return list(choices() if callable(choices) else choices)


# --- filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One value out of a fixed set (a state, a kind, a role): ``field = value``."""

    name: str
    label: Label
    field: str
    choices: Choices
    all_label: Label = ALL
    json: bool = False  # ``field`` is a JSON list of codes: rows whose list holds the value
    lookup: Callable[[str], Q] | None = None  # the condition of a value, when not ``field = value``
    startswith: bool = False  # the value is a prefix of the row's code (``field__startswith``)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,)

    def form_fields(self) -> dict[str, forms.Field]:
        return {
            self.name: forms.ChoiceField(
                label=self.label,
                required=False,
                choices=[("", self.all_label), *_choices(self.choices)],
            )
        }

    def apply(self, qs: QuerySet, data: dict) -> QuerySet:
        value = data.get(self.name)
        if not value:
            return qs
        if self.lookup is not None:
            return qs.filter(self.lookup(value))
        if self.json:
            # The code as a quoted string inside the stored text (both databases).
            return qs.filter(**{f"{self.field}__icontains": f'"{value}"'})
        if self.startswith:
            return qs.filter(**{f"{self.field}__startswith": value})
        return qs.filter(**{self.field: value})

    def describe(self, data: dict) -> dict[str, str]:
        return {self.name: data[self.name]} if data.get(self.name) else {}


@dataclass(frozen=True)
class Exact:
    """A typed value that must match exactly (a user name from a link): ``field = value``."""

    name: str
    label: Label
    field: str
    max_length: int = 150

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,)

    def form_fields(self) -> dict[str, forms.Field]:
        return {
            self.name: forms.CharField(
                label=self.label, required=False, strip=True, max_length=self.max_length
            )
        }

    def apply(self, qs: QuerySet, data: dict) -> QuerySet:
        value = data.get(self.name)
        return qs.filter(**{self.field: value}) if value else qs

    def describe(self, data: dict) -> dict[str, str]:
        return {self.name: data[self.name]} if data.get(self.name) else {}


def region_prefix(code: str) -> str:
    """The prefix every region inside ``code`` starts with: 320000 → 32, 320200 → 3202."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def region_ancestors(code: str) -> list[str]:
    """``code`` and the regions that contain it: 320205 → 320000, 320200, 320205."""
    out = [code[:2] + "0000", code[:4] + "00", code]
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Region:
    """A province or city (or district) code.

    ``mode="within"``: the row's region (``field``, a code or a code-keyed foreign key) lies
    inside the chosen one. ``mode="covers"``: the row serves the chosen region — its area is the
    region, a region containing it, or a region inside it (a policy of Jiangsu covers Wuxi, a
    policy of Wuxi's Liangxi district is one of Wuxi's). ``json=True``: ``field`` is a JSON list
    of codes (an offering's service regions)."""

    name: str
    label: Label
    field: str
    choices: Choices
    mode: str = "within"
    json: bool = False
    empty_covers: bool = False  # with "covers": a row without a region applies everywhere
    all_label: Label = ALL_REGIONS

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,)

    def form_fields(self) -> dict[str, forms.Field]:
        return {
            self.name: forms.ChoiceField(
                label=self.label,
                required=False,
                choices=[("", self.all_label), *_choices(self.choices)],
            )
        }

    def q(self, code: str) -> Q:
        prefix = region_prefix(code)
        if self.json:
            # The codes as quoted strings inside the stored text (both databases).
            inside = Q(**{f"{self.field}__icontains": f'"{prefix}'})
            if self.mode == "within":
                return inside
            around = Q()
            for ancestor in region_ancestors(code):
                around |= Q(**{f"{self.field}__icontains": f'"{ancestor}"'})
            return inside | around
        inside = Q(**{f"{self.field}__startswith": prefix})
        if self.mode == "within":
            return inside
        covers = inside | Q(**{f"{self.field}__in": region_ancestors(code)})
        if self.empty_covers:
            covers |= Q(**{f"{self.field}__isnull": True})
        return covers

    def apply(self, qs: QuerySet, data: dict) -> QuerySet:
        value = data.get(self.name)
        return qs.filter(self.q(value)) if value else qs

    def describe(self, data: dict) -> dict[str, str]:
        return {self.name: data[self.name]} if data.get(self.name) else {}


@dataclass(frozen=True)
class Industry(Choice):
    """An industry division (or any level): a ``Choice`` matched as the start of the row's
    industry code (``field__startswith``), so that a division selects every class under it."""

    all_label: Label = ALL_INDUSTRIES
    startswith: bool = True


@dataclass(frozen=True)
class DateRange:
    """From / to (both included) on a date or a date-time field (``?<name>_from=2026-01-01``);
    ``months``: the bounds are months picked as months (``?month_from=2026-01``), the "to"
    month included to its last day."""

    name: str
    label: Label
    field: str
    datetime: bool = True
    months: bool = False

    @property
    def names(self) -> tuple[str, str]:
        return f"{self.name}_from", f"{self.name}_to"

    def _field(self, bound) -> forms.Field:
        words = {
            "from": pgettext_lazy("date range", "from"),
            "to": pgettext_lazy("date range", "to"),
        }
        label = format_lazy("{} · {}", self.label, words[bound])
        if self.months:
            return forms.DateField(
                label=label,
                required=False,
                input_formats=[ISO_MONTH, "%Y-%m-%d"],  # a link with a day still works
                widget=IsoMonthInput(),
            )
        return forms.DateField(label=label, required=False, widget=IsoDateInput())

    def form_fields(self) -> dict[str, forms.Field]:
        low, high = self.names
        return {low: self._field("from"), high: self._field("to")}

    def apply(self, qs: QuerySet, data: dict) -> QuerySet:
        low, high = self.names
        path = f"{self.field}__date" if self.datetime else self.field
        if data.get(low):
            qs = qs.filter(**{f"{path}__gte": data[low]})
        if data.get(high):
            end = data[high]
            if self.months:
                end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
            qs = qs.filter(**{f"{path}__lte": end})
        return qs

    def describe(self, data: dict) -> dict[str, str]:
        return {
            n: data[n].strftime(ISO_MONTH) if self.months else data[n].isoformat()
            for n in self.names
            if data.get(n)
        }


Filter = Choice | Exact | Region | DateRange


# --- the blocks most lists share ----------------------------------------------------------------


def state_filter(choices: Choices, *, field: str = "state") -> Choice:
    """``?state=``: one of the row's states, labelled "State" / "All states"."""
    return Choice("state", STATE, field, choices, all_label=ALL_STATES)


def region_filter(
    field: str,
    choices: Choices,
    *,
    label: Label = REGION,
    mode: str = "within",
    json: bool = False,
    empty_covers: bool = False,
) -> Region:
    """``?region=``: a province or city (see ``Region``); ``choices`` are the registry's
    (``registry.selectors.region_filter_choices``: common knows no app)."""
    return Region("region", label, field, choices, mode=mode, json=json, empty_covers=empty_covers)


def updated_filter(field: str = "updated_at") -> DateRange:
    """``?updated_from=&updated_to=``: the day of the last change."""
    return DateRange("updated", UPDATED, field)


# --- sort and columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    """A sort key: ``fields`` in ascending order for ``?sort=key`` (the primary key is added
    last), all reversed for ``?sort=-key``. Keys contain no "-"."""

    key: str
    label: Label
    fields: tuple[str, ...]

    def order(self, descending: bool) -> list:
        fields = [*self.fields, "pk"]
        if descending:
            return [F(f).desc(nulls_last=True) for f in fields]
        return [F(f).asc(nulls_last=True) for f in fields]


def updated_sort(field: str = "updated_at") -> Sort:
    """``?sort=updated``: by the last change."""
    return Sort("updated", UPDATED, (field,))


@dataclass(frozen=True)
class Column:
    """One column of the export: its title and the value a person reads for a row."""

    label: Label
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Provider:
    """The provider hook: ``rows(chunk)`` turns a list of the queryset's rows (a page, or
    ``EXPORT_CHUNK`` rows of an export) into the rows the page and the export columns read;
    ``columns``, when given, replace the spec's for the export (a figure without amounts has
    no amount column)."""

    rows: Callable[[list], list]
    columns: tuple[Column, ...] | None = None


# --- the spec -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListSpec:
    name: str  # stable: the export's file name and the audit entry ("diagnosis-assessments")
    title: Label  # the sheet name and the audit entry's object
    search: tuple[str, ...]
    filters: tuple[Filter, ...]
    sorts: tuple[Sort, ...]
    default_sort: str  # "-updated": a key of ``sorts``, with its direction
    columns: tuple[Column, ...]
    search_label: Label = SEARCH
    search_placeholder: Label = ""
    page_size: int = 25
    personal_data: bool = False  # exports are audit-logged
    exports: tuple[str, ...] = EXPORT_FORMATS

    def __post_init__(self):
        keys = [s.key for s in self.sorts]
        if any("-" in k for k in keys) or len(set(keys)) != len(keys):
            raise ValueError(f"{self.name}: sort keys must be unique and contain no '-'")
        if self.default_sort.lstrip("-") not in keys:
            raise ValueError(f"{self.name}: the default sort is not one of its keys")
        names = [n for f in self.filters for n in f.names]
        if len(set(names)) != len(names) or {"q", "sort", "page", "export"} & set(names):
            raise ValueError(f"{self.name}: filter names collide")

    # -- the form

    def form_class(self) -> type[forms.Form]:
        fields: dict[str, forms.Field] = {"q": search_field(self.search_label)}
        if self.search_placeholder:
            fields["q"].widget.attrs["placeholder"] = self.search_placeholder
        for f in self.filters:
            fields.update(f.form_fields())
        fields["sort"] = forms.ChoiceField(
            label=SORT,
            required=False,
            initial=self.default_sort,
            choices=lambda: [
                (value, format_lazy("{} {}", s.label, arrow))
                for s in self.sorts
                for value, arrow in ((s.key, "↑"), (f"-{s.key}", "↓"))
            ],
        )
        return type(f"{self.name.title().replace('-', '')}ListForm", (forms.Form,), fields)

    @property
    def filter_names(self) -> list[str]:
        return [n for f in self.filters for n in f.names]

    # -- applying it

    def apply(self, qs: QuerySet, data: dict) -> QuerySet:
        terms = [
            t for t in normalize_search_text(data.get("q") or "").replace("|", " ").split() if t
        ][:SEARCH_MAX_TERMS]
        for term in terms:
            match = Q()
            for path in self.search:
                match |= Q(**{f"{path}__icontains": term})
            qs = qs.filter(match)
        for f in self.filters:
            qs = f.apply(qs, data)
        return qs.order_by(*self.order(data.get("sort") or ""))

    def order(self, sort: str) -> list:
        by_key = {s.key: s for s in self.sorts}
        key = sort.lstrip("-")
        if key not in by_key:
            sort, key = self.default_sort, self.default_sort.lstrip("-")
        return by_key[key].order(sort.startswith("-"))

    def run(
        self,
        request,
        queryset: QuerySet,
        *,
        initial: dict[str, str] | None = None,
        provider: Provider | None = None,
    ):
        """The page's ``Listing`` — or, for ``?export=…``, the export response
        (``listing.response``). ``provider``: see ``Provider``.

        ``initial``: filter values a page starts from when the query does not name them (the
        formal review starts on the applications waiting for it); the filter's "All" option
        sends the name with an empty value and so shows every row."""
        query = None
        if request.GET or initial:
            query = request.GET.copy()
            for name, value in (initial or {}).items():
                if name not in query:
                    query[name] = value
            if not query.get("sort"):
                query["sort"] = self.default_sort
        form = self.form_class()(query)
        data = _valid_data(form)
        qs = self.apply(queryset, data)
        sort = data.get("sort") or ""
        if sort.lstrip("-") not in {s.key for s in self.sorts}:
            sort = self.default_sort
        fmt = request.GET.get("export", "")
        if fmt in self.exports:
            response = export_response(request, self, qs, fmt, data=data, provider=provider)
            return Listing(self, form, data, sort, None, response)
        page = paginate(request, qs, self.page_size)
        if provider is not None:
            page.object_list = provider.rows(list(page.object_list))
        return Listing(self, form, data, sort, page, None)


def _valid_data(form: forms.Form) -> dict:
    """The values of the valid fields; an invalid one counts as not given (its error is shown
    by the form)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return {k: v for k, v in form.cleaned_data.items() if k not in form.errors}


@dataclass
class Listing:
    spec: ListSpec
    form: forms.Form
    data: dict
    sort: str
    page_obj: Any
    response: HttpResponse | None
    keep: list[tuple[str, str]] = field(default_factory=list)  # other parameters of the page

    @property
    def filtered(self) -> bool:
        return bool(self.data.get("q")) or any(self.data.get(n) for n in self.spec.filter_names)

    @property
    def search_field(self):
        return self.form["q"]

    @property
    def filter_fields(self):
        return [self.form[n] for n in [*self.spec.filter_names, "sort"]]

    @property
    def sort_field(self):
        return self.form["sort"]

    def context(self) -> dict:
        return {
            "listing": self,
            "page_obj": self.page_obj,
            "paginator": self.page_obj.paginator,
            "current_sort": self.sort,
        }


def list_page(spec: ListSpec):
    """Mark a view function as the page of ``spec`` (put it under ``@login_required``)."""

    def mark(view):
        view.list_spec = spec
        return view

    return mark


# --- exports ------------------------------------------------------------------------------------


def _columns(spec: ListSpec, provider: Provider | None) -> tuple[Column, ...]:
    return provider.columns if provider is not None and provider.columns else spec.columns


def export_rows(spec: ListSpec, qs: QuerySet, provider: Provider | None = None) -> Iterable[list]:
    columns = _columns(spec, provider)
    if provider is None:
        for row in qs.iterator(chunk_size=EXPORT_CHUNK):
            yield [column.value(row) for column in columns]
        return
    chunk: list = []
    for row in qs.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK:
            yield from ([c.value(r) for c in columns] for r in provider.rows(chunk))
            chunk = []
    if chunk:
        yield from ([c.value(r) for c in columns] for r in provider.rows(chunk))


def export_header(spec: ListSpec, provider: Provider | None = None) -> list[str]:
    return [str(c.label) for c in _columns(spec, provider)]


def describe_filters(spec: ListSpec, data: dict) -> dict[str, str]:
    out = {"q": data["q"]} if data.get("q") else {}
    for f in spec.filters:
        out.update(f.describe(data))
    if data.get("sort"):
        out["sort"] = data["sort"]
    return out


def export_response(
    request, spec: ListSpec, qs: QuerySet, fmt: str, *, data: dict, provider: Provider | None = None
):
    if fmt == "xlsx":
        rows = qs.count()
        limit = getattr(settings, "ZHIZAO_XLSX_MAX_ROWS", XLSX_MAX_ROWS)
        if rows > limit:
            messages.warning(
                request,
                _(
                    "%(rows)s rows are too many for a spreadsheet file (at most %(max)s): "
                    "narrow the filters or export CSV, which has no limit."
                )
                % {"rows": rows, "max": limit},
            )
            query = request.GET.copy()
            query.pop("export", None)
            return redirect(f"{request.path}?{query.urlencode()}")
    if spec.personal_data:
        record_export(
            actor_for_request(request),
            list_name=spec.name,
            title=str(spec.title),
            fmt=fmt,
            rows=qs.count(),
            filters=describe_filters(spec, data),
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{spec.name}-{stamp}.{fmt}"
    header = export_header(spec, provider)
    lines = export_rows(spec, qs, provider)
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_stream(header, lines), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            xlsx_bytes(header, lines, sheet=str(spec.title)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
