"""Demo accounts, one per role, in organisations of the demo registry."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from zhizao.registry.models import Organization
from zhizao.registry.services.organizations import refresh_derived_fields
from zhizao_core.registry.uscc import make_uscc

from .enums import Role
from .models import Membership, User

DEMO_PASSWORD = "Zhizao#2026demo"  # noqa: S105  (demo only; printed by the demo command)

# username, display name, role, how to find the organisation
ACCOUNTS = [
    ("operator", "王运营", Role.OPERATOR, "platform"),
    ("officer", "李处长", Role.OFFICER, "bureau"),
    ("enterprise", "张厂长", Role.ENTERPRISE, "manufacturer"),
    ("provider", "陈经理", Role.PROVIDER, "provider"),
    ("bank", "刘行长", Role.BANK, "bank"),
    ("expert", "赵教授", Role.EXPERT, "university"),
    ("society", "孙秘书长", Role.SOCIETY, "society"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role_label: str
    organization: str


def _fixed_org(name: str, kind: str, region: str, serial: int) -> Organization:
    org = Organization.objects.filter(name=name).first()
    if org is None:
        org = Organization(
            name=name,
            uscc=make_uscc(
                region=region,
                serial=serial,
                department="5" if kind == "society" else "1",
                entity_type="1",
            ),
            kind=kind,
            region_id=region,
        )
        refresh_derived_fields(org)
        org.save()
    return org


def _organization_for(key: str) -> Organization:
    if key == "platform":
        return _fixed_org("江苏省智能制造推进联盟秘书处", "society", "320102", 990001)
    if key == "bureau":
        return _fixed_org("江苏省工业和信息化厅", "government", "320102", 990002)
    kind = {
        "manufacturer": "manufacturer",
        "provider": "provider",
        "bank": "bank",
        "university": "university",
        "society": "society",
    }[key]
    # The first of its kind in Wuxi (or anywhere), in a stable order.
    org = (
        Organization.objects.filter(kind=kind, city_code="320200")
        .order_by("name_sort", "id")
        .first()
        or Organization.objects.filter(kind=kind).order_by("name_sort", "id").first()
    )
    if org is None:
        org = _fixed_org(f"演示{kind}机构", kind, "320214", 990010 + len(key))
    return org


@transaction.atomic
def ensure_demo_accounts() -> list[DemoAccount]:
    result = []
    for username, display_name, role, key in ACCOUNTS:
        org = _organization_for(key)
        user, _ = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name}
        )
        user.set_password(DEMO_PASSWORD)
        user.failed_login_count = 0
        user.locked_until = None
        user.save()
        Membership.objects.get_or_create(user=user, organization=org, role=role)
        result.append(DemoAccount(username, DEMO_PASSWORD, role.label, org.name))
    # One person in two organisations shows the organisation switcher.
    multi, _ = User.objects.get_or_create(username="multi", defaults={"display_name": "周工"})
    multi.set_password(DEMO_PASSWORD)
    multi.save()
    for _username, _name, role, key in (ACCOUNTS[2], ACCOUNTS[5]):
        Membership.objects.get_or_create(user=multi, organization=_organization_for(key), role=role)
    result.append(
        DemoAccount(
            "multi",
            DEMO_PASSWORD,
            f"{Role.ENTERPRISE.label} + {Role.EXPERT.label}",
            _organization_for("manufacturer").name,
        )
    )
    return result
