"""Shared fixtures for the policies tests.

- ``draft_policy``: a Wuxi city policy (officer-created, draft, budget 5,000万元)
- ``policy``: the same, published, with ``item`` ``wuxi-im-transformation`` (draft rule v1)
- ``project``: a project of ``factory_org`` (the ``enterprise_user``'s enterprise)
- ``bank_org``: a bank in the registry
Users come from tests/factories: ``operator``, ``officer``, ``enterprise_user``,
``other_enterprise_user``; ``login(client, user)`` logs a test client in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import PASSWORD, actor_for, make_organization
from zhizao.policies import services
from zhizao.policies.models import Policy, PolicyItem, Project


def wuxi_rule(equipment_rate: str = "0.08") -> dict:
    """A complete rule the engine accepts (the shipped Wuxi grant, version 1)."""
    return {
        "id": "wuxi-im-transformation",
        "name": {"zh": "无锡市智能化改造项目奖补", "en": "Wuxi intelligent-transformation grant"},
        "subject": "project",
        "category": "grant",
        "version": 1,
        "valid_from": "2024-01-01",
        "parameters": {
            "min_investment": {
                "value": "30000000",
                "label": {"zh": "项目总投资门槛（元）", "en": "investment threshold (yuan)"},
            },
            "equipment_rate": {
                "value": equipment_rate,
                "label": {"zh": "设备投资奖补比例", "en": "equipment rate"},
            },
        },
        "conditions": {
            "all": [
                {"fact": "enterprise.region", "op": "prefix", "value": ["3202"]},
                {
                    "fact": "project.total_investment",
                    "op": "gt",
                    "value": {"param": "min_investment"},
                },
            ]
        },
        "amount": {"percent": {"param": "equipment_rate"}, "of": ["project.equipment"]},
    }


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def draft_policy(officer) -> Policy:
    return services.create_policy(
        actor_for(officer),
        title="无锡市智能化改造数字化转型专项资金管理办法",
        doc_number="锡工信规〔2026〕3号",
        issuing_unit="无锡市工业和信息化局",
        level="city",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2028, 12, 31),
        budget_yuan=Decimal("50000000"),
    )


@pytest.fixture
def policy(officer, draft_policy) -> Policy:
    return services.publish_policy(actor_for(officer), draft_policy)


@pytest.fixture
def item(officer, policy) -> PolicyItem:
    return services.create_item(
        actor_for(officer),
        policy,
        key="wuxi-im-transformation",
        name="智能化改造设备投资奖补",
        category="grant",
        subject="project",
    )


@pytest.fixture
def project(enterprise_user, factory_org) -> Project:
    return services.create_project(
        actor_for(enterprise_user),
        factory_org,
        name="冲压车间自动化产线改造",
        kind="intelligent_transformation",
        equipment_yuan=Decimal("8000000"),
        intelligent_equipment_yuan=Decimal("5000000"),
        software_yuan=Decimal("1200000"),
        services_yuan=Decimal("300000"),
        other_yuan=Decimal("0"),
    )


@pytest.fixture
def bank_org(db):
    return make_organization(
        name="江苏银行股份有限公司无锡分行", kind="bank", region="320214", industry=None
    )


# The small registry of the scan, name list, payment and sandbox tests (see scanning.py).
from tests.policies.scanning import chinese, scan_registry, scan_version  # noqa: E402,F401
