"""The data of a 1:1 meeting scheduling problem and its result: plain dataclasses, no Django.
Every problem found in an input is named by its JSON path (or the id of the thing) and said in
Chinese (``ScheduleError.problems``) and in English (``ScheduleError.problems_en``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

REASONS = ("no_common_slot", "participant_full", "capacity", "conflict")
Reason = Literal["no_common_slot", "participant_full", "capacity", "conflict"]


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Half-open intervals: touching ends (10:00–11:00 and 11:00–11:20) do not overlap."""
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Participant:
    id: str
    available: frozenset[str] | None = None  # None: every slot
    busy: tuple[Interval, ...] = ()
    max_meetings: int | None = None  # None: no limit


@dataclass(frozen=True)
class MeetingRequest:
    id: str
    from_: str
    to: str
    priority: int = 1  # 1..3


@dataclass(frozen=True)
class Placement:
    request: str
    slot: str


@dataclass(frozen=True)
class ScheduleProblem:
    slots: tuple[Slot, ...]
    tables: int
    participants: dict[str, Participant]
    requests: tuple[MeetingRequest, ...]
    fixed: tuple[Placement, ...] = ()


@dataclass(frozen=True)
class Unplaced:
    request: str
    reason: Reason
    detail: str  # Chinese: what blocks it
    helps: str  # Chinese: what would help
    # the same as codes and parameters (``reasons.py``), for rendering in any language
    detail_code: str = ""
    helps_code: str = ""
    params: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass
class ScheduleResult:
    placed: int
    weight: int
    meetings: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    idle_gaps: int
    optimal: bool  # the total priority is proven maximal
    solver: str
    explanation: list[str] = field(default_factory=list)
    gaps_optimal: bool = False  # the idle gaps are proven minimal among the optimal schedules
    bound: int | None = None  # the solver's proven upper bound on the total priority


class ScheduleError(Exception):
    """Bad input, or a fixed/published placement that breaks a rule. ``problems`` names each
    one (path or id, then what is wrong) in Chinese; ``problems_en`` the same in English."""

    def __init__(self, problems: list[str], problems_en: list[str] | None = None):
        super().__init__("; ".join(problems))
        self.problems = list(problems)
        self.problems_en = list(problems_en if problems_en is not None else problems)


class _Problems:
    def __init__(self) -> None:
        self.zh: list[str] = []
        self.en: list[str] = []

    def add(self, path: str, zh: str, en: str) -> None:
        self.zh.append(f"{path}: {zh}")
        self.en.append(f"{path}: {en}")

    def raise_if_any(self) -> None:
        if self.zh:
            raise ScheduleError(self.zh, self.en)
