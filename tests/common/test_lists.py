"""The class test of list pages: every list has search, at least one filter, sort, pagination and
export (``zhizao/common/lists.py``), or an exception below with its reason.

A list page is found three ways, so that a new one cannot slip past:

* its view declares a ``ListSpec`` (``@list_page(SPEC)`` or ``list_spec = SPEC``);
* its view's source pages rows (``paginate(`` or ``Paginator(``);
* it is named in ``LIST_PAGES``, the explicit register of list URL names (lists that show all
  their rows at once, or cut them off, are found only here), which must match the URL table.

Then the machinery itself is pinned: search normalisation and bounds, each filter kind, the
stable sort, the export format and the refusal of an oversized XLSX.
"""

from __future__ import annotations

import inspect

import pytest
from django.urls import URLResolver, get_resolver, reverse

from tests.common.list_support import read_csv
from tests.factories import PASSWORD, actor_for
from zhizao.common import lists as common_lists
from zhizao.common.audit import record
from zhizao.common.lists import ListSpec
from zhizao.common.models import AuditAction

# Every list page of the platform, by URL name.
LIST_PAGES = {
    "accounts:user_list",
    "audit_log",
    "notifications",
    "registry:organization_list",
    "registry:name_change_list",
    "registry:chain_list",
    "registry:import_list",
    "registry:import_detail",
    "diagnosis:home",
    "diagnosis:campaign_list",
    "diagnosis:campaign_detail",
    "policies:scan_detail",
    "policies:policy_list",
    "policies:project_list",
    "policies:my_policies",
    "policies:scan_list",
    "policies:public_name_lists",
    "policies:my_benefits",
    "policies:my_recognitions",
    "matchmaking:demand_list",
    "matchmaking:offering_list",
    "matchmaking:introduction_list",
    "matchmaking:challenge_list",
    "matchmaking:challenge_public_list",
    "events:public_list",
    "events:public_exhibitors",
    "events:event_list",
    "events:meetings",
    "events:registrations",
    "events:leads",
    "calls:call_list",
    "calls:nominations",
    "calls:formal_review",
    "calls:catalogue_list",
    "calls:catalogue_detail",
    "review:expert_list",
    "review:round_list",
    "review:my_assignments",
    "insights:report_list",
    "insights:report_new",
    "insights:records",
    "insights:jurisdiction_list",
    "calls:identities",
    "classroom:catalogue",
    "classroom:my_courses",
    "classroom:staff",
    "policies:name_list_detail",
    "review:my_availability",
    "review:my_bids",
}

# List pages without a spec, each with its reason.
EXCEPTIONS = {
    "registry:organization_list": (
        "complete before the shared machinery: its own filter form (cascading region and "
        "industry pickers, size, cluster, chain), relevance and column sorts, pagination with a "
        "page size, and the audited CSV/XLSX export with optional contacts "
        "(registry:organization_export)"
    ),
    "registry:chain_list": (
        "the chain overview: each chain with its weak-link assessment, a handful of rows "
        "assessed together (chain_assessments); not a record list"
    ),
    "registry:import_detail": (
        "the page of one import: its problems a page at a time, exported by registry:import_errors"
    ),
    "diagnosis:campaign_detail": (
        "the page of one campaign: its targets a page at a time, exported by "
        "diagnosis:campaign_export"
    ),
    "policies:scan_detail": (
        "the result of one scan: its eligible rows and those that need more information, each "
        "table a page at a time on its own page parameter, under the scan's counts and breakdowns; "
        "the rows go on as a name list (policies:name_list_detail)"
    ),
    "notifications": "a person's own inbox, newest first, read and unread",
    "policies:my_policies": (
        "the enterprise's evaluation of every policy item (the calculator), grouped by policy; "
        "not a stored list"
    ),
    "policies:my_benefits": "an enterprise's own name-list entries (a few a year)",
    "policies:my_recognitions": "an enterprise's own titles (a few), with add and remove forms",
    "policies:name_list_detail": (
        "the page of one name list: its entries a page at a time, with the confirm and object forms"
    ),
    "insights:jurisdiction_list": "the government units with their jurisdiction (a few rows)",
    "review:my_availability": (
        "an expert's own declarations, one row per round still being prepared (a few)"
    ),
    "review:my_bids": (
        "an expert's bidding form: the round's applications he may review, each with its bid"
    ),
    "classroom:my_courses": "a learner's own enrolments (a few), courses for open gaps first",
    "classroom:staff": (
        "an enterprise manager's view of its own staff's learning, with its own CSV/XLSX export"
    ),
    "events:public_exhibitors": (
        "the public exhibitor directory of one event, rendered once per version of the event and "
        "kept (events.public_cache): its Chinese search and zone filter are part of the cached "
        "body's key; a per-viewer sort or export would defeat the cache"
    ),
    "events:meetings": (
        "a participant's own meeting requests at one event (a few), with the request form and "
        "the partner search beside them"
    ),
    "calls:nominations": (
        "a nominating body's page of one call: the applications addressed to it (within its "
        "quota, a handful) in its own nomination order, with the move-up and nominate controls"
    ),
    "calls:catalogue_detail": (
        "the page of one published catalogue: its entries in rank order a page at a time, with "
        "Chinese search; exported by calls:catalogue_export"
    ),
}


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from _walk(pattern, prefix + namespace)
        elif pattern.name:
            yield prefix + pattern.name, pattern.callback


def _routes() -> dict:
    return {
        name: callback
        for name, callback in _walk(get_resolver())
        if not name.startswith(("api", "admin"))
    }


def spec_of(callback) -> ListSpec | None:
    return getattr(callback, "list_spec", None) or getattr(
        getattr(callback, "view_class", None), "list_spec", None
    )


def _paginates(callback) -> bool:
    target = getattr(callback, "view_class", None) or inspect.unwrap(callback)
    source = inspect.getsource(target)
    return "paginate(" in source or "Paginator(" in source


def test_the_register_of_list_pages_matches_the_url_table():
    routes = _routes()
    assert sorted(LIST_PAGES - routes.keys()) == []
    found = {n for n, cb in routes.items() if spec_of(cb) is not None or _paginates(cb)}
    # A new page that pages rows or declares a spec must be registered (and so checked).
    assert sorted(found - LIST_PAGES) == []


def test_every_list_page_is_complete_or_has_a_reason():
    routes = _routes()
    incomplete = []
    for name in sorted(LIST_PAGES):
        spec = spec_of(routes[name])
        if spec is None:
            if not EXCEPTIONS.get(name, "").strip():
                incomplete.append((name, "no spec and no exception"))
            continue
        if name in EXCEPTIONS:
            incomplete.append((name, "has a spec: remove its exception"))
        missing = [
            feature
            for feature, present in (
                ("search", bool(spec.search)),
                ("filter", len(spec.filters) >= 1),
                ("sort", len(spec.sorts) >= 1),
                ("pagination", spec.page_size > 0),
                ("export", set(spec.exports) == {"csv", "xlsx"} and bool(spec.columns)),
            )
            if not present
        ]
        if missing:
            incomplete.append((name, missing))
    assert incomplete == []
    assert sorted(set(EXCEPTIONS) - LIST_PAGES) == []


def test_the_converted_lists_are_these():
    routes = _routes()
    assert sorted(n for n in LIST_PAGES if spec_of(routes[n]) is not None) == [
        "accounts:user_list",
        "audit_log",
        "calls:call_list",
        "calls:catalogue_list",
        "calls:formal_review",
        "calls:identities",
        "classroom:catalogue",
        "diagnosis:campaign_list",
        "diagnosis:home",
        "events:event_list",
        "events:leads",
        "events:public_list",
        "events:registrations",
        "insights:records",
        "insights:report_list",
        "insights:report_new",
        "matchmaking:challenge_list",
        "matchmaking:challenge_public_list",
        "matchmaking:demand_list",
        "matchmaking:introduction_list",
        "matchmaking:offering_list",
        "policies:policy_list",
        "policies:project_list",
        "policies:public_name_lists",
        "policies:scan_list",
        "registry:import_list",
        "registry:name_change_list",
        "review:expert_list",
        "review:my_assignments",
        "review:round_list",
    ]


# --- the machinery ------------------------------------------------------------------------------


def test_region_prefixes_and_ancestors():
    assert common_lists.region_prefix("320000") == "32"
    assert common_lists.region_prefix("320200") == "3202"
    assert common_lists.region_prefix("320205") == "320205"
    assert common_lists.region_ancestors("320205") == ["320000", "320200", "320205"]
    assert common_lists.region_ancestors("320200") == ["320000", "320200"]
    assert common_lists.region_ancestors("320000") == ["320000"]


def test_a_spec_refuses_bad_sort_keys_and_colliding_names():
    with pytest.raises(ValueError, match="sort keys"):
        ListSpec(
            name="x",
            title="x",
            search=("a",),
            filters=(),
            sorts=(common_lists.Sort("a-b", "x", ("a",)),),
            default_sort="a-b",
            columns=(),
        )
    with pytest.raises(ValueError, match="default sort"):
        ListSpec(
            name="x",
            title="x",
            search=("a",),
            filters=(),
            sorts=(common_lists.Sort("a", "x", ("a",)),),
            default_sort="-b",
            columns=(),
        )
    with pytest.raises(ValueError, match="collide"):
        ListSpec(
            name="x",
            title="x",
            search=("a",),
            filters=(common_lists.Exact("sort", "x", "a"),),
            sorts=(common_lists.Sort("a", "x", ("a",)),),
            default_sort="a",
            columns=(),
        )


@pytest.mark.django_db
def test_an_oversized_xlsx_is_refused_with_a_message_and_csv_still_streams(
    client, operator, settings
):
    settings.ZHIZAO_XLSX_MAX_ROWS = 1
    for name in ("甲", "乙"):
        record(actor_for(operator), AuditAction.UPDATE, None, object_repr=name)
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)
    url = reverse("audit_log")
    response = client.get(url, {"export": "xlsx", "action": "update"})
    assert (response.status_code, response["Location"]) == (302, f"{url}?action=update")
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "2 rows are too many for a spreadsheet file (at most 1): narrow the filters or export "
        "CSV, which has no limit."
    ]
    rows = read_csv(client.get(url, {"export": "csv", "action": "update"}))
    assert [(r[4], r[6]) for r in rows] == [
        ("Action", "Object"),
        ("Updated", "乙"),
        ("Updated", "甲"),
    ]
