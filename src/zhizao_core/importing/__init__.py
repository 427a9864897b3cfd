"""The organisation import on plain data: header mapping, row validation, error codes.

``TEMPLATE_COLUMNS`` is the ordered column list — (key, Chinese header, English header,
required, example, Chinese description, English description) — from which the Django side
builds the downloadable template and the documentation. The layout and rules are described
in ``columns``; the error codes are ``ERROR_CODES`` (code → one-line English description).
"""

from .columns import BY_KEY, COLUMNS, ERROR_CODES, TEMPLATE_COLUMNS, Column, header_key
from .validate import (
    CellError,
    CellProblem,
    CellRules,
    HeaderResult,
    ImportContext,
    OrganizationRecord,
    ValidationResult,
    cross_cell_problems,
    map_header,
    normalize_email,
    normalize_phone,
    normalize_website,
    validate_rows,
)

__all__ = [
    "BY_KEY",
    "COLUMNS",
    "ERROR_CODES",
    "TEMPLATE_COLUMNS",
    "CellError",
    "CellProblem",
    "CellRules",
    "Column",
    "HeaderResult",
    "ImportContext",
    "OrganizationRecord",
    "ValidationResult",
    "cross_cell_problems",
    "header_key",
    "map_header",
    "normalize_email",
    "normalize_phone",
    "normalize_website",
    "validate_rows",
]
