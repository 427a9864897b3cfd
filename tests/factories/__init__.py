"""Boring factories and fixtures: one organisation of each kind, users with one role each."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings

from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership, User
from zhizao.common.audit import Actor
from zhizao.registry.models import Organization
from zhizao.registry.selectors import organization_name_taken
from zhizao.registry.services.organizations import refresh_derived_fields
from zhizao_core.registry.uscc import make_uscc

_serial = itertools.count(1)
PASSWORD = "Zhizao-Test-2026"


DEFAULT_NAME = "无锡恒润精密机械有限公司"


def make_organization(
    *,
    name: str | None = None,
    kind: str = "manufacturer",
    region: str = "320214",
    industry: str | None = "3421",
    **extra,
) -> Organization:
    """An organisation. Two active organisations never share a name: without ``name`` the
    default name is used while it is free, then ``无锡恒润精密机械有限公司（2）`` and so on."""
    if name is None:
        name = DEFAULT_NAME
        number = 1
        while organization_name_taken(name):
            number += 1
            name = f"{DEFAULT_NAME}（{number}）"
    org = Organization(
        name=name,
        uscc=extra.pop("uscc", None) or make_uscc(region=region, serial=next(_serial) + 500000),
        kind=kind,
        region_id=region,
        industry_id=industry,
        **extra,
    )
    refresh_derived_fields(org)
    org.save()
    return org


def make_user(
    username: str,
    *,
    role: str | None = None,
    organization: Organization | None = None,
    password: str = PASSWORD,
    **extra,
) -> User:
    user = User.objects.create_user(username=username, password=password, **extra)
    if role is not None:
        Membership.objects.create(
            user=user,
            organization=organization
            or make_organization(name=f"{username}所在单位", kind="government"),
            role=role,
        )
    return user


def actor_for(user: User) -> Actor:
    membership = user.memberships.select_related("organization").first()
    if membership is None:
        return Actor(user=user)
    return Actor(
        user=user,
        organization_id=membership.organization_id,
        organization_name=membership.organization.name,
        role=membership.role,
    )


@pytest.fixture
def platform_org(db) -> Organization:
    return make_organization(
        name="江苏省智能制造推进联盟秘书处", kind="society", region="310101", industry=None
    )


@pytest.fixture
def operator(db, platform_org) -> User:
    return make_user(
        "operator", role=Role.OPERATOR, organization=platform_org, display_name="王运营"
    )


@pytest.fixture
def officer(db) -> User:
    bureau = make_organization(
        name="无锡市工业和信息化局", kind="government", region="320214", industry=None
    )
    return make_user("officer", role=Role.OFFICER, organization=bureau)


@pytest.fixture
def factory_org(db) -> Organization:
    return make_organization()


@pytest.fixture
def enterprise_user(db, factory_org) -> User:
    return make_user("enterprise", role=Role.ENTERPRISE, organization=factory_org)


@pytest.fixture
def other_enterprise_user(db) -> User:
    other = make_organization(name="常州天衡注塑模具有限公司", region="320411", industry="2929")
    return make_user("other", role=Role.ENTERPRISE, organization=other)


def session_credentials(user: User) -> tuple[dict[str, str], dict[str, str]]:
    """Cookies and headers with which a raw HTTP client (schemathesis, werkzeug) acts as
    ``user`` through a logged-in browser session: the session cookie, and the CSRF cookie
    with its header for unsafe methods."""
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client()
    client.force_login(user)
    csrf = _get_new_csrf_string()
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    cookies[settings.CSRF_COOKIE_NAME] = csrf
    return cookies, {"X-CSRFToken": csrf}


def make_api_token(user: User, *, name: str = "test", days: int = 30, **extra) -> str:
    """A working API token for ``user`` (written directly, without an audit entry); its key."""
    import datetime as dt
    import secrets

    from django.utils import timezone

    from zhizao.accounts.models import ApiToken
    from zhizao.accounts.selectors import hash_api_key

    key = "zz_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_api_key(key),
        key_prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(days=days),
        **extra,
    )
    return key
