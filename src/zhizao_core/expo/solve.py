"""Placing accepted 1:1 meeting requests into slots: batch (exact), incremental, re-optimise.

The model (docs/expo.md, "Scheduler"): a binary x[r, t] for every request r and slot t in
which both parties are free (available, and not overlapping a busy interval; a meeting placed
elsewhere does not count), after the fixed (or published) placements are applied — their
slots, tables and meeting counts are taken off first. Then

    at most one slot per request            Σ_t x[r, t] ≤ 1
    one meeting per participant and slot    Σ_{r ∋ p} x[r, t] ≤ 1
    a participant's cap                     Σ_{r ∋ p, t} x[r, t] ≤ max_meetings(p) − fixed(p)
    tables per slot                         Σ_r x[r, t] ≤ tables − fixed(t)

maximise Σ priority(r) · x[r, t]. Constraints that cannot bind are left out. A second solve
keeps the total priority at its optimum and minimises idle gaps: in a participant's day, the
free slots between two of its meetings in which it has no meeting (a busy slot — a session —
between two meetings is not idle). With y[p, k] the meeting indicator of p's k-th free slot of
the day, gaps(p, day) = (number of k with y[k] = 1 and y[k−1] = 0) − (1 if any y = 1), modelled
with s[p, k] ≥ y[k] − y[k−1] and a[p, day] ≤ Σ y.

Two solvers, both started from the greedy schedule: a MIP in HiGHS (through ``highspy``, the
default — measured the faster, docs/benchmarks.md) and CP-SAT from OR-Tools
(``solver="cp-sat"``).
"""

from __future__ import annotations

import itertools
import random
import time
from collections import defaultdict
from functools import cached_property

from . import reasons
from .model import (
    MeetingRequest,
    Placement,
    ScheduleError,
    ScheduleProblem,
    ScheduleResult,
    Unplaced,
    _Problems,
)

SOLVERS = ("highs", "cp-sat")
DEFAULT_SOLVER = "highs"
DEFAULT_GAP_TIME_LIMIT = 20.0
# the exact idle-gap solve runs only on models up to this many variables (docs/expo.md)
GAP_MIP_VARS = 6000
# after a time limit: seconds spent moving one meeting aside to fit a request still out
REPAIR_SECONDS = 10.0
# the idle-gap local search's floor, when a time limit has already run out
LOCAL_SEARCH_SECONDS = 5.0


def _half_day(start) -> str:
    return f"{start.month} 月 {start.day} 日{'上午' if start.hour < 12 else '下午'}"


def _check_problem(problem: ScheduleProblem) -> None:
    """The rules ``parse_problem`` checks on JSON, for a problem built directly (by the app)."""
    out = _Problems()
    if problem.tables < 0:
        out.add("tables", "须为不小于 0 的整数", "must be an integer ≥ 0")
    ids = set()
    for k, s in enumerate(problem.slots):
        if s.id in ids:
            out.add(f"slots[{k}].id", f"时段编号「{s.id}」重复", f"duplicate slot id {s.id!r}")
        ids.add(s.id)
        if s.end <= s.start:
            out.add(f"slots[{k}].end", "结束时间须晚于开始时间", "must be later than start")
    seen = set()
    for k, r in enumerate(problem.requests):
        path = f"requests[{k}]"
        if r.id in seen:
            out.add(f"{path}.id", f"请求编号「{r.id}」重复", f"duplicate request id {r.id!r}")
        seen.add(r.id)
        for key, pid in (("from", r.from_), ("to", r.to)):
            if pid not in problem.participants:
                out.add(f"{path}.{key}", f"未知的参与者「{pid}」", f"unknown participant {pid!r}")
        if r.from_ == r.to:
            out.add(
                path,
                f"不能与自己洽谈（{r.from_}）",
                f"a participant cannot meet itself ({r.from_})",
            )
        if r.priority not in (1, 2, 3):
            out.add(f"{path}.priority", "须为 1、2 或 3", "must be 1, 2 or 3")
    for pid, p in problem.participants.items():
        if p.max_meetings is not None and p.max_meetings < 0:
            out.add(
                f"participants[{pid}].max_meetings", "须为不小于 0 的整数", "must be an integer ≥ 0"
            )
    out.raise_if_any()


class Instance:
    """Indexes of a problem, computed on first use (the incremental path touches only the two
    parties of one request)."""

    def __init__(self, problem: ScheduleProblem, *, check: bool = True):
        if check:
            _check_problem(problem)
        self.problem = problem
        self.slots = problem.slots
        self.slot_index = {s.id: t for t, s in enumerate(problem.slots)}
        self.requests = problem.requests
        self.request_index = {r.id: i for i, r in enumerate(problem.requests)}
        self._free: dict[str, frozenset[int]] = {}
        self._free_days: dict[str, dict] = {}

    # -- free slots -----------------------------------------------------------------------
    def is_free(self, pid: str, t: int) -> bool:
        cached = self._free.get(pid)
        if cached is not None:
            return t in cached
        p = self.problem.participants[pid]
        slot = self.slots[t]
        if p.available is not None and slot.id not in p.available:
            return False
        return not any(b.overlaps(slot.start, slot.end) for b in p.busy)

    def free(self, pid: str) -> frozenset[int]:
        cached = self._free.get(pid)
        if cached is None:
            p = self.problem.participants[pid]
            out = []
            for t, slot in enumerate(self.slots):
                if p.available is not None and slot.id not in p.available:
                    continue
                if any(b.overlaps(slot.start, slot.end) for b in p.busy):
                    continue
                out.append(t)
            cached = self._free[pid] = frozenset(out)
        return cached

    def common(self, r: MeetingRequest) -> list[int]:
        """Slots in which both parties are free, in time order."""
        both = self.free(r.from_) & self.free(r.to)
        return sorted(both, key=self.order.__getitem__)

    @cached_property
    def order(self) -> list[int]:
        """order[t]: the rank of slot t by (start, end, input position)."""
        ranked = sorted(
            range(len(self.slots)), key=lambda t: (self.slots[t].start, self.slots[t].end, t)
        )
        out = [0] * len(self.slots)
        for k, t in enumerate(ranked):
            out[t] = k
        return out

    @cached_property
    def day(self) -> list:
        return [s.start.date() for s in self.slots]

    def free_days(self, pid: str) -> dict:
        """The participant's free slots per day, in time order."""
        cached = self._free_days.get(pid)
        if cached is None:
            cached = defaultdict(list)
            for t in sorted(self.free(pid), key=self.order.__getitem__):
                cached[self.day[t]].append(t)
            cached = self._free_days[pid] = dict(cached)
        return cached

    # -- checks ---------------------------------------------------------------------------
    def check_placements(
        self, placements, *, label: str, paths: list[str] | None = None, rules: bool = True
    ) -> None:
        """Raise ScheduleError naming every placement (``label[i]``, or ``paths[i]``) that
        breaks a rule; with ``rules=False`` only unknown ids and a request placed twice."""
        out = _Problems()
        seen: dict[str, int] = {}
        at: dict[tuple[str, int], str] = {}
        count: dict[str, int] = defaultdict(int)
        per_slot: dict[int, int] = defaultdict(int)
        for i, pl in enumerate(placements):
            path = paths[i] if paths is not None else f"{label}[{i}]"
            if pl.request not in self.request_index:
                out.add(path, f"未知的请求「{pl.request}」", f"unknown request {pl.request!r}")
                continue
            if pl.slot not in self.slot_index:
                out.add(path, f"未知的时段「{pl.slot}」", f"unknown slot {pl.slot!r}")
                continue
            if pl.request in seen:
                first = (
                    paths[seen[pl.request]] if paths is not None else f"{label}[{seen[pl.request]}]"
                )
                out.add(
                    path,
                    f"请求「{pl.request}」已安排过一次（{first}）",
                    f"request {pl.request!r} is already placed ({first})",
                )
                continue
            seen[pl.request] = i
            if not rules:
                continue
            r = self.requests[self.request_index[pl.request]]
            t = self.slot_index[pl.slot]
            for pid in (r.from_, r.to):
                if not self.is_free(pid, t):
                    out.add(
                        path,
                        f"{pid} 在时段「{pl.slot}」不空闲（请求「{r.id}」）",
                        f"{pid} is not free in slot {pl.slot!r} (request {r.id!r})",
                    )
                elif (pid, t) in at:
                    out.add(
                        path,
                        f"{pid} 在时段「{pl.slot}」已有洽谈「{at[pid, t]}」（请求「{r.id}」）",
                        f"{pid} already has meeting {at[pid, t]!r} in slot {pl.slot!r} (request {r.id!r})",
                    )
                else:
                    at[pid, t] = r.id
                count[pid] += 1
                cap = self.problem.participants[pid].max_meetings
                if cap is not None and count[pid] == cap + 1:
                    out.add(
                        path,
                        f"{pid} 的洽谈超过上限 {cap} 场（请求「{r.id}」）",
                        f"{pid} exceeds its limit of {cap} meetings (request {r.id!r})",
                    )
            per_slot[t] += 1
            if per_slot[t] == self.problem.tables + 1:
                out.add(
                    path,
                    f"时段「{pl.slot}」的洽谈超过桌数 {self.problem.tables}（请求「{r.id}」）",
                    f"slot {pl.slot!r} exceeds {self.problem.tables} tables (request {r.id!r})",
                )
        out.raise_if_any()

    # -- measures -------------------------------------------------------------------------
    @cached_property
    def ordered(self) -> list[int]:
        """Slot indexes in time order."""
        out = [0] * len(self.slots)
        for t, k in enumerate(self.order):
            out[k] = t
        return out

    def idle_gaps(self, meetings) -> int:
        slots_of: dict[str, set[int]] = defaultdict(set)
        for pl in meetings:
            r = self.requests[self.request_index[pl.request]]
            t = self.slot_index[pl.slot]
            slots_of[r.from_].add(t)
            slots_of[r.to].add(t)
        return sum(self._gaps_of(pid, taken) for pid, taken in slots_of.items())

    def _gaps_of(self, pid: str, taken: set[int]) -> int:
        """Idle gaps of one participant: two consecutive meetings on the same day with a slot
        between them in which it is free (and, being consecutive, has no meeting)."""
        if len(taken) < 2:
            return 0
        order, day, ordered = self.order, self.day, self.ordered
        ks = sorted(order[t] for t in taken)
        total = 0
        for k1, k2 in itertools.pairwise(ks):
            if k2 - k1 < 2 or day[ordered[k1]] != day[ordered[k2]]:
                continue
            if any(self.is_free(pid, ordered[k]) for k in range(k1 + 1, k2)):
                total += 1
        return total

    # -- why a request is not placed ------------------------------------------------------
    def explain_unplaced(self, r: MeetingRequest, state: _State) -> Unplaced:
        common = self.common(r)
        a, b = r.from_, r.to
        if not common:
            return _unplaced(r.id, "no_common_slot", *self._no_common(r))
        for pid in (a, b):
            cap = self.problem.participants[pid].max_meetings
            if cap is not None and state.count[pid] >= cap:
                return _unplaced(
                    r.id,
                    "participant_full",
                    ("full", {"p": pid, "count": state.count[pid], "cap": cap}),
                    ("raise_cap", {"p": pid}),
                )
        clash = [(t, state.at.get((a, t)) or state.at.get((b, t))) for t in common]
        clash = [(t, other) for t, other in clash if other is not None]
        clashing = {t for t, _other in clash}
        # a slot where one party already meets is a conflict, whatever the tables; the other
        # common slots block by capacity when they are full
        rest = [t for t in common if t not in clashing]
        full = [t for t in rest if state.per_slot[t] >= self.problem.tables]
        shown = {
            "clash": [[self.slots[t].id, other] for t, other in clash[:5]],
            "more_clash": len(clash) > 5,
            "n_clash": len(clash),
            "common": len(common),
        }
        if rest and len(full) == len(rest):
            params = {
                **shown,
                "full": len(full),
                "slots": [self.slots[t].id for t in full[:5]],
                "more_slots": len(full) > 5,
                "tables": self.problem.tables,
            }
            code = "tables_full_and_clash" if clash else "tables_full"
            return _unplaced(r.id, "capacity", (code, params), ("more_tables", {"a": a, "b": b}))
        if not rest:
            return _unplaced(
                r.id, "conflict", ("all_clash", shown), ("open_or_move", {"a": a, "b": b})
            )
        # a common slot is still open: only possible outside an optimal batch run
        return _unplaced(
            r.id,
            "conflict",
            ("clash_some_open", {**shown, "open": len(rest) - len(full)}),
            ("reoptimise", {}),
        )

    def _no_common(self, r: MeetingRequest) -> tuple[tuple[str, dict], tuple[str, dict]]:
        a, b = r.from_, r.to
        fa, fb = self.free(a), self.free(b)
        if not fa or not fb:
            nobody = a if not fa else b
            return ("nobody_free", {"p": nobody}), ("open_slots", {"p": nobody})
        # the half-day where one party is free most often: the other should open it
        best: dict[tuple[str, str], int] = defaultdict(int)
        starts: dict[str, object] = {}
        for pid, theirs in ((b, fa), (a, fb)):
            for t in theirs:
                key = _half_day(self.slots[t].start)
                starts.setdefault(key, self.slots[t].start)
                best[pid, key] += 1
        (who, when), _n = max(best.items(), key=lambda kv: (kv[1], kv[0][0] == b))
        other = a if who == b else b
        return (
            ("no_common", {"a": a, "b": b}),
            ("open_half_day", {"who": who, "other": other, **reasons.half_day(starts[when])}),
        )


def _unplaced(request: str, reason, detail: tuple[str, dict], helps: tuple[str, dict]) -> Unplaced:
    """An unplaced request with its codes and parameters, and their Chinese text."""
    params = {**detail[1], **helps[1]}
    return Unplaced(
        request,
        reason,
        reasons.render(detail[0], params),
        reasons.render(helps[0], params),
        detail_code=detail[0],
        helps_code=helps[0],
        params=params,
    )


class _State:
    """Meetings per participant, per (participant, slot) and per slot."""

    def __init__(self, inst: Instance, placements):
        self.count: dict[str, int] = defaultdict(int)
        self.at: dict[tuple[str, int], str] = {}
        self.per_slot: dict[int, int] = defaultdict(int)
        self.placed: dict[str, int] = {}
        self.slots_of: dict[str, set[int]] = defaultdict(set)
        self.by_slot: dict[int, set[str]] = defaultdict(set)
        self.inst = inst
        for pl in placements:
            self.add(inst.requests[inst.request_index[pl.request]], inst.slot_index[pl.slot])

    def add(self, r: MeetingRequest, t: int) -> None:
        self.placed[r.id] = t
        self.per_slot[t] += 1
        self.by_slot[t].add(r.id)
        for pid in (r.from_, r.to):
            self.count[pid] += 1
            self.at[pid, t] = r.id
            self.slots_of[pid].add(t)

    def remove(self, r: MeetingRequest, t: int) -> None:
        del self.placed[r.id]
        self.per_slot[t] -= 1
        self.by_slot[t].discard(r.id)
        for pid in (r.from_, r.to):
            self.count[pid] -= 1
            del self.at[pid, t]
            self.slots_of[pid].discard(t)

    def room(self, pid: str) -> int | None:
        cap = self.inst.problem.participants[pid].max_meetings
        return None if cap is None else cap - self.count[pid]

    def open(self, r: MeetingRequest, t: int) -> bool:
        return (
            self.per_slot[t] < self.inst.problem.tables
            and (r.from_, t) not in self.at
            and (r.to, t) not in self.at
        )

    def can_take(self, r: MeetingRequest) -> bool:
        return all((self.room(p) is None or self.room(p) > 0) for p in (r.from_, r.to))


# ---------------------------------------------------------------------------------------------
# The model


class _Model:
    """Variables x[(r, t)] of the reduced model, given the placements kept as they are."""

    def __init__(self, inst: Instance, keep, movable=()):
        self.inst = inst
        self._weights: list[int] | None = None
        self.keep = list(keep)
        self.state = _State(inst, keep)
        self.vars: list[tuple[int, int]] = []  # (request index, slot)
        self.dropped_no_common = 0
        moved_from = {pl.request: inst.slot_index[pl.slot] for pl in movable}
        self.stay: dict[int, int] = {}  # variable index → 1 when it keeps a movable meeting
        for i, r in enumerate(inst.requests):
            if r.id in self.state.placed:
                continue
            common = inst.common(r)
            if not common:
                self.dropped_no_common += 1
                continue
            if not self.state.can_take(r):
                continue
            for t in common:
                if self.state.open(r, t):
                    if moved_from.get(r.id) == t:
                        self.stay[len(self.vars)] = 1
                    self.vars.append((i, t))
        self.moved_from = moved_from

    def rows(self):
        """The constraint rows (variable indexes, right-hand side) that can bind."""
        inst, state = self.inst, self.state
        by_req: dict[int, list[int]] = defaultdict(list)
        by_pt: dict[tuple[str, int], list[int]] = defaultdict(list)
        by_p: dict[str, list[int]] = defaultdict(list)
        by_t: dict[int, list[int]] = defaultdict(list)
        reqs_of: dict[str, set[int]] = defaultdict(set)
        for v, (i, t) in enumerate(self.vars):
            r = inst.requests[i]
            by_req[i].append(v)
            by_t[t].append(v)
            for pid in (r.from_, r.to):
                by_pt[pid, t].append(v)
                by_p[pid].append(v)
                reqs_of[pid].add(i)
        rows = [(vs, 1) for vs in by_req.values() if len(vs) > 1]
        rows += [(vs, 1) for vs in by_pt.values() if len(vs) > 1]
        for pid, vs in by_p.items():
            room = state.room(pid)
            if room is not None and len(reqs_of[pid]) > room:
                rows.append((vs, room))
        tables = inst.problem.tables
        for t, vs in by_t.items():
            left = tables - state.per_slot[t]
            if len(vs) > left:
                rows.append((vs, left))
        return rows

    def weights(self) -> list[int]:
        if self._weights is None:
            self._weights = [self.inst.requests[i].priority for i, _t in self.vars]
        return self._weights

    @cached_property
    def _gap_terms(self):
        return self._build_gap_terms()

    def gap_terms(self):
        return self._gap_terms

    def _build_gap_terms(self):
        """For the second solve: per participant-day, the sequence of its free slots with, for
        each, the variables whose sum is y (and whether a kept meeting makes y = 1)."""
        inst, state = self.inst, self.state
        at: dict[tuple[str, int], list[int]] = defaultdict(list)
        for v, (i, t) in enumerate(self.vars):
            r = inst.requests[i]
            at[r.from_, t].append(v)
            at[r.to, t].append(v)
        people = {p for (p, _t) in at} | {p for (p, _t) in state.at}
        out = []
        for pid in sorted(people):
            for seq in inst.free_days(pid).values():
                items = []
                for t in seq:
                    fixed = (pid, t) in state.at
                    vs = at.get((pid, t), [])
                    items.append((vs, fixed))
                if sum(1 for vs, fixed in items if vs or fixed) >= 2:
                    out.append(items)
        return out


def _result_from(
    inst: Instance,
    placements,
    solver: str,
    optimal: bool,
    gaps_optimal: bool,
    explanation,
    bound=None,
    only=None,
    state: _State | None = None,
) -> ScheduleResult:
    if state is None:
        state = _State(inst, placements)
    order = inst.order
    meetings = tuple(
        sorted(
            placements,
            key=lambda pl: (order[inst.slot_index[pl.slot]], inst.request_index[pl.request]),
        )
    )
    targets = (
        inst.requests if only is None else [inst.requests[inst.request_index[rid]] for rid in only]
    )
    unplaced = tuple(inst.explain_unplaced(r, state) for r in targets if r.id not in state.placed)
    weight = sum(inst.requests[inst.request_index[pl.request]].priority for pl in meetings)
    gaps = sum(inst._gaps_of(pid, taken) for pid, taken in state.slots_of.items())
    explanation = list(explanation)
    counts = defaultdict(int)
    for u in unplaced:
        counts[u.reason] += 1
    explanation.append(
        f"安排 {len(meetings)} 场洽谈，总优先级 {weight}，参与者日程中的空闲间隔 {gaps} 个"
    )
    if unplaced:
        labels = {
            "no_common_slot": "没有共同空闲时段",
            "participant_full": "一方洽谈已满",
            "capacity": "洽谈桌已满",
            "conflict": "与其他洽谈冲突",
        }
        explanation.append(
            f"未安排 {len(unplaced)} 个请求："
            + "，".join(f"{labels[k]} {counts[k]} 个" for k in labels if counts[k])
        )
    return ScheduleResult(
        placed=len(meetings),
        weight=weight,
        meetings=meetings,
        unplaced=unplaced,
        idle_gaps=gaps,
        optimal=optimal,
        solver=solver,
        explanation=explanation,
        gaps_optimal=gaps_optimal,
        bound=bound,
    )


# ---------------------------------------------------------------------------------------------
# Solvers


def _new_highs(highspy):
    """A Highs object without its start-up banner on our stdout (the command prints JSON)."""
    import ctypes
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        try:
            ctypes.CDLL(None).fflush(None)
        except (OSError, AttributeError):  # pragma: no cover - no C library to flush
            pass
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    return h


def _highs(cost, rows, rhs, n_int, ncols, *, maximize, time_limit, start=None):
    """Solve max/min cost·x, rows·x ≤ rhs, 0 ≤ x ≤ 1, the first ``n_int`` columns binary, with
    HiGHS (highspy). ``rows``: lists of (column, coefficient). Returns (x or None, proven,
    dual bound or None)."""
    import highspy
    import numpy as np

    h = _new_highs(highspy)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", 1)
    if time_limit is not None:
        h.setOptionValue("time_limit", max(0.01, float(time_limit)))
    lp = highspy.HighsLp()
    lp.num_col_ = ncols
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.zeros(ncols)
    lp.col_upper_ = np.ones(ncols)
    lp.row_lower_ = np.full(len(rows), -highspy.kHighsInf)
    lp.row_upper_ = np.asarray(rhs, dtype=float)
    index, value, start_of = [], [], [0]
    for coeffs in rows:
        for v, k in coeffs:
            index.append(v)
            value.append(k)
        start_of.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.asarray(start_of, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_int + [
        highspy.HighsVarType.kContinuous
    ] * (ncols - n_int)
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    h.passModel(lp)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(start)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution
        return None, False, None
    x = list(h.getSolution().col_value)
    dual = info.mip_dual_bound
    return x, status == highspy.HighsModelStatus.kOptimal, (dual if np.isfinite(dual) else None)


def _objective(model: _Model) -> tuple[list[int], int]:
    """Per variable: priority × (M + 1), plus 1 when it keeps a movable meeting in its slot
    (M movable meetings). Σ stays ≤ M < M + 1, so priority comes first, exactly."""
    scale = len(model.stay) + 1
    w = model.weights()
    return [w[v] * scale + (1 if v in model.stay else 0) for v in range(len(w))], scale


def _greedy_vars(model: _Model) -> list[int]:
    """A feasible start: kept meetings first, then by priority, each in its earliest open slot."""
    inst = model.inst
    state = _State(inst, model.keep)
    by_req: dict[int, list[int]] = defaultdict(list)
    for v, (i, _t) in enumerate(model.vars):
        by_req[i].append(v)
    order = sorted(by_req, key=lambda i: (-inst.requests[i].priority, i))
    stays = [v for v in model.stay]
    out = []
    for v in stays:
        i, t = model.vars[v]
        r = inst.requests[i]
        if r.id not in state.placed and state.can_take(r) and state.open(r, t):
            state.add(r, t)
            out.append(v)
    for i in order:
        r = inst.requests[i]
        if r.id in state.placed or not state.can_take(r):
            continue
        for v in by_req[i]:
            t = model.vars[v][1]
            if state.open(r, t):
                state.add(r, t)
                out.append(v)
                break
    return out


def _phase1_highs(model: _Model, time_limit):
    n = len(model.vars)
    rows = model.rows()
    c, _scale = _objective(model)
    start = [0.0] * n
    for v in _greedy_vars(model):
        start[v] = 1.0
    x, proven, dual = _highs(
        c,
        [[(v, 1.0) for v in vs] for vs, _r in rows],
        [r for _vs, r in rows],
        n,
        n,
        maximize=True,
        time_limit=time_limit,
        start=start,
    )
    if x is None:
        return [], False, None
    chosen = [v for v in range(n) if x[v] > 0.5]
    value = sum(c[v] for v in chosen)
    bound = int(dual + 1e-6) if dual is not None else None
    optimal = proven or (bound is not None and bound <= value)
    return chosen, optimal, (value if optimal else bound)


def _phase1_cpsat(model: _Model, time_limit, workers: int = 2):
    from ortools.sat.python import cp_model

    n = len(model.vars)
    c, _scale = _objective(model)
    m = cp_model.CpModel()
    x = [m.new_bool_var(f"x{v}") for v in range(n)]
    for vs, rhs in model.rows():
        if rhs == 1:
            m.add_at_most_one(x[v] for v in vs)
        else:
            m.add(cp_model.LinearExpr.sum([x[v] for v in vs]) <= rhs)
    m.maximize(cp_model.LinearExpr.weighted_sum(x, c))
    hinted = set(_greedy_vars(model))
    for v in range(n):
        m.add_hint(x[v], v in hinted)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = max(0.01, float(time_limit))
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [], False, None
    chosen = [v for v in range(n) if solver.value(x[v])]
    value = sum(c[v] for v in chosen)
    bound = int(solver.best_objective_bound + 1e-6)
    optimal = status == cp_model.OPTIMAL or bound <= value
    return chosen, optimal, (value if optimal else bound)


def _gap_rows(model: _Model, first: int):
    """Rows and costs of the idle-gap count: s ≥ y_k − y_{k−1} per free slot with a possible
    meeting, a ≤ Σ y per participant-day; gaps = Σ s − Σ a. Columns from ``first`` on."""
    rows, rhs, cost = [], [], []
    col = first
    for items in model.gap_terms():
        day_vars: list[int] = []
        day_fixed = False
        prev_vs, prev_fixed = [], False
        for vs, fixed in items:
            if vs or fixed:
                s = col
                col += 1
                cost.append(1.0)
                rows.append([(v, 1.0) for v in vs] + [(v, -1.0) for v in prev_vs] + [(s, -1.0)])
                rhs.append((1.0 if prev_fixed else 0.0) - (1.0 if fixed else 0.0))
                day_vars.extend(vs)
                day_fixed = day_fixed or fixed
            prev_vs, prev_fixed = vs, fixed
        a = col
        col += 1
        cost.append(-1.0)
        if day_fixed:
            rows.append([(a, 1.0)])
            rhs.append(1.0)
        else:
            rows.append([(a, 1.0)] + [(v, -1.0) for v in day_vars])
            rhs.append(0.0)
    return rows, rhs, cost, col


def _phase2_highs(model: _Model, chosen, time_limit):
    """Fewest idle gaps with the phase-1 objective (priority, then kept meetings) held at
    its optimum, started from ``chosen``. Returns (variables, proven) or (None, False)."""
    n = len(model.vars)
    c, _scale = _objective(model)
    value = sum(c[v] for v in chosen)
    rows = [[(v, 1.0) for v in vs] for vs, _r in model.rows()]
    rhs = [float(r) for _vs, r in model.rows()]
    g_rows, g_rhs, g_cost, ncols = _gap_rows(model, n)
    rows += g_rows
    rhs += g_rhs
    rows.append([(v, -float(c[v])) for v in range(n)])  # objective ≥ its optimum
    rhs.append(-value + 0.5)
    x, proven, _dual = _highs(
        [0.0] * n + g_cost,
        rows,
        rhs,
        n,
        ncols,
        maximize=False,
        time_limit=time_limit,
        start=_gap_start(model, chosen, n, ncols),
    )
    if x is None:
        return None, False
    out = [v for v in range(n) if x[v] > 0.5]
    if sum(c[v] for v in out) < value:  # pragma: no cover - the row above forbids it
        return None, False
    return out, proven


def _gap_start(model: _Model, chosen, n: int, ncols: int) -> list[float]:
    """The values of the gap columns (same order as ``_gap_rows``) for the schedule ``chosen``."""
    on = set(chosen)
    out = [0.0] * ncols
    for v in on:
        out[v] = 1.0
    col = n
    for items in model.gap_terms():
        prev = 0
        total = 0
        for vs, fixed in items:
            y = 1 if fixed or any(v in on for v in vs) else 0
            if vs or fixed:
                out[col] = float(max(0, y - prev))
                col += 1
                total += y
            prev = y
        out[col] = float(min(1, total))
        col += 1
    return out


def _phase2_cpsat(model: _Model, chosen, time_limit, workers: int = 2):
    from ortools.sat.python import cp_model

    n = len(model.vars)
    c, _scale = _objective(model)
    value = sum(c[v] for v in chosen)
    m = cp_model.CpModel()
    x = [m.new_bool_var(f"x{v}") for v in range(n)]
    for vs, rhs in model.rows():
        m.add(cp_model.LinearExpr.sum([x[v] for v in vs]) <= rhs)
    m.add(cp_model.LinearExpr.weighted_sum(x, c) >= value)
    g_rows, g_rhs, g_cost, ncols = _gap_rows(model, n)
    extra = [m.new_bool_var("") for _ in range(ncols - n)]
    cols = x + extra
    for coeffs, r in zip(g_rows, g_rhs, strict=True):
        m.add(sum(int(k) * cols[v] for v, k in coeffs) <= int(r))
    m.minimize(sum(int(k) * e for k, e in zip(g_cost, extra, strict=True)))
    hinted = set(chosen)
    for v in range(n):
        m.add_hint(x[v], v in hinted)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = max(0.01, float(time_limit))
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    return [v for v in range(n) if solver.value(x[v])], status == cp_model.OPTIMAL


def _local_search(model: _Model, chosen, deadline: float):
    """Fewer idle gaps with the same meetings: move one meeting at a time to another open
    common slot when that lowers the two parties' gaps; never moves a meeting that stays in
    its unpublished slot (re-optimise), so priority and moves are unchanged."""
    inst, state = model.inst, model.state
    tables = inst.problem.tables
    days = inst.day
    alts: dict[int, list[int]] = defaultdict(list)
    for v, (i, _t) in enumerate(model.vars):
        alts[i].append(v)
    per_slot = defaultdict(int, state.per_slot)
    taken: dict[str, set[int]] = defaultdict(set)
    for p, t in state.at:
        taken[p].add(t)
    current: dict[int, int] = {}
    for v in chosen:
        i, t = model.vars[v]
        current[i] = v
        per_slot[t] += 1
        r = inst.requests[i]
        taken[r.from_].add(t)
        taken[r.to].add(t)

    def day_gaps(p, d, tk):
        blocks, prev = 0, False
        for t in inst.free_days(p).get(d, ()):
            cur = t in tk
            if cur and not prev:
                blocks += 1
            prev = cur
        return max(0, blocks - 1)

    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for i, v in list(current.items()):
            if v in model.stay or len(alts[i]) < 2:
                continue
            if time.perf_counter() >= deadline:
                break
            t = model.vars[v][1]
            r = inst.requests[i]
            ends = (r.from_, r.to)
            best = None
            for v2 in alts[i]:
                t2 = model.vars[v2][1]
                if (
                    v2 == v
                    or per_slot[t2] >= tables
                    or t2 in taken[ends[0]]
                    or t2 in taken[ends[1]]
                ):
                    continue
                ds = {days[t], days[t2]}
                delta = 0
                for p in ends:
                    tk = taken[p]
                    moved = (tk - {t}) | {t2}
                    delta += sum(day_gaps(p, d, moved) - day_gaps(p, d, tk) for d in ds)
                if delta < 0 and (best is None or delta < best[0]):
                    best = (delta, v2, t2)
            if best is not None:
                _delta, v2, t2 = best
                current[i] = v2
                per_slot[t] -= 1
                per_slot[t2] += 1
                for p in ends:
                    taken[p].discard(t)
                    taken[p].add(t2)
                improved = True
    return list(current.values())


def _kept_weight(inst: Instance, keep) -> int:
    return sum(inst.requests[inst.request_index[pl.request]].priority for pl in keep)


def _complete_vars(model: _Model, chosen, deadline: float | None = None) -> list[int]:
    """The solver's schedule, completed greedily: any request with an open common slot is
    added (priority first, earliest slot); then, until ``deadline``, a request still out gets
    a slot where one meeting is in its way when that meeting can move to another open slot.
    Only used when a time limit stopped the solver first."""
    inst = model.inst
    state = _State(inst, model.keep)
    out = []
    for v in chosen:
        i, t = model.vars[v]
        state.add(inst.requests[i], t)
        out.append(v)
    by_req: dict[int, list[int]] = defaultdict(list)
    for v, (i, _t) in enumerate(model.vars):
        by_req[i].append(v)
    for i in sorted(by_req, key=lambda i: (-inst.requests[i].priority, i)):
        r = inst.requests[i]
        if r.id in state.placed or not state.can_take(r):
            continue
        for v in by_req[i]:
            t = model.vars[v][1]
            if state.open(r, t):
                state.add(r, t)
                out.append(v)
                break
    if deadline is None:
        return out
    var_of = {model.vars[v][0]: v for v in out}
    slot_var = {(i, t): v for v, (i, t) in enumerate(model.vars)}
    tables = inst.problem.tables
    for i in sorted(by_req, key=lambda i: (-inst.requests[i].priority, i)):
        if time.perf_counter() > deadline:
            break
        r = inst.requests[i]
        if r.id in state.placed or not state.can_take(r):
            continue
        for v in by_req[i]:
            t = model.vars[v][1]
            blockers = {state.at.get((r.from_, t)), state.at.get((r.to, t))} - {None}
            if len(blockers) > 1:
                continue
            if not blockers:
                if state.per_slot[t] < tables:  # pragma: no cover - the greedy pass took it
                    continue
                blockers = set(sorted(state.by_slot[t])[:20])
            moved = False
            for rid in sorted(blockers):
                mi = inst.request_index[rid]
                if mi not in var_of:  # a kept meeting never moves
                    continue
                m = inst.requests[mi]
                state.remove(m, t)
                if state.open(r, t):
                    for v2 in by_req[mi]:
                        t2 = model.vars[v2][1]
                        if t2 != t and state.open(m, t2):
                            state.add(m, t2)
                            state.add(r, t)
                            var_of[mi] = v2
                            var_of[i] = slot_var[i, t]
                            moved = True
                            break
                if moved:
                    break
                state.add(m, t)
            if moved:
                break
    return list(var_of.values())


def _relaxation_bound(model: _Model, time_limit: float = 10.0) -> int | None:
    """An upper bound on the total priority of the model's requests without slots: each
    request at most once, a participant in at most min(cap left, its open free slots)
    meetings, all meetings within the tables left (a b-matching; HiGHS, its proven bound)."""
    inst, state = model.inst, model.state
    reqs = sorted({i for i, _t in model.vars})
    col = {i: k for k, i in enumerate(reqs)}
    slots_of: dict[str, set[int]] = defaultdict(set)
    slots_used: set[int] = set()
    for i, t in model.vars:
        r = inst.requests[i]
        slots_of[r.from_].add(t)
        slots_of[r.to].add(t)
        slots_used.add(t)
    rows, rhs = [], []
    by_p: dict[str, list[int]] = defaultdict(list)
    for i in reqs:
        r = inst.requests[i]
        by_p[r.from_].append(col[i])
        by_p[r.to].append(col[i])
    for pid, cols in by_p.items():
        room = state.room(pid)
        limit = len(slots_of[pid]) if room is None else min(room, len(slots_of[pid]))
        if len(cols) > limit:
            rows.append([(k, 1.0) for k in cols])
            rhs.append(float(limit))
    total_tables = sum(inst.problem.tables - state.per_slot[t] for t in slots_used)
    if len(reqs) > total_tables:
        rows.append([(k, 1.0) for k in range(len(reqs))])
        rhs.append(float(total_tables))
    w = [inst.requests[i].priority for i in reqs]
    if not rows:
        return sum(w)
    x, proven, dual = _highs(
        w, rows, rhs, len(reqs), len(reqs), maximize=True, time_limit=time_limit
    )
    if proven and x is not None:
        return round(sum(wk * xk for wk, xk in zip(w, x, strict=True)))
    return None if dual is None else int(dual + 1e-6)


def _gaps_of_vars(model: _Model, chosen) -> int:
    inst = model.inst
    placements = list(model.keep) + [
        Placement(inst.requests[i].id, inst.slots[t].id) for i, t in (model.vars[v] for v in chosen)
    ]
    return inst.idle_gaps(placements)


def _run(
    inst: Instance, keep: list[Placement], movable, *, solver, time_limit, gap_time_limit, label
) -> tuple[ScheduleResult, list[Placement]]:
    if solver not in SOLVERS:
        raise ValueError(f"unknown solver {solver!r}")
    started = time.perf_counter()
    model = _Model(inst, keep, movable)
    explanation = [
        f"{len(inst.requests)} 个洽谈请求，{len(inst.slots)} 个时段，每个时段 {inst.problem.tables} 张桌；"
        f"保持不动的洽谈 {len(keep)} 场",
        f"{model.dropped_no_common} 个请求双方没有共同空闲时段；"
        f"模型只含双方都空闲的（请求, 时段）组合 {len(model.vars)} 个",
    ]
    name = {"highs": "HiGHS MIP", "cp-sat": "CP-SAT"}[solver]
    chosen, optimal, gaps_optimal, bound = [], True, True, 0
    if model.vars:
        phase1 = _phase1_highs if solver == "highs" else _phase1_cpsat
        chosen, optimal, value = phase1(model, time_limit)
        scale = len(model.stay) + 1
        bound = None if value is None else value // scale
        t1 = time.perf_counter() - started
        if optimal:
            explanation.append(f"{name} 证明了总优先级的最优值（用时 {t1:.2f} 秒）")
        else:
            w = model.weights()
            found = sum(w[v] for v in chosen)
            chosen = _complete_vars(model, chosen, time.perf_counter() + REPAIR_SECONDS)
            relaxed = _relaxation_bound(model)
            if relaxed is not None and (bound is None or relaxed < bound):
                bound = relaxed
            b = f"，可证明的上界为 {bound + _kept_weight(inst, keep)}" if bound is not None else ""
            explanation.append(
                f"{name} 在时间限制内未证明最优（用时 {t1:.2f} 秒，求解器给出的安排总优先级 "
                f"{found + _kept_weight(inst, keep)}，补足与调整后 "
                f"{sum(w[v] for v in chosen) + _kept_weight(inst, keep)}）{b}"
            )
        gaps_optimal = not model.gap_terms()
        if not gaps_optimal:
            budget = gap_time_limit
            if time_limit is not None:
                left = time_limit - (time.perf_counter() - started)
                budget = left if budget is None else min(budget, left)
            deadline = time.perf_counter() + (budget if budget is not None else 1e9)
            before = _gaps_of_vars(model, chosen)
            # the local search gets a few seconds even when the solver used up the time limit
            ls_deadline = max(deadline, time.perf_counter() + LOCAL_SEARCH_SECONDS)
            chosen = _local_search(model, chosen, ls_deadline)
            if not optimal:  # a moved meeting may have opened a slot for a request still out
                chosen = _complete_vars(model, chosen)
            after = _gaps_of_vars(model, chosen)
            explanation.append(f"逐场调整时段，空闲间隔从 {before} 个减到 {after} 个（优先级不变）")
            left = deadline - time.perf_counter()
            if optimal and len(model.vars) <= GAP_MIP_VARS and left > 0.05:
                phase2 = _phase2_highs if solver == "highs" else _phase2_cpsat
                better, proven = phase2(model, chosen, None if budget is None else left)
                if better is not None and _gaps_of_vars(model, better) <= after:
                    chosen, gaps_optimal = better, proven
            explanation.append(
                "在总优先级最优的安排中，空闲间隔已证明最少"
                if gaps_optimal
                else "空闲间隔未证明最少（模型较大或达到时间限制）"
            )
    placements = list(keep) + [
        Placement(inst.requests[i].id, inst.slots[t].id) for i, t in (model.vars[v] for v in chosen)
    ]
    if bound is not None:
        bound += _kept_weight(inst, keep)
    inst.check_placements(placements, label=label)  # the schedule keeps every rule
    return _result_from(
        inst, placements, solver, optimal, gaps_optimal, explanation, bound=bound
    ), placements


def schedule(
    problem: ScheduleProblem,
    *,
    time_limit: float | None = None,
    solver: str = DEFAULT_SOLVER,
    gap_time_limit: float | None = DEFAULT_GAP_TIME_LIMIT,
) -> ScheduleResult:
    """Batch: the exact optimum of the total priority, keeping ``problem.fixed``; among the
    optimal schedules the one with the fewest idle gaps (within ``gap_time_limit``)."""
    inst = Instance(problem)
    inst.check_placements(problem.fixed, label="fixed")
    result, _ = _run(
        inst,
        list(problem.fixed),
        (),
        solver=solver,
        time_limit=time_limit,
        gap_time_limit=gap_time_limit,
        label="fixed",
    )
    return result


def _kept(inst: Instance, problem: ScheduleProblem, published) -> tuple[list[Placement], list[str]]:
    """The fixed placements and the published meetings, once each (a fixed one may also be
    published; the same request in two different slots is an error)."""
    fixed = {pl.request: pl.slot for pl in problem.fixed}
    kept = list(problem.fixed)
    paths = [f"fixed[{i}]" for i in range(len(kept))]
    out = _Problems()
    for i, pl in enumerate(published):
        if pl.request in fixed:  # a fixed meeting may be published too, in its slot
            if fixed[pl.request] != pl.slot:
                out.add(
                    f"published[{i}]",
                    f"请求「{pl.request}」已固定在时段「{fixed[pl.request]}」",
                    f"request {pl.request!r} is fixed in slot {fixed[pl.request]!r}",
                )
            continue
        kept.append(pl)
        paths.append(f"published[{i}]")
    try:
        inst.check_placements(kept, label="published", paths=paths)
    except ScheduleError as exc:
        out.zh.extend(exc.problems)
        out.en.extend(exc.problems_en)
    out.raise_if_any()
    return kept, paths


def place_incremental(
    problem: ScheduleProblem, published: tuple[Placement, ...], request_id: str
) -> ScheduleResult:
    """Place one newly accepted request without moving any published (or fixed) meeting: the
    open common slot that adds the fewest idle gaps to the two parties' days, earliest first.

    Built to answer in milliseconds at 15,000 requests: one pass over the published meetings
    (ids checked — unknown request or slot, a request twice, a fixed one elsewhere — but
    calendars not re-checked: the new meeting goes around them as they are), then only the two
    parties' calendars. ``meetings`` are the fixed and published ones in the order given, then
    the new one; ``unplaced`` names only this request when it cannot be placed; ``idle_gaps``
    counts the two parties' gaps (not the whole schedule's)."""
    inst = Instance(problem, check=False)
    if request_id not in inst.request_index:
        raise ScheduleError(
            [f"request_id: 未知的请求「{request_id}」"],
            [f"request_id: unknown request {request_id!r}"],
        )
    r = inst.requests[inst.request_index[request_id]]
    parties = (r.from_, r.to)
    out = _Problems()
    for key, pid in zip(("from", "to"), parties, strict=True):
        if pid not in problem.participants:
            out.add(f"request_id.{key}", f"未知的参与者「{pid}」", f"unknown participant {pid!r}")
    out.raise_if_any()
    fixed = {pl.request: pl.slot for pl in problem.fixed}
    entries = [(f"fixed[{i}]", pl) for i, pl in enumerate(problem.fixed)]
    for i, pl in enumerate(published):
        if pl.request in fixed:
            if fixed[pl.request] != pl.slot:
                out.add(
                    f"published[{i}]",
                    f"请求「{pl.request}」已固定在时段「{fixed[pl.request]}」",
                    f"request {pl.request!r} is fixed in slot {fixed[pl.request]!r}",
                )
            continue
        entries.append((f"published[{i}]", pl))
    state = _State(inst, ())
    request_index, slot_index, requests = inst.request_index, inst.slot_index, inst.requests
    seen: dict[str, str] = {}
    weight = 0
    for path, pl in entries:
        i = request_index.get(pl.request)
        t = slot_index.get(pl.slot)
        if i is None:
            out.add(path, f"未知的请求「{pl.request}」", f"unknown request {pl.request!r}")
            continue
        if t is None:
            out.add(path, f"未知的时段「{pl.slot}」", f"unknown slot {pl.slot!r}")
            continue
        if pl.request in seen:
            first = seen[pl.request]
            out.add(
                path,
                f"请求「{pl.request}」已安排过一次（{first}）",
                f"request {pl.request!r} is already placed ({first})",
            )
            continue
        seen[pl.request] = path
        state.per_slot[t] += 1
        q = requests[i]
        weight += q.priority
        for pid in (q.from_, q.to):
            if pid in parties:
                state.count[pid] += 1
                state.at[pid, t] = q.id
                state.slots_of[pid].add(t)
        if q.id == r.id:
            state.placed[r.id] = t
    out.raise_if_any()
    kept = [pl for _path, pl in entries]
    explanation = [f"保持已发布和固定的 {len(kept)} 场洽谈不动，只为请求「{r.id}」找时段"]
    best = None
    if r.id in state.placed:
        explanation.append(f"请求「{r.id}」已在时段「{inst.slots[state.placed[r.id]].id}」")
    elif state.can_take(r):
        taken = {pid: set(state.slots_of[pid]) for pid in parties}
        base = {pid: inst._gaps_of(pid, taken[pid]) for pid in parties}
        for t in inst.common(r):
            if not state.open(r, t):
                continue
            added = sum(inst._gaps_of(pid, taken[pid] | {t}) - base[pid] for pid in parties)
            key = (added, inst.order[t])
            if best is None or key < best[0]:
                best = (key, t)
    meetings = tuple(kept)
    unplaced: tuple[Unplaced, ...] = ()
    if best is not None:
        t = best[1]
        meetings += (Placement(r.id, inst.slots[t].id),)
        state.add(r, t)
        weight += r.priority
        explanation.append(
            f"请求「{r.id}」安排在时段「{inst.slots[t].id}」（新增空闲间隔 {best[0][0]} 个）"
        )
    elif r.id not in state.placed:
        unplaced = (inst.explain_unplaced(r, state),)
        explanation.append(f"请求「{r.id}」未能安排：{unplaced[0].detail}")
    gaps = sum(inst._gaps_of(pid, state.slots_of[pid]) for pid in parties)
    explanation.append(f"双方当天日程中的空闲间隔共 {gaps} 个")
    return ScheduleResult(
        placed=len(meetings),
        weight=weight,
        meetings=meetings,
        unplaced=unplaced,
        idle_gaps=gaps,
        optimal=True,
        solver="incremental",
        explanation=explanation,
        gaps_optimal=best is not None,
    )


def reoptimise(
    problem: ScheduleProblem,
    published: tuple[Placement, ...],
    unpublished: tuple[Placement, ...],
    *,
    time_limit: float | None = None,
    solver: str = DEFAULT_SOLVER,
    gap_time_limit: float | None = DEFAULT_GAP_TIME_LIMIT,
):
    """Re-run the batch optimum while keeping the published (and fixed) meetings: only
    unpublished meetings may move. Among the optimal schedules the fewest moves come first,
    then the fewest idle gaps. Returns (result, moves), moves = [(request, from_slot,
    to_slot or None)] for every unpublished meeting whose slot would change."""
    inst = Instance(problem)
    kept, paths = _kept(inst, problem, published)
    keep_ids = {pl.request for pl in kept}
    movable, more = [], []
    for i, pl in enumerate(unpublished):
        if pl.request not in keep_ids:
            movable.append(pl)
            more.append(f"unpublished[{i}]")
    inst.check_placements(kept + movable, label="unpublished", paths=paths + more)
    result, placements = _run(
        inst,
        kept,
        movable,
        solver=solver,
        time_limit=time_limit,
        gap_time_limit=gap_time_limit,
        label="unpublished",
    )
    now = {pl.request: pl.slot for pl in placements}
    moves = [
        (pl.request, pl.slot, now.get(pl.request))
        for pl in movable
        if now.get(pl.request) != pl.slot
    ]
    result.explanation.append(
        f"已发布和固定的 {len(kept)} 场洽谈不动；未发布的 {len(movable)} 场中 {len(moves)} 场会改动"
    )
    return result, moves


# ---------------------------------------------------------------------------------------------
# Baselines


def greedy(
    problem: ScheduleProblem, *, order: str = "priority", pick: str = "earliest", seed: int = 0
) -> ScheduleResult:
    """Baselines for the benchmark. ``order="priority"``: highest priority first (input order
    within a priority); ``order="arrival"``: input order, as first-come booking does.
    ``pick="earliest"``: the earliest open common slot; ``pick="random"``: any open common
    slot, as a person booking picks one."""
    inst = Instance(problem)
    inst.check_placements(problem.fixed, label="fixed")
    state = _State(inst, problem.fixed)
    rng = random.Random(seed)
    placements = list(problem.fixed)
    reqs = list(inst.requests)
    if order == "priority":
        reqs.sort(key=lambda r: -r.priority)
    for r in reqs:
        if r.id in state.placed or not state.can_take(r):
            continue
        options = [t for t in inst.common(r) if state.open(r, t)]
        if not options:
            continue
        t = options[0] if pick == "earliest" else rng.choice(options)
        state.add(r, t)
        placements.append(Placement(r.id, inst.slots[t].id))
    name = f"greedy-{order}-{pick}"
    return _result_from(inst, placements, name, False, False, [f"基线：{name}"])
