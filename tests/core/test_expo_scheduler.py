"""The 1:1 meeting scheduler (zhizao_core.expo): exact optimum against brute force, the idle-gap
tie-break, every reason for an unplaced request, fixed placements, incremental placement and
re-optimisation."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta

import pytest

from zhizao_core.expo import (
    Interval,
    MeetingRequest,
    Participant,
    Placement,
    ScheduleError,
    ScheduleProblem,
    Slot,
    greedy,
    parse_problem,
    place_incremental,
    reoptimise,
    schedule,
    to_json,
)
from zhizao_core.expo.synthetic import generate

DAY = datetime(2026, 11, 26, 9, 0)


def slots(n: int, day: datetime = DAY) -> tuple[Slot, ...]:
    return tuple(
        Slot(f"s{k}", day + timedelta(minutes=20 * k), day + timedelta(minutes=20 * (k + 1)))
        for k in range(n)
    )


def problem(n_slots, tables, people, reqs, fixed=()):
    return ScheduleProblem(
        slots(n_slots),
        tables,
        {p.id: p for p in people},
        tuple(MeetingRequest(*r) for r in reqs),
        tuple(Placement(*f) for f in fixed),
    )


# --- an independent checker (written again here, not the engine's) -------------------------


def free(p: Participant, s: Slot) -> bool:
    if p.available is not None and s.id not in p.available:
        return False
    return not any(b.start < s.end and s.start < b.end for b in p.busy)


def valid(prob: ScheduleProblem, meetings) -> bool:
    by_id = {r.id: r for r in prob.requests}
    slot = {s.id: s for s in prob.slots}
    seen, at, count, per = set(), set(), {}, {}
    for m in meetings:
        r = by_id[m.request]
        if r.id in seen:
            return False
        seen.add(r.id)
        per[m.slot] = per.get(m.slot, 0) + 1
        if per[m.slot] > prob.tables:
            return False
        for pid in (r.from_, r.to):
            p = prob.participants[pid]
            if not free(p, slot[m.slot]) or (pid, m.slot) in at:
                return False
            at.add((pid, m.slot))
            count[pid] = count.get(pid, 0) + 1
            if p.max_meetings is not None and count[pid] > p.max_meetings:
                return False
    return all(f in set(meetings) for f in prob.fixed)


def gaps(prob: ScheduleProblem, meetings) -> int:
    by_id = {r.id: r for r in prob.requests}
    taken = {
        (pid, m.slot) for m in meetings for pid in (by_id[m.request].from_, by_id[m.request].to)
    }
    total = 0
    for p in prob.participants.values():
        days = {}
        for s in sorted(prob.slots, key=lambda s: s.start):
            if free(p, s):
                days.setdefault(s.start.date(), []).append((p.id, s.id) in taken)
        for seq in days.values():
            blocks = sum(1 for k, on in enumerate(seq) if on and (k == 0 or not seq[k - 1]))
            total += max(0, blocks - 1)
    return total


def brute_force(prob: ScheduleProblem):
    """(best total priority, fewest idle gaps among the schedules with it)."""
    choices = []
    for r in prob.requests:
        opts = [None] + [
            s.id
            for s in prob.slots
            if free(prob.participants[r.from_], s) and free(prob.participants[r.to], s)
        ]
        choices.append(opts)
    best = (-1, 0)
    for combo in itertools.product(*choices):
        meetings = [Placement(r.id, t) for r, t in zip(prob.requests, combo, strict=True) if t]
        if not valid(prob, meetings):
            continue
        w = sum(r.priority for r, t in zip(prob.requests, combo, strict=True) if t)
        g = gaps(prob, meetings)
        if w > best[0] or (w == best[0] and g < best[1]):
            best = (w, g)
    return best


def random_problem(rng: random.Random) -> ScheduleProblem:
    n_slots = rng.randint(2, 5)
    ids = [f"P{k}" for k in range(rng.randint(2, 5))]
    all_slots = slots(n_slots)
    people = []
    for pid in ids:
        available = None
        if rng.random() < 0.5:
            available = frozenset(s.id for s in all_slots if rng.random() < 0.7)
        busy = ()
        if rng.random() < 0.3:
            s = rng.choice(all_slots)
            busy = (Interval(s.start, s.end),)
        cap = rng.choice([None, None, 1, 2, 3])
        people.append(Participant(pid, available, busy, cap))
    reqs = []
    for k in range(rng.randint(1, 7)):
        a, b = rng.sample(ids, 2)
        reqs.append((f"R{k}", a, b, rng.randint(1, 3)))
    fixed = []
    prob = problem(n_slots, rng.randint(1, 3), people, reqs)
    # a fixed placement that keeps the rules, sometimes
    if rng.random() < 0.4:
        r = prob.requests[0]
        for s in prob.slots:
            if free(prob.participants[r.from_], s) and free(prob.participants[r.to], s):
                if all(
                    p.max_meetings != 0
                    for p in (prob.participants[r.from_], prob.participants[r.to])
                ):
                    fixed = [(r.id, s.id)]
                break
    return ScheduleProblem(
        prob.slots,
        prob.tables,
        prob.participants,
        prob.requests,
        tuple(Placement(*f) for f in fixed),
    )


@pytest.mark.parametrize("solver", ["highs", "cp-sat"])
def test_exact_optimum_and_fewest_gaps_match_brute_force(solver):
    rng = random.Random(13)
    for _ in range(60 if solver == "highs" else 25):
        prob = random_problem(rng)
        result = schedule(prob, solver=solver)
        best_weight, fewest_gaps = brute_force(prob)
        assert valid(prob, result.meetings)
        assert result.optimal is True
        assert result.weight == best_weight
        assert result.bound == best_weight
        assert result.weight == sum(
            r.priority for r in prob.requests if r.id in {m.request for m in result.meetings}
        )
        assert result.gaps_optimal is True
        assert result.idle_gaps == gaps(prob, result.meetings) == fewest_gaps
        placed = {m.request for m in result.meetings}
        assert sorted(u.request for u in result.unplaced) == sorted(
            r.id for r in prob.requests if r.id not in placed
        )
        assert result.placed == len(result.meetings)


def test_generated_expo_is_valid_and_beats_the_greedy_baseline():
    prob = generate(60, 12, 150, seed=3)
    result = schedule(prob)
    base = greedy(prob)
    first_come = greedy(prob, order="arrival", pick="random", seed=1)
    assert valid(prob, result.meetings) and valid(prob, base.meetings)
    assert valid(prob, first_come.meetings)
    assert result.optimal is True
    assert result.weight >= base.weight
    assert result.weight >= first_come.weight
    assert result.idle_gaps == gaps(prob, result.meetings)


def test_idle_gap_tie_break_prefers_back_to_back_meetings():
    # P1 meets P2 (only 09:00) and P3 (free 09:20 or 09:40): same priority either way,
    # but 09:40 would leave P1 idle at 09:20.
    prob = problem(
        3,
        5,
        [
            Participant("P1"),
            Participant("P2", frozenset({"s0"})),
            Participant("P3", frozenset({"s2", "s1"})),
        ],
        [("R1", "P1", "P2", 1), ("R2", "P1", "P3", 1)],
    )
    result = schedule(prob)
    assert result.meetings == (Placement("R1", "s0"), Placement("R2", "s1"))
    assert result.idle_gaps == 0
    assert result.gaps_optimal is True


def test_a_session_between_two_meetings_is_not_an_idle_gap():
    # P1 sits in a session at 09:20–09:40: meetings at 09:00 and 09:40 leave no idle slot.
    busy = (Interval(DAY + timedelta(minutes=20), DAY + timedelta(minutes=40)),)
    prob = problem(
        3,
        5,
        [
            Participant("P1", None, busy),
            Participant("P2", frozenset({"s0"})),
            Participant("P3", frozenset({"s2"})),
        ],
        [("R1", "P1", "P2", 1), ("R2", "P1", "P3", 1)],
    )
    result = schedule(prob)
    assert result.placed == 2
    assert result.idle_gaps == 0


def test_priority_comes_before_gaps():
    # Either R2 (priority 3) or R3 (priority 1) fits P3's only slot; R2 wins even though
    # it leaves P1 a gap.
    prob = problem(
        3,
        5,
        [
            Participant("P1"),
            Participant("P2", frozenset({"s0"})),
            Participant("P3", frozenset({"s2"})),
            Participant("P4", frozenset({"s2"})),
        ],
        [("R1", "P1", "P2", 1), ("R2", "P1", "P3", 3), ("R3", "P3", "P4", 1)],
    )
    result = schedule(prob)
    assert result.weight == 4
    assert result.meetings == (Placement("R1", "s0"), Placement("R2", "s2"))
    assert result.idle_gaps == 1
    assert [(u.request, u.reason) for u in result.unplaced] == [("R3", "conflict")]


def test_touching_busy_interval_does_not_block_a_slot():
    # busy 09:20–10:00 touches s0 (09:00–09:20) and s3 (10:00–10:20) and blocks s1, s2
    busy = (Interval(DAY + timedelta(minutes=20), DAY + timedelta(minutes=60)),)
    prob = problem(
        4,
        1,
        [Participant("P1", None, busy), Participant("P2")],
        [("R1", "P1", "P2", 1), ("R2", "P1", "P2", 1), ("R3", "P1", "P2", 1)],
    )
    result = schedule(prob)
    assert result.meetings == (Placement("R1", "s0"), Placement("R2", "s3"))
    assert [(u.request, u.reason) for u in result.unplaced] == [("R3", "conflict")]


# --- reasons --------------------------------------------------------------------------------


def test_no_common_slot_reason_and_what_would_help():
    prob = problem(
        4,
        5,
        [Participant("P1", frozenset({"s0", "s1"})), Participant("P7", frozenset({"s2", "s3"}))],
        [("R1", "P1", "P7", 2)],
    )
    [u] = schedule(prob).unplaced
    assert u.reason == "no_common_slot"
    assert u.detail == "P1 与 P7 没有共同的空闲时段"
    assert u.helps == "P7 增加 11 月 26 日上午的空闲时段（P1 此时空闲）"


def test_participant_full_reason():
    prob = problem(
        3,
        5,
        [Participant("P1", max_meetings=1), Participant("P2"), Participant("P3")],
        [("R1", "P1", "P2", 3), ("R2", "P1", "P3", 1)],
    )
    result = schedule(prob)
    assert [m.request for m in result.meetings] == ["R1"]
    [u] = result.unplaced
    assert (u.request, u.reason) == ("R2", "participant_full")
    assert u.detail == "P1 已安排 1 场洽谈，达到上限 1 场"
    assert u.helps == "P1 提高洽谈上限，或取消一场优先级较低的洽谈"


def test_capacity_reason_when_every_common_slot_is_full_of_tables():
    prob = problem(
        1,
        1,
        [Participant(p) for p in ("P1", "P2", "P3", "P4")],
        [("R1", "P1", "P2", 2), ("R2", "P3", "P4", 1)],
    )
    result = schedule(prob)
    assert result.meetings == (Placement("R1", "s0"),)
    [u] = result.unplaced
    assert (u.request, u.reason) == ("R2", "capacity")
    assert u.detail == "双方共同空闲的 1 个时段（s0）都已坐满 1 张洽谈桌"
    assert u.helps == "增加洽谈桌数，或 P3、P4 增加其他空闲时段"


def test_conflict_reason_with_a_fixed_meeting():
    prob = problem(
        2,
        5,
        [
            Participant("P1"),
            Participant("P2", frozenset({"s1"})),
            Participant("P3", frozenset({"s1"})),
        ],
        [("R1", "P1", "P2", 1), ("R2", "P1", "P3", 3)],
        fixed=[("R1", "s1")],
    )
    result = schedule(prob)
    assert result.meetings == (Placement("R1", "s1"),)
    [u] = result.unplaced
    assert (u.request, u.reason) == ("R2", "conflict")
    assert u.detail == "双方共同空闲的 1 个时段里，每个都已有一方的其他洽谈：s1（R1）"
    assert u.helps == "P1 或 P3 增加空闲时段，或把冲突的洽谈改到其他时段"


# --- fixed placements -------------------------------------------------------------------------


def test_fixed_placements_are_kept_even_when_moving_them_would_pay():
    prob = problem(
        2,
        1,
        [Participant(p) for p in ("P1", "P2", "P3", "P4")],
        [("R1", "P1", "P2", 1), ("R2", "P3", "P4", 3), ("R3", "P1", "P3", 3)],
        fixed=[("R1", "s0")],
    )
    result = schedule(prob)
    assert Placement("R1", "s0") in result.meetings
    assert result.weight == 4
    assert valid(prob, result.meetings)


def test_a_fixed_placement_that_breaks_a_rule_is_refused_and_named():
    busy = (Interval(DAY, DAY + timedelta(minutes=20)),)
    data = {
        "slots": [{"id": "s0", "start": "2026-11-26T09:00", "end": "2026-11-26T09:20"}],
        "tables": 1,
        "participants": [
            {"id": "P1", "busy": [{"start": "2026-11-26T09:00", "end": "2026-11-26T09:20"}]},
            {"id": "P2"},
            {"id": "P3"},
        ],
        "requests": [
            {"id": "R1", "from": "P1", "to": "P2"},
            {"id": "R2", "from": "P2", "to": "P3"},
        ],
        "fixed": [{"request": "R1", "slot": "s0"}, {"request": "R2", "slot": "s0"}],
    }
    with pytest.raises(ScheduleError) as exc:
        parse_problem(data)
    assert exc.value.problems == [
        "fixed[0]: P1 在时段「s0」不空闲（请求「R1」）",
        "fixed[1]: P2 在时段「s0」已有洽谈「R1」（请求「R2」）",
        "fixed[1]: 时段「s0」的洽谈超过桌数 1（请求「R2」）",
    ]
    assert busy  # the interval above is P1's busy time
    data["tables"] = 2
    data["fixed"] = [{"request": "R2", "slot": "s0"}]
    data["participants"][2]["max_meetings"] = 0
    with pytest.raises(ScheduleError) as exc:
        parse_problem(data)
    assert exc.value.problems == ["fixed[0]: P3 的洽谈超过上限 0 场（请求「R2」）"]


def test_bad_input_names_every_json_path():
    data = {
        "slots": [
            {"id": "a", "start": "2026-11-26T09:00", "end": "2026-11-26T09:00"},
            {"id": "a", "start": "nope", "end": "2026-11-26T09:20"},
        ],
        "tables": -1,
        "participants": [{"id": "P1", "available": ["zz"]}, {"id": "P1"}],
        "requests": [{"id": "R1", "from": "P1", "to": "P9", "priority": 4}],
        "fixed": [{"request": "R9", "slot": "a"}],
        "extra": 1,
    }
    with pytest.raises(ScheduleError) as exc:
        parse_problem(data)
    assert exc.value.problems == [
        "extra: 未知的项",
        "slots[0].end: 结束时间须晚于开始时间",
        "slots[1].start: 无法识别的日期时间「nope」",
        "slots[1].id: 时段编号「a」重复",
        "tables: 须为不小于 0 的整数",
        "participants[0].available[0]: 未知的时段「zz」",
        "participants[1].id: 参与者编号「P1」重复",
        "requests[0].to: 未知的参与者「P9」",
        "requests[0].priority: 须为 1、2 或 3",
        "fixed[0].request: 未知的请求「R9」",
        "fixed[0].slot: 未知的时段「a」",
    ]
    assert exc.value.problems_en[0] == "extra: unknown key"


# --- incremental and re-optimise ----------------------------------------------------------------


def test_incremental_never_moves_a_published_meeting():
    prob = generate(80, 12, 300, seed=5)
    last = prob.requests[-1]
    first = ScheduleProblem(prob.slots, prob.tables, prob.participants, prob.requests[:-1])
    published = schedule(first).meetings
    result = place_incremental(prob, published, last.id)
    assert set(published) <= set(result.meetings)
    assert len(result.meetings) - len(published) in (0, 1)
    assert valid(prob, result.meetings)
    if len(result.meetings) == len(published):
        assert [u.request for u in result.unplaced] == [last.id]
    else:
        assert result.unplaced == ()


def test_incremental_picks_the_slot_that_adds_no_gap_and_names_a_full_day():
    prob = problem(
        4,
        5,
        [Participant("P1"), Participant("P2"), Participant("P3", frozenset({"s0"}))],
        [("R1", "P1", "P2", 1), ("R2", "P1", "P3", 1)],
    )
    result = place_incremental(prob, (Placement("R2", "s0"),), "R1")
    assert result.meetings == (Placement("R2", "s0"), Placement("R1", "s1"))
    full = place_incremental(prob, (Placement("R1", "s0"),), "R2")
    assert full.meetings == (Placement("R1", "s0"),)
    assert [(u.request, u.reason) for u in full.unplaced] == [("R2", "conflict")]
    with pytest.raises(ScheduleError) as exc:
        place_incremental(
            prob, (Placement("R2", "s0"), Placement("R2", "s1"), Placement("R9", "s1")), "R1"
        )
    assert exc.value.problems == [
        "published[1]: 请求「R2」已安排过一次（published[0]）",
        "published[2]: 未知的请求「R9」",
    ]
    # re-optimising checks the published meetings against the calendars too
    with pytest.raises(ScheduleError) as exc:
        reoptimise(prob, (Placement("R2", "s1"),), ())
    assert exc.value.problems == ["published[0]: P3 在时段「s1」不空闲（请求「R2」）"]


def test_reoptimise_moves_only_unpublished_meetings_and_says_which():
    prob = problem(
        2,
        5,
        [
            Participant("P1"),
            Participant("P2"),
            Participant("P3", frozenset({"s0"})),
            Participant("P4"),
        ],
        [("R1", "P1", "P2", 1), ("R2", "P1", "P3", 2), ("R3", "P2", "P4", 1)],
    )
    # R1 was put first at s0 (unpublished); R3 is published at s1. R2 needs P1 at s0.
    result, moves = reoptimise(prob, (Placement("R3", "s1"),), (Placement("R1", "s0"),))
    assert Placement("R3", "s1") in result.meetings
    assert moves == [("R1", "s0", None)]
    assert result.weight == 3
    assert [(u.request, u.reason) for u in result.unplaced] == [("R1", "conflict")]
    # nothing to gain: the unpublished meeting stays where it is
    calm, none = reoptimise(prob, (), (Placement("R2", "s0"), Placement("R1", "s1")))
    assert none == []
    assert set(calm.meetings) >= {Placement("R2", "s0"), Placement("R1", "s1")}


def test_reoptimise_prefers_moving_nobody_among_optimal_schedules():
    prob = generate(40, 8, 90, seed=11)
    draft = schedule(prob).meetings
    published, unpublished = draft[: len(draft) // 2], draft[len(draft) // 2 :]
    result, moves = reoptimise(prob, published, unpublished)
    assert set(published) <= set(result.meetings)
    assert moves == []
    assert result.weight == schedule(prob).weight


def test_to_json_shape():
    prob = problem(1, 1, [Participant("P1"), Participant("P2")], [("R1", "P1", "P2", 2)])
    out = to_json(schedule(prob))
    assert out["placed"] == 1 and out["weight"] == 2
    assert out["meetings"] == [{"request": "R1", "slot": "s0"}]
    assert out["unplaced"] == []
    assert out["optimal"] is True and out["solver"] == "highs"


@pytest.mark.parametrize("solver", ["highs", "cp-sat"])
def test_a_time_limit_still_gives_a_valid_schedule_and_an_honest_bound(solver):
    prob = generate(200, 28, 900, seed=2)
    result = schedule(prob, time_limit=0.5, solver=solver)
    assert valid(prob, result.meetings)
    assert result.bound is not None
    assert result.bound >= result.weight
    assert result.weight >= greedy(prob).weight or not result.optimal
    if result.optimal:
        assert result.bound == result.weight
    else:
        assert any("未证明最优" in line for line in result.explanation)
        # nothing with an open common slot is left out
        assert all(u.reason != "conflict" or "仍可安排" not in u.detail for u in result.unplaced)


def test_a_problem_built_directly_is_checked_too():
    prob = problem(
        1,
        1,
        [Participant("P1")],
        [("R1", "P1", "P9", 2), ("R1", "P1", "P1", 4)],
    )
    with pytest.raises(ScheduleError) as exc:
        schedule(prob)
    assert exc.value.problems == [
        "requests[0].to: 未知的参与者「P9」",
        "requests[1].id: 请求编号「R1」重复",
        "requests[1]: 不能与自己洽谈（P1）",
        "requests[1].priority: 须为 1、2 或 3",
    ]


def test_reoptimise_reports_exactly_the_unpublished_meetings_that_change():
    prob = generate(40, 8, 120, seed=7)
    draft = greedy(prob, order="arrival", pick="random", seed=3).meetings
    published, unpublished = draft[::2], draft[1::2]
    result, moves = reoptimise(prob, published, unpublished)
    now = {m.request: m.slot for m in result.meetings}
    assert valid(prob, result.meetings)
    assert all(now[m.request] == m.slot for m in published)
    expected = [
        (m.request, m.slot, now.get(m.request)) for m in unpublished if now.get(m.request) != m.slot
    ]
    assert moves == expected
    assert result.optimal is True
    # the optimum with the published meetings kept, and nothing better is possible by moving
    # unpublished ones than what the batch run with those meetings fixed finds
    fixed = ScheduleProblem(
        prob.slots, prob.tables, prob.participants, prob.requests, tuple(published)
    )
    assert result.weight == schedule(fixed).weight


# --- reasons as codes, in both languages ------------------------------------------------------


def _both(u):
    from zhizao_core.expo import reasons

    zh = (reasons.render(u.detail_code, u.params), reasons.render(u.helps_code, u.params))
    en = (
        reasons.render(u.detail_code, u.params, "en"),
        reasons.render(u.helps_code, u.params, "en"),
    )
    return zh, en


def test_every_reason_comes_as_codes_with_parameters_in_both_languages():
    full = schedule(
        problem(
            3,
            5,
            [Participant("P1", max_meetings=1), Participant("P2"), Participant("P3")],
            [("R1", "P1", "P2", 3), ("R2", "P1", "P3", 1)],
        )
    ).unplaced[0]
    assert (full.detail_code, full.helps_code) == ("full", "raise_cap")
    assert full.params == {"p": "P1", "count": 1, "cap": 1}
    zh, en = _both(full)
    assert zh == (full.detail, full.helps)
    assert en == (
        "P1 already has 1 meetings, its limit of 1",
        "P1 raises its meeting limit, or cancels a meeting of lower priority",
    )

    capacity = schedule(
        problem(
            1,
            1,
            [Participant(p) for p in ("P1", "P2", "P3", "P4")],
            [("R1", "P1", "P2", 2), ("R2", "P3", "P4", 1)],
        )
    ).unplaced[0]
    assert (capacity.detail_code, capacity.helps_code) == ("tables_full", "more_tables")
    zh, en = _both(capacity)
    assert zh == (capacity.detail, capacity.helps)
    assert en == (
        "all 1 slots where both are free (s0) have their 1 tables taken",
        "more tables, or P3 and P4 offer other free slots",
    )

    conflict = schedule(
        problem(
            2,
            5,
            [
                Participant("P1"),
                Participant("P2", frozenset({"s1"})),
                Participant("P3", frozenset({"s1"})),
            ],
            [("R1", "P1", "P2", 1), ("R2", "P1", "P3", 3)],
            fixed=[("R1", "s1")],
        )
    ).unplaced[0]
    assert (conflict.detail_code, conflict.helps_code) == ("all_clash", "open_or_move")
    assert conflict.params["clash"] == [["s1", "R1"]]
    zh, en = _both(conflict)
    assert zh == (conflict.detail, conflict.helps)
    assert (
        en[0]
        == "each of the 1 slots where both are free holds another meeting of one of them: s1 (R1)"
    )

    nobody = schedule(
        problem(2, 5, [Participant("P1", frozenset()), Participant("P2")], [("R1", "P1", "P2", 1)])
    ).unplaced[0]
    assert (nobody.detail_code, nobody.helps_code) == ("nobody_free", "open_slots")
    assert _both(nobody) == (
        ("P1 在所有时段都不空闲", "P1 增加空闲时段"),
        ("P1 is free in no slot", "P1 offers more free slots"),
    )
