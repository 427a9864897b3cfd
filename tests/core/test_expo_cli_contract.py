"""The contract of ``zhizao expo schedule`` (issue 13, "Command"), line by line, through the
command itself: when a participant is free (available, not busy, touching ends do not
overlap), the reasons of unplaced requests (``no_common_slot`` exactly when no slot has both
parties free; a request blocked only by other meetings gets another reason), the types of
``placed`` and ``weight``, every request once in ``meetings`` or ``unplaced``, a fixed
placement that breaks a rule (exit 1, every problem named), and what is not a JSON file
(exit 2)."""

from __future__ import annotations

import json

import pytest

from tests.core.test_expo_cli import run


@pytest.fixture
def write(tmp_path):
    def _write(data, name="in.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")
        return str(path)

    return _write


def slot(sid: str, start: str, end: str) -> dict:
    return {"id": sid, "start": f"2026-11-26T{start}", "end": f"2026-11-26T{end}"}


S1, S2, S3 = (
    slot("s1", "09:00", "09:20"),
    slot("s2", "09:20", "09:40"),
    slot("s3", "09:40", "10:00"),
)


def outcome(data: dict) -> tuple[dict, dict]:
    return (
        {m["request"]: m["slot"] for m in data["meetings"]},
        {u["request"]: u["reason"] for u in data["unplaced"]},
    )


def test_every_reason_exactly_as_the_contract_defines_it(write):
    problem = {
        "slots": [S1, S2],
        "tables": 1,
        "participants": [
            {"id": "A", "available": ["s1"]},
            {"id": "B"},
            {"id": "C", "available": ["s2"]},
            {"id": "D", "busy": [{"start": "2026-11-26T09:00", "end": "2026-11-26T09:40"}]},
            {"id": "E", "max_meetings": 0},
            {"id": "F"},
            {"id": "G"},
            {"id": "H"},
        ],
        "requests": [
            {"id": "fixed", "from": "A", "to": "B"},
            # A is free only in s1, where its fixed meeting is: blocked by a meeting only
            {"id": "clash", "from": "A", "to": "F"},
            # A only in s1, C only in s2: no slot has both free
            {"id": "apart", "from": "A", "to": "C"},
            # D is busy in every slot (its `available` is absent: all slots, minus busy)
            {"id": "busy", "from": "B", "to": "D"},
            # both free everywhere, but E may have no meeting at all
            {"id": "full", "from": "E", "to": "F"},
            # C's only slot s2 goes to the priority-3 request
            {"id": "top", "from": "F", "to": "C", "priority": 3},
            # both free in s1 and s2: the fixed meeting and the top one hold the only table
            {"id": "tables", "from": "G", "to": "H"},
        ],
        "fixed": [{"request": "fixed", "slot": "s1"}],
    }
    status, out, err = run("--input", write(problem))
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert outcome(data) == (
        {"fixed": "s1", "top": "s2"},
        {
            "clash": "conflict",
            "apart": "no_common_slot",
            "busy": "no_common_slot",
            "full": "participant_full",
            "tables": "capacity",
        },
    )
    # numbers, not strings; every request exactly once
    assert (data["placed"], data["weight"]) == (2, 4)
    assert type(data["placed"]) is int and type(data["weight"]) is int
    assert data["optimal"] is True
    ids = [m["request"] for m in data["meetings"]] + [u["request"] for u in data["unplaced"]]
    assert sorted(ids) == sorted(r["id"] for r in problem["requests"])


def test_touching_busy_ends_leave_the_slots_free_and_a_minute_of_overlap_does_not(write):
    problem = {
        "slots": [S1, S2, S3],
        "tables": 3,
        "participants": [
            # busy exactly in s2: s1 ends and s3 starts where the busy interval does
            {"id": "P", "busy": [{"start": "2026-11-26T09:20", "end": "2026-11-26T09:40"}]},
            {"id": "Q1"},
            {"id": "Q2"},
            {"id": "Q3"},
            # one minute into s1 and s3
            {
                "id": "W",
                "busy": [
                    {"start": "2026-11-26T09:19", "end": "2026-11-26T09:20"},
                    {"start": "2026-11-26T09:40", "end": "2026-11-26T09:41"},
                ],
            },
        ],
        "requests": [
            {"id": "R1", "from": "P", "to": "Q1", "priority": 3},
            {"id": "R2", "from": "P", "to": "Q2", "priority": 2},
            # P is free in s1 and s3, both taken by its better meetings: not no_common_slot
            {"id": "R3", "from": "P", "to": "Q3", "priority": 1},
            # W is free in s2 only, where P is busy
            {"id": "R4", "from": "W", "to": "P"},
            {"id": "R5", "from": "W", "to": "Q3"},
        ],
    }
    status, out, err = run("--input", write(problem))
    assert (status, err) == (0, "")
    meetings, unplaced = outcome(json.loads(out))
    assert sorted(meetings.items()) in (
        [("R1", "s1"), ("R2", "s3"), ("R5", "s2")],
        [("R1", "s3"), ("R2", "s1"), ("R5", "s2")],
    )
    assert unplaced == {"R3": "conflict", "R4": "no_common_slot"}


def test_fixed_placements_that_break_rules_are_all_named(write):
    problem = {
        "slots": [S1],
        "tables": 1,
        "participants": [{"id": "A", "max_meetings": 1}, {"id": "B"}, {"id": "C"}],
        "requests": [
            {"id": "R1", "from": "A", "to": "B"},
            {"id": "R2", "from": "A", "to": "C"},
        ],
        "fixed": [
            {"request": "R1", "slot": "s1"},
            {"request": "R1", "slot": "s1"},
            {"request": "R2", "slot": "s1"},
            {"request": "R9", "slot": "s9"},
        ],
    }
    status, out, err = run("--input", write(problem))
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "fixed[3].request: 未知的请求「R9」",
        "fixed[3].slot: 未知的时段「s9」",
    ]
    del problem["fixed"][3]
    status, out, err = run("--input", write(problem))
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "fixed[1]: 请求「R1」已安排过一次（fixed[0]）",
        "fixed[2]: A 在时段「s1」已有洽谈「R1」（请求「R2」）",
        "fixed[2]: A 的洽谈超过上限 1 场（请求「R2」）",
        "fixed[2]: 时段「s1」的洽谈超过桌数 1（请求「R2」）",
    ]


def test_wrong_types_are_named_by_their_path(write):
    problem = {
        "slots": [S1, {"id": "s2", "start": "2026-11-26T09:20+08:00", "end": "2026-11-26T09:40"}],
        "tables": True,
        "participants": [{"id": "A", "max_meetings": -1}, {"id": "B"}],
        "requests": [{"id": "R1", "from": "A", "to": "B", "priority": True}],
    }
    status, out, err = run("--input", write(problem))
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "slots[1]: 开始与结束须同时带或同时不带时区",
        "tables: 须为不小于 0 的整数",
        "participants[0].max_meetings: 须为不小于 0 的整数",
        "requests[0].priority: 须为 1、2 或 3",
    ]


@pytest.mark.parametrize(
    "text",
    ['{"slots": [], "tables": NaN, "participants": [], "requests": []}', "", "   "],
    ids=["NaN", "empty", "blank"],
)
def test_what_is_not_json_exits_2(write, text):
    path = write(text)
    status, out, err = run("--input", path)
    assert (status, out) == (2, "")
    assert err.startswith(f"{path}: 不是 JSON 文件（")
    assert len(err.splitlines()) == 1


def test_a_directory_cannot_be_read_exits_2(tmp_path):
    status, out, err = run("--input", str(tmp_path))
    assert (status, out) == (2, "")
    assert err.startswith(f"{tmp_path}: 无法读取文件（")
