"""``zhizao match rank`` and ``zhizao match evaluate``: the JSON-lines contract, bad input named
with exit 1, unreadable files with exit 2, the evaluation table and JSON on a small gold set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from zhizao.matchmaking.management.commands._matching import reference_names
from zhizao_core.matching import MatchIndex, parse_catalogue, parse_demands
from zhizao_core.matching.evaluate import split_demands

SRC = str(Path(__file__).resolve().parents[2] / "src")

CATALOGUE = [
    {
        "id": "o1",
        "kind": "solution",
        "title": "AOI外观缺陷检测系统",
        "description": "面向PCB的自动光学检测",
        "categories": ["machine_vision"],
        "industries": ["39"],
        "regions": ["320400"],
        "certifications": ["CMMI5"],
        "cases": [
            {
                "title": "某PCB厂AOI改造",
                "industry": "3982",
                "region": "320412",
                "result": "漏检率降至0.05%",
            }
        ],
    },
    {
        "id": "o2",
        "kind": "solution",
        "title": "PCB视觉检测设备",
        "description": "缺陷检测",
        "categories": ["machine_vision"],
        "industries": [],
        "regions": ["330000"],
        "certifications": [],
        "cases": [],
    },
    {
        "id": "o3",
        "kind": "financial",
        "title": "设备更新贷款",
        "description": "技改贷款",
        "categories": ["financing"],
        "industries": ["C"],
        "regions": ["320000"],
        "certifications": [],
        "cases": [],
    },
]
DEMANDS = [
    {
        "id": "d1",
        "title": "PCB板视觉检测",
        "description": "需要外观缺陷检测设备",
        "category": "machine_vision",
        "industry": "3982",
        "region": "320412",
        "budget_yuan": "500000",
        "must": ["CMMI3及以上", "本地服务团队"],
    },
    {
        "id": "d2",
        "title": "设备更新需要贷款",
        "description": "",
        "category": "financing",
        "industry": "3670",
        "region": "320412",
        "budget_yuan": None,
        "must": [],
    },
]


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIZAO_CACHE_DIR", str(tmp_path / "cache"))
    cat = tmp_path / "catalogue.json"
    dem = tmp_path / "demands.json"
    cat.write_text(json.dumps(CATALOGUE, ensure_ascii=False), "utf-8")
    dem.write_text(json.dumps(DEMANDS, ensure_ascii=False), "utf-8")
    return cat, dem


def run(capsys, *args):
    try:
        call_command(*args)
        status = 0
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def test_rank_prints_one_line_per_demand_exactly(files, capsys):
    cat, dem = files
    status, out, err = run(
        capsys,
        "match_rank",
        "--catalogue",
        str(cat),
        "--demands",
        str(dem),
        "--top",
        "10",
        "--no-embeddings",
    )
    assert (status, err) == (0, "")
    # scores depend on the shipped (tuned) weights: the command prints what the core computes
    index = MatchIndex(embedder=None, names=reference_names())
    index.add_many(parse_catalogue(CATALOGUE))
    SCORES = {
        (d.id, m.id): round(m.score, 4) for d in parse_demands(DEMANDS) for m in index.rank(d)
    }
    assert SCORES[("d1", "o1")] > 0 > SCORES[("d1", "o2")]
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == [
        {
            "demand": "d1",
            "results": [
                {
                    "offering": "o1",
                    "score": SCORES[("d1", "o1")],
                    "reasons": [
                        "满足全部 2 项要求：CMMI3及以上（CMMI5）、本地服务团队（常州）",
                        "同行业案例 1 个（计算机、通信和其他电子设备制造业）",
                        "常州本地服务团队",
                        "类别相符：机器视觉检测",
                        "服务本行业：电子电路制造",
                        "匹配词：AOI外观缺陷检测、PCB、自动光学检测、AOI",
                    ],
                },
                {
                    "offering": "o2",
                    "score": SCORES[("d1", "o2")],
                    "reasons": [
                        "满足 0/2 项要求；缺少 CMMI3及以上、本地服务团队",
                        "类别相符：机器视觉检测",
                        "匹配词：PCB视觉检测设备、缺陷检测",
                    ],
                },
            ],
        },
        {
            "demand": "d2",
            "results": [
                {
                    "offering": "o3",
                    "score": SCORES[("d2", "o3")],
                    "reasons": [
                        "服务范围覆盖江苏全省（含常州）",
                        "类别相符：融资（贷款、融资租赁）",
                        "匹配词：设备更新贷款、技改贷款",
                    ],
                }
            ],
        },
    ]


def test_console_script_ranks_without_django_and_prints_the_same(files, capsys, tmp_path):
    """``zhizao match rank`` runs before Django starts (``zhizao.cli.PURE``): with settings that
    cannot even be imported it prints what the management command prints."""
    cat, dem = files
    args = ["--catalogue", str(cat), "--demands", str(dem), "--no-embeddings"]
    status, expected, err = run(capsys, "match_rank", *args)
    assert (status, err) == (0, "")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="no_such_settings_module")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [sys.executable, "-m", "zhizao.cli", "match", "rank", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (proc.returncode, proc.stderr, proc.stdout) == (0, "", expected)


def test_rank_in_english_with_embeddings_and_top(files, capsys):
    cat, dem = files
    status, out, err = run(
        capsys,
        "match_rank",
        "--catalogue",
        str(cat),
        "--demands",
        str(dem),
        "--top",
        "1",
        "--language",
        "en",
    )
    assert (status, err) == (0, "")
    first, second = (json.loads(line) for line in out.splitlines())
    assert [r["offering"] for r in first["results"]] == ["o1"]
    reasons = first["results"][0]["reasons"]
    assert reasons[0] == "Meets all 2 requirements: CMMI3及以上 (CMMI5), 本地服务团队 (常州)"
    assert reasons[2] == "Local service team in Changzhou"
    assert second["results"][0]["reasons"][-1].startswith("Semantically close 0.")


def test_bad_input_names_every_field_and_exits_1(files, tmp_path, capsys):
    cat, _ = files
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            [
                {"id": "d1", "title": "MES", "region": "3204", "category": "mes"},
                {"id": "d2", "title": "", "budget_yuan": "很多", "must": [{"kind": "license"}]},
            ],
            ensure_ascii=False,
        ),
        "utf-8",
    )
    status, out, err = run(capsys, "match_rank", "--catalogue", str(cat), "--demands", str(bad))
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "[0].region: 地区代码应为 6 位 GB/T 2260 代码：3204",
        "[1].title: 应为非空文本",
        "[1].budget_yuan: 金额应为非负的十进制数字文本：很多",
        "[1].must[0].kind: 未知的要求类型 license（可选：certification/region/industry_case/category/text）",
    ]
    status, out, err = run(
        capsys, "match_rank", "--catalogue", str(bad), "--demands", str(bad), "--language", "en"
    )
    assert status == 1
    assert "[0].kind: required" in err.splitlines()


def test_unreadable_file_exits_2_and_not_json_exits_1(files, tmp_path, capsys):
    _, dem = files
    status, _, err = run(
        capsys, "match_rank", "--catalogue", str(tmp_path / "none.json"), "--demands", str(dem)
    )
    assert status == 2 and "none.json" in err
    broken = tmp_path / "broken.json"
    broken.write_text("[{", "utf-8")
    status, _, err = run(capsys, "match_rank", "--catalogue", str(broken), "--demands", str(dem))
    assert status == 1 and "不是有效的 JSON" in err


def test_evaluate_reports_every_variant(files, tmp_path, capsys):
    cat, dem = files
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "catalogue.json").write_text(cat.read_text("utf-8"), "utf-8")
    (gold / "demands.json").write_text(dem.read_text("utf-8"), "utf-8")
    judgments = [
        {"demand": "d1", "offering": "o1", "grade": 3, "reason": "满足全部要求"},
        {"demand": "d1", "offering": "o2", "grade": 2, "reason": "缺本地团队"},
        {"demand": "d2", "offering": "o3", "grade": 3, "reason": "设备更新贷款"},
    ]
    (gold / "judgments.json").write_text(json.dumps(judgments, ensure_ascii=False), "utf-8")
    status, out, err = run(
        capsys, "match_evaluate", "--gold", str(gold), "--format", "json", "--no-embeddings"
    )
    assert status == 0, err
    result = json.loads(out)
    assert [row["variant"] for row in result["variants"]] == [
        "lexical",
        "structured",
        "embeddings",
        "fused_lexical",
        "fused",
        "rrf",
    ]
    fused = result["variants"][3]
    assert fused["all"]["ndcg@10"] == 1.0
    assert fused["all"]["p@5"] == pytest.approx((2 / 5 + 1 / 5) / 2)
    assert fused["coverage_offerings"] == 1.0
    assert fused["coverage_demands"] == 1.0
    status, out, _ = run(capsys, "match_evaluate", "--gold", str(gold), "--no-embeddings")
    assert status == 0
    assert out.splitlines()[2].split() == [
        "variant",
        "split",
        "nDCG@10",
        "P@5",
        "R@50",
        "cov.off",
        "cov.dem",
    ]
    # while tuning, only the development split is read (issue 16)
    status, out, err = run(
        capsys, "match_evaluate", "--gold", str(gold), "--no-embeddings", "--split", "dev",
        "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    result = json.loads(out)
    assert result["splits"] == ["dev"]
    assert all(
        "test" not in row and "all" not in row and "dev" in row for row in result["variants"]
    )
    status, out, _ = run(
        capsys, "match_evaluate", "--gold", str(gold), "--no-embeddings", "--split", "dev"
    )
    assert [line.split()[1] for line in out.splitlines()[3:9]] == ["dev"] * 6
    assert len(out.splitlines()) == 3 + 6 + 1  # header, one row per variant, the time
    status, out, _ = run(
        capsys, "match_evaluate", "--gold", str(gold), "--no-embeddings", "--split", "dev",
        "--by-type", "--format", "json",
    )  # fmt: skip
    rows = json.loads(out)["rows"]
    assert [r["variant"] for r in rows] == [
        "bigram baseline", "as it was", "+lexicon", "+inferred category", "+domain fit",
    ]  # fmt: skip
    assert all(list(r["splits"]) == ["dev"] for r in rows)
    # the supply-gap threshold, calibrated on the development split (docs/matching.md)
    status, out, err = run(
        capsys, "match_evaluate", "--gold", str(gold), "--no-embeddings", "--gaps",
        "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    gaps = json.loads(out)
    assert [r["threshold"] for r in gaps["rows"]] == [
        0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95
    ]  # fmt: skip
    assert gaps["variant"] == "fused_lexical"
    dev, test = split_demands(["d1", "d2"])
    assert gaps["dev"]["gaps"] + gaps["test"]["gaps"] == 0  # both demands are solved
    assert gaps["dev"]["non_gaps"] == len(dev) and gaps["test"]["non_gaps"] == len(test)


# --- issue 16: categories as people write them, unknown ones kept as tags ---------------------

POOL = [
    {
        "id": "p1",
        "kind": "solution",
        "title": "钣金件外观检测工作站",
        "description": "面阵相机加深度学习，检测划伤、磕碰、麻点",
        "categories": ["机器视觉检测", "AOI", "表面处理设备"],
        "regions": ["320200"],
        "cases": [{"industry": "3851", "result": "漏检率降到0.2%"}],
    },
    {
        "id": "p2",
        "kind": "solution",
        "title": "注塑车间生产管理",
        "description": "扫码报工、工单派工与看板",
        "categories": ["MES", "Manufacturing Execution System", "焊接工作站"],
        "regions": ["320000"],
    },
    {
        "id": "p3",
        "kind": "product",
        "title": "弧焊机器人工作站",
        "description": "六轴弧焊机器人配焊缝跟踪",
        "categories": ["焊接工作站"],
        "regions": ["320900"],
    },
]
MANAGERS = [
    {"id": "m1", "title": "产品表面划伤，客户投诉多", "description": "人工目检总是漏检"},
    {"id": "m2", "title": "车间报工还是纸质单", "category": "制造执行系统"},
    {"id": "m3", "title": "焊工招不到", "category": "焊接工作站"},
]


def test_rank_reads_category_names_and_keeps_unknown_labels_as_tags(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ZHIZAO_CACHE_DIR", str(tmp_path / "cache"))
    cat, dem = tmp_path / "pool.json", tmp_path / "managers.json"
    cat.write_text(json.dumps(POOL, ensure_ascii=False), "utf-8")
    dem.write_text(json.dumps(MANAGERS, ensure_ascii=False), "utf-8")
    status, out, err = run(
        capsys, "match_rank", "--catalogue", str(cat), "--demands", str(dem), "--no-embeddings"
    )
    assert status == 0
    # one warning for the unknown label, however often it appears (two offerings, one demand)
    assert err.splitlines() == [
        "警告：目录[0].categories[2]: 未知的类别 表面处理设备，已作为标签保留（按文本匹配）",
        "警告：目录[1].categories[2]: 未知的类别 焊接工作站，已作为标签保留（按文本匹配）",
    ]
    lines = [json.loads(line) for line in out.splitlines()]
    assert [
        (line["demand"], [(r["offering"], r["reasons"]) for r in line["results"]]) for line in lines
    ] == [
        (
            "m1",
            [
                (
                    "p1",
                    [
                        "问题理解：表面划伤、目检、漏检 → 外观缺陷检测（机器视觉）",
                        "匹配词：划伤、漏检、表面",
                    ],
                ),
                ("p3", []),
            ],
        ),
        ("m2", [("p2", ["类别相符：制造执行系统（MES）", "匹配词：车间、报工"])]),
        (
            "m3",
            [
                (
                    "p3",
                    [
                        "问题理解：焊工、焊接 → 机器人与自动化产线（机器换人）",
                        "匹配词：焊接工作站、工作站",
                    ],
                ),
                ("p2", ["匹配词：焊接工作站"]),
                ("p1", ["匹配词：工作站"]),
            ],
        ),
    ]


def test_rank_warns_in_english_and_still_refuses_malformed_input(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ZHIZAO_CACHE_DIR", str(tmp_path / "cache"))
    cat, dem = tmp_path / "pool.json", tmp_path / "managers.json"
    cat.write_text(json.dumps(POOL[:1], ensure_ascii=False), "utf-8")
    dem.write_text(json.dumps(MANAGERS[2:], ensure_ascii=False), "utf-8")
    status, _, err = run(
        capsys,
        "match_rank",
        "--catalogue",
        str(cat),
        "--demands",
        str(dem),
        "--no-embeddings",
        "--language",
        "en",
    )
    assert status == 0
    assert err.splitlines() == [
        "warning: catalogue[0].categories[2]: unknown category 表面处理设备, kept as a tag "
        "(matched as text)",
        "warning: demands[0].category: unknown category 焊接工作站, kept as a tag (matched as text)",
    ]
    dem.write_text(json.dumps([{"id": "m1", "title": "x", "category": 3}]), "utf-8")
    status, out, err = run(
        capsys, "match_rank", "--catalogue", str(cat), "--demands", str(dem), "--no-embeddings"
    )
    assert (status, out, err.splitlines()) == (1, "", ["[0].category: 应为非空文本"])
