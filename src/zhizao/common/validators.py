"""Validators shared by model fields, forms and API serializers.

Every field that holds an address someone may click goes through one of these, so a
``javascript:``, ``data:`` or ``vbscript:`` value is refused wherever it is written:

* ``validate_web_url`` — an absolute http or https address (an organisation's website);
* ``validate_site_link`` — a link inside this site (``/policies/…``) or an http(s) address
  (notifications).

Free-text searches are bounded here too (``validate_search_query``, ``search_field``).

Templates render a stored address as a link only when ``is_web_url`` / ``is_site_link`` says so
(the ``web_url`` and ``site_link`` filters), so a row written before the validator existed is
shown as text, never as a clickable ``javascript:`` link.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")
_URL = URLValidator(schemes=list(WEB_SCHEMES))


def is_web_url(value: object) -> bool:
    """True for an absolute http(s) address with a host and nothing around it (no leading
    space, no control characters)."""
    if not isinstance(value, str) or not value:
        return False
    try:
        _URL(value)
    except ValidationError:
        return False
    return True


def is_site_link(value: object) -> bool:
    """True for a path on this site (``/x``, not ``//host``, no backslash, no whitespace or
    control characters) or an absolute http(s) address."""
    if not isinstance(value, str) or not value:
        return False
    if value.startswith("/"):
        return (
            not value.startswith("//")
            and "\\" not in value
            and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value)
        )
    return is_web_url(value)


def validate_web_url(value: str) -> None:
    """Model and serializer validator: empty is left to ``blank``; anything else must be an
    http(s) address."""
    if value and not is_web_url(value):
        raise ValidationError(
            _("Enter a web address that starts with http:// or https://."), code="web_url"
        )


def validate_site_link(value: str) -> None:
    if value and not is_site_link(value):
        raise ValidationError(
            _("Enter a link on this site (starting with /) or an http:// or https:// address."),
            code="site_link",
        )


__all__ = [
    "WEB_SCHEMES",
    "is_site_link",
    "is_web_url",
    "validate_site_link",
    "validate_web_url",
]


# --- free-text searches -----------------------------------------------------------------------

SEARCH_MAX_CHARS = 100
SEARCH_MAX_TERMS = 8


def search_terms(value: str) -> list[str]:
    return [t for t in value.replace("|", " ").split() if t]


def validate_search_query(value: str) -> None:
    """Every free-text search box and the API's ``q``: at most 100 characters and 8 words, so
    that no query can make a list scan the table once per word of a pasted paragraph."""
    if len(value) > SEARCH_MAX_CHARS or len(search_terms(value)) > SEARCH_MAX_TERMS:
        raise ValidationError(
            _("Search with at most %(chars)s characters and %(terms)s words."),
            code="search_too_long",
            params={"chars": SEARCH_MAX_CHARS, "terms": SEARCH_MAX_TERMS},
        )


def search_field(label) -> forms.CharField:
    """The search box of a list: optional, bounded by ``validate_search_query``."""
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        validators=[validate_search_query],
        widget=forms.TextInput(attrs={"type": "search", "maxlength": SEARCH_MAX_CHARS}),
    )
