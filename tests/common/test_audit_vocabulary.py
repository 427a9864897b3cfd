"""Each app keeps its audit vocabulary in one place: every event its code passes to
``audit(actor, "<event>", …)`` or to ``update_fields(…, event="<app>.<event>")`` is named in
the app's ``EVENT_ACTIONS`` (registered by ``common.services.event_audit``) — read from the
sources, so a new event without its entry fails here. Every app labels every event (in English
and Chinese), and the audit log and its export show the label, not the code."""

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


# One audited event of each app, recorded through the app's own audit function (policies' scans
# and name lists record theirs with ``audit_event``), and its label in English.
ONE_EVENT_OF_EACH_APP = {
    "calls": ("call_created", "Call created"),
    "classroom": ("certificate_issued", "Certificate issued"),
    "diagnosis": ("campaign_exported", "Diagnosis campaign exported"),
    "events": ("exported", "Table exported"),
    "insights": ("report_published", "Report published"),
    "matchmaking": ("consent_withdrawn", "Contact sharing withdrawn"),
    "policies": ("scan_started", "Eligibility scan started"),
    "review": ("recusal", "Expert recused"),
}


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _chinese_translations() -> dict[str, str]:
    """{msgid: 中文} of the Chinese catalogue and of the side files the lead merges into it."""
    import json
    import re

    locale = SRC / "locale"
    po = (locale / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    found = dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po, re.M))
    for path in sorted((locale / "pending").glob("*.json")):
        found.update(json.loads(path.read_text(encoding="utf-8")))
    return found


class TestEveryAppsEventsHaveLabels:
    """No app shows its raw ``app.event`` codes in the audit log or its export."""

    def _apps(self) -> list[str]:
        apps = sorted(events_in_sources())
        for app in apps:
            importlib.import_module(f"zhizao.{app}.services.base")
        return apps

    def test_every_event_of_every_vocabulary_has_an_english_and_a_chinese_label(self):
        from django.utils import translation

        chinese = _chinese_translations()
        unlabelled, untranslated = [], []
        for app in self._apps():
            for event in vocabulary(app):
                code = f"{app}.{event}"
                with translation.override("en"):
                    english = event_label(code)
                if english == code or _chinese(english):
                    unlabelled.append(code)
                elif not _chinese(chinese.get(english, "")):
                    untranslated.append(english)
        assert (unlabelled, untranslated) == ([], [])
        with translation.override("en"):
            assert event_label("policies.scan_started") == "Eligibility scan started"
            assert event_label("review.recusal") == "Expert recused"
        assert chinese["Eligibility scan started"] == "免申即享筛查已发起"
        assert chinese["Expert recused"] == "专家已申请回避"

    def test_every_event_the_sources_record_is_labelled(self):
        """Scans' and name lists' events (recorded with ``audit_event``) are in the vocabulary."""
        self._apps()
        with_audit_event = {
            "scan_started",
            "scan_finished",
            "name_list_created",
            "entry_excluded",
            "name_list_announced",
            "entry_confirmed",
            "entry_declined",
        }
        assert with_audit_event <= set(vocabulary("policies"))
        assert "exported" in vocabulary("events")

    @pytest.mark.django_db
    @override_settings(LANGUAGE_CODE="en")
    def test_the_audit_log_and_its_export_show_each_apps_label_and_no_code(self, client, operator):
        from tests.common.list_support import read_csv
        from zhizao.common.services import audit_event

        assert sorted(ONE_EVENT_OF_EACH_APP) == self._apps()
        actor = actor_for(operator)
        for app, (event, _label) in ONE_EVENT_OF_EACH_APP.items():
            if app in ("policies", "events"):
                audit_event(actor, f"{app}.{event}", None, object_repr=f"labels {app}")
            else:
                audit = importlib.import_module(f"zhizao.{app}.services.base").audit
                audit(actor, event, None, object_repr=f"labels {app}")
        client.cookies["django_language"] = "en"
        client.force_login(operator)
        page = client.get("/audit/", {"q": "labels"}).content.decode()
        for _event, label in ONE_EVENT_OF_EACH_APP.values():
            assert page.count(f'<div class="muted">{label}</div>') == 1, label
        for app, (event, _label) in ONE_EVENT_OF_EACH_APP.items():
            assert f"{app}.{event}" not in page
        rows = read_csv(client.get("/audit/", {"q": "labels", "export": "csv"}))
        changes = {row[6]: row[7] for row in rows[1:]}
        assert changes == {
            f"labels {app}": label for app, (_event, label) in ONE_EVENT_OF_EACH_APP.items()
        }
