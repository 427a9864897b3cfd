"""Expert import (专家导入) from an xlsx or csv file, synchronous (at most 2,000 rows): each row
names an expert account by its login name and gives its profile. A preview shows what each row
would do with its errors in words; the import writes every row in one transaction, or nothing
when any row has an error. Importing the same file again changes nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership
from zhizao.common.audit import Actor, record
from zhizao.common.models import AuditAction
from zhizao.common.services import update_fields
from zhizao.registry.import_messages import render_error
from zhizao.registry.services.files import TableError, read_table
from zhizao_core.matching.vocabulary import CATEGORIES

from ..enums import ExpertTitle
from ..errors import ReviewError
from ..models import Expert
from .base import audit, require_operator
from .experts import PROFILE_FIELDS, _clean_profile

MAX_ROWS = 2000
#: header (Chinese or English) → profile field
HEADERS = {
    "登录名": "username",
    "username": "username",
    "姓名": "name",
    "name": "name",
    "人员编号": "person_id",
    "person_id": "person_id",
    "行业大类": "divisions",
    "divisions": "divisions",
    "技术领域": "domains",
    "domains": "domains",
    "关键词": "keywords",
    "keywords": "keywords",
    "职称": "title",
    "title": "title",
    "从业年限": "years_experience",
    "years_experience": "years_experience",
    "每轮最多评审数": "max_load",
    "max_load": "max_load",
}
TITLES = {"正高级": "senior", "副高级": "associate", "中级": "intermediate", "其他": "other"}
DOMAIN_NAMES = {names[0]: code for code, names in CATEGORIES.items()}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _domains(text: str) -> list[str]:
    words = text.replace("，", ",").replace("、", ",").replace(";", ",").split(",")
    return [DOMAIN_NAMES.get(w.strip(), w.strip()) for w in words if w.strip()]


def _row_values(raw: dict) -> dict:
    values = {k: v for k, v in raw.items() if k != "username"}
    if "title" in values:
        values["title"] = TITLES.get(values["title"], values["title"])
        if values["title"] and values["title"] not in ExpertTitle.values:
            raise ReviewError("bad_title", _("Choose a title from the list."), field="title")
    if "domains" in values:
        values["domains"] = _domains(values["domains"])
    if "years_experience" in values and values["years_experience"] == "":
        values["years_experience"] = 0
    return _clean_profile(values)


def plan_import(data: bytes, name: str) -> dict:
    """What each row would do: ``{"rows": [{"row", "username", "action", "errors",
    "values"}], "counts": {...}, "error": file-level error or ""}``."""
    try:
        table = read_table(data, name)
    except TableError as error:
        return {"rows": [], "counts": {}, "error": render_error(error.code, error.params)}
    columns = [HEADERS.get(_cell(h).lower(), HEADERS.get(_cell(h))) for h in table.header]
    if "username" not in columns:
        return {"rows": [], "counts": {}, "error": _("The file has no column 登录名 (username).")}
    if len(table.rows) > MAX_ROWS:
        return {
            "rows": [],
            "counts": {},
            "error": _("At most %(n)s rows per import.") % {"n": MAX_ROWS},
        }
    raws = []
    for cells in table.rows:
        raw = {}
        for column, value in zip(columns, cells, strict=False):
            if column:
                raw[column] = _cell(value)
        raws.append(raw)
    names = {r.get("username", "") for r in raws} - {""}
    memberships: dict[str, Membership] = {}
    for m in (
        Membership.objects.filter(user__username__in=names, role=Role.EXPERT, is_active=True)
        .select_related("user")
        .order_by("id")
    ):
        memberships.setdefault(m.user.username, m)
    experts = {
        e.membership_id: e
        for e in Expert.objects.filter(membership__in=[m.pk for m in memberships.values()])
    }
    seen: dict[str, int] = {}
    rows = []
    for n, raw in enumerate(raws, start=2):  # row 1 is the header
        username = raw.get("username", "")
        errors: list[str] = []
        values: dict = {}
        action = "error"
        membership = memberships.get(username)
        if not username:
            errors.append(_("The login name is empty."))
        elif username in seen:
            errors.append(_("The same login name as row %(n)s.") % {"n": seen[username]})
        elif membership is None:
            errors.append(_("No active expert account has this login name."))
        if username and username not in seen:
            seen[username] = n
        try:
            values = _row_values(raw)
        except ReviewError as error:
            errors.append(error.message)
        if not errors:
            expert = experts.get(membership.pk)
            if expert is None:
                values.setdefault("name", str(membership.user))
                action = "create"
            else:
                same = all(getattr(expert, k) == v for k, v in values.items())
                action = "unchanged" if same else "update"
        rows.append(
            {
                "row": n,
                "username": username,
                "action": action,
                "errors": errors,
                "values": values,
                "membership": membership,
                "expert": experts.get(membership.pk) if membership else None,
            }
        )
    counts = {a: sum(1 for r in rows if r["action"] == a) for a in ACTIONS}
    return {"rows": rows, "counts": counts, "error": ""}


ACTIONS = ("create", "update", "unchanged", "error")


def import_experts(actor: Actor, data: bytes, name: str) -> dict:
    """Apply the file: every row or none (any error refuses the whole file)."""
    require_operator(actor)
    plan = plan_import(data, name)
    if plan["error"]:
        raise ReviewError("bad_file", plan["error"], field="file")
    if plan["counts"]["error"]:
        raise ReviewError(
            "rows_invalid",
            _("%(n)s rows have errors; nothing was imported.") % {"n": plan["counts"]["error"]},
            field="file",
        )
    with transaction.atomic():
        for row in plan["rows"]:
            if row["action"] == "create":
                expert = Expert.objects.create(membership=row["membership"], **row["values"])
                audit(
                    actor,
                    "expert_created",
                    expert,
                    changes={k: [None, v] for k, v in row["values"].items()},
                    context={"import_row": row["row"]},
                )
            elif row["action"] == "update":
                locked = Expert.objects.select_for_update().get(pk=row["expert"].pk)
                update_fields(
                    actor,
                    locked,
                    row["values"],
                    fields=PROFILE_FIELDS,
                    event="review.expert_updated",
                )
        if plan["counts"]["create"] or plan["counts"]["update"]:
            record(
                actor,
                AuditAction.IMPORT,
                None,
                object_repr=_("Expert import"),
                context={"file": name[:200], **plan["counts"]},
            )
    return plan
