"""The organisation import on plain data: header mapping and row validation."""

from .columns import COLUMNS, ERROR_CODES, TEMPLATE_COLUMNS
from .validate import (
    CellError,
    HeaderResult,
    ImportContext,
    OrganizationRecord,
    ValidationResult,
    map_header,
    validate_rows,
)

__all__ = ["COLUMNS", "ERROR_CODES", "TEMPLATE_COLUMNS", "CellError", "HeaderResult",
           "ImportContext", "OrganizationRecord", "ValidationResult", "map_header",
           "validate_rows"]
