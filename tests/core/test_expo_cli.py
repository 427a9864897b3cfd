"""``zhizao expo schedule --input FILE``: exit codes, stdout JSON, every problem on stderr in
Chinese (English with --language en), never a traceback, no Django loaded."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

EXAMPLE = {
    "slots": [
        {"id": "d1-0900", "start": "2026-11-26T09:00", "end": "2026-11-26T09:20"},
        {"id": "d1-0920", "start": "2026-11-26T09:20", "end": "2026-11-26T09:40"},
        {"id": "d1-0940", "start": "2026-11-26T09:40", "end": "2026-11-26T10:00"},
        {"id": "d1-1000", "start": "2026-11-26T10:00", "end": "2026-11-26T10:20"},
    ],
    "tables": 1,
    "participants": [
        {
            "id": "P1",
            "busy": [{"start": "2026-11-26T10:00", "end": "2026-11-26T11:00"}],
            "max_meetings": 8,
        },
        {"id": "P7", "available": ["d1-0900", "d1-0940"]},
        {"id": "P3"},
        {"id": "P4", "available": ["d1-1000"]},
    ],
    "requests": [
        {"id": "R1", "from": "P1", "to": "P7", "priority": 2},
        {"id": "R2", "from": "P1", "to": "P3", "priority": 3},
        {"id": "R3", "from": "P3", "to": "P7"},
        {"id": "R4", "from": "P1", "to": "P4"},
    ],
    "fixed": [{"request": "R3", "slot": "d1-0940"}],
}


def run(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "zhizao.cli", "expo", "schedule", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def write(tmp_path):
    def _write(data, name="in.json"):
        path = tmp_path / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(
                data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), "utf-8"
            )
        return str(path)

    return _write


def test_schedule_prints_the_optimum_as_json(write):
    status, out, err = run("--input", write(EXAMPLE))
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert data["placed"] == 3
    assert data["weight"] == 6
    assert data["meetings"] == [
        {"request": "R1", "slot": "d1-0900"},
        {"request": "R2", "slot": "d1-0920"},
        {"request": "R3", "slot": "d1-0940"},
    ]
    assert data["unplaced"] == [
        {
            "request": "R4",
            "reason": "no_common_slot",
            "detail": "P1 与 P4 没有共同的空闲时段",
            "helps": "P4 增加 11 月 26 日上午的空闲时段（P1 此时空闲）",
            "detail_code": "no_common",
            "helps_code": "open_half_day",
            "params": {
                "a": "P1",
                "b": "P4",
                "who": "P4",
                "other": "P1",
                "date": "2026-11-26",
                "half": "am",
            },
        }
    ]
    assert data["optimal"] is True
    assert data["idle_gaps"] == 0
    assert data["solver"] == "highs"


def test_cp_sat_gives_the_same_optimum(write):
    status, out, _err = run("--input", write(EXAMPLE), "--solver", "cp-sat", "--time-limit", "30")
    assert status == 0
    data = json.loads(out)
    assert (data["weight"], data["solver"], data["optimal"]) == (6, "cp-sat", True)


def test_bad_input_exits_1_naming_every_problem_in_chinese(write):
    bad = json.loads(json.dumps(EXAMPLE))
    bad["requests"][0]["to"] = "P99"
    bad["participants"][1]["available"] = ["d9"]
    bad["tables"] = "ten"
    status, out, err = run("--input", write(bad))
    assert status == 1
    assert out == ""
    assert err.splitlines() == [
        "tables: 须为不小于 0 的整数",
        "participants[1].available[0]: 未知的时段「d9」",
        "requests[0].to: 未知的参与者「P99」",
    ]


def test_bad_input_in_english_on_request(write):
    bad = json.loads(json.dumps(EXAMPLE))
    bad["requests"][1]["priority"] = 5
    status, _out, err = run("--input", write(bad), "--language", "en")
    assert status == 1
    assert err.splitlines() == ["requests[1].priority: must be 1, 2 or 3"]


def test_a_fixed_placement_breaking_a_rule_exits_1_named(write):
    bad = json.loads(json.dumps(EXAMPLE))
    bad["fixed"] = [{"request": "R4", "slot": "d1-1000"}]
    status, out, err = run("--input", write(bad))
    assert status == 1
    assert out == ""
    assert err.splitlines() == ["fixed[0]: P1 在时段「d1-1000」不空闲（请求「R4」）"]


def test_unreadable_or_non_json_file_exits_2(write, tmp_path):
    status, out, err = run("--input", str(tmp_path / "missing.json"))
    assert status == 2 and out == ""
    assert err.startswith(str(tmp_path / "missing.json") + ": 无法读取文件（")
    status, out, err = run("--input", write("{not json", "broken.json"))
    assert status == 2 and out == ""
    assert err.startswith(str(tmp_path / "broken.json") + ": 不是 JSON 文件（")
    status, _out, err = run("--input", write(b"\xff\xfe\x00", "binary.json"))
    assert status == 2
    assert "不是 JSON 文件" in err


def test_not_an_object_exits_1(write):
    status, _out, err = run("--input", write([1, 2]))
    assert status == 1
    assert err.splitlines() == ["$: 须为 JSON 对象"]


def test_missing_input_argument_exits_2(write):
    status, _out, err = run()
    assert status == 2
    assert err.splitlines()[0] == "--input: 缺少输入文件"
    status, _out, err = run("--input", write(EXAMPLE), "--time-limit", "soon")
    assert status == 2
    assert err.splitlines()[0] == "--time-limit: 须为正数（秒）"


def test_the_command_does_not_load_django(write):
    code = (
        "import sys\n"
        "from zhizao.cli import main\n"
        "try:\n"
        f"    main(['expo', 'schedule', '--input', {write(EXAMPLE)!r}])\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code, 'django' in sys.modules, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.stderr.strip() == "exit 0 False"
    assert json.loads(proc.stdout)["weight"] == 6


def test_reasons_in_english_with_language_en(write):
    status, out, err = run("--input", write(EXAMPLE), "--language", "en")
    assert (status, err) == (0, "")
    [u] = json.loads(out)["unplaced"]
    assert u["detail"] == "P1 and P4 have no free slot in common"
    assert u["helps"] == "P4 offers free slots on 26 Nov morning (P1 is free then)"
