"""Checks of a form field's definition (the form editor) and of an answer to it (autosave,
submission, API). One place, shared by services, forms and API serializers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .enums import FieldType
from .errors import CallError

MAX_TEXT = 20000
MAX_FILE_MB = 100
FILE_TYPES = {"pdf", "png", "jpg", "jpeg", "docx", "xlsx", "csv", "txt", "zip"}


def _number(value, *, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise CallError(
            "not_a_number", _("%(label)s: enter a number.") % {"label": label}, field=field
        ) from None
    if not number.is_finite():
        raise CallError(
            "not_a_number", _("%(label)s: enter a number.") % {"label": label}, field=field
        )
    return number


def check_field_definition(*, code: str, label: str, type: str, options: dict) -> dict:
    """The field's options, cleaned; refuses a bad definition naming the option."""
    if not code or not code.replace("_", "").isalnum() or not code.isascii():
        raise CallError("bad_code", _("Code: use letters, digits and underscores."), field="code")
    if not (label or "").strip():
        raise CallError("required", _("Label is required."), field="label")
    if type not in FieldType.values:
        raise CallError("bad_type", _("Choose a field type."), field="type")
    options = dict(options or {})
    out: dict = {}
    if type == FieldType.TEXT:
        max_length = int(options.get("max_length") or 2000)
        min_length = int(options.get("min_length") or 0)
        if not 1 <= max_length <= MAX_TEXT or not 0 <= min_length <= max_length:
            raise CallError(
                "bad_length",
                _("Length limits: at least 0, at most %(n)d, minimum not above maximum.")
                % {"n": MAX_TEXT},
                field="options.max_length",
            )
        out = {"max_length": max_length, "min_length": min_length}
    elif type in (FieldType.NUMBER, FieldType.MONEY):
        for key in ("min", "max"):
            if options.get(key) not in (None, ""):
                out[key] = str(_number(options[key], field=f"options.{key}", label=key))
        if "min" in out and "max" in out and Decimal(out["min"]) > Decimal(out["max"]):
            raise CallError(
                "bad_range", _("The minimum is above the maximum."), field="options.min"
            )
    elif type == FieldType.CHOICE:
        choices = [str(c).strip() for c in options.get("choices") or [] if str(c).strip()]
        if len(choices) < 2 or len(set(choices)) != len(choices):
            raise CallError(
                "bad_choices",
                _("Give at least two different choices."),
                field="options.choices",
            )
        out = {"choices": choices, "multiple": bool(options.get("multiple"))}
    elif type == FieldType.FILE:
        types = sorted({str(t).lower().lstrip(".") for t in options.get("types") or ["pdf"]})
        if not types or not set(types) <= FILE_TYPES:
            raise CallError(
                "bad_file_types",
                _("File types: choose among %(types)s.") % {"types": ", ".join(sorted(FILE_TYPES))},
                field="options.types",
            )
        max_mb = int(options.get("max_mb") or 10)
        if not 1 <= max_mb <= MAX_FILE_MB:
            raise CallError(
                "bad_file_size",
                _("Size limit: 1 to %(n)d MB.") % {"n": MAX_FILE_MB},
                field="options.max_mb",
            )
        out = {"types": types, "max_mb": max_mb}
    elif type == FieldType.TABLE:
        columns = []
        for i, column in enumerate(options.get("columns") or []):
            ccode = str(column.get("code", "")).strip()
            clabel = str(column.get("label", "")).strip()
            if not ccode or not clabel:
                raise CallError(
                    "bad_columns",
                    _("Each column has a code and a label."),
                    field=f"options.columns[{i}]",
                )
            columns.append({"code": ccode, "label": clabel})
        if not columns or len({c["code"] for c in columns}) != len(columns):
            raise CallError(
                "bad_columns",
                _("A table has at least one column, each with its own code."),
                field="options.columns",
            )
        out = {"columns": columns, "max_rows": int(options.get("max_rows") or 20)}
    return out


def clean_answer(field, value):
    """The answer to ``field`` as stored (JSON), or ``None`` for an empty answer. Refuses a
    wrong answer naming the field's code and saying what is wrong."""
    label, code, options = field.label, field.code, field.options or {}
    if field.type == FieldType.FILE:
        raise CallError("file_field", _("%(label)s: upload a file.") % {"label": label}, field=code)
    if value is None or (isinstance(value, str) and not value.strip()) or value == []:
        return None
    if field.type == FieldType.TEXT:
        value = str(value).strip()
        if len(value) > options.get("max_length", MAX_TEXT):
            raise CallError(
                "too_long",
                _("%(label)s: at most %(n)d characters (now %(m)d).")
                % {"label": label, "n": options.get("max_length", MAX_TEXT), "m": len(value)},
                field=code,
            )
        return value
    if field.type in (FieldType.NUMBER, FieldType.MONEY):
        number = _number(value, field=code, label=label)
        if field.type == FieldType.MONEY:
            number = number.quantize(Decimal("0.01"))
        if "min" in options and number < Decimal(options["min"]):
            raise CallError(
                "too_small",
                _("%(label)s: at least %(n)s.") % {"label": label, "n": options["min"]},
                field=code,
            )
        if "max" in options and number > Decimal(options["max"]):
            raise CallError(
                "too_large",
                _("%(label)s: at most %(n)s.") % {"label": label, "n": options["max"]},
                field=code,
            )
        return str(number)
    if field.type == FieldType.DATE:
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise CallError(
                "bad_date",
                _("%(label)s: enter a date as 2026-06-30.") % {"label": label},
                field=code,
            ) from None
    if field.type == FieldType.CHOICE:
        chosen = value if isinstance(value, list) else [value]
        chosen = [str(c) for c in chosen if str(c).strip()]
        unknown = [c for c in chosen if c not in options.get("choices", [])]
        if unknown or (len(chosen) > 1 and not options.get("multiple")):
            raise CallError(
                "bad_choice", _("%(label)s: choose from the list.") % {"label": label}, field=code
            )
        if not chosen:
            return None
        return chosen if options.get("multiple") else chosen[0]
    if field.type == FieldType.TABLE:
        if not isinstance(value, list):
            raise CallError(
                "bad_table", _("%(label)s: a list of rows.") % {"label": label}, field=code
            )
        columns = [c["code"] for c in options.get("columns", [])]
        rows = []
        for row in value:
            if not isinstance(row, dict):
                raise CallError(
                    "bad_table", _("%(label)s: a list of rows.") % {"label": label}, field=code
                )
            cleaned = {c: str(row.get(c, "") or "").strip()[:500] for c in columns}
            if any(cleaned.values()):
                rows.append(cleaned)
        if len(rows) > options.get("max_rows", 20):
            raise CallError(
                "too_many_rows",
                _("%(label)s: at most %(n)d rows.")
                % {"label": label, "n": options.get("max_rows", 20)},
                field=code,
            )
        return rows or None
    return value


def answer_problem(field, stored) -> str | None:
    """What is missing or short in a stored answer (the "what is missing" list)."""
    if stored in (None, "", [], {}):
        return _("missing") if field.required else None
    if field.type == FieldType.TEXT:
        minimum = (field.options or {}).get("min_length", 0)
        if minimum and len(str(stored)) < minimum:
            return _("at least %(n)d characters (now %(m)d)") % {
                "n": minimum,
                "m": len(str(stored)),
            }
    return None
