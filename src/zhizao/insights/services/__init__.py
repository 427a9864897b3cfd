from .jurisdictions import set_jurisdiction
from .public import set_public_figures
from .refresh import refresh_facts
from .refresh_request import request_refresh
from .reports import (
    add_activity,
    add_news_item,
    draft_report,
    publish_report,
    remove_activity,
    remove_news_item,
    update_report,
)

__all__ = [
    "add_activity",
    "add_news_item",
    "draft_report",
    "publish_report",
    "refresh_facts",
    "remove_activity",
    "remove_news_item",
    "request_refresh",
    "set_jurisdiction",
    "set_public_figures",
    "update_report",
]
