from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from zhizao.common.exports import csv_stream, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(table, fmt: str, *, prefix: str):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{prefix}-{table.key}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_stream(table.header, table.rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            xlsx_bytes(table.header, table.rows, sheet=table.key), content_type=XLSX
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def ics_response(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response
