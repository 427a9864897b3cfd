"""Form widgets shared by every app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    """``<input type="date">`` with its value as YYYY-MM-DD whatever the language: the browser
    shows the date in the user's locale, but the value it accepts is ISO only (a Chinese
    ``2026/12/07`` would leave the field blank)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


ISO_MONTH = "%Y-%m"


class IsoMonthInput(forms.DateInput):
    """``<input type="month">`` with its value as YYYY-MM: a month is picked as a month, not
    as a day of it."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_MONTH)


ISO_DATETIME = "%Y-%m-%dT%H:%M"


class IsoDateTimeInput(forms.DateTimeInput):
    """``<input type="datetime-local">`` with its value as 2026-12-07T09:12 whatever the
    language, for the same reason as ``IsoDateInput``."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATETIME)


# Django's own empty choice of a required select; Django's Chinese catalogue lacks it, so ours
# carries it (makemessages finds the msgid here) and the scan and record forms read Chinese.
BLANK_CHOICE_LABEL = gettext_lazy("- Select an option -")
