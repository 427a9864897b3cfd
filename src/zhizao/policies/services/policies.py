"""Writes for policies (政策文件), their items and the items' rule versions."""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.common.services import changes_between, snapshot, update_fields

from .. import engine
from ..enums import (
    ItemCategory,
    ItemState,
    ItemSubject,
    PolicyLevel,
    PolicyState,
    VersionState,
)
from ..errors import PolicyError
from ..models import Policy, PolicyItem, PolicyItemVersion
from .base import ATTACHMENT_EXTENSIONS, audit, read_upload, to_decimal

POLICY_FIELDS = (
    "title",
    "doc_number",
    "issuing_unit",
    "level",
    "region",
    "valid_from",
    "valid_to",
    "window_start",
    "window_end",
    "budget_yuan",
    "first_come",
    "summary",
)
ITEM_FIELDS = ("name", "category", "subject", "proactive", "budget_yuan")
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
POLICY_TRANSITIONS = {
    PolicyState.PUBLISHED: {PolicyState.DRAFT, PolicyState.ARCHIVED},
    PolicyState.ARCHIVED: {PolicyState.PUBLISHED},
}


def _check_policy(values: dict) -> dict:
    title = (values.get("title") or "").strip()
    if not title:
        raise PolicyError("required", _("Title is required."), field="title")
    if not (values.get("issuing_unit") or "").strip():
        raise PolicyError("required", _("Issuing unit is required."), field="issuing_unit")
    if values.get("level") not in PolicyLevel.values:
        raise PolicyError(
            "bad_level",
            _("Level must be national, provincial, city or district."),
            field="level",
        )
    if values.get("valid_from") is None:
        raise PolicyError("required", _("“Valid from” is required."), field="valid_from")
    if values.get("valid_to") is not None and values["valid_to"] < values["valid_from"]:
        raise PolicyError(
            "bad_dates", _("“Valid until” cannot be before “valid from”."), field="valid_to"
        )
    start, end = values.get("window_start"), values.get("window_end")
    if start is not None and end is not None and end < start:
        raise PolicyError(
            "bad_window",
            _("The application window cannot close before it opens."),
            field="window_end",
        )
    values["budget_yuan"] = to_decimal(
        values.get("budget_yuan"), field="budget_yuan", label=_("Budget")
    )
    values["title"] = title
    return values


def _store_attachment(policy: Policy, upload) -> dict:
    name, content, sha = read_upload(
        upload,
        extensions=ATTACHMENT_EXTENSIONS,
        field="attachment",
        message=_("The policy text must be a PDF, a Word (.docx) or a text file."),
    )
    old = policy.attachment.name if policy.attachment else ""
    policy.attachment_name = name
    policy.attachment_sha256 = sha
    policy.attachment.save(name, ContentFile(content), save=False)
    if old:
        storage = policy.attachment.storage
        transaction.on_commit(lambda: storage.delete(old))
    return {"attachment_name": name, "attachment_sha256": sha}


def create_policy(
    actor: Actor,
    *,
    title: str,
    issuing_unit: str,
    level: str,
    valid_from: dt.date,
    doc_number: str = "",
    region=None,
    valid_to: dt.date | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
    budget_yuan=None,
    first_come: bool = False,
    summary: str = "",
    attachment=None,
) -> Policy:
    values = _check_policy(
        {
            "title": title,
            "doc_number": (doc_number or "").strip(),
            "issuing_unit": (issuing_unit or "").strip(),
            "level": level,
            "region": region,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "window_start": window_start,
            "window_end": window_end,
            "budget_yuan": budget_yuan,
            "first_come": bool(first_come),
            "summary": summary or "",
        }
    )
    with transaction.atomic():
        policy = Policy(**values, created_by=actor.user if actor.user_id else None)
        extra = _store_attachment(policy, attachment) if attachment is not None else {}
        policy.save()
        audit(
            actor,
            "policy_created",
            policy,
            changes=changes_between({}, {**snapshot(policy, POLICY_FIELDS), **extra}),
        )
    return policy


def update_policy(actor: Actor, policy: Policy, *, attachment=None, **fields) -> Policy:
    """Change any of ``POLICY_FIELDS`` (and replace the attachment). Archived policies are
    kept as they were."""
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"not policy fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        if locked.state == PolicyState.ARCHIVED:
            raise PolicyError(
                "archived", _("This policy is archived and can no longer be changed.")
            )
        values = _check_policy({**snapshot(locked, POLICY_FIELDS), **fields})
        update_fields(
            actor,
            locked,
            values,
            fields=(*POLICY_FIELDS, "attachment_name", "attachment_sha256"),
            event="policies.policy_updated",
            prepare=(lambda policy: _store_attachment(policy, attachment))
            if attachment is not None
            else None,
            also_save=("attachment",) if attachment is not None else (),
        )
    return locked


def set_policy_state(actor: Actor, policy: Policy, state: str) -> Policy:
    """Publish a draft, archive a published policy, or bring an archived one back."""
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        if locked.state not in POLICY_TRANSITIONS.get(state, set()):
            raise PolicyError(
                "bad_transition",
                _("A policy that is “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": PolicyState(locked.state).label,
                    "to": PolicyState(state).label if state in PolicyState.values else state,
                },
                field="state",
            )
        before = locked.state
        locked.state = state
        locked.save(update_fields=["state", "updated_at"])
        audit(actor, "policy_state", locked, changes={"state": [before, state]})
    return locked


def publish_policy(actor: Actor, policy: Policy) -> Policy:
    return set_policy_state(actor, policy, PolicyState.PUBLISHED)


def archive_policy(actor: Actor, policy: Policy) -> Policy:
    return set_policy_state(actor, policy, PolicyState.ARCHIVED)


# --- items and versions ---------------------------------------------------------------------


def _check_item(values: dict) -> dict:
    if not (values.get("name") or "").strip():
        raise PolicyError("required", _("Name is required."), field="name")
    if values.get("category") not in ItemCategory.values:
        raise PolicyError(
            "bad_category",
            _("Category must be reduction, grant, entitlement or qualification."),
            field="category",
        )
    if values.get("subject") not in ItemSubject.values:
        raise PolicyError(
            "bad_subject", _("Choose per enterprise or per project."), field="subject"
        )
    values["name"] = values["name"].strip()
    values["proactive"] = bool(values.get("proactive"))
    values["budget_yuan"] = to_decimal(
        values.get("budget_yuan"), field="budget_yuan", label=_("Budget")
    )
    return values


def create_item(
    actor: Actor,
    policy: Policy,
    *,
    key: str,
    name: str,
    category: str,
    subject: str = ItemSubject.ENTERPRISE,
    proactive: bool = False,
    budget_yuan=None,
) -> PolicyItem:
    """A new item of a policy, with an empty draft rule (version 1) for the editor."""
    key = (key or "").strip().lower()
    if not KEY_RE.match(key) or len(key) > 80:
        raise PolicyError(
            "bad_key",
            _("Key: lowercase letters, digits and hyphens, e.g. wuxi-im-transformation."),
            field="key",
        )
    values = _check_item(
        {
            "name": name,
            "category": category,
            "subject": subject,
            "proactive": proactive,
            "budget_yuan": budget_yuan,
        }
    )
    with transaction.atomic():
        Policy.objects.select_for_update().filter(pk=policy.pk).first()
        if policy.state == PolicyState.ARCHIVED:
            raise PolicyError(
                "archived", _("This policy is archived and can no longer be changed.")
            )
        if PolicyItem.objects.filter(key=key).exists():
            raise PolicyError(
                "duplicate_key",
                _("Key: another item already uses “%(key)s”.") % {"key": key},
                field="key",
            )
        item = PolicyItem.objects.create(policy=policy, key=key, **values)
        version = PolicyItemVersion.objects.create(
            item=item,
            number=1,
            rule={},
            test_cases=[],
            valid_from=policy.valid_from,
            valid_to=policy.valid_to,
            created_by=actor.user if actor.user_id else None,
        )
        audit(
            actor,
            "item_created",
            item,
            changes=changes_between({}, {"key": key, **snapshot(item, ITEM_FIELDS)}),
            context={"policy": policy.pk, "version": version.pk},
        )
    return item


def update_item(actor: Actor, item: PolicyItem, **fields) -> PolicyItem:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not item fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = PolicyItem.objects.select_for_update().get(pk=item.pk)
        values = _check_item({**snapshot(locked, ITEM_FIELDS), **fields})
        update_fields(actor, locked, values, fields=ITEM_FIELDS, event="policies.item_updated")
    return locked


def _check_version_dates(version: PolicyItemVersion) -> None:
    if version.valid_from is None:
        raise PolicyError("required", _("“Valid from” is required."), field="valid_from")
    if version.valid_to is not None and version.valid_to < version.valid_from:
        raise PolicyError(
            "bad_dates", _("“Valid until” cannot be before “valid from”."), field="valid_to"
        )


def create_item_version(
    actor: Actor,
    item: PolicyItem,
    *,
    rule: dict | None = None,
    test_cases: list | None = None,
    valid_from: dt.date | None = None,
    note: str = "",
) -> PolicyItemVersion:
    """Start a new draft version. Without a rule it copies the latest version's rule and test
    cases (editing a published item starts here). An item has at most one draft: a second call
    returns the open draft unchanged."""
    with transaction.atomic():
        PolicyItem.objects.select_for_update().filter(pk=item.pk).first()
        draft = item.versions.filter(state=VersionState.DRAFT).first()
        if draft is not None:
            return draft
        latest = item.versions.order_by("-number").first()
        if rule is None:
            # A copy of a stored rule is a draft to edit: it is checked when saved or published.
            rule = dict(latest.rule) if latest else {}
        else:
            engine.check_rule(rule, item=item)
        if test_cases is None:
            test_cases = list(latest.test_cases) if latest else []
        _check_test_cases(test_cases)
        version = PolicyItemVersion.objects.create(
            item=item,
            number=(latest.number + 1) if latest else 1,
            rule=rule,
            test_cases=test_cases,
            valid_from=valid_from
            or (latest.valid_from if latest else None)
            or item.policy.valid_from,
            note=note or "",
            created_by=actor.user if actor.user_id else None,
        )
        audit(
            actor,
            "version_created",
            item,
            changes={"version": [None, version.number]},
            context={"version": version.pk, "copied_from": latest.number if latest else None},
        )
    return version


def _check_test_cases(test_cases) -> None:
    if not isinstance(test_cases, list):
        raise PolicyError(
            "invalid_test_cases", _("Test cases must be a JSON list."), field="test_cases"
        )


def _require_draft(version: PolicyItemVersion) -> None:
    if version.state != VersionState.DRAFT:
        raise PolicyError(
            "version_not_draft",
            _("Version %(n)s is published and can no longer be changed; start a new version.")
            % {"n": version.number},
        )


VERSION_FIELDS = ("rule", "test_cases", "valid_from", "valid_to", "note")


def update_item_version(actor: Actor, version: PolicyItemVersion, **fields) -> PolicyItemVersion:
    """Change a draft version's rule, test cases, validity or note. Published and superseded
    versions are refused."""
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise ValueError(f"not version fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = PolicyItemVersion.objects.select_for_update().get(pk=version.pk)
        _require_draft(locked)
        if "rule" in fields:
            engine.check_rule(fields["rule"], item=locked.item, version=locked)
        if "test_cases" in fields:
            _check_test_cases(fields["test_cases"])
        if "note" in fields:
            fields["note"] = fields["note"] or ""
        update_fields(
            actor,
            locked,
            fields,
            fields=VERSION_FIELDS,
            event="policies.version_updated",
            prepare=_check_version_dates,
            audit_object=locked.item,
            change_prefix=f"v{locked.number}.",
            context={"version": locked.pk},
        )
    return locked


def publish_item_version(actor: Actor, version: PolicyItemVersion) -> PolicyItemVersion:
    """Publish a draft: the previously published version becomes superseded, the item is
    published. Only drafts can be published."""
    with transaction.atomic():
        item = PolicyItem.objects.select_for_update().get(pk=version.item_id)
        locked = PolicyItemVersion.objects.select_for_update().get(pk=version.pk)
        _require_draft(locked)
        engine.check_rule(locked.rule, item=item, version=locked)
        previous = item.versions.filter(state=VersionState.PUBLISHED).first()
        if previous is not None:
            previous.state = VersionState.SUPERSEDED
            previous.save(update_fields=["state"])
        locked.state = VersionState.PUBLISHED
        locked.published_by = actor.user if actor.user_id else None
        locked.published_at = timezone.now()
        locked.save(update_fields=["state", "published_by", "published_at"])
        item_before = item.state
        if item.state != ItemState.PUBLISHED:
            item.state = ItemState.PUBLISHED
            item.save(update_fields=["state", "updated_at"])
        changes = {f"v{locked.number}.state": [VersionState.DRAFT, VersionState.PUBLISHED]}
        if previous is not None:
            changes[f"v{previous.number}.state"] = [
                VersionState.PUBLISHED,
                VersionState.SUPERSEDED,
            ]
        if item_before != item.state:
            changes["state"] = [item_before, item.state]
        audit(actor, "version_published", item, changes=changes, context={"version": locked.pk})
    return locked
