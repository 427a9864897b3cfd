"""Read an uploaded table (xlsx or csv) into a header and rows, refusing what is unsafe.

Checks happen before any parser sees the bytes: the size; for xlsx, that it is a zip container
(an encrypted workbook is an OLE file instead), the number of entries, the unpacked size and the
compression ratio (zip bombs). Parser errors become a ``TableError`` with a stable code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_ZIP_ENTRIES = 2000
MAX_RATIO = 200


class TableError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Table:
    header: list[object]
    rows: list[list[object]]


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in {".xlsx", ".csv"}:
        return suffix[1:]
    raise TableError("file_format", name=name)


def max_unpacked_bytes() -> int:
    """The largest unpacked size of an xlsx upload (all its parts together)."""
    if settings.ZHIZAO_IMPORT_MAX_UNPACKED_BYTES:
        return settings.ZHIZAO_IMPORT_MAX_UNPACKED_BYTES
    return max(settings.ZHIZAO_IMPORT_MAX_BYTES * 20, 200 * 1024 * 1024)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _check_zip(data: bytes) -> None:
    """Refuse a zip with too many parts, too large unpacked or too highly compressed; each
    refusal names the limit that was exceeded, with the file's figure and the limit."""
    max_unpacked = max_unpacked_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise TableError("file_zip_entries", count=len(infos), max=MAX_ZIP_ENTRIES)
            if any(info.flag_bits & 0x1 for info in infos):
                raise TableError("file_encrypted")
            total = sum(info.file_size for info in infos)
            if total > max_unpacked:
                raise TableError(
                    "file_zip_bomb", size_mb=_mb(total), max_mb=max_unpacked // (1024 * 1024)
                )
            for info in infos:
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                    raise TableError(
                        "file_zip_ratio",
                        name=info.filename,
                        ratio=info.file_size // info.compress_size,
                        max=MAX_RATIO,
                    )
            names = {info.filename for info in infos}
            if "xl/workbook.xml" not in names:
                raise TableError("file_corrupt", detail="xl/workbook.xml missing")
    except zipfile.BadZipFile as error:
        raise TableError("file_corrupt", detail=str(error)) from error


def _normalise_cell(value: object) -> object:
    # calamine returns integers as floats and dates as date/datetime; the core validators accept
    # floats, so only whole-number floats are turned back into int, and datetimes into dates.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _read_xlsx(data: bytes) -> list[list[object]]:
    if data.startswith(OLE_MAGIC):
        raise TableError("file_encrypted")
    if not data.startswith(ZIP_MAGIC):
        raise TableError("file_corrupt", detail="not a zip container")
    _check_zip(data)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise TableError("file_no_header")
        sheet = workbook.get_sheet_by_index(0)
        rows = [[_normalise_cell(v) for v in row] for row in sheet.iter_rows()]
    except TableError:
        raise
    except Exception as error:  # calamine raises its own error types for damaged files
        raise TableError("file_corrupt", detail=str(error)[:200]) from error
    return rows


def _read_csv(data: bytes) -> list[list[object]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("file_encoding")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]


def read_table(data: bytes, name: str) -> Table:
    if len(data) > settings.ZHIZAO_IMPORT_MAX_BYTES:
        raise TableError("file_too_large", max_mb=settings.ZHIZAO_IMPORT_MAX_BYTES // (1024 * 1024))
    if not data:
        raise TableError("file_empty")
    fmt = file_format(name)
    rows = _read_xlsx(data) if fmt == "xlsx" else _read_csv(data)
    # Leading blank rows are not the header.
    while rows and all(cell in (None, "") for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise TableError("file_no_header")
    header, body = rows[0], rows[1:]
    while body and all(cell in (None, "") for cell in body[-1]):
        body.pop()
    if not body:
        raise TableError("file_no_rows")
    if len(body) > settings.ZHIZAO_IMPORT_MAX_ROWS:
        raise TableError("file_too_many_rows", max=settings.ZHIZAO_IMPORT_MAX_ROWS)
    return Table(header=header, rows=body)
