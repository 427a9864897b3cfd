"""API authentication by our own tokens (``Authorization: Token <key>``).

A key works while its token is neither revoked nor expired and its user is active. Each
refusal says why, in the caller's language; the use is noted to the minute.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from zhizao.accounts.selectors import api_token_for_key
from zhizao.accounts.services import record_api_token_use

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                _("The Authorization header must be “Token” followed by one key.")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("The token is not valid.")) from None
        token = api_token_for_key(key)
        now = timezone.now()
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("The token is not valid."))
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("This token has been revoked."))
        if token.expires_at <= now:
            raise AuthenticationFailed(_("This token has expired."))
        record_api_token_use(token, now=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes our tokens."""

    target_class = "zhizao.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; a key comes from `POST /api/token/` or the security "
            "page, and expires.",
        }
