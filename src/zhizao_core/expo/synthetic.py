"""Generated scheduling problems shaped like a two-day B2B expo (for the benchmark and tests).

A quarter of the participants are exhibitors; visitors ask exhibitors for meetings, popular
exhibitors more often (Zipf-like). Slots are 20 minutes, half of each day before noon and half
after lunch. Each participant is away for a few half-days, sits in a forum session or two (busy
intervals of one hour, from the programme), and may have a cap of 4–10 meetings. Priorities:
1 (60 %), 2 (30 %), 3 (10 %). Tables are sized as organisers do (expected meetings ÷ slots),
times ``table_factor`` (below 1 makes tables binding).
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from .model import Interval, MeetingRequest, Participant, ScheduleProblem, Slot


def make_slots(n_slots: int, days: int = 2, start: datetime | None = None) -> tuple[Slot, ...]:
    start = start or datetime(2026, 11, 26, 9, 0)
    per_day = math.ceil(n_slots / days)
    morning = math.ceil(per_day / 2)
    slots = []
    for k in range(n_slots):
        d, i = divmod(k, per_day)
        base = start + timedelta(days=d)
        if i >= morning:  # afternoon after lunch
            base = base.replace(hour=13, minute=30)
            i -= morning
        begin = base + timedelta(minutes=20 * i)
        slots.append(Slot(f"d{d + 1}-{begin:%H%M}", begin, begin + timedelta(minutes=20)))
    return tuple(slots)


def generate(
    participants: int,
    slots: int,
    requests: int,
    *,
    seed: int = 0,
    days: int = 2,
    table_factor: float = 0.9,
    away: float = 0.15,
    sessions: int = 2,
    caps: bool = True,
) -> ScheduleProblem:
    rng = random.Random(seed)
    slot_list = make_slots(slots, days)
    half_days: dict[tuple, list[str]] = {}
    for s in slot_list:
        half_days.setdefault((s.start.date(), s.start.hour < 12), []).append(s.id)
    keys = list(half_days)
    programme = []  # one-hour forum sessions
    for s in slot_list[::3]:
        programme.append(Interval(s.start, s.start + timedelta(hours=1)))
    people: dict[str, Participant] = {}
    n_exhibitors = max(1, participants // 4)
    ids = [f"P{i + 1}" for i in range(participants)]
    for k, pid in enumerate(ids):
        exhibitor = k < n_exhibitors
        gone = [k for k in keys if rng.random() < away]
        available = None
        if gone:
            available = frozenset(sid for k in keys if k not in gone for sid in half_days[k])
        busy = tuple(rng.sample(programme, k=min(len(programme), rng.randint(0, sessions))))
        if exhibitor:  # a stand with staff: a day's worth of meetings, sometimes fewer
            cap = rng.randint(12, 20) if caps and rng.random() < 0.5 else None
        else:
            cap = rng.randint(4, 10) if caps and rng.random() < 0.7 else None
        people[pid] = Participant(pid, available, busy, cap)
    exhibitors, visitors = ids[:n_exhibitors], ids[n_exhibitors:] or ids
    popularity = [1.0 / (k + 1) ** 0.6 for k in range(len(exhibitors))]
    seen: set[tuple[str, str]] = set()
    out = []
    attempts = 0
    while len(out) < requests and attempts < requests * 20:
        attempts += 1
        a = rng.choice(visitors)
        b = rng.choices(exhibitors, weights=popularity)[0]
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        priority = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
        out.append(MeetingRequest(f"R{len(out) + 1}", a, b, priority))
    tables = max(1, round(table_factor * len(out) / max(1, slots)))
    return ScheduleProblem(slot_list, tables, people, tuple(out))
