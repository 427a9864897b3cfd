"""The insights app's error: a stable code, the field it concerns and a message."""

from __future__ import annotations


class InsightsError(Exception):
    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
