"""Shared fixtures for the calls tests.

- ``office_org`` / ``office_user``: 江苏省工业和信息化厅, the selection office (officer)
- ``society_a`` / ``society_b`` and their users: two member societies (nominating bodies)
- ``call``: an open 双十-style call from the ``tech_advance`` template of the office, every
  stage window open now, society A's quota 1 in total, society B's quota 2
- ``application``: a complete draft of ``factory_org`` addressed to society A"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import PASSWORD, actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.calls.services import applications as apps_services
from zhizao.calls.services import calls as call_services

COMPLETE = {
    "contact": "张工 0510-88886666",
    "summary": "面向多品种小批量离散制造的自适应排产与质量追溯系统，" * 5,
    "innovation": "提出基于数字孪生的在线排产方法",
    "completion_date": "2026-03-31",
    "team": [{"name": "张三", "unit": "无锡恒润精密机械有限公司", "role": "负责人"}],
}


def pdf(name: str = "材料.pdf", size: int = 2048) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


@pytest.fixture
def office_org(db):
    return make_organization(
        name="江苏省工业和信息化厅", kind="government", region="320000", industry=None
    )


@pytest.fixture
def office_user(office_org):
    return make_user("office", role=Role.OFFICER, organization=office_org, display_name="李处长")


@pytest.fixture
def society_a(db):
    return make_organization(
        name="江苏省机械工程学会", kind="society", region="320102", industry=None
    )


@pytest.fixture
def society_b(db):
    return make_organization(
        name="江苏省自动化学会", kind="society", region="320102", industry=None
    )


@pytest.fixture
def society_a_user(society_a):
    return make_user("society_a", role=Role.SOCIETY, organization=society_a)


@pytest.fixture
def society_b_user(society_b):
    return make_user("society_b", role=Role.SOCIETY, organization=society_b)


def open_stages(
    call, office_user, kinds=("apply", "nominate", "formal", "online", "publicity", "publish")
):
    now = timezone.now()
    call_services.set_stages(
        actor_for(office_user),
        call,
        [
            {"kind": k, "opens": now - dt.timedelta(days=10), "closes": now + dt.timedelta(days=10)}
            for k in kinds
        ],
    )


@pytest.fixture
def call(office_org, office_user, society_a, society_b, society_a_user, society_b_user):
    actor = actor_for(office_user)
    call = call_services.create_call(
        actor,
        host=office_org,
        title="2026年度智能制造十大科技进展",
        year=2026,
        template="tech_advance",
    )
    open_stages(call, office_user)
    call_services.set_quota(actor, call, nominator=society_a, quota=1)
    call_services.set_quota(actor, call, nominator=society_b, quota=2)
    call_services.set_call_state(actor, call, to="open")
    call.refresh_from_db()
    return call


def fill(application, user, answers=None):
    actor = actor_for(user)
    for code, value in (answers or COMPLETE).items():
        apps_services.save_answer(actor, application, code=code, value=value)
    apps_services.add_file(actor, application, code="evidence", upload=pdf())
    application.refresh_from_db()
    return application


@pytest.fixture
def application(call, enterprise_user, society_a):
    actor = actor_for(enterprise_user)
    category = call.categories.get(code="application")
    app = apps_services.start_application(
        actor, call, title="离散制造自适应排产系统", category=category, nominator=society_a
    )
    return fill(app, enterprise_user)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


__all__ = ["COMPLETE", "fill", "io", "login", "open_stages", "pdf"]
