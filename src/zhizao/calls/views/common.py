from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone


def done(request, error, ok_message: str, to: str, *args):
    """After a POST that called one service: the message, then back to the page."""
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, ok_message)
    return redirect(to, *args)


def parse_local(value: str):
    """A datetime-local input (2026-06-30T17:00) as an aware datetime, or None."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return timezone.make_aware(parsed) if parsed.tzinfo is None else parsed
