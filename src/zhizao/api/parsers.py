"""The API's JSON parser, named in ``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`` (a module of its
own: DRF imports it while ``rest_framework.views`` is still loading)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class ObjectJSONParser(JSONParser):
    """JSON whose top level is an object: every operation's body is one. ``[]``, ``[1]`` or
    ``1.5`` are refused with 400 before any operation code runs."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("The request body must be a JSON object."), code="not_an_object")
        return data
