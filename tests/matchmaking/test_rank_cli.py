"""``zhizao match rank`` and ``zhizao match evaluate``: the JSON-lines contract, bad input named
with exit 1, unreadable files with exit 2, the evaluation table and JSON on a small gold set."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from zhizao.matchmaking.management.commands._matching import reference_names
from zhizao_core.matching import MatchIndex, parse_catalogue, parse_demands

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
