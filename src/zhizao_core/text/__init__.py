"""Chinese text helpers: half-width forms, search text, lists, sorting, amounts in 万/亿."""

from .amounts import (
    AMOUNT_UNITS,
    AmountError,
    format_cny,
    format_count,
    format_wan_short,
    parse_amount,
)
from .normalize import (
    LIST_SEPARATORS,
    chinese_sort_key,
    normalize_search_text,
    organization_name_key,
    split_list,
    to_halfwidth,
)

__all__ = [
    "AMOUNT_UNITS",
    "LIST_SEPARATORS",
    "AmountError",
    "chinese_sort_key",
    "format_cny",
    "format_count",
    "format_wan_short",
    "normalize_search_text",
    "organization_name_key",
    "parse_amount",
    "split_list",
    "to_halfwidth",
]
