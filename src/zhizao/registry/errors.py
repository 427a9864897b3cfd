"""Stable error codes of the registry, and their messages in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class RegistryError(Exception):
    """A business rule refused a write. ``code`` is stable; ``message`` is for people."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


FILE_MESSAGES = {
    "file_too_large": _("The file is larger than %(max_mb)s MB."),
    "file_empty": _("The file is empty."),
    "file_format": _("Only .xlsx and .csv files can be imported (got “%(name)s”)."),
    "file_corrupt": _("The file cannot be read as an Excel workbook: %(detail)s"),
    "file_encrypted": _(
        "The workbook is password-protected. Save it without a password and upload it again."
    ),
    "file_zip_bomb": _(
        "The workbook expands to %(size_mb)s MB when unpacked, more than the limit of "
        "%(max_mb)s MB, and was refused."
    ),
    "file_zip_ratio": _(
        "The part “%(name)s” of the workbook is compressed %(ratio)s to 1, more than the limit "
        "of %(max)s to 1 (a sign of a zip bomb), and was refused."
    ),
    "file_zip_entries": _(
        "The workbook has %(count)s parts, more than the limit of %(max)s, and was refused."
    ),
    "file_encoding": _("The CSV file is neither UTF-8 nor GB18030 text."),
    "file_no_header": _("The file has no header row."),
    "file_too_many_rows": _("The file has more than %(max)s data rows."),
    "file_no_rows": _("The file has a header but no data rows."),
}


def file_message(code: str, **params) -> str:
    return str(FILE_MESSAGES[code]) % params if params else str(FILE_MESSAGES[code])


NAME_TAKEN = _("This name is already used by another organisation in the registry.")
