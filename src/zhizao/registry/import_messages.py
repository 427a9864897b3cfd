"""Messages for the import's error codes (``zhizao_core.importing.ERROR_CODES``), in the user's
language. msgids are English; the zh_Hans catalogue carries the Chinese."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "missing_column": _("The required column “%(column)s” is missing from the header row."),
    "duplicate_column": _("This column appears twice in the header (first as “%(first)s”)."),
    "required": _("This cell is required."),
    "too_long": _("Too long: at most %(max)s characters."),
    "too_short": _("Too short: at least %(min)s characters."),
    "uscc_length": _("The unified social credit code must have 18 characters (got “%(value)s”)."),
    "uscc_alphabet": _("The unified social credit code “%(value)s” contains a character that is not allowed (I, O, Z, S and V are never used)."),
    "uscc_region": _("Characters 3–8 of the unified social credit code “%(value)s” must be a region code of 6 digits."),
    "uscc_check": _("The check character of the unified social credit code “%(value)s” is wrong: it should be %(expected)s."),
    "uscc_org_check": _("The organisation-code part of the unified social credit code “%(value)s” fails its check."),
    "uscc_exists": _("Another organisation already has the unified social credit code “%(value)s”."),
    "duplicate_in_file": _("The same unified social credit code as row %(first_row)s of this file."),
    "kind_unknown": _("“%(value)s” is not a kind of organisation: use 制造企业, 服务商, 金融机构, 高校院所, 学会协会 or 政府部门."),
    "region_format": _("The region code “%(value)s” must be 6 digits."),
    "region_unknown": _("The region code %(value)s does not exist."),
    "industry_format": _("The industry code “%(value)s” must have 2 to 4 digits."),
    "industry_unknown": _("The industry code %(value)s is not in GB/T 4754-2017."),
    "industry_required": _("A manufacturer needs an industry code."),
    "size_unknown": _("“%(value)s” is not a size: use 大型, 中型, 小型 or 微型."),
    "year_invalid": _("“%(value)s” is not a year between 1800 and %(max)s."),
    "integer_invalid": _("“%(value)s” is not a whole number."),
    "amount_invalid": _("“%(value)s” is not an amount (examples: 3500, 3500万, 1.2亿)."),
    "amount_negative": _("The amount “%(value)s” is negative."),
    "website_invalid": _("“%(value)s” is not a web address."),
    "list_too_long": _("Too many items: at most %(max)s."),
    "item_too_long": _("The item “%(value)s” is longer than %(max)s characters."),
    "cluster_unknown": _("There is no cluster “%(value)s”."),
    "chain_node_unknown": _("There is no industrial chain node “%(value)s”."),
    "phone_invalid": _("“%(value)s” is not a mainland mobile number or a landline with area code."),
    "email_invalid": _("“%(value)s” is not an e-mail address."),
    "contact_name_required": _("A phone or e-mail needs the contact's name."),
    "field_read_only": _("This field can only be changed by the platform operator."),
    "import_not_ready": _("This import cannot be started now (its state is %(state)s)."),
}


def render_error(code: str, params: Mapping[str, object]) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % dict(params)
    except (KeyError, TypeError, ValueError):
        return str(template)
