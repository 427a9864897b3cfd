"""Input problems named by their JSON path, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MESSAGES", "InputError", "Problem"]

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("缺少必填项", "is required"),
    "not_object": ("应为 JSON 对象", "must be a JSON object"),
    "not_list": ("应为 JSON 列表", "must be a JSON list"),
    "not_string": ("应为非空文本", "must be a non-empty string"),
    "not_string_list": ("应为文本列表", "must be a list of strings"),
    "not_int": ("应为整数", "must be an integer"),
    "int_min": ("应为不小于 {min} 的整数", "must be an integer of at least {min}"),
    "not_date": ("应为 YYYY-MM-DD 格式的日期", "must be a date YYYY-MM-DD"),
    "not_decimal": ("应为十进制数（数字或数字文本）", "must be a decimal (number or string)"),
    "decimal_places": ("小数位数不得超过 {places} 位", "must have at most {places} decimal places"),
    "affinity_range": ("匹配度应在 0 到 1 之间", "must be between 0 and 1"),
    "duplicate_id": ("编号重复：{value}", "duplicate id: {value}"),
    "duplicate_pair": ("重复的申报与专家组合", "duplicate application and expert pair"),
    "unknown_application": ("未知的申报编号：{value}", "unknown application id: {value}"),
    "unknown_expert": ("未知的专家编号：{value}", "unknown expert id: {value}"),
    "unknown_field": ("未知字段：{value}", "unknown field: {value}"),
    "min_above_max": (
        "最低评审量 {min} 大于最高评审量 {max}",
        "min_load {min} is above max_load {max}",
    ),
    "too_many_named": (
        "申请回避的专家超过 {limit} 位（只采纳前 {limit} 位）",
        "more than {limit} named exclusions (only the first {limit} count)",
    ),
    "weights_sum": ("权重之和应为 1，实为 {total}", "weights must sum to 1, they sum to {total}"),
    "weight_range": ("权重应在 0 到 1 之间", "must be between 0 and 1"),
    "unranked_weight": (
        "不计入排名的指标权重应为 0",
        "a criterion that is not ranked must have weight 0",
    ),
    "max_positive": ("满分应大于 0", "must be above 0"),
    "score_range": ("得分 {value} 超出 0 到 {max} 的范围", "score {value} is outside 0..{max}"),
    "unknown_criterion": ("未知的评分指标：{value}", "unknown criterion: {value}"),
    "missing_criterion": ("缺少评分指标：{value}", "criterion not scored: {value}"),
    "duplicate_review": (
        "专家 {expert} 对申报 {application} 重复评分",
        "expert {expert} scored application {application} twice",
    ),
    "unknown_method": (
        "未知的汇总方法 {value}（可选：{choices}）",
        "unknown method {value} (one of: {choices})",
    ),
    "no_criteria": ("至少需要一个评分指标", "at least one criterion is needed"),
    "not_bool": ("应为 true 或 false", "must be true or false"),
    "unknown_rule_kind": (
        "未知的专家组规则 {value}（可选：{choices}）",
        "unknown panel rule {value} (one of: {choices})",
    ),
    "cap_range": ("概率上限应在 0 到 1 之间（不含 0）", "the cap must be in (0, 1]"),
    "file_unreadable": ("无法读取文件：{detail}", "cannot read the file: {detail}"),
    "not_json": ("不是有效的 JSON：{detail}", "not valid JSON: {detail}"),
}


@dataclass(frozen=True)
class Problem:
    path: str
    code: str
    params: dict = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        zh, en = MESSAGES[self.code]
        message = (en if lang == "en" else zh).format(**self.params)
        return f"{self.path}: {message}" if self.path else message


class InputError(ValueError):
    """Bad input; ``problems`` names every fault with its JSON path."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.text("en") for p in problems[:20]))
