"""``zhizao review assign|draw|aggregate``: the JSON contracts of docs/review.md, exit codes
(0 / 1 named on stderr / 2 unreadable), decimals as strings, no traceback, no Django."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from zhizao.cli import main

ASSIGN = {
    "call_date": "2026-06-30",
    "reviewers_per_application": 2,
    "applications": [
        {"id": "A1", "organisations": ["ORG-1"], "people": ["P-001"]},
        {"id": "A2", "organisations": ["ORG-2"]},
    ],
    "experts": [
        {"id": "E1", "organisation": "ORG-1"},
        {
            "id": "E2",
            "organisation": "ORG-3",
            "past_organisations": [{"uscc": "ORG-2", "until": "2023-06-30"}],
        },
        {"id": "E3", "relations": ["P-001"], "max_load": 6, "min_load": 0},
        {"id": "E4"},
        {"id": "E5", "organisation": "ORG-9"},
    ],
    "affinity": [
        {"application": "A1", "expert": "E4", "score": "0.8312"},
        {"application": "A2", "expert": "E1", "score": 0.5},
        {"application": "A1", "expert": "E2", "score": 0.25},
    ],
    "conflicts": [{"application": "A1", "expert": "E5"}],
}


def run(capsys, tmp_path, data, *args, text=None):
    path = tmp_path / "in.json"
    path.write_text(text if text is not None else json.dumps(data), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["review", *args[:1], "--input", str(path), *args[1:]])
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_assign_contract(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, ASSIGN, "assign")
    assert code == 0 and err == ""
    assert json.loads(out) == {
        # A1 may have only E2 and E4: 0.25 + 0.8312. A2: E1 0.5 + one of the others at 0.
        "total_affinity": "1.5812",
        "assignments": [
            {"application": "A1", "experts": ["E2", "E4"]},
            {"application": "A2", "experts": json.loads(out)["assignments"][1]["experts"]},
        ],
        "loads": json.loads(out)["loads"],
        "conflicts_avoided": [
            {"application": "A1", "expert": "E1", "rule": "organisation"},
            {"application": "A1", "expert": "E3", "rule": "relation"},
            {"application": "A1", "expert": "E5", "rule": "declared"},
            {"application": "A2", "expert": "E2", "rule": "past_organisation"},
        ],
    }
    result = json.loads(out)
    assert result["assignments"][1]["experts"][0] == "E1"
    assert sum(result["loads"].values()) == 4 and 0 not in result["loads"].values()


def test_assign_infeasible_named(capsys, tmp_path):
    data = dict(ASSIGN, reviewers_per_application=3)
    code, out, err = run(capsys, tmp_path, data, "assign")
    assert code == 1 and out == ""
    assert err == "申报 A1 只有 2 位可选专家（回避和单位上限之后），需要 3 位\n"
    code, out, err = run(capsys, tmp_path, data, "assign", "--language", "en")
    assert err == (
        "application A1 has only 2 eligible experts (after 回避 and the organisation cap), "
        "needs 3\n"
    )


def test_assign_bad_input_named_with_paths(capsys, tmp_path):
    data = json.loads(json.dumps(ASSIGN))
    data["applications"][1]["organisations"] = "ORG-2"
    data["experts"][2]["min_load"] = 7
    data["experts"][4]["id"] = "E1"
    data["affinity"][0]["score"] = "0.83125"
    data["affinity"][1]["score"] = "1.5"
    data["conflicts"][0]["expert"] = "E99"
    data["call_date"] = "2026-13-01"
    code, out, err = run(capsys, tmp_path, data, "assign")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "call_date: 应为 YYYY-MM-DD 格式的日期",
        "applications[1].organisations: 应为文本列表",
        "experts[2].min_load: 最低评审量 7 大于最高评审量 6",
        "experts[4].id: 编号重复：E1",
        "affinity[0].score: 小数位数不得超过 4 位",
        "affinity[1].score: 匹配度应在 0 到 1 之间",
        "conflicts[0].expert: 未知的专家编号：E99",
    ]


def test_unreadable_and_non_json_exit_2(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, None, "assign", text="{not json")
    assert code == 2 and out == ""
    assert err.startswith(f"{tmp_path / 'in.json'}: 不是有效的 JSON：")
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "aggregate", "--input", str(tmp_path / "missing.json")])
    assert exit_info.value.code == 2
    assert "无法读取文件" in capsys.readouterr().err


def test_draw_is_replayable(capsys, tmp_path):
    data = dict(ASSIGN, reviewers_per_application=1)
    code, first, err = run(capsys, tmp_path, data, "draw", "--seed", "7", "--cap", "0.6")
    assert code == 0, err
    code, again, _ = run(capsys, tmp_path, data, "draw", "--seed", "7", "--cap", "0.6")
    assert first == again
    out = json.loads(first)
    assert out["method"] == "draw" and out["seed"] == 7 and out["cap"] == "0.6"
    assert all(float(p["probability"]) <= 0.6 for p in out["probabilities"])
    code, _, err = run(capsys, tmp_path, data, "draw", "--seed", "7", "--cap", "1.2")
    assert code == 1 and err == "--cap: 概率上限应在 0 到 1 之间（不含 0）\n"


AGGREGATE = {
    "criteria": [
        {"id": "innovation", "weight": "0.4", "max": 100},
        {"id": "impact", "weight": 0.6, "max": 100},
    ],
    "method": "trimmed_mean",
    "trim": 1,
    "divergence": 20,
    "scores": [
        {"application": "A1", "expert": f"E{i}", "criteria": {"innovation": a, "impact": b}}
        for i, (a, b) in enumerate([(85, 90), (80, 88), (95, 92), (60, 70), (90, "86.5")])
    ]
    + [
        {"application": "A2", "expert": "E1", "criteria": {"innovation": 88, "impact": 88}},
        {"application": "A2", "expert": "E2", "criteria": {"innovation": 86, "impact": 86}},
    ],
}


def test_aggregate_contract(capsys, tmp_path):
    # A1 totals: 88, 84.8, 93.2, 66, 87.9 → drop 93.2 and 66 → (88 + 84.8 + 87.9) / 3 = 86.9
    # A2: (88 + 86) / 2 = 87 (plain mean: 2 reviews < 5); A1 spread 27.2 > 20: divergent.
    code, out, err = run(capsys, tmp_path, AGGREGATE, "aggregate")
    assert code == 0 and err == ""
    assert json.loads(out) == {
        "results": [
            {
                "application": "A2",
                "score": "87.00",
                "rank": 1,
                "reviews": 2,
                "trimmed": False,
                "divergent": False,
            },
            {
                "application": "A1",
                "score": "86.90",
                "rank": 2,
                "reviews": 5,
                "trimmed": True,
                "divergent": True,
            },
        ]
    }
    code, out, _ = run(capsys, tmp_path, AGGREGATE, "aggregate", "--explain")
    first = json.loads(out)["results"][1]
    assert first["raw_mean"] == "83.98" and first["spread"] == "27.2"
    assert first["dropped"] == [{"expert": "E3", "total": "66"}, {"expert": "E2", "total": "93.2"}]


def test_aggregate_bad_input_named(capsys, tmp_path):
    data = json.loads(json.dumps(AGGREGATE))
    data["criteria"][1]["weight"] = "0.5"
    data["scores"][0]["criteria"]["impact"] = 101
    data["scores"][1]["criteria"] = {"innovation": 1}
    data["method"] = "max"
    code, out, err = run(capsys, tmp_path, data, "aggregate")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "method: 未知的汇总方法 max（可选：mean, median, trimmed_mean, zscore）",
        "criteria: 权重之和应为 1，实为 0.9",
        "scores[0].criteria.impact: 得分 101 超出 0 到 100 的范围",
        "scores[1].criteria: 缺少评分指标：impact",
    ]


def test_commands_do_not_start_django(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(AGGREGATE), encoding="utf-8")
    code = (
        "import sys\n"
        "from zhizao.cli import main\n"
        "try:\n"
        f"    main(['review', 'aggregate', '--input', {str(path)!r}])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0\n"
        "assert 'django' not in sys.modules, 'django imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"][0]["application"] == "A2"
    assert "Traceback" not in done.stderr
