"""Each app keeps its audit vocabulary in one place: every event its code passes to
``audit(actor, "<event>", …)`` or to ``update_fields(…, event="<app>.<event>")`` is named in
the app's ``EVENT_ACTIONS`` (registered by ``common.services.event_audit``) — read from the
sources, so a new event without its entry fails here. The events app labels every event, and
the audit log shows the label, not the code."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.test import override_settings

import zhizao
from tests.factories import actor_for
from zhizao.common.models import AuditAction, AuditEntry
from zhizao.common.services import event_label, vocabulary

SRC = Path(zhizao.__file__).parent


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def events_in_sources() -> dict[str, dict[str, list[str]]]:
    """{app: {event: ["path:line", …]}} of every event named in a call of ``audit`` (the
    second argument) or ``update_fields`` (``event=``) under ``src/zhizao``."""
    found: dict[str, dict[str, list[str]]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        app = path.relative_to(SRC).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            name = _name(node.func)
            if name == "audit" and len(node.args) >= 2:
                arg = node.args[1]
                assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
                    f"{where}: audit's event is not a literal"
                )
                found.setdefault(app, {}).setdefault(arg.value, []).append(where)
            elif name == "update_fields":
                for kw in node.keywords:
                    if kw.arg == "event" and isinstance(kw.value, ast.Constant) and kw.value.value:
                        owner, _dot, event = kw.value.value.partition(".")
                        found.setdefault(owner, {}).setdefault(event, []).append(where)
    return found


def test_the_sources_name_events_of_every_auditing_app():
    """The reader sees the calls it checks (a reader that found none would pass anything)."""
    found = events_in_sources()
    assert sorted(found) == [
        "calls",
        "classroom",
        "diagnosis",
        "events",
        "insights",
        "matchmaking",
        "policies",
        "review",
    ]
    assert {"event_updated", "session_updated", "registration_type_updated"} <= set(found["events"])
    assert found["policies"]["item_updated"] == ["policies/services/policies.py:293"]


def test_every_audited_event_is_in_its_apps_vocabulary():
    found = events_in_sources()
    missing = {}
    for app, events in found.items():
        importlib.import_module(f"zhizao.{app}.services.base")  # registers the vocabulary
        known = vocabulary(app)
        assert known, f"{app} registers no EVENT_ACTIONS"
        gaps = {event: where for event, where in events.items() if event not in known}
        if gaps:
            missing[app] = gaps
    assert missing == {}


def test_every_events_event_has_a_label_in_both_languages():
    from django.utils import translation

    from zhizao.events.services.base import EVENT_ACTIONS, EVENT_LABELS

    assert sorted(EVENT_LABELS) == sorted(EVENT_ACTIONS)
    with translation.override("en"):
        assert event_label("events.event_updated") == "Event edited"
        assert event_label("events.session_updated") == "Session edited"
        assert event_label("events.registration_type_updated") == "Registration type edited"
        assert event_label("events.no_such_event") == "events.no_such_event"


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="en")
def test_the_audit_log_shows_an_events_label_not_its_code(client, operator):
    from zhizao.events.services.base import audit

    client.cookies["django_language"] = "en"
    audit(actor_for(operator), "demo_loaded", None, object_repr="events demo")
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.context) == (AuditAction.UPDATE, {"event": "events.demo_loaded"})
    client.force_login(operator)
    page = client.get("/audit/", {"q": "events demo"}).content.decode()
    assert '<div class="muted">Demo data loaded</div>' in page
    assert "events.demo_loaded" not in page
