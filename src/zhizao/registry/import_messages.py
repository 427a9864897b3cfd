"""Messages for the registry's validation error codes, in the user's language.

The codes and their parameters are those of ``zhizao_core.importing.ERROR_CODES`` (every cell
error also carries ``column``, the header label), plus those the Django side adds: the
registry-wide name checks of the import (``name_taken``, ``duplicate_name_in_file``) and the
codes of the forms and the API (``uscc_exists``, ``field_read_only``, ``import_not_ready``). msgids are English; the Chinese
texts live in the zh_Hans catalogue (source list: ``import_messages_zh.txt`` beside this file,
``msgid<TAB>msgstr`` per line).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhizao_core.registry.uscc import uscc_problem

MESSAGES: dict[str, Promise] = {
    # header (row 0)
    "missing_column": _("The required column “%(column)s” is missing."),
    "duplicate_column": _("The column “%(column)s” appears more than once (first as “%(first)s”)."),
    # any cell
    "required": _("“%(column)s” is required."),
    "too_short": _("“%(column)s” needs at least %(min)s characters."),
    "too_long": _("“%(column)s” can have at most %(max)s characters (this one has %(length)s)."),
    # unified social credit code
    "uscc_length": _("A unified social credit code has 18 characters; this one has %(length)s."),
    "uscc_alphabet": _(
        "The unified social credit code contains “%(char)s”, which is not allowed "
        "(I, O, Z, S and V are never used)."
    ),
    "uscc_region": _(
        "Characters 3 to 8 of the unified social credit code must be the 6 digits of a region code."
    ),
    "uscc_check": _(
        "The check character of the unified social credit code is wrong; it should be %(expected)s."
    ),
    "uscc_org_check": _(
        "The organisation code inside the unified social credit code fails its "
        "check; character 17 should be %(expected)s."
    ),
    "uscc_exists": _("Another organisation already has the unified social credit code %(value)s."),
    "duplicate_in_file": _("The same unified social credit code as row %(first_row)s."),
    "name_taken": _(
        "“%(value)s”: this name is already used by another organisation in the registry."
    ),
    "duplicate_name_in_file": _(
        "“%(value)s”: row %(first)s already gives this name to another organisation."
    ),
    # vocabularies and references
    "kind_unknown": _(
        "“%(value)s” is not an organisation type; use 制造企业, 服务商, 金融机构, "
        "高校院所, 学会协会 or 政府部门."
    ),
    "region_format": _("The region code “%(value)s” must have 6 digits."),
    "region_unknown": _("The region code %(value)s does not exist."),
    # the whole file (row 0): the database has no regions or no industries to check against
    "reference_data_missing": _(
        "The database has no %(missing)s, so no row can be checked. Load the reference data "
        "with “zhizao registry load-reference” and import again."
    ),
    "industry_format": _("The industry code “%(value)s” must have 2 to 4 digits."),
    "industry_unknown": _("The industry code %(value)s does not exist in GB/T 4754-2017."),
    "industry_ambiguous": _(
        "The industry code %(value)s has lost its leading zeros and could be "
        "%(candidates)s; format the cell as text and enter the code again."
    ),
    "industry_required": _("A manufacturer needs an industry code."),
    "size_unknown": _("“%(value)s” is not a company size; use 大型, 中型, 小型 or 微型."),
    "cluster_unknown": _("Unknown cluster: %(value)s."),
    "chain_node_unknown": _("Unknown industrial chain node: %(value)s."),
    # numbers
    "year_invalid": _("“%(value)s” is not a year between %(min)s and %(max)s."),
    "integer_invalid": _("“%(value)s” is not a whole number."),
    "integer_negative": _("“%(value)s” is negative; enter 0 or more."),
    "too_large": _("“%(value)s” is too large: at most %(max)s."),
    "amount_invalid": _("“%(value)s” is not an amount (for example 3500, 3500万 or 1.2亿)."),
    "amount_negative": _("The amount “%(value)s” is negative."),
    # text formats
    "website_invalid": _("“%(value)s” is not a web address."),
    "list_too_long": _("Too many items (%(count)s); at most %(max)s."),
    "item_too_long": _("The item “%(value)s” is longer than %(max)s characters."),
    "phone_invalid": _("“%(value)s” is not a mobile number or a landline number with area code."),
    "email_invalid": _("“%(value)s” is not an e-mail address."),
    "contact_name_required": _("A contact phone or e-mail needs the contact's name."),
    # forms and API
    "field_read_only": _("Only the platform operator can change this field."),
    "import_not_ready": _("This import cannot be started now (its state is %(state)s)."),
}


class _Lenient(dict[str, object]):
    """Parameters for a template whose caller did not supply all of them."""

    def __missing__(self, key: str) -> str:
        return "…"


def render_error(code: str, params: Mapping[str, object]) -> str:
    """The message for ``code`` in the active language, filled with ``params``.

    Unknown codes come back as the code itself. Credit-code messages work from the code
    alone (``{"value": …}``, as the forms and the API pass it): the length, the bad character
    and the expected check character are worked out when missing. A parameter that is still
    missing shows as "…" rather than failing.
    """
    template = MESSAGES.get(code)
    if template is None:
        return code
    values = dict(params)
    if code.startswith("uscc_") and isinstance(values.get("value"), str):
        problem = uscc_problem(values["value"])  # type: ignore[arg-type]
        if problem is not None and problem[0] == code:
            for key, value in problem[1].items():
                values.setdefault(key, value)
    text = str(template)
    try:
        return text % values
    except (KeyError, TypeError, ValueError):
        try:
            return text % _Lenient(values)
        except (TypeError, ValueError):
            return text
