"""The name-change queue on the shared list machinery: search, filters and sorts with exact
rows, the audit-logged export (it names who asked), a constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD, actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.common.models import AuditAction, AuditEntry
from zhizao.registry.models import NameChangeRequest
from zhizao.registry.services import organizations as org_services

pytestmark = pytest.mark.django_db

QUEUE = "/registry/name-changes/"


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)
    return client


@pytest.fixture
def pending(factory_org):
    orgs = {
        "wuxi": factory_org,  # 无锡恒润精密机械有限公司
        "changzhou": make_organization(name="常州天衡注塑模具有限公司", region="320411"),
        "suzhou": make_organization(name="苏州精工数控有限公司", region="320506"),
    }
    rows = {}
    for day, (key, new, reason) in enumerate(
        (
            ("wuxi", "无锡恒润智能装备集团有限公司", "工商变更登记"),
            ("suzhou", "苏州精工智能科技有限公司", "更名"),
            ("changzhou", "常州天衡精密模具有限公司", "集团重组"),
        ),
        start=1,
    ):
        user = make_user(f"nc-{key}", role=Role.ENTERPRISE, organization=orgs[key])
        rows[key] = org_services.request_name_change(
            actor_for(user), orgs[key], new_name=new, reason=reason
        )
        NameChangeRequest.objects.filter(pk=rows[key].pk).update(
            requested_at=timezone.make_aware(dt.datetime(2026, 4, day, 10, 0))
        )
    return rows


def test_the_queue_filters_and_sorts_with_exact_rows(as_operator, pending):
    def rows(**params):
        return names(as_operator, QUEUE, lambda r: r.old_name, **params)

    W, S, C = "无锡恒润精密机械有限公司", "苏州精工数控有限公司", "常州天衡注塑模具有限公司"
    assert rows() == [W, S, C]  # oldest first
    assert rows(q="重组") == [C]  # the reason
    assert rows(q="智能 苏州") == [S]  # the new name
    assert rows(q=pending["wuxi"].organization.uscc) == [W]
    assert rows(source="member") == [W, S, C]
    assert rows(source="import") == []
    assert rows(requested_from="2026-04-02", requested_to="2026-04-02") == [S]
    assert rows(sort="-requested") == [C, S, W]
    assert rows(sort="name") == [C, S, W]  # 常州, 苏州, 无锡
    # a decided request leaves the queue
    NameChangeRequest.objects.filter(pk=pending["suzhou"].pk).update(state="rejected")
    assert rows() == [W, C]


def test_the_export_names_who_asked_and_is_audited(as_operator, pending):
    before = AuditEntry.objects.filter(action=AuditAction.EXPORT).count()
    rows = read_csv(as_operator.get(QUEUE, {"export": "csv", "q": "重组"}))
    assert rows == [
        [
            "Unified social credit code",
            "Current name",
            "New name",
            "Reason",
            "Requested",
            "Requested by",
        ],
        [
            pending["changzhou"].organization.uscc,
            "常州天衡注塑模具有限公司",
            "常州天衡精密模具有限公司",
            "集团重组",
            "2026-04-03 10:00",
            pending["changzhou"].requested_by.display_name
            or pending["changzhou"].requested_by.username,
        ],
    ]
    sheet = read_xlsx(as_operator.get(QUEUE, {"export": "xlsx"}))
    assert [r[1] for r in sheet] == [
        "Current name",
        *[
            "无锡恒润精密机械有限公司",
            "苏州精工数控有限公司",
            "常州天衡注塑模具有限公司",
        ],
    ]
    entries = AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("id")
    assert entries.count() == before + 2
    assert [(e.context["list"], e.context["format"], e.context["rows"]) for e in entries][-2:] == [
        ("registry-name-changes", "csv", 1),
        ("registry-name-changes", "xlsx", 3),
    ]


def test_a_member_has_no_queue_and_no_export(client, enterprise_user, pending):
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    before = AuditEntry.objects.count()
    assert client.get(QUEUE).status_code == 404
    assert client.get(QUEUE, {"export": "csv"}).status_code == 404
    assert AuditEntry.objects.count() == before


def test_the_queue_has_a_constant_query_count(as_operator, pending):
    params = {"sort": "name", "source": "member"}
    query_count(as_operator, QUEUE, **params)
    NameChangeRequest.objects.exclude(pk=pending["wuxi"].pk).update(state="rejected")
    one = query_count(as_operator, QUEUE, **params)
    NameChangeRequest.objects.update(state="pending")
    assert len(names(as_operator, QUEUE, lambda r: r.pk, **params)) == 3
    assert query_count(as_operator, QUEUE, **params) == one
