"""Loading rule files into the platform: the rows created, idempotence, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.utils import translation

from zhizao.common.models import AuditEntry
from zhizao.policies import engine
from zhizao.policies.loading import RuleLoadError, load_rule_files, shipped_rule_paths
from zhizao.policies.models import Policy, PolicyItem, PolicyItemVersion
from zhizao_core.policy import parse_rule, run_case

pytestmark = pytest.mark.django_db

SHIPPED_KEYS = sorted(engine.shipped_catalogue())


def _snapshot():
    return (
        list(Policy.objects.order_by("id").values()),
        list(PolicyItem.objects.order_by("id").values()),
        list(PolicyItemVersion.objects.order_by("id").values()),
        AuditEntry.objects.count(),
    )


def test_shipped_rules_create_exactly_these_rows():
    with translation.override("en"):
        report = load_rule_files()
    n = len(SHIPPED_KEYS)
    assert [f.item for f in report.files] == SHIPPED_KEYS
    # two documents have two items each (Changzhou, Suzhou): their second file finds the policy
    assert all(f.item_status == "created" for f in report.files)
    policies = {
        (p["title"], p["issuing_unit"]) for p in (rf.policy for rf in engine.shipped_rule_files())
    }
    assert sum(f.policy == "created" for f in report.files) == len(policies)
    assert sum(f.policy == "unchanged" for f in report.files) == n - len(policies)
    assert all(f.versions == {1: "created"} for f in report.files)
    assert Policy.objects.count() == len(policies)
    assert PolicyItem.objects.count() == n
    assert PolicyItemVersion.objects.count() == n

    wuxi = PolicyItem.objects.select_related("policy", "policy__region").get(
        key="wuxi-im-transformation"
    )
    policy = wuxi.policy
    assert (policy.title, policy.issuing_unit, policy.level, policy.region_id) == (
        "无锡市推进智能制造发展行动计划（智能化改造项目奖补）",
        "无锡市工业和信息化局",
        "city",
        "320200",
    )
    assert policy.doc_number == ""
    assert policy.valid_from == dt.date(2024, 1, 1)
    assert policy.valid_to is None
    assert policy.budget_yuan == Decimal("160000000.00")
    assert policy.state == "published"
    assert (wuxi.name, wuxi.category, wuxi.subject, wuxi.proactive, wuxi.state) == (
        "无锡市智能化改造项目奖补",
        "grant",
        "project",
        True,
        "published",
    )
    version = wuxi.versions.get()
    assert (version.number, version.state, version.valid_from, version.valid_to) == (
        1,
        "published",
        dt.date(2024, 1, 1),
        None,
    )
    assert version.rule["amount"] == {
        "sum": [
            {"percent": {"param": "equipment_rate"}, "of": ["project.equipment"]},
            {"percent": {"param": "software_rate"}, "of": ["project.software"]},
        ]
    }
    assert version.rule["valid_from"] == "2024-01-01"
    assert version.rule["name"] == {
        "zh": "无锡市智能化改造项目奖补",
        "en": "Wuxi intelligent-transformation project grant",
    }
    assert len(version.test_cases) == 5
    assert version.test_cases[0]["as_of"] == "2025-06-30"
    # Jiangsu's policy has no budget in its file
    jiangsu = PolicyItem.objects.select_related("policy").get(key="jiangsu-mfg-loan-interest")
    assert jiangsu.policy.budget_yuan is None
    assert jiangsu.policy.region_id == "320000"
    shenzhen = next(f for f in report.files if f.item == "shenzhen-single-champion")
    assert shenzhen.notes == [
        "region 440300 is not in the reference data; the policy is stored without one"
    ]
    assert PolicyItem.objects.get(key="shenzhen-single-champion").policy.region_id is None

    # every stored version is a rule the engine accepts, alone and as the seam rebuilds it,
    # and its stored cases pass against the stored catalogue
    catalogue = engine.stored_catalogue(
        PolicyItemVersion.objects.select_related("item").filter(state="published")
    )
    assert sorted(catalogue) == SHIPPED_KEYS
    for v in PolicyItemVersion.objects.select_related("item"):
        engine.check_rule(v.rule)
        rule = engine.check_rule(engine.version_rule_data(v.item, v))
        assert rule.key == v.item.key
        assert rule.name["en"] == engine.shipped_catalogue()[v.item.key][0].name["en"]
        for case in v.test_cases:
            result = run_case(catalogue, v.item.key, case)
            assert result.passed, (v.item.key, result.problems)

    # audited through the services: one policy_created, policy_state, item_created,
    # version_updated and version_published per file
    events = list(
        AuditEntry.objects.filter(context__via="policies load-rules")
        .order_by("id")
        .values_list("context__event", flat=True)
    )
    assert events.count("policies.policy_created") == len(policies)
    assert events.count("policies.policy_state") == len(policies)
    assert events.count("policies.item_created") == n
    assert events.count("policies.version_published") == n
    assert events.count("policies.version_updated") == n
    assert len(events) == 2 * len(policies) + 3 * n


def test_loading_twice_changes_nothing():
    load_rule_files()
    before = _snapshot()
    report = load_rule_files()
    assert not report.changed
    assert all(
        f.policy == "unchanged" and f.item_status == "unchanged" and f.versions == {1: "unchanged"}
        for f in report.files
    )
    assert _snapshot() == before


def _copy_with(tmp_path: Path, name: str, change) -> Path:
    data = yaml.safe_load((engine.RULES_DIR / name).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_changed_version_under_the_same_number_is_refused_and_nothing_changes(tmp_path):
    load_rule_files()
    before = _snapshot()

    def cheaper(data):
        data["versions"][0]["parameters"]["equipment_rate"]["value"] = "0.06"

    changed = _copy_with(tmp_path, "wuxi-im-transformation.yaml", cheaper)
    other = tmp_path / "yangzhou-cmmm-level.yaml"
    other.write_text((engine.RULES_DIR / other.name).read_text(encoding="utf-8"), encoding="utf-8")
    with translation.override("en"), pytest.raises(RuleLoadError) as exc:
        load_rule_files([other, changed])
    assert exc.value.problems == [
        "wuxi-im-transformation.yaml: version 1 of wuxi-im-transformation differs from the "
        "version 1 already loaded; give the changed rule a new version number."
    ]
    assert _snapshot() == before


def test_a_new_version_number_is_added_and_supersedes(tmp_path):
    load_rule_files()

    def second(data):
        v2 = dict(data["versions"][0])
        v2["version"] = 2
        v2["valid_from"] = dt.date(2026, 1, 1)
        v2["parameters"] = dict(v2["parameters"])
        v2["parameters"]["equipment_rate"] = {**v2["parameters"]["equipment_rate"], "value": "0.06"}
        data["versions"].append(v2)

    path = _copy_with(tmp_path, "wuxi-im-transformation.yaml", second)
    report = load_rule_files([path])
    assert report.files[0].versions == {1: "unchanged", 2: "created"}
    assert report.files[0].policy == "unchanged"
    states = list(
        PolicyItemVersion.objects.filter(item__key="wuxi-im-transformation")
        .order_by("number")
        .values_list("number", "state", "valid_from")
    )
    assert states == [
        (1, "superseded", dt.date(2024, 1, 1)),
        (2, "published", dt.date(2026, 1, 1)),
    ]
    assert parse_rule(
        engine.version_rule_data(
            PolicyItem.objects.get(key="wuxi-im-transformation"),
            PolicyItemVersion.objects.get(item__key="wuxi-im-transformation", number=2),
        )
    ).params["equipment_rate"].value == Fraction(6, 100)


def test_a_malformed_file_is_named_and_nothing_is_loaded(tmp_path):
    bad = _copy_with(
        tmp_path,
        "yangzhou-cmmm-level.yaml",
        lambda d: d["versions"][0].update({"amount": {"fixed": "-5"}}),
    )
    good = shipped_rule_paths()[0]
    with pytest.raises(RuleLoadError) as exc:
        load_rule_files([good, bad])
    assert exc.value.problems
    assert all(p.startswith("yangzhou-cmmm-level.yaml: ") for p in exc.value.problems)
    assert Policy.objects.count() == 0
    assert PolicyItem.objects.count() == 0


def test_command_loads_and_reports(tmp_path):
    out = StringIO()
    call_command("policies_load_rules", "--language", "en", stdout=out)
    lines = out.getvalue().splitlines()
    assert (
        "changzhou-equipment-2021.yaml: changzhou-equipment-2021 "
        "(policy created, item created; v1 created)"
    ) in lines
    assert (
        "shenzhen-single-champion.yaml: region 440300 is not in the reference data; "
        "the policy is stored without one"
    ) in lines
    assert len([line for line in lines if "item created; v1 created)" in line]) == len(SHIPPED_KEYS)
    out = StringIO()
    call_command(
        "policies_load_rules",
        str(engine.RULES_DIR / "wuxi-im-transformation.yaml"),
        "--language",
        "en",
        stdout=out,
    )
    assert out.getvalue() == (
        "wuxi-im-transformation.yaml: wuxi-im-transformation "
        "(policy unchanged, item unchanged; v1 unchanged)\n"
    )
