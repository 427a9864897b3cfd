"""Setting up a call: from a template or from scratch, its categories, form fields, stages,
eligibility rule, nominating bodies with quotas and rubric; opening and closing it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhizao.common.audit import Actor
from zhizao.common.services import update_fields
from zhizao.policies.engine import problems_text
from zhizao.policies.enums import RecognitionLevel, RecognitionTitle
from zhizao.registry.models import Organization
from zhizao_core.policy import RuleError

from .. import blind
from ..access import NOMINATOR_ROLES, can_create_call, can_manage_call
from ..eligibility import eligibility_rule
from ..enums import CALL_TRANSITIONS, STAGE_ORDER, CallKind, CallState, Prefill
from ..errors import CallError
from ..models import Call, CallCategory, CallStage, FormField, NominationQuota, RubricCriterion
from ..templates_data import call_templates
from ..validators import check_field_definition
from .base import audit, is_system, text

CALL_FIELDS = (
    "title",
    "summary",
    "year",
    "blind_review",
    "publicity_working_days",
    "conflict_years",
    "reviewers_per_application",
    "max_experts_per_organisation",
    "same_region_exclusion",
    "max_named_exclusions",
    "allow_bidding",
    "requires_nomination",
    "recognition_title",
    "recognition_level",
)


def _manage(actor: Actor, call: Call) -> None:
    if not (is_system(actor) or can_manage_call(actor, call)):
        raise CallError("not_allowed", _("Only the selection office may change this call."))


def _editable(call: Call) -> None:
    if call.state == CallState.PUBLISHED:
        raise CallError("published", _("A published call no longer changes."))


def _check_call(call: Call) -> None:
    if not 1 <= call.publicity_working_days <= 30:
        raise CallError(
            "bad_days", _("Public notice: 1 to 30 working days."), field="publicity_working_days"
        )
    if not 1 <= call.reviewers_per_application <= 15:
        raise CallError(
            "bad_k", _("Reviewers per application: 1 to 15."), field="reviewers_per_application"
        )
    if not 2000 <= int(call.year) <= 2100:
        raise CallError("bad_year", _("Year: 2000 to 2100."), field="year")
    if call.recognition_title and call.recognition_title not in RecognitionTitle.values:
        raise CallError("bad_title", _("Choose a recognised title."), field="recognition_title")
    if call.recognition_title and call.recognition_level not in RecognitionLevel.values:
        raise CallError("bad_level", _("Choose the level of the title."), field="recognition_level")


def create_call(
    actor: Actor,
    *,
    host: Organization,
    title: str,
    year: int,
    kind: str = CallKind.CUSTOM,
    template: str = "",
    summary: str = "",
) -> Call:
    """A new draft call of ``host`` (the selection office), empty or from a template."""
    if not is_system(actor):
        if not can_create_call(actor) or not (
            actor.role == "operator" or actor.organization_id == host.pk
        ):
            raise CallError("not_allowed", _("You cannot open calls for this organisation."))
    data = {}
    if template:
        data = call_templates().get(template)
        if data is None:
            raise CallError("bad_template", _("Choose a template."), field="template")
        kind = data["kind"]
    if kind not in CallKind.values:
        raise CallError("bad_kind", _("Choose the kind of call."), field="kind")
    title = text(
        title, field="title", label=pgettext("document", "Title"), max_length=200, required=True
    )
    with transaction.atomic():
        call = Call(
            host=host,
            title=title,
            kind=kind,
            year=year,
            summary=text(summary, field="summary", label=_("Summary"), max_length=5000),
            template=template,
            blind_review=bool(data.get("blind_review", False)),
            requires_nomination=bool(data.get("requires_nomination", False)),
            recognition_title=data.get("recognition_title", ""),
            recognition_level=data.get("recognition_level", ""),
            eligibility=data.get("eligibility", {}),
            created_by=actor.user if actor.user_id else None,
        )
        _check_call(call)
        call.save()
        for kind_ in data.get("stages", []):
            CallStage.objects.create(call=call, kind=kind_, order=STAGE_ORDER.index(kind_))
        for i, cat in enumerate(data.get("categories", [])):
            CallCategory.objects.create(
                call=call,
                code=cat["code"],
                name=cat["name"],
                final_quota=cat.get("final_quota"),
                order=i,
            )
        for i, f in enumerate(data.get("fields", [])):
            options = check_field_definition(
                code=f["code"], label=f["label"], type=f["type"], options=f.get("options", {})
            )
            FormField.objects.create(
                call=call,
                code=f["code"],
                label=f["label"],
                help_text=f.get("help_text", ""),
                type=f["type"],
                required=f.get("required", True),
                options=options,
                prefill=f.get("prefill", ""),
                blind_hidden=bool(f.get("blind_hidden"))
                or blind.identifies(code=f["code"], label=f["label"], prefill=f.get("prefill", "")),
                order=i,
            )
        if data.get("criteria"):
            _save_rubric(call, data["criteria"])
        audit(actor, "call_created", call, context={"template": template})
    return call


def update_call(actor: Actor, call: Call, data: dict) -> dict:
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        _manage(actor, locked)
        _editable(locked)
        if "title" in data:
            data = {
                **data,
                "title": text(
                    data["title"],
                    field="title",
                    label=pgettext("document", "Title"),
                    max_length=200,
                    required=True,
                ),
            }
        return update_fields(
            actor, locked, data, fields=CALL_FIELDS, event="calls.call_updated", prepare=_check_call
        )


def set_eligibility(
    actor: Actor, call: Call, conditions: dict | None, *, no_credit_record: bool | None = None
) -> Call:
    """Set the call's eligibility rule (policy-engine conditions) and, when given, whether the
    applicant must have no credit record in force; refused with each problem's place named
    when the engine does not accept the rule. Nothing changed: nothing written."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        _manage(actor, locked)
        _editable(locked)
        try:
            eligibility_rule(locked, conditions or {})
        except RuleError as exc:
            raise CallError("bad_rule", problems_text(exc), field="eligibility") from None
        changes = {}
        if (conditions or {}) != locked.eligibility:
            changes["eligibility"] = [locked.eligibility, conditions or {}]
            locked.eligibility = conditions or {}
        if no_credit_record is not None and bool(no_credit_record) != locked.no_credit_record:
            changes["no_credit_record"] = [locked.no_credit_record, bool(no_credit_record)]
            locked.no_credit_record = bool(no_credit_record)
        if changes:
            locked.save(update_fields=["eligibility", "no_credit_record", "updated_at"])
            audit(actor, "eligibility_set", locked, changes=changes)
    return locked


def _parse_dt(value, field: str):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise CallError(
            "bad_datetime", _("Enter a date and time as 2026-06-30 17:00."), field=field
        ) from None
    if parsed.tzinfo is None:
        parsed = timezone.make_aware(parsed)
    return parsed


def set_stages(actor: Actor, call: Call, stages: list[dict]) -> list[CallStage]:
    """Replace the call's stages: ``[{kind, opens, closes}]`` in the fixed order 申报 → 推荐 →
    形式审查 → 网评 → 会评 → 现场核查 → 公示 → 发布; any may be left out."""
    rows = []
    seen = set()
    for i, item in enumerate(stages):
        kind = item.get("kind")
        if kind not in STAGE_ORDER or kind in seen:
            raise CallError(
                "bad_stage", _("Each stage once, from the list."), field=f"stages[{i}].kind"
            )
        seen.add(kind)
        opens = _parse_dt(item.get("opens"), f"stages[{i}].opens")
        closes = _parse_dt(item.get("closes"), f"stages[{i}].closes")
        if opens and closes and closes <= opens:
            raise CallError(
                "bad_window", _("A stage closes after it opens."), field=f"stages[{i}].closes"
            )
        rows.append((STAGE_ORDER.index(kind), kind, opens, closes, i))
    rows.sort()
    last = None
    for _order, _kind, opens, _closes, i in rows:
        if opens and last and opens < last:
            raise CallError(
                "bad_order",
                _("A stage opens no earlier than the previous stage opened."),
                field=f"stages[{i}].opens",
            )
        last = opens or last
    if not rows:
        raise CallError("no_stages", _("A call has at least one stage."), field="stages")
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        _manage(actor, locked)
        _editable(locked)
        before = [(s.kind, s.opens, s.closes) for s in locked.stages.all()]
        locked.stages.all().delete()
        created = [
            CallStage.objects.create(
                call=locked, kind=kind, opens=opens, closes=closes, order=order
            )
            for order, kind, opens, closes, _i in rows
        ]
        audit(
            actor,
            "stages_set",
            locked,
            changes={
                "stages": [
                    [f"{k} {o} {c}" for k, o, c in before],
                    [f"{s.kind} {s.opens} {s.closes}" for s in created],
                ]
            },
        )
    return created


def save_category(
    actor: Actor, call: Call, *, code: str, name: str, final_quota=None, order: int = 0
) -> CallCategory:
    code = text(code, field="code", label=_("Code"), max_length=40, required=True)
    name = text(name, field="name", label=_("Name"), max_length=120, required=True)
    if final_quota in ("",):
        final_quota = None
    if final_quota is not None and int(final_quota) < 0:
        raise CallError("bad_quota", _("Places: 0 or more."), field="final_quota")
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        _manage(actor, locked)
        _editable(locked)
        category, _created = CallCategory.objects.update_or_create(
            call=locked,
            code=code,
            defaults={"name": name, "final_quota": final_quota, "order": order},
        )
        audit(
            actor,
            "category_saved",
            locked,
            changes={f"category.{code}": [None, f"{name} {final_quota}"]},
        )
    return category


def save_field(
    actor: Actor,
    call: Call,
    *,
    code: str,
    label: str,
    type: str,
    required: bool = True,
    options: dict | None = None,
    prefill: str = "",
    help_text: str = "",
    order: int | None = None,
    blind_hidden: bool = False,
) -> FormField:
    """Add or change one field of the form (form editor). A field that names or reaches the
    applicant is hidden on a blind review whatever ``blind_hidden`` says (``calls.blind``)."""
    cleaned = check_field_definition(code=code, label=label, type=type, options=options or {})
    if prefill not in Prefill.values:
        raise CallError("bad_prefill", _("Choose where the field prefills from."), field="prefill")
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        _manage(actor, locked)
        if locked.state != CallState.DRAFT and not locked.fields.filter(code=code).exists():
            raise CallError(
                "form_frozen",
                _("Fields are added while the call is a draft."),
                field="code",
            )
        _editable(locked)
        if order is None:
            order = locked.fields.count()
        field, created = FormField.objects.update_or_create(
            call=locked,
            code=code,
            defaults={
                "label": label.strip(),
                "type": type,
                "required": bool(required),
                "options": cleaned,
                "prefill": prefill,
                "blind_hidden": bool(blind_hidden)
                or blind.identifies(code=code, label=label, prefill=prefill),
                "help_text": (help_text or "").strip()[:400],
                "order": order,
            },
        )
        audit(
            actor,
            "field_saved",
            locked,
            changes={f"field.{code}": [None, f"{type} {label}"]},
            context={"created": created},
        )
    return field


def remove_field(actor: Actor, field: FormField) -> None:
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=field.call_id)
        _manage(actor, locked)
        if locked.state != CallState.DRAFT:
            raise CallError("form_frozen", _("Fields are removed while the call is a draft."))
        audit(actor, "field_removed", locked, changes={f"field.{field.code}": [field.label, None]})
        field.delete()


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise CallError("not_a_number", _("Enter a number."), field=field) from None
    if not number.is_finite():
        raise CallError("not_a_number", _("Enter a number."), field=field)
    return number


def _band_text(lo: Decimal, hi: Decimal) -> str:
    return f"{format(lo.normalize(), 'f')}–{format(hi.normalize(), 'f')}"


def check_bands(bands: list[dict], max_score: Decimal, *, field: str = "bands") -> list[dict]:
    """A criterion's banded descriptors (e.g. 9–10 优秀: …), checked and sorted from the top:
    each within 0 and the criterion's maximum, its minimum not above its maximum, with a
    descriptor, and no two bands sharing a score (a score falls in one band at most)."""
    out = []
    for j, band in enumerate(bands):
        lo = _decimal(band.get("min"), f"{field}[{j}].min")
        hi = _decimal(band.get("max"), f"{field}[{j}].max")
        if not 0 <= lo <= hi <= max_score:
            raise CallError(
                "band_out_of_range",
                _(
                    "Band %(band)s: a band lies within 0 and the maximum score %(max)s, its "
                    "minimum not above its maximum."
                )
                % {"band": _band_text(lo, hi), "max": format(max_score.normalize(), "f")},
                field=f"{field}[{j}]",
            )
        descriptor = str(band.get("descriptor", "")).strip()
        if not descriptor:
            raise CallError(
                "band_descriptor",
                _("Band %(band)s: describe what a score in it means.")
                % {"band": _band_text(lo, hi)},
                field=f"{field}[{j}].descriptor",
            )
        out.append((lo, hi, descriptor[:300], j))
    out.sort(key=lambda b: (b[0], b[1]))
    for (lo1, hi1, _d1, _j1), (lo2, hi2, _d2, j2) in pairwise(out):
        if lo2 <= hi1:
            raise CallError(
                "band_overlap",
                _("Bands %(a)s and %(b)s overlap: a score falls in one band at most.")
                % {"a": _band_text(lo1, hi1), "b": _band_text(lo2, hi2)},
                field=f"{field}[{j2}]",
            )
    return [
        {"min": str(lo), "max": str(hi), "descriptor": descriptor}
        for lo, hi, descriptor, _j in reversed(out)
    ]


def set_bands(actor: Actor, criterion: RubricCriterion, bands: list[dict]) -> RubricCriterion:
    """Replace one criterion's banded descriptors (the call's selection office)."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=criterion.call_id)
        _manage(actor, locked)
        _editable(locked)
        row = RubricCriterion.objects.select_for_update().get(pk=criterion.pk)
        cleaned = check_bands(bands, row.max_score)
        if cleaned != row.bands:
            audit(
                actor,
                "bands_set",
                locked,
                changes={f"bands.{row.code}": [row.bands, cleaned]},
            )
            row.bands = cleaned
            row.save(update_fields=["bands"])
    return row


def check_rubric(criteria: list[dict]) -> list[dict]:
    """The rubric, checked: codes unique, weights in 0..1 with 4 places at most, the ranked
    criteria's weights summing to exactly 1 (exact decimals), bands within 0..max."""
    if not criteria:
        raise CallError("no_criteria", _("A rubric has at least one criterion."), field="criteria")
    out = []
    codes = set()
    total = Decimal(0)
    for i, item in enumerate(criteria):
        code = str(item.get("code", "")).strip()
        name = str(item.get("name", "")).strip()
        if not code or code in codes:
            raise CallError(
                "bad_code", _("Each criterion has its own code."), field=f"criteria[{i}].code"
            )
        if not name:
            raise CallError("required", _("Name is required."), field=f"criteria[{i}].name")
        codes.add(code)
        weight = _decimal(item.get("weight", "0"), f"criteria[{i}].weight")
        if weight < 0 or weight > 1 or weight != weight.quantize(Decimal("0.0001")):
            raise CallError(
                "bad_weight",
                _("A weight is between 0 and 1 with at most 4 decimal places."),
                field=f"criteria[{i}].weight",
            )
        max_score = _decimal(
            item.get("max_score", item.get("max", "100")), f"criteria[{i}].max_score"
        )
        if max_score <= 0:
            raise CallError(
                "bad_max", _("The maximum score is above 0."), field=f"criteria[{i}].max_score"
            )
        ranked = bool(item.get("ranked", True))
        if ranked:
            total += weight
        elif weight:
            raise CallError(
                "unranked_weight",
                _("A criterion recorded but not ranked has weight 0."),
                field=f"criteria[{i}].weight",
            )
        bands = check_bands(item.get("bands") or [], max_score, field=f"criteria[{i}].bands")
        out.append(
            {
                "code": code,
                "name": name[:120],
                "weight": weight,
                "max_score": max_score,
                "ranked": ranked,
                "comment_required": bool(item.get("comment_required", False)),
                "bands": bands,
            }
        )
    if total != 1:
        raise CallError(
            "weights_sum",
            _("The weights of the ranked criteria sum to %(sum)s, not exactly 1.")
            % {"sum": format(total.normalize(), "f")},
            field="weight",
        )
    return out


def _save_rubric(call: Call, criteria: list[dict]) -> list[RubricCriterion]:
    cleaned = check_rubric(criteria)
    call.criteria.all().delete()
    return [
        RubricCriterion.objects.create(call=call, order=i, **row) for i, row in enumerate(cleaned)
    ]


def set_rubric(actor: Actor, call: Call, criteria: list[dict]) -> list[RubricCriterion]:
    """Replace the rubric (weights of the ranked criteria must sum to exactly 1)."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        _manage(actor, locked)
        _editable(locked)
        before = [f"{c.code}:{c.weight}" for c in locked.criteria.all()]
        rows = _save_rubric(locked, criteria)
        audit(
            actor,
            "rubric_set",
            locked,
            changes={"criteria": [before, [f"{c.code}:{c.weight}" for c in rows]]},
        )
    return rows


def set_quota(
    actor: Actor,
    call: Call,
    *,
    nominator: Organization,
    quota: int,
    category: CallCategory | None = None,
) -> NominationQuota:
    """A nominating body of the call and its quota (in total, or in one category)."""
    if quota is None or int(quota) < 0:
        raise CallError("bad_quota", _("Quota: 0 or more."), field="quota")
    if category is not None and category.call_id != call.pk:
        raise CallError("bad_category", _("Choose a category of this call."), field="category")
    if not nominator.memberships.filter(role__in=NOMINATOR_ROLES, is_active=True).exists():
        raise CallError(
            "bad_nominator",
            _("A nominating body is a member society or a government unit."),
            field="nominator",
        )
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        _manage(actor, locked)
        _editable(locked)
        row, _created = NominationQuota.objects.update_or_create(
            call=locked, nominator=nominator, category=category, defaults={"quota": int(quota)}
        )
        audit(
            actor,
            "quota_set",
            locked,
            changes={
                f"quota.{nominator.pk}.{category.code if category else '*'}": [None, int(quota)]
            },
        )
    return row


def set_call_state(actor: Actor, call: Call, *, to: str) -> Call:
    """draft → open → closed (→ open again) ; published is reached through
    ``publish_catalogue``."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        _manage(actor, locked)
        if to not in CALL_TRANSITIONS.get(locked.state, ()) or to == CallState.PUBLISHED:
            raise CallError(
                "bad_transition",
                _("A call cannot go from %(a)s to %(b)s.")
                % {"a": locked.get_state_display(), "b": to},
                field="to",
            )
        if to == CallState.OPEN:
            if not locked.fields.exists():
                raise CallError("no_fields", _("The form has no fields yet."), field="fields")
            if not locked.stages.exists():
                raise CallError("no_stages", _("The call has no stages yet."), field="stages")
            if locked.requires_nomination and not locked.quotas.exists():
                raise CallError(
                    "no_nominators",
                    _("The call requires nomination but has no nominating bodies."),
                    field="quotas",
                )
        before = locked.state
        locked.state = to
        locked.save(update_fields=["state", "updated_at"])
        audit(actor, "call_state", locked, changes={"state": [before, to]})
    return locked
