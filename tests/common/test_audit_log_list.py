"""The audit log page on the shared list machinery: search, filters, sort, the export (itself
audit-logged: the log holds people's names and addresses)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv
from tests.factories import actor_for
from zhizao.common.audit import record
from zhizao.common.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

URL = "/audit/"


@pytest.fixture
def entries(operator, enterprise_user, factory_org):
    record(actor_for(enterprise_user), AuditAction.UPDATE, factory_org, object_repr="改名")
    record(actor_for(operator), AuditAction.CREATE, None, object_repr="新政策")
    record(actor_for(operator), AuditAction.STATE, factory_org, object_repr="归档")


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    client.force_login(operator)
    return client


def test_search_filters_and_sort(as_operator, entries):
    def rows(**params):
        return names(as_operator, URL, lambda e: e.object_repr, **params)

    today = timezone.localdate().isoformat()
    assert rows(q="归档") == ["归档"]
    assert rows(q="enterprise") == ["改名"]  # the actor
    assert rows(action="create") == ["新政策"]
    assert rows(type="registry.organization") == ["归档", "改名"]
    assert rows(user="operator", type="registry.organization") == ["归档"]
    assert rows(time_from=today, type="registry.organization", sort="time") == ["改名", "归档"]
    assert rows(time_to="2000-01-01") == []


def test_the_export_is_exact_and_audited(as_operator, entries):
    before = AuditEntry.objects.count()
    rows = read_csv(as_operator.get(URL, {"export": "csv", "action": "create"}))
    assert [r[1:] for r in rows] == [
        ["User", "IP address", "Organisation", "Action", "Object type", "Object", "Changes"],
        ["operator", "", "江苏省智能制造推进联盟秘书处", "Created", "", "新政策", ""],
    ]
    assert rows[0][0] == "Time"
    last = AuditEntry.objects.order_by("id")[before:]
    assert [(e.action, e.object_repr, e.context) for e in last] == [
        (
            "export",
            "Audit log",
            {
                "list": "audit-log",
                "format": "csv",
                "rows": 1,
                "filters": {"action": "create", "sort": "-time"},
            },
        )
    ]


def test_query_count_is_the_same_for_one_and_three_rows(as_operator, operator, factory_org):
    record(actor_for(operator), AuditAction.UPDATE, factory_org, object_repr="一")
    params = {"action": "update", "sort": "-time"}
    one = query_count(as_operator, URL, **params)
    for n in (2, 3):
        record(actor_for(operator), AuditAction.UPDATE, factory_org, object_repr=str(n))
    assert query_count(as_operator, URL, **params) == one
