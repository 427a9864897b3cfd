"""What a refused login says, shared by the login pages and the token API. The answers are the
same for every user name, known or not."""

from __future__ import annotations

import datetime as dt
import math

from django.utils import timezone
from django.utils.translation import gettext as _


def seconds_until(moment: dt.datetime | None, *, now: dt.datetime | None = None) -> int:
    """Whole seconds from now until ``moment``, at least 1."""
    if moment is None:
        return 1
    remaining = (moment - (now or timezone.now())).total_seconds()
    return max(1, math.ceil(remaining))


def rate_limited_message() -> str:
    return _("Too many login attempts from your network. Try again in a few minutes.")


def throttled_message(retry_at: dt.datetime | None, *, now: dt.datetime | None = None) -> str:
    return _(
        "Too many failed logins with this user name from your network. Try again in %(seconds)s s."
    ) % {"seconds": seconds_until(retry_at, now=now)}


def invalid_message() -> str:
    return _("The user name or password is not correct.")
