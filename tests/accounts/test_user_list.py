"""The operators' user list on the shared list machinery: filters, sorts, the export (personal
data: audit-logged with its filters) and who may export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.common.list_support import names, read_csv
from tests.factories import make_user
from zhizao.accounts.enums import Role
from zhizao.accounts.models import User
from zhizao.common.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/accounts/users/"


@pytest.fixture
def people(operator, factory_org, officer):
    locked = make_user(
        "locked",
        role=Role.ENTERPRISE,
        organization=factory_org,
        display_name="钱锁定",
        email="qian@example.cn",
        locked_until=timezone.now() + dt.timedelta(minutes=10),
    )
    make_user("enterprise", role=Role.ENTERPRISE, organization=factory_org)
    User.objects.filter(pk=officer.pk).update(is_active=False)
    for day, name in enumerate(("operator", "officer", "locked", "enterprise"), start=1):
        User.objects.filter(username=name).update(
            date_joined=timezone.make_aware(dt.datetime(2026, 1, day, 8, 0))
        )
    return locked


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    client.force_login(operator)
    return client


def test_users_filter_and_sort(as_operator, people):
    def rows(**params):
        return names(as_operator, URL, lambda u: u.username, **params)

    assert rows() == ["enterprise", "locked", "officer", "operator"]
    assert rows(q="钱") == ["locked"]
    assert rows(q="example.cn") == ["locked"]  # the e-mail address
    assert rows(role="enterprise") == ["enterprise", "locked"]
    assert rows(status="locked") == ["locked"]
    assert rows(status="deactivated") == ["officer"]
    assert rows(status="active") == ["enterprise", "operator"]
    assert rows(joined_from="2026-01-02", joined_to="2026-01-03") == ["locked", "officer"]
    assert rows(sort="-username") == ["operator", "officer", "locked", "enterprise"]
    assert rows(sort="joined") == ["operator", "officer", "locked", "enterprise"]
    assert rows(sort="-login")[0] == "operator"  # the only one who logged in


def test_the_export_is_audited_with_its_filters(as_operator, operator, people):
    before = AuditEntry.objects.count()
    rows = read_csv(as_operator.get(URL, {"export": "csv", "q": "钱"}))
    assert rows == [
        [
            "User name",
            "Full name",
            "E-mail",
            "Organisations and roles",
            "Status",
            "Two-factor login",
            "Last login",
        ],
        [
            "locked",
            "钱锁定",
            "qian@example.cn",
            "无锡恒润精密机械有限公司 · Enterprise",
            "Locked",
            "Off",
            "",
        ],
    ]
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.actor_name, e.object_repr, e.context) for e in entries] == [
        (
            "export",
            "operator",
            "Users",
            {
                "list": "users",
                "format": "csv",
                "rows": 1,
                "filters": {"q": "钱", "sort": "username"},
            },
        )
    ]


def test_only_operators_export_users_and_a_refusal_changes_nothing(client, people, officer):
    enterprise = User.objects.get(username="enterprise")
    client.force_login(enterprise)
    before = AuditEntry.objects.count()
    assert client.get(URL, {"export": "csv"}).status_code == 404
    assert AuditEntry.objects.count() == before
