"""A small two-city world for the insights tests.

- Wuxi (3202): 甲 and 乙 in 新吴区 (320214), 丙 in 锡山区 (320205); Changzhou (3204): 常州丁
  in 320411. 甲 has a project started 2026-09-10 (equipment 2,000万元), 常州丁 one started
  2026-10-05 (equipment 9,876万元).
- ``wuxi_officer`` acts for the Wuxi bureau whose jurisdiction is the city 320200;
  ``operator`` sees everything; ``enterprise_user`` is 甲's member.
- The summary tables are refreshed once everything is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.insights import services
from zhizao.policies import services as policies
from zhizao.registry.models import Region

MONTH_SEP = dt.date(2026, 9, 1)


@pytest.fixture
def city_world(db, operator):
    orgs = {
        "a": make_organization(
            name="无锡看板甲机械有限公司", region="320214", industry="3421", size="medium"
        ),
        "b": make_organization(
            name="无锡看板乙电子有限公司", region="320214", industry="3982", size="small"
        ),
        "c": make_organization(
            name="无锡看板丙纺织有限公司", region="320205", industry="1711", size="small"
        ),
        "d": make_organization(
            name="常州看板丁模具有限公司", region="320411", industry="2929", size="large"
        ),
    }
    bureau = make_organization(
        name="无锡市看板工信局", kind="government", region="320214", industry=None
    )
    officer = make_user("wuxi-officer", role=Role.OFFICER, organization=bureau)
    services.set_jurisdiction(actor_for(operator), bureau, Region.objects.get(code="320200"))
    ent = make_user("ent-a", role=Role.ENTERPRISE, organization=orgs["a"])
    ent_d = make_user("ent-d", role=Role.ENTERPRISE, organization=orgs["d"])
    projects = {
        "a": policies.create_project(
            actor_for(ent),
            orgs["a"],
            name="甲公司数字化车间",
            kind="intelligent_transformation",
            start_date=dt.date(2026, 9, 10),
            equipment_yuan=Decimal("20000000"),
            software_yuan=Decimal("3000000"),
            services_yuan=Decimal("0"),
            other_yuan=Decimal("0"),
        ),
        "d": policies.create_project(
            actor_for(ent_d),
            orgs["d"],
            name="丁公司智能工厂",
            kind="intelligent_transformation",
            start_date=dt.date(2026, 10, 5),
            equipment_yuan=Decimal("98760000"),
            software_yuan=Decimal("0"),
            services_yuan=Decimal("0"),
            other_yuan=Decimal("0"),
        ),
    }
    services.refresh_facts()
    return {"orgs": orgs, "officer": officer, "enterprise": ent, "projects": projects}
