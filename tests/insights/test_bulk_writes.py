"""Writes that send no model signal (``QuerySet.update()``, ``bulk_update()``) on a model the
summary tables read must be announced with ``common.bulk.bulk_write``, or the incremental
refresh misses them until the nightly full rebuild.

Two guards: a static one that finds every such write on a source model in ``src/zhizao`` and
fails on one that is neither inside ``with bulk_write(...)`` nor listed below with its reason;
and behavioural ones that run the services which write in bulk and assert that the
incremental refresh then equals a full rebuild."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import actor_for, make_user
from zhizao.accounts.enums import Role
from zhizao.diagnosis import services as diagnosis
from zhizao.diagnosis.cache import clear_provider_index
from zhizao.diagnosis.loading import shipped_model_files
from zhizao.diagnosis.models import Answer, Assessment
from zhizao.diagnosis.selectors import default_model
from zhizao.insights import services
from zhizao.insights.dirty import _sources
from zhizao.insights.models import DirtyMonth, Fact
from zhizao.registry.models import Organization
from zhizao.registry.services import organizations as registry

SRC = Path(__file__).resolve().parents[2] / "src" / "zhizao"
BULK = {"update", "bulk_update"}

# (file under src/zhizao, enclosing function, model): why no marking is needed
UNMARKED = {
    ("events/services/base.py", "touch_public", "Event"): (
        "public_version is the public page cache's key; no figure reads it"
    ),
    ("events/services/meetings.py", "send_reminders", "MeetingRequest"): (
        "reminded_at: no figure reads it"
    ),
    ("review/services/notifications.py", "send_reminders", "ReviewRound"): (
        "reminded_on: no figure reads it"
    ),
    (
        "events/demo.py",
        "_participants",
        "Registration",
    ): "demo data: the demo ends with a full refresh",
    (
        "events/demo.py",
        "_meetings",
        "MeetingRequest",
    ): "demo data: the demo ends with a full refresh",
    ("events/demo.py", "_meetings", "Event"): "demo data: the demo ends with a full refresh",
    ("registry/services/demo.py", "_spread_registration_dates", "Organization"): (
        "demo data: the demo ends with a full refresh"
    ),
    ("diagnosis/demo.py", "load_demo_assessments", "Assessment"): (
        "demo data: the demo ends with a full refresh"
    ),
}


def _model_of(node: ast.AST, names: set[str], assigned: dict[str, ast.AST]) -> str | None:
    """The source model a queryset expression starts from (``Model.objects…`` or a local
    variable assigned from one), if any."""
    seen = 0
    while seen < 50:
        seen += 1
        if isinstance(node, ast.Attribute):
            if node.attr in ("objects", "_default_manager") and isinstance(node.value, ast.Name):
                return node.value.id if node.value.id in names else None
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name) and node.id in assigned:
            node = assigned.pop(node.id)
        else:
            return None
    return None


def _is_bulk_write(item: ast.withitem) -> bool:
    call = item.context_expr
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "bulk_write"
    )


def bulk_write_sites() -> list[tuple[str, str, str, int, bool]]:
    """Every ``update``/``bulk_update`` on a source model: (file, function, model, line,
    inside ``with bulk_write``)."""
    names = {model.__name__ for model in _sources()}
    sites = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(SRC).as_posix()

        def visit(node, function, assigned, wrapped, rel=rel):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                function, assigned = node.name, {}
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    assigned[target.id] = node.value
            if isinstance(node, ast.With) and any(_is_bulk_write(i) for i in node.items):
                wrapped = True
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in BULK
            ):
                model = _model_of(node.func.value, names, dict(assigned))
                if model:
                    sites.append((rel, function, model, node.lineno, wrapped))
            for child in ast.iter_child_nodes(node):
                visit(child, function, assigned, wrapped)

        visit(tree, "<module>", {}, False)
    return sites


def test_every_bulk_write_on_a_source_model_marks_its_months():
    sites = bulk_write_sites()
    unmarked = {(f, fn, m) for f, fn, m, _line, wrapped in sites if not wrapped}
    wrapped = {(f, fn, m) for f, fn, m, _line, w in sites if w}
    assert sorted(unmarked - set(UNMARKED)) == []  # wrap it in bulk_write, or list it
    assert sorted(set(UNMARKED) - unmarked) == []  # a listed site that no longer exists
    # the services that write in bulk and mark (a regression would move them above)
    assert wrapped == {
        ("diagnosis/services/assessments.py", "submit", "Assessment"),
        ("diagnosis/services/campaigns.py", "propose_allocation", "CampaignTarget"),
        ("diagnosis/services/campaigns.py", "set_campaign_state", "Campaign"),
        ("events/services/meetings.py", "_write_result", "MeetingRequest"),
        ("events/services/meetings.py", "publish_schedule", "MeetingRequest"),
        ("events/services/meetings.py", "_place_one", "MeetingRequest"),
        ("events/services/programme.py", "update_event", "MeetingRequest"),
        ("policies/services/namelists.py", "freeze_announcement", "NameListEntry"),
        ("registry/services/imports.py", "apply_plan", "Organization"),
        ("registry/services/organizations.py", "set_organization_active", "Organization"),
    }


FIELDS = ("figure", "key", "month", "region_code", "industry_division", "size", "group", "value")


def table() -> list[tuple]:
    return sorted(Fact.objects.values_list(*FIELDS))


def assert_incremental_equals_full(months: list[str]) -> None:
    refresh = services.refresh_facts(incremental=True)
    assert refresh.incremental is True
    assert refresh.months == months
    incremental = table()
    services.refresh_facts()
    assert incremental == table()


def this_month() -> str:
    today = timezone.localdate()
    return dt.date(today.year, today.month, 1).isoformat()


@pytest.mark.django_db
def test_archiving_an_organisation_marks_its_months(city_world, operator):
    c = city_world["orgs"]["c"]
    Organization.objects.filter(pk=c.pk).update(
        created_at=dt.datetime(2026, 3, 15, 10, tzinfo=dt.UTC)
    )
    services.refresh_facts()

    def march():
        return list(
            Fact.objects.filter(
                figure="registry.enterprises", month=dt.date(2026, 3, 1), group="", size="*"
            ).values_list("region_code", "value")
        )

    assert march() == [("320205", 1)]

    assert registry.set_organization_active(actor_for(operator), c, active=False) is True
    assert set(DirtyMonth.objects.values_list("month", flat=True)) == {dt.date(2026, 3, 1)}
    assert_incremental_equals_full(["2026-03-01"])
    assert march() == []  # the archived enterprise no longer counts

    assert registry.set_organization_active(actor_for(operator), c, active=True) is True
    assert_incremental_equals_full(["2026-03-01"])
    assert march() == [("320205", 1)]


@pytest.mark.django_db
def test_a_new_self_assessment_marks_the_month_of_the_one_it_replaces(city_world):
    load = diagnosis.load_model_files
    load(shipped_model_files())
    clear_provider_index()
    model = default_model()
    org = city_world["orgs"]["b"]
    actor = actor_for(make_user("ent-b", role=Role.ENTERPRISE, organization=org))

    def submit():
        a = diagnosis.start_self_assessment(actor, org, model, "discrete")
        Answer.objects.bulk_create(
            Answer(assessment=a, requirement_id=r.id, value="1")
            for r in model.parsed().asked(a.enterprise_type)
        )
        a.answered_count = len(model.parsed().asked(a.enterprise_type))
        a.save(update_fields=["answered_count"])
        return diagnosis.submit(actor, a)

    first = submit()
    Assessment.objects.filter(pk=first.pk).update(
        submitted_at=dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC)
    )
    services.refresh_facts()

    def february(figure):
        return list(
            Fact.objects.filter(
                month=dt.date(2026, 2, 1), figure=figure, group="", size="*"
            ).values_list("key", "value")
        )

    assert february("diagnosis.latest_level") != []

    second = submit()
    assert list(
        Assessment.objects.filter(organization=org).order_by("pk").values_list("is_latest")
    ) == [(False,), (True,)]
    assert second.is_latest is True
    assert_incremental_equals_full(["2026-02-01", this_month()])
    # the replaced assessment no longer counts in February's latest-level figures
    assert february("diagnosis.latest_level") == []
