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

Two solvers: a MIP through SciPy's HiGHS (``scipy.optimize.milp``, the default — measured the
faster, docs/benchmarks.md) and CP-SAT from OR-Tools (``solver="cp-sat"``).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from functools import cached_property

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


def _half_day(start) -> str:
    return f"{start.month} 月 {start.day} 日{'上午' if start.hour < 12 else '下午'}"


class Instance:
    """Indexes of a problem, computed on first use (the incremental path touches only the two
    parties of one request)."""

    def __init__(self, problem: ScheduleProblem):
        self.problem = problem
        self.slots = problem.slots
        self.slot_index = {s.id: t for t, s in enumerate(problem.slots)}
        self.requests = problem.requests
        self.request_index = {r.id: i for i, r in enumerate(problem.requests)}
        self._free: dict[str, frozenset[int]] = {}

    # -- free slots -----------------------------------------------------------------------
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
        days: dict = defaultdict(list)
        for t in sorted(self.free(pid), key=self.order.__getitem__):
            days[self.day[t]].append(t)
        return days

    # -- checks ---------------------------------------------------------------------------
    def check_placements(self, placements, *, label: str, paths: list[str] | None = None) -> None:
        """Raise ScheduleError naming every placement (``label[i]``, or ``paths[i]``) that
        breaks a rule."""
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
            r = self.requests[self.request_index[pl.request]]
            t = self.slot_index[pl.slot]
            for pid in (r.from_, r.to):
                if t not in self.free(pid):
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
    def idle_gaps(self, meetings) -> int:
        slots_of: dict[str, set[int]] = defaultdict(set)
        for pl in meetings:
            r = self.requests[self.request_index[pl.request]]
            t = self.slot_index[pl.slot]
            slots_of[r.from_].add(t)
            slots_of[r.to].add(t)
        return sum(self._gaps_of(pid, taken) for pid, taken in slots_of.items())

    def _gaps_of(self, pid: str, taken: set[int]) -> int:
        total = 0
        for seq in self.free_days(pid).values():
            blocks, prev = 0, False
            for t in seq:
                cur = t in taken
                if cur and not prev:
                    blocks += 1
                prev = cur
            total += max(0, blocks - 1)
        return total

    # -- why a request is not placed ------------------------------------------------------
    def explain_unplaced(self, r: MeetingRequest, state: _State) -> Unplaced:
        common = self.common(r)
        a, b = r.from_, r.to
        if not common:
            return Unplaced(r.id, "no_common_slot", *self._no_common(r))
        for pid in (a, b):
            cap = self.problem.participants[pid].max_meetings
            if cap is not None and state.count[pid] >= cap:
                return Unplaced(
                    r.id,
                    "participant_full",
                    f"{pid} 已安排 {state.count[pid]} 场洽谈，达到上限 {cap} 场",
                    f"{pid} 提高洽谈上限，或取消一场优先级较低的洽谈",
                )
        full = [t for t in common if state.per_slot[t] >= self.problem.tables]
        clash = [(t, state.at.get((a, t)) or state.at.get((b, t))) for t in common]
        clash = [(t, other) for t, other in clash if other is not None]
        names = "、".join(self.slots[t].id for t in common[:5]) + ("等" if len(common) > 5 else "")
        if len(full) == len(common):
            return Unplaced(
                r.id,
                "capacity",
                f"双方共同空闲的 {len(common)} 个时段（{names}）都已坐满 {self.problem.tables} 张洽谈桌",
                f"增加洽谈桌数，或 {a}、{b} 增加其他空闲时段",
            )
        shown = "、".join(f"{self.slots[t].id}（{other}）" for t, other in clash[:5])
        if len(clash) + len(full) >= len(common) and clash:
            parts = [
                f"双方共同空闲的 {len(common)} 个时段里，{len(clash)} 个已有一方的其他洽谈：{shown}"
            ]
            if full:
                parts.append(f"其余 {len(full)} 个已坐满")
            return Unplaced(
                r.id,
                "conflict",
                "；".join(parts),
                f"{a} 或 {b} 增加空闲时段，或把冲突的洽谈改到其他时段",
            )
        # a common slot is still open: only possible outside an optimal batch run
        return Unplaced(
            r.id,
            "conflict",
            f"本次未安排：{len(clash)} 个共同空闲时段与其他洽谈冲突，另有时段仍可安排",
            "重新优化可安排此请求",
        )

    def _no_common(self, r: MeetingRequest) -> tuple[str, str]:
        a, b = r.from_, r.to
        fa, fb = self.free(a), self.free(b)
        if not fa or not fb:
            nobody = a if not fa else b
            return (f"{nobody} 在所有时段都不空闲", f"{nobody} 增加空闲时段")
        # the half-day where one party is free most often: the other should open it
        best: dict[tuple[str, str], int] = defaultdict(int)
        for pid, theirs in ((b, fa), (a, fb)):
            for t in theirs:
                best[pid, _half_day(self.slots[t].start)] += 1
        (who, when), _n = max(best.items(), key=lambda kv: (kv[1], kv[0][0] == b))
        other = a if who == b else b
        return (
            f"{a} 与 {b} 没有共同的空闲时段",
            f"{who} 增加 {when}的空闲时段（{other} 此时空闲）",
        )


class _State:
    """Meetings per participant, per (participant, slot) and per slot."""

    def __init__(self, inst: Instance, placements):
        self.count: dict[str, int] = defaultdict(int)
        self.at: dict[tuple[str, int], str] = {}
        self.per_slot: dict[int, int] = defaultdict(int)
        self.placed: dict[str, int] = {}
        self.inst = inst
        for pl in placements:
            self.add(inst.requests[inst.request_index[pl.request]], inst.slot_index[pl.slot])

    def add(self, r: MeetingRequest, t: int) -> None:
        self.placed[r.id] = t
        self.per_slot[t] += 1
        for pid in (r.from_, r.to):
            self.count[pid] += 1
            self.at[pid, t] = r.id

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
        return [self.inst.requests[i].priority for i, _t in self.vars]

    def gap_terms(self):
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
) -> ScheduleResult:
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
    gaps = inst.idle_gaps(meetings)
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


def _fill(inst: Instance, placements: list[Placement]) -> list[Placement]:
    """Greedy completion: any unplaced request with an open common slot gets it (only matters
    when a time limit stopped the solver before it proved the optimum)."""
    state = _State(inst, placements)
    out = list(placements)
    for r in sorted(inst.requests, key=lambda r: -r.priority):
        if r.id in state.placed or not state.can_take(r):
            continue
        for t in inst.common(r):
            if state.open(r, t):
                state.add(r, t)
                out.append(Placement(r.id, inst.slots[t].id))
                break
    return out


# ---------------------------------------------------------------------------------------------
# Solvers


def _solve_highs(model: _Model, time_limit, gap_time_limit, moves_weight: int):
    import numpy as np
    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import csr_array

    n = len(model.vars)
    rows = model.rows()
    w = np.array(model.weights(), dtype=float)
    total = int(w.sum())

    def matrix(rows, ncols):
        data, indices, indptr = [], [], [0]
        for vs, _rhs in rows:
            indices.extend(vs)
            data.extend([1.0] * len(vs))
            indptr.append(len(indices))
        return csr_array(
            (np.array(data), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
            shape=(len(rows), ncols),
        )

    started = time.perf_counter()
    options = {"mip_rel_gap": 0.0, "presolve": True}
    if time_limit is not None:
        options["time_limit"] = max(0.01, float(time_limit))
    constraints = []
    if rows:
        ub = np.array([rhs for _vs, rhs in rows], dtype=float)
        constraints.append(LinearConstraint(matrix(rows, n), -np.inf, ub))
    res = milp(-w, integrality=np.ones(n), bounds=(0, 1), constraints=constraints, options=options)
    if res.x is None:
        return [], False, False, None, total
    chosen = [v for v in range(n) if res.x[v] > 0.5]
    weight = round(sum(w[v] for v in chosen))
    dual = (
        res.get("mip_dual_bound") if hasattr(res, "get") else getattr(res, "mip_dual_bound", None)
    )
    bound = int(np.floor(-dual + 1e-6)) if dual is not None and np.isfinite(dual) else None
    optimal = res.status == 0 or (bound is not None and bound <= weight)
    if optimal:
        bound = weight
    if not optimal:
        return chosen, False, False, bound, total

    # second solve: total priority kept at its optimum, fewest idle gaps (and, re-optimising,
    # fewest moved meetings first)
    terms = model.gap_terms()
    if not terms and not model.stay:
        return chosen, True, True, bound, total
    if gap_time_limit is not None and time_limit is not None:
        gap_time_limit = min(gap_time_limit, max(0.0, time_limit - (time.perf_counter() - started)))
    if gap_time_limit is not None and gap_time_limit <= 0.05:
        return chosen, True, False, bound, total
    extra_rows: list[tuple[list[tuple[int, float]], float]] = []  # (coefficients, upper bound)
    cost = [0.0] * n
    for v in model.stay:
        cost[v] -= moves_weight
    nvars = n
    for items in terms:
        # s_k ≥ y_k − y_{k−1}   →   y_k − y_{k−1} − s_k ≤ fixed_{k−1} − fixed_k
        day_vars: list[int] = []
        day_fixed = False
        prev_vs, prev_fixed = [], False
        for vs, fixed in items:
            if vs or fixed:
                s = nvars
                nvars += 1
                cost.append(1.0)
                coeffs = [(v, 1.0) for v in vs] + [(v, -1.0) for v in prev_vs] + [(s, -1.0)]
                rhs = (1.0 if prev_fixed else 0.0) - (1.0 if fixed else 0.0)
                extra_rows.append((coeffs, rhs))
                day_vars.extend(vs)
                day_fixed = day_fixed or fixed
            prev_vs, prev_fixed = vs, fixed
        a = nvars
        nvars += 1
        cost.append(-1.0)
        if day_fixed:
            extra_rows.append(([(a, 1.0)], 1.0))
        else:
            extra_rows.append(([(a, 1.0)] + [(v, -1.0) for v in day_vars], 0.0))
    data, indices, indptr, ub = [], [], [0], []
    for vs, rhs in rows:
        indices.extend(vs)
        data.extend([1.0] * len(vs))
        indptr.append(len(indices))
        ub.append(float(rhs))
    for coeffs, rhs in extra_rows:
        for v, c in coeffs:
            indices.append(v)
            data.append(c)
        indptr.append(len(indices))
        ub.append(rhs)
    # total priority ≥ optimum   →   −Σ w x ≤ −W
    for v in range(n):
        indices.append(v)
        data.append(-w[v])
    indptr.append(len(indices))
    ub.append(-weight + 0.5)
    a_matrix = csr_array(
        (np.array(data), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(ub), nvars),
    )
    options2 = {"mip_rel_gap": 0.0, "presolve": True}
    if gap_time_limit is not None:
        options2["time_limit"] = max(0.01, float(gap_time_limit))
    upper = np.ones(nvars)
    res2 = milp(
        np.array(cost),
        integrality=np.concatenate([np.ones(n), np.zeros(nvars - n)]),
        bounds=(np.zeros(nvars), upper),
        constraints=[LinearConstraint(a_matrix, -np.inf, np.array(ub))],
        options=options2,
    )
    if res2.x is None:
        return chosen, True, False, bound, total
    chosen2 = [v for v in range(n) if res2.x[v] > 0.5]
    if round(sum(w[v] for v in chosen2)) < weight:  # pragma: no cover - guarded by the row
        return chosen, True, False, bound, total
    return chosen2, True, res2.status == 0, bound, total


def _solve_cpsat(model: _Model, time_limit, gap_time_limit, moves_weight: int, workers: int = 2):
    from ortools.sat.python import cp_model

    n = len(model.vars)
    rows = model.rows()
    w = model.weights()
    total = sum(w)
    m = cp_model.CpModel()
    x = [m.new_bool_var(f"x{v}") for v in range(n)]
    for vs, rhs in rows:
        if rhs == 1:
            m.add_at_most_one(x[v] for v in vs)
        else:
            m.add(sum(x[v] for v in vs) <= rhs)
    m.maximize(sum(w[v] * x[v] for v in range(n)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    started = time.perf_counter()
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = max(0.01, float(time_limit))
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [], False, False, None, total
    chosen = [v for v in range(n) if solver.value(x[v])]
    weight = sum(w[v] for v in chosen)
    bound = int(solver.best_objective_bound + 1e-6)
    optimal = status == cp_model.OPTIMAL or bound <= weight
    if not optimal:
        return chosen, False, False, bound, total
    terms = model.gap_terms()
    if not terms and not model.stay:
        return chosen, True, True, weight, total
    if gap_time_limit is not None and time_limit is not None:
        gap_time_limit = min(gap_time_limit, max(0.0, time_limit - (time.perf_counter() - started)))
    if gap_time_limit is not None and gap_time_limit <= 0.05:
        return chosen, True, False, weight, total
    m.add(sum(w[v] * x[v] for v in range(n)) >= weight)
    objective = []
    for v in model.stay:
        objective.append(-moves_weight * x[v])
    for items in terms:
        prev = None  # linear expression of y_{k−1}
        day = []
        for vs, fixed in items:
            y = 1 if fixed else sum(x[v] for v in vs) if vs else 0
            if vs or fixed:
                s = m.new_bool_var("")
                m.add(s >= y - (prev if prev is not None else 0))
                objective.append(s)
                day.append(y)
            prev = y
        a = m.new_bool_var("")
        m.add(a <= sum(day))
        objective.append(-a)
    m.minimize(sum(objective))
    hinted = set(chosen)
    for v in range(n):
        m.add_hint(x[v], v in hinted)
    if gap_time_limit is not None:
        solver.parameters.max_time_in_seconds = max(0.01, float(gap_time_limit))
    else:
        solver.parameters.max_time_in_seconds = 1e9
    status2 = solver.solve(m)
    if status2 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return chosen, True, False, weight, total
    chosen2 = [v for v in range(n) if solver.value(x[v])]
    return chosen2, True, status2 == cp_model.OPTIMAL, weight, total


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
        f"{model.dropped_no_common} 个请求双方没有共同空闲时段；模型只含双方都空闲的（请求, 时段）组合 {len(model.vars)} 个",
    ]
    moves_weight = 2 * len(inst.requests) + 1  # more than any possible number of idle gaps
    if model.vars:
        run = _solve_highs if solver == "highs" else _solve_cpsat
        chosen, optimal, gaps_optimal, bound, _total = run(
            model, time_limit, gap_time_limit, moves_weight
        )
    else:
        chosen, optimal, gaps_optimal, bound = [], True, True, 0
    placements = list(keep) + [
        Placement(inst.requests[i].id, inst.slots[t].id) for i, t in (model.vars[v] for v in chosen)
    ]
    if bound is not None:
        bound += sum(inst.requests[inst.request_index[pl.request]].priority for pl in keep)
    if not optimal:
        placements = _fill(inst, placements)
    inst.check_placements(placements, label=label)  # the schedule keeps every rule
    elapsed = time.perf_counter() - started
    name = {"highs": "HiGHS MIP", "cp-sat": "CP-SAT"}[solver]
    if optimal:
        explanation.append(f"{name} 证明了总优先级的最优值（用时 {elapsed:.2f} 秒）")
        explanation.append(
            "在总优先级最优的安排中，空闲间隔已证明最少"
            if gaps_optimal
            else "在总优先级最优的安排中减少了空闲间隔（达到时间限制，未证明最少）"
        )
    else:
        b = f"，可证明的上界为 {bound}" if bound is not None else ""
        explanation.append(f"{name} 在时间限制内未证明最优{b}（用时 {elapsed:.2f} 秒）")
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
    inst.check_placements(problem.fixed, label="fixed")
    slots = {pl.request: pl.slot for pl in problem.fixed}
    kept = list(problem.fixed)
    paths = [f"fixed[{i}]" for i in range(len(kept))]
    out = _Problems()
    for i, pl in enumerate(published):
        if pl.request in slots:
            if slots[pl.request] != pl.slot:
                out.add(
                    f"published[{i}]",
                    f"请求「{pl.request}」已固定在时段「{slots[pl.request]}」",
                    f"request {pl.request!r} is fixed in slot {slots[pl.request]!r}",
                )
            continue
        kept.append(pl)
        paths.append(f"published[{i}]")
        slots[pl.request] = pl.slot
    out.raise_if_any()
    inst.check_placements(kept, label="published", paths=paths)
    return kept, paths


def place_incremental(
    problem: ScheduleProblem, published: tuple[Placement, ...], request_id: str
) -> ScheduleResult:
    """Place one newly accepted request without moving any published (or fixed) meeting: the
    open common slot that adds the fewest idle gaps to the two parties' days, earliest first.
    ``unplaced`` names only this request when it cannot be placed."""
    inst = Instance(problem)
    if request_id not in inst.request_index:
        raise ScheduleError(
            [f"request_id: 未知的请求「{request_id}」"],
            [f"request_id: unknown request {request_id!r}"],
        )
    kept, _paths = _kept(inst, problem, published)
    state = _State(inst, kept)
    r = inst.requests[inst.request_index[request_id]]
    explanation = [f"保持已发布和固定的 {len(kept)} 场洽谈不动，只为请求「{r.id}」找时段"]
    if r.id in state.placed:
        explanation.append(f"请求「{r.id}」已在时段「{inst.slots[state.placed[r.id]].id}」")
        return _result_from(inst, kept, "incremental", True, False, explanation, only=[r.id])
    best = None
    if state.can_take(r):
        taken = {pid: {t for (p, t) in state.at if p == pid} for pid in (r.from_, r.to)}
        base = {pid: inst._gaps_of(pid, taken[pid]) for pid in taken}
        for t in inst.common(r):
            if not state.open(r, t):
                continue
            added = sum(inst._gaps_of(pid, taken[pid] | {t}) - base[pid] for pid in taken)
            key = (added, inst.order[t])
            if best is None or key < best[0]:
                best = (key, t)
    placements = list(kept)
    if best is not None:
        t = best[1]
        placements.append(Placement(r.id, inst.slots[t].id))
        explanation.append(
            f"请求「{r.id}」安排在时段「{inst.slots[t].id}」（新增空闲间隔 {best[0][0]} 个）"
        )
    return _result_from(
        inst, placements, "incremental", True, best is not None, explanation, only=[r.id]
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
