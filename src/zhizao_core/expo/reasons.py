"""Why a request is not placed, as codes and parameters, and their wording in Chinese and
English. The scheduler returns ``Unplaced.detail_code``/``helps_code``/``params``; the command
renders them here (``--language``), the web app renders the same codes with its own
translations (``zhizao.events.unplaced``) and the participants' names.

Parameters: ``a``, ``b``, ``p``, ``who``, ``other`` are participant ids; ``slots`` a list of
slot ids, ``clash`` a list of ``[slot id, other request id]``, ``more`` whether the list was
cut at five; ``common``, ``full``, ``tables``, ``count``, ``cap``, ``open`` numbers;
``date`` an ISO date and ``half`` ``am`` or ``pm``.
"""

from __future__ import annotations

import datetime as dt

DETAIL_CODES = (
    "nobody_free",
    "no_common",
    "full",
    "tables_full",
    "tables_full_and_clash",
    "all_clash",
    "clash_some_open",
)
HELPS_CODES = (
    "open_slots",
    "open_half_day",
    "raise_cap",
    "more_tables",
    "open_or_move",
    "reoptimise",
)

_ZH = {
    "nobody_free": "{p} 在所有时段都不空闲",
    "no_common": "{a} 与 {b} 没有共同的空闲时段",
    "full": "{p} 已安排 {count} 场洽谈，达到上限 {cap} 场",
    "tables_full": "双方共同空闲的 {common} 个时段（{slots}）都已坐满 {tables} 张洽谈桌",
    "tables_full_and_clash": (
        "双方共同空闲的 {common} 个时段里，{full} 个（{slots}）已坐满 {tables} 张洽谈桌，"
        "其余 {n_clash} 个已有一方的其他洽谈：{clash}"
    ),
    "all_clash": "双方共同空闲的 {common} 个时段里，每个都已有一方的其他洽谈：{clash}",
    "clash_some_open": "本次未安排：{n_clash} 个共同空闲时段与其他洽谈冲突，另有 {open} 个时段仍可安排",
    "open_slots": "{p} 增加空闲时段",
    "open_half_day": "{who} 增加 {half_day}的空闲时段（{other} 此时空闲）",
    "raise_cap": "{p} 提高洽谈上限，或取消一场优先级较低的洽谈",
    "more_tables": "增加洽谈桌数，或 {a}、{b} 增加其他空闲时段",
    "open_or_move": "{a} 或 {b} 增加空闲时段，或把冲突的洽谈改到其他时段",
    "reoptimise": "重新优化可安排此请求",
}
_EN = {
    "nobody_free": "{p} is free in no slot",
    "no_common": "{a} and {b} have no free slot in common",
    "full": "{p} already has {count} meetings, its limit of {cap}",
    "tables_full": "all {common} slots where both are free ({slots}) have their {tables} tables taken",
    "tables_full_and_clash": (
        "of the {common} slots where both are free, {full} ({slots}) have their {tables} tables "
        "taken and the other {n_clash} hold another meeting of one of them: {clash}"
    ),
    "all_clash": "each of the {common} slots where both are free holds another meeting of one of them: {clash}",
    "clash_some_open": "not placed this time: {n_clash} common free slots clash with other meetings, {open} slots are still open",
    "open_slots": "{p} offers more free slots",
    "open_half_day": "{who} offers free slots on {half_day} ({other} is free then)",
    "raise_cap": "{p} raises its meeting limit, or cancels a meeting of lower priority",
    "more_tables": "more tables, or {a} and {b} offer other free slots",
    "open_or_move": "{a} or {b} offers more free slots, or a clashing meeting moves to another slot",
    "reoptimise": "re-optimising can place this request",
}


def half_day(start: dt.datetime) -> dict:
    return {"date": start.date().isoformat(), "half": "am" if start.hour < 12 else "pm"}


def render(code: str, params: dict, language: str = "zh-hans") -> str:
    """The text of a detail or helps ``code`` with its ``params`` (ids as they are)."""
    english = language.startswith("en")
    sep = ", " if english else "、"
    values = dict(params)
    for key in ("slots",):
        if key in values:
            values[key] = sep.join(values[key]) + (
                (", …" if english else "等") if values.get("more_slots") else ""
            )
    if "clash" in values:
        values["clash"] = sep.join(
            f"{slot} ({other})" if english else f"{slot}（{other}）"
            for slot, other in values["clash"]
        ) + ((", …" if english else "等") if values.get("more_clash") else "")
    if "date" in values:
        day = dt.date.fromisoformat(values["date"])
        if english:
            values["half_day"] = (
                f"{day:%d %b} {'morning' if values['half'] == 'am' else 'afternoon'}"
            )
        else:
            values["half_day"] = (
                f"{day.month} 月 {day.day} 日{'上午' if values['half'] == 'am' else '下午'}"
            )
    return (_EN if english else _ZH)[code].format(**values)
