"""HTTP byte ranges (RFC 9110 §14) for video seeking: one range per request, which is what
browsers' media elements send. ``parse_range`` answers the inclusive (start, end) to send,
``None`` for "send the whole file" (no header, or one we do not serve: several ranges, another
unit) and raises ``Unsatisfiable`` for a range that cannot be met (416)."""

from __future__ import annotations

import re

_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class Unsatisfiable(ValueError):
    """The range lies outside the file (answer 416 with ``Content-Range: bytes */size``)."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    if not header:
        return None
    match = _RANGE.match(header)
    if match is None:
        if header.strip().lower().startswith("bytes=") and "," not in header:
            raise Unsatisfiable(header)
        return None  # several ranges or another unit: the whole file (allowed by the RFC)
    first, last = match.groups()
    if not first and not last:
        raise Unsatisfiable(header)
    if not first:  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise Unsatisfiable(header)
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        raise Unsatisfiable(header)
    return start, min(end, size - 1)
