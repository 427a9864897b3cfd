"""Shared fixtures for the matchmaking tests.

- ``provider_org`` / ``provider_user``: a machine-vision provider in Changzhou (320411)
- ``bank_org`` / ``bank_user``: a bank in Wuxi
- ``contact``: the enterprise's contact person 李工 (phone 13912345678, li.gong@example.cn)
- ``offering``: the provider's published vision-inspection solution with two cases
- ``demand``: the ``enterprise_user``'s published demand (machine vision, Changzhou, with
  the contact person)
- ``login(client, user)``; the ranking index is rebuilt for every test (lexical and
  structured ranking only, unless a test asks for embeddings)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.matchmaking import index, services
from zhizao.registry.models import Contact

PHONE = "13912345678"
EMAIL = "li.gong@example.cn"
PROVIDER_PHONE = "13800001111"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture(autouse=True)
def _fresh_index(settings):
    settings.ZHIZAO_MATCH_EMBEDDER = "none"
    index.reset()
    yield
    index.reset()


@pytest.fixture
def provider_org(db):
    return make_organization(
        name="常州慧眼智能科技有限公司", kind="provider", region="320411", industry="6513"
    )


@pytest.fixture
def provider_user(provider_org):
    return make_user("provider", role=Role.PROVIDER, organization=provider_org)


@pytest.fixture
def provider_contact(provider_org):
    return Contact.objects.create(
        organization=provider_org, name="周经理", title="销售经理", phone=PROVIDER_PHONE
    )


@pytest.fixture
def bank_org(db):
    return make_organization(
        name="江苏银行股份有限公司无锡分行", kind="bank", region="320214", industry=None
    )


@pytest.fixture
def bank_user(bank_org):
    return make_user("bank", role=Role.BANK, organization=bank_org)


@pytest.fixture
def contact(factory_org):
    return Contact.objects.create(
        organization=factory_org, name="李工", title="设备部长", phone=PHONE, email=EMAIL
    )


@pytest.fixture
def offering(provider_user, provider_org):
    actor = actor_for(provider_user)
    offering = services.create_offering(
        actor,
        provider_org,
        kind="solution",
        title="注塑件外观缺陷机器视觉检测系统",
        description="基于深度学习的机器视觉检测，识别注塑件缺料、飞边、黑点等外观缺陷，"
        "与 MES 对接，常州本地服务团队驻场调试。",
        categories=["machine_vision"],
        industries=["29", "34"],
        regions=["320400"],
        certifications=["CMMI3", "ISO9001"],
        price_min_yuan="200000",
    )
    services.add_case(
        actor,
        offering,
        title="某汽车零部件厂注塑件外观检测",
        customer_industry="2929",
        region="320411",
        result="漏检率从 3% 降到 0.2%",
        year=2024,
    )
    services.add_case(
        actor,
        offering,
        title="家电面板外观检测",
        customer_industry="3851",
        region="320200",
        result="节省质检人员 12 人",
        year=2023,
    )
    return services.publish_offering(actor, offering)


@pytest.fixture
def demand(enterprise_user, factory_org, contact):
    actor = actor_for(enterprise_user)
    demand = services.create_demand(
        actor,
        factory_org,
        title="注塑件外观缺陷视觉检测",
        description="我们的注塑车间需要机器视觉检测外观缺陷（缺料、飞边），替代人工目检，"
        "需要与现有 MES 对接。",
        category="machine_vision",
        industry="2929",
        region="320214",
        budget_band="500k-1m",
        timeline="3m",
        must=["CMMI3及以上", "同行业案例"],
        nice=["本地服务团队"],
        contact=contact,
    )
    return services.publish_demand(actor, demand)
