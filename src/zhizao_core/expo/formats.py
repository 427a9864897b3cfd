"""The JSON format of ``zhizao expo schedule`` (docs/expo.md, "Scheduling command"): input to
a ``ScheduleProblem``, every problem named by its JSON path; a ``ScheduleResult`` to output."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import reasons
from .model import (
    Interval,
    MeetingRequest,
    Participant,
    Placement,
    ScheduleProblem,
    ScheduleResult,
    Slot,
    _Problems,
)
from .solve import Instance

# ---------------------------------------------------------------------------------------------
# JSON → problem


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_int(value: Any) -> int | None:
    """Numbers or strings of digits, as the command's output may carry them."""
    if _is_int(value):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _time(value: Any, path: str, out: _Problems) -> datetime | None:
    if not isinstance(value, str):
        out.add(
            path,
            "须为 ISO 8601 日期时间字符串，如 2026-11-26T09:00",
            "must be an ISO 8601 date-time string such as 2026-11-26T09:00",
        )
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        out.add(path, f"无法识别的日期时间「{value}」", f"unreadable date-time {value!r}")
        return None


def _string_id(value: Any, path: str, out: _Problems) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    if _is_int(value):
        return str(value)
    out.add(path, "须为非空字符串", "must be a non-empty string")
    return None


def _list(data: dict, key: str, out: _Problems, *, required: bool = True) -> list:
    if key not in data:
        if required:
            out.add(key, "缺少此项", "is missing")
        return []
    value = data[key]
    if not isinstance(value, list):
        out.add(key, "须为数组", "must be an array")
        return []
    return value


def parse_problem(data: Any) -> ScheduleProblem:
    """The problem of a ``zhizao expo schedule`` input file; raises ``ScheduleError`` naming
    every problem by its JSON path."""
    out = _Problems()
    if not isinstance(data, dict):
        out.add("$", "须为 JSON 对象", "must be a JSON object")
        out.raise_if_any()
    known = {"slots", "tables", "participants", "requests", "fixed"}
    for key in data:
        if key not in known:
            out.add(str(key), "未知的项", "unknown key")

    slots: list[Slot] = []
    slot_ids: set[str] = set()
    seen_slot_ids: set[str] = set()
    for i, item in enumerate(_list(data, "slots", out)):
        path = f"slots[{i}]"
        if not isinstance(item, dict):
            out.add(path, "须为对象", "must be an object")
            continue
        sid = _string_id(item.get("id"), f"{path}.id", out)
        start = _time(item.get("start"), f"{path}.start", out)
        end = _time(item.get("end"), f"{path}.end", out)
        if sid is not None and sid in seen_slot_ids:
            out.add(f"{path}.id", f"时段编号「{sid}」重复", f"duplicate slot id {sid!r}")
            sid = None
        elif sid is not None:
            seen_slot_ids.add(sid)
        if start is not None and end is not None:
            if (start.tzinfo is None) != (end.tzinfo is None):
                out.add(
                    path,
                    "开始与结束须同时带或同时不带时区",
                    "start and end must both have or both lack a time zone",
                )
                continue
            if end <= start:
                out.add(f"{path}.end", "结束时间须晚于开始时间", "must be later than start")
                continue
        if sid is not None and start is not None and end is not None:
            slot_ids.add(sid)
            slots.append(Slot(sid, start, end))
    if len({s.start.tzinfo is None for s in slots}) > 1:
        out.add(
            "slots",
            "时段的时间须统一带或统一不带时区",
            "slot times must all have or all lack a time zone",
        )

    tables = data.get("tables")
    if "tables" not in data:
        out.add("tables", "缺少此项", "is missing")
        tables = 0
    elif not _is_int(tables) or tables < 0:
        out.add("tables", "须为不小于 0 的整数", "must be an integer ≥ 0")
        tables = 0

    participants: dict[str, Participant] = {}
    for i, item in enumerate(_list(data, "participants", out)):
        path = f"participants[{i}]"
        if not isinstance(item, dict):
            out.add(path, "须为对象", "must be an object")
            continue
        pid = _string_id(item.get("id"), f"{path}.id", out)
        if pid is not None and pid in participants:
            out.add(f"{path}.id", f"参与者编号「{pid}」重复", f"duplicate participant id {pid!r}")
            pid = None
        available = None
        if item.get("available") is not None:
            raw = item["available"]
            if not isinstance(raw, list):
                out.add(f"{path}.available", "须为时段编号数组", "must be an array of slot ids")
            else:
                ids = set()
                for k, sid in enumerate(raw):
                    if not isinstance(sid, str) or sid not in slot_ids:
                        out.add(
                            f"{path}.available[{k}]",
                            f"未知的时段「{sid}」",
                            f"unknown slot {sid!r}",
                        )
                    else:
                        ids.add(sid)
                available = frozenset(ids)
        busy: list[Interval] = []
        raw_busy = item.get("busy", [])
        if raw_busy is None:
            raw_busy = []
        if not isinstance(raw_busy, list):
            out.add(f"{path}.busy", "须为时间区间数组", "must be an array of intervals")
            raw_busy = []
        for k, interval in enumerate(raw_busy):
            bpath = f"{path}.busy[{k}]"
            if not isinstance(interval, dict):
                out.add(bpath, "须为含 start 和 end 的对象", "must be an object with start and end")
                continue
            start = _time(interval.get("start"), f"{bpath}.start", out)
            end = _time(interval.get("end"), f"{bpath}.end", out)
            if start is None or end is None:
                continue
            if slots and (start.tzinfo is None) != (slots[0].start.tzinfo is None):
                out.add(
                    bpath,
                    "时区须与时段一致（同带或同不带时区）",
                    "must match the slots in having a time zone or not",
                )
                continue
            if end <= start:
                out.add(f"{bpath}.end", "结束时间须晚于开始时间", "must be later than start")
                continue
            busy.append(Interval(start, end))
        max_meetings = item.get("max_meetings")
        if max_meetings is not None and (not _is_int(max_meetings) or max_meetings < 0):
            out.add(f"{path}.max_meetings", "须为不小于 0 的整数", "must be an integer ≥ 0")
            max_meetings = None
        if pid is not None:
            participants[pid] = Participant(pid, available, tuple(busy), max_meetings)

    requests: list[MeetingRequest] = []
    request_ids: set[str] = set()
    for i, item in enumerate(_list(data, "requests", out)):
        path = f"requests[{i}]"
        if not isinstance(item, dict):
            out.add(path, "须为对象", "must be an object")
            continue
        rid = _string_id(item.get("id"), f"{path}.id", out)
        if rid is not None and rid in request_ids:
            out.add(f"{path}.id", f"请求编号「{rid}」重复", f"duplicate request id {rid!r}")
            rid = None
        ok = rid is not None
        ends = []
        for key in ("from", "to"):
            pid = item.get(key)
            if pid is None:
                out.add(f"{path}.{key}", "缺少此项", "is missing")
                ok = False
            elif (str(pid) if _is_int(pid) else pid) not in participants:
                out.add(f"{path}.{key}", f"未知的参与者「{pid}」", f"unknown participant {pid!r}")
                ok = False
            else:
                ends.append(str(pid))
        if len(ends) == 2 and ends[0] == ends[1]:
            out.add(
                path,
                f"不能与自己洽谈（{ends[0]}）",
                f"a participant cannot meet itself ({ends[0]})",
            )
            ok = False
        priority = item.get("priority", 1)
        if not _is_int(priority) or priority not in (1, 2, 3):
            out.add(f"{path}.priority", "须为 1、2 或 3", "must be 1, 2 or 3")
            ok = False
        if ok:
            request_ids.add(rid)
            requests.append(MeetingRequest(rid, ends[0], ends[1], priority))

    fixed: list[Placement] = []
    for i, item in enumerate(_list(data, "fixed", out, required=False)):
        path = f"fixed[{i}]"
        if not isinstance(item, dict):
            out.add(path, "须为对象", "must be an object")
            continue
        rid, sid = item.get("request"), item.get("slot")
        ok = True
        if not isinstance(rid, str) or rid not in request_ids:
            out.add(f"{path}.request", f"未知的请求「{rid}」", f"unknown request {rid!r}")
            ok = False
        if not isinstance(sid, str) or sid not in slot_ids:
            out.add(f"{path}.slot", f"未知的时段「{sid}」", f"unknown slot {sid!r}")
            ok = False
        if ok:
            fixed.append(Placement(rid, sid))
    out.raise_if_any()
    problem = ScheduleProblem(tuple(slots), tables, participants, tuple(requests), tuple(fixed))
    # the rules a fixed placement must keep, named by its path
    Instance(problem).check_placements(problem.fixed, label="fixed")
    return problem


def _unplaced_json(u, language: str) -> dict:
    out = {"request": u.request, "reason": u.reason, "detail": u.detail, "helps": u.helps}
    if u.detail_code:
        out["detail"] = reasons.render(u.detail_code, u.params, language)
        out["helps"] = reasons.render(u.helps_code, u.params, language)
        out["detail_code"], out["helps_code"], out["params"] = (
            u.detail_code,
            u.helps_code,
            dict(u.params),
        )
    return out


def to_json(result: ScheduleResult, language: str = "zh-hans") -> dict:
    """The result as the command prints it; ``detail`` and ``helps`` in ``language``."""
    out = {
        "placed": result.placed,
        "weight": result.weight,
        "meetings": [{"request": m.request, "slot": m.slot} for m in result.meetings],
        "unplaced": [_unplaced_json(u, language) for u in result.unplaced],
        "idle_gaps": result.idle_gaps,
        "optimal": result.optimal,
        "gaps_optimal": result.gaps_optimal,
        "solver": result.solver,
        "explanation": list(result.explanation),
    }
    if result.bound is not None:
        out["bound"] = result.bound
    return out
