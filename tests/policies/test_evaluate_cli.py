"""``zhizao policies evaluate``: the JSON-lines contract, bad facts named, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

WUXI = {
    "uscc": "91320214MA1W0X3K0B",
    "name": "无锡恒润精密机械有限公司",
    "region": "320214",
    "industry": "3421",
    "titles": [{"title": "专精特新", "level": "provincial", "since": "2023-01-01"}],
    "maturity_level": 3,
    "projects": [
        {
            "id": "p1",
            "kind": "intelligent_transformation",
            "start_date": "2025-03-01",
            "equipment_yuan": "20000000",
            "intelligent_equipment_yuan": "12000000",
            "software_yuan": "6000000",
            "services_yuan": "3000000",
            "other_yuan": "2000000",
            "loans": [
                {
                    "amount_yuan": "30000000",
                    "annual_rate": "0.031",
                    "start_date": "2025-07-01",
                    "end_date": "2026-06-30",
                    "interest_paid_yuan": None,
                }
            ],
        }
    ],
}
YANGZHOU = {
    "uscc": "91321002MA1X2Y3Z4A",
    "name": "扬州某机械有限公司",
    "region": "321002",
    "industry": "3421",
    "maturity_level": None,
    "projects": [],
}


def run(tmp_path, facts, *args, capsys):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    call_command("policies_evaluate", "--facts", str(path), "--no-database", *args)
    out = capsys.readouterr()
    return [json.loads(line) for line in out.out.splitlines()], out.err


def test_evaluate_prints_one_line_per_enterprise_project_and_item(tmp_path, capsys):
    lines, err = run(
        tmp_path,
        [WUXI, YANGZHOU],
        "--item",
        "wuxi-im-transformation",
        "--item",
        "jiangsu-mfg-loan-interest",
        "--item",
        "yangzhou-cmmm-level",
        "--as-of",
        "2026-06-30",
        capsys=capsys,
    )
    assert err == ""
    summary = [
        (x["item"], x["enterprise"], x["project"], x["eligible"], x["amount_yuan"], x["missing"])
        for x in lines
    ]
    assert summary == [
        ("wuxi-im-transformation", "91320214MA1W0X3K0B", "p1", True, "2200000.00", []),
        ("jiangsu-mfg-loan-interest", "91320214MA1W0X3K0B", "p1", True, "600000.00", []),
        ("yangzhou-cmmm-level", "91320214MA1W0X3K0B", None, False, "0.00", []),
        ("wuxi-im-transformation", "91321002MA1X2Y3Z4A", None, False, "0.00", []),
        ("jiangsu-mfg-loan-interest", "91321002MA1X2Y3Z4A", None, False, "0.00", []),
        (
            "yangzhou-cmmm-level",
            "91321002MA1X2Y3Z4A",
            None,
            "unknown",
            None,
            ["enterprise.maturity_level"],
        ),
    ]
    assert set(lines[0]) == {
        "item",
        "version",
        "enterprise",
        "project",
        "eligible",
        "amount_yuan",
        "binding_cap",
        "missing",
        "stages",
        "explanation",
    }
    assert lines[0]["binding_cap"] is None
    assert lines[1]["explanation"][-1]["text"] == "符合条件，金额 600,000.00 元"


def test_binding_cap_is_named(tmp_path, capsys):
    big = dict(
        WUXI,
        projects=[
            dict(
                WUXI["projects"][0],
                loans=[
                    {
                        "amount_yuan": "600000000",
                        "start_date": "2025-01-01",
                        "end_date": "2025-12-31",
                    }
                ],
            )
        ],
    )
    lines, _ = run(
        tmp_path,
        [big],
        "--item",
        "jiangsu-mfg-loan-interest",
        "--as-of",
        "2025-12-31",
        capsys=capsys,
    )
    assert (lines[0]["amount_yuan"], lines[0]["binding_cap"]) == (
        "10000000.00",
        {"per": "project_year", "yuan": "10000000.00"},
    )


def test_as_of_decides_the_version(tmp_path, capsys):
    lines, _ = run(
        tmp_path, [WUXI], "--item", "wuxi-im-transformation", "--as-of", "2023-12-31", capsys=capsys
    )
    assert [(x["version"], x["eligible"], x["amount_yuan"]) for x in lines] == [
        (None, False, "0.00")
    ]


def test_english_explanation(tmp_path, capsys):
    lines, _ = run(
        tmp_path,
        [WUXI],
        "--item",
        "wuxi-im-transformation",
        "--as-of",
        "2025-06-30",
        "--language",
        "en",
        capsys=capsys,
    )
    assert lines[0]["explanation"][-1]["text"] == "eligible: 2,200,000.00 yuan"


def test_bad_facts_are_named_and_exit_1(tmp_path, capsys):
    bad = [dict(WUXI, region="3202", projects=[{"id": "p1", "equipment_yuan": 35.5}])]
    with pytest.raises(SystemExit) as info:
        run(tmp_path, bad, capsys=capsys)
    assert info.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        '[0].projects[0].equipment_yuan: “35.5”不是十进制数字字符串（如 "2600000.00"）',
        "[0].region: 行政区划代码应为 6 位数字：3202",
    ]


def test_unknown_item_and_unreadable_file(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        run(tmp_path, [WUXI], "--item", "no-such-item", capsys=capsys)
    assert info.value.code == 1
    assert capsys.readouterr().err == "--item: 未知的政策条目：no-such-item\n"
    with pytest.raises(SystemExit) as info:
        call_command(
            "policies_evaluate", "--facts", str(tmp_path / "missing.json"), "--no-database"
        )
    assert info.value.code == 2


def test_extra_rule_file_replaces_a_shipped_item(tmp_path, capsys):
    rules = (
        Path(__file__).resolve().parents[2]
        / "src/zhizao/policies/data/rules/wuxi-im-transformation.yaml"
    )
    text = rules.read_text("utf-8").replace(
        'equipment_rate: {value: "0.08"', 'equipment_rate: {value: "0.10"'
    )
    custom = tmp_path / "wuxi.yaml"
    custom.write_text(text, encoding="utf-8")
    lines, _ = run(
        tmp_path,
        [WUXI],
        "--item",
        "wuxi-im-transformation",
        "--rules",
        str(custom),
        "--as-of",
        "2025-06-30",
        capsys=capsys,
    )
    assert lines[0]["amount_yuan"] == "2600000.00"


def test_the_installed_command_runs_without_a_database(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps([WUXI], ensure_ascii=False), encoding="utf-8")
    zhizao = Path(sys.executable).parent / "zhizao"
    result = subprocess.run(
        [
            str(zhizao),
            "policies",
            "evaluate",
            "--facts",
            str(path),
            "--item",
            "suzhou-im-loan-2020",
            "--as-of",
            "2025-06-30",
            "--no-database",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path}/none.sqlite3",
            "ZHIZAO_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert (line["item"], line["eligible"], line["amount_yuan"]) == (
        "suzhou-im-loan-2020",
        False,
        "0.00",
    )


def _conditions(line: dict) -> list:
    return [s for s in line["explanation"] if s["step"] == "condition"]


def test_explanations_name_places_and_kinds_with_the_codes_beside(tmp_path, capsys):
    """No database: the names come from the registry's reference files, in the CLI's language;
    the JSON keeps every code (``value``, ``operand``) and adds the names beside them."""
    args = ("--item", "wuxi-im-transformation", "--as-of", "2026-06-30")
    lines, err = run(tmp_path, [WUXI], *args, capsys=capsys)
    assert err == ""
    conditions = _conditions(lines[0])
    assert [s["text"] for s in conditions] == [
        "注册地行政区划 新吴区 位于/属于 无锡市 → 满足",
        "项目类型 智能化改造 属于 智能化改造 → 满足",
        "项目总投资 31,000,000.00 元 大于 30,000,000.00 元 → 满足",
    ]
    assert [
        (s["fact"], s["value"], s.get("value_label"), s.get("operand"), s.get("operand_label"))
        for s in conditions
    ] == [
        ("enterprise.region", "320214", "新吴区", ["3202"], ["无锡市"]),
        (
            "project.kind",
            "intelligent_transformation",
            "智能化改造",
            ["intelligent_transformation"],
            ["智能化改造"],
        ),
        ("project.total_investment", "31,000,000.00 元", None, None, None),
    ]
    lines, err = run(tmp_path, [WUXI], *args, "--language", "en", capsys=capsys)
    assert [s["text"] for s in _conditions(lines[0])] == [
        "registered region Xinwu District within Wuxi → met",
        "project kind Intelligent transformation is one of Intelligent transformation → met",
        "total investment 31,000,000.00 yuan above 30,000,000.00 yuan → met",
    ]
    assert _conditions(lines[0])[0]["operand_label"] == ["Wuxi"]
