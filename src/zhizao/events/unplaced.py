"""Why a meeting request is not placed, in the reader's language: the scheduler's codes and
parameters (``zhizao_core.expo.reasons``, stored on the request as ``unplaced_params``) said
with gettext, participant ids replaced by the two parties' names and slot ids by their times.
Requests stored before the codes existed keep their stored Chinese text."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _


def _detail_texts() -> dict:
    return {
        "nobody_free": gettext_lazy("%(p)s is free in no meeting slot"),
        "no_common": gettext_lazy("%(a)s and %(b)s have no free slot in common"),
        "full": gettext_lazy("%(p)s already has %(count)s meetings, its limit of %(cap)s"),
        "tables_full": gettext_lazy(
            "All %(common)s slots where both are free (%(slots)s) have their %(tables)s tables taken"
        ),
        "tables_full_and_clash": gettext_lazy(
            "Of the %(common)s slots where both are free, %(full)s (%(slots)s) have their "
            "%(tables)s tables taken and the other %(n_clash)s hold another meeting of one of "
            "them (%(clash)s)"
        ),
        "all_clash": gettext_lazy(
            "Each of the %(common)s slots where both are free holds another meeting of one of "
            "them (%(clash)s)"
        ),
        "clash_some_open": gettext_lazy(
            "Not placed this time: %(n_clash)s common free slots clash with other meetings, "
            "%(open)s slots are still open"
        ),
        "published_broken": gettext_lazy(
            "A published meeting no longer fits the calendars: %(problems)s"
        ),
    }


def _helps_texts() -> dict:
    return {
        "open_slots": gettext_lazy("%(p)s offers more free slots"),
        "open_half_day": gettext_lazy(
            "%(who)s offers free slots on %(half_day)s (%(other)s is free then)"
        ),
        "raise_cap": gettext_lazy(
            "%(p)s raises its meeting limit, or cancels a meeting of lower priority"
        ),
        "more_tables": gettext_lazy("More tables, or %(a)s and %(b)s offer other free slots"),
        "open_or_move": gettext_lazy(
            "%(a)s or %(b)s offers more free slots, or a clashing meeting moves to another slot"
        ),
        "reoptimise": gettext_lazy("Re-optimising the schedule can place this request"),
        "rerun": gettext_lazy("The organiser runs the schedule again"),
    }


def slot_label(slot_id: str) -> str:
    """``20261126-1400`` (``adapters.slot_id``) as ``11-26 14:00``."""
    try:
        start = dt.datetime.strptime(slot_id, "%Y%m%d-%H%M")
    except ValueError:
        return slot_id
    return start.strftime("%m-%d %H:%M")


def _listing(items: list[str], more: bool) -> str:
    text = pgettext("list separator", ", ").join(items)
    return _("%(items)s and more") % {"items": text} if more else text


def render(params: dict, names: dict[str, str]) -> tuple[str, str]:
    """(detail, helps) in the active language. ``names``: participant id → display name."""
    values = {k: names.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    if "slots" in params:
        values["slots"] = _listing(
            [slot_label(s) for s in params["slots"]], params.get("more_slots", False)
        )
    if "clash" in params:
        values["clash"] = _listing(
            [slot_label(slot) for slot, _other in params["clash"]], params.get("more_clash", False)
        )
    if "date" in params:
        day = dt.date.fromisoformat(params["date"])
        date = formats.date_format(day, "MONTH_DAY_FORMAT")
        values["half_day"] = (
            _("the morning of %(date)s")
            if params.get("half") == "am"
            else _("the afternoon of %(date)s")
        ) % {"date": date}
    if "problems_en" in params:
        english = (get_language() or "").startswith("en")
        values["problems"] = "; ".join(params["problems_en" if english else "problems"])
    detail = _detail_texts()[params["detail"]] % values
    helps = _helps_texts()[params["helps"]] % values
    return str(detail), str(helps)
