"""What the ``zhizao insights …`` commands and the API share: the report of a month and scope
as bytes, with the faults named in Chinese."""

from __future__ import annotations

import json

from zhizao.registry.models import Region
from zhizao_core.insights import MonthError, parse_month

from .errors import InsightsError
from .exporters import report_file_bytes
from .models import MonthlyReport
from .report_data import report_content
from .services.reports import default_title


def find_report(*, month: str, scope: str = "") -> MonthlyReport:
    """The stored report of the month and scope, or an unsaved preview of it."""
    try:
        first = parse_month(month)
    except MonthError as error:
        raise InsightsError("month", str(error), field="month") from None
    region = None
    if scope:
        region = Region.objects.filter(code=scope).first()
        if region is None:
            raise InsightsError(
                "scope",
                f"地区代码“{scope}”不存在（应为 6 位行政区划代码，如 320200）",
                field="scope",
            )
    stored = MonthlyReport.objects.filter(month=first, scope=region).first()
    if stored is not None:
        return stored
    return MonthlyReport(
        month=first, scope=region, title=default_title(first, region.name_zh if region else "")
    )


def report_bytes(*, month: str, scope: str = "", fmt: str = "json") -> bytes:
    report = find_report(month=month, scope=scope)
    if fmt == "json":
        return json.dumps(report_content(report), ensure_ascii=False, indent=2).encode("utf-8")
    body, _type = report_file_bytes(report, fmt)
    return body
