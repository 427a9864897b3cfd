"""A small registry for the scan, name list, payment and sandbox tests, with the numbers worked
out by hand against the Wuxi rule of ``conftest.wuxi_rule`` (project total above 30,000,000
yuan in Wuxi (3202…): 8 % of the equipment investment).

| enterprise | where | project | equipment | software | total | result |
|---|---|---|---|---|---|---|
| factory_org (enterprise_user) | 320214 无锡 | 锻压线 | 31,000,000 | 0 | 31,000,000 | yes 2,480,000 |
| 恒达 (a) | 320211 无锡 | 一号线 | 30,000,000 | 2,000,000 | 32,000,000 | yes 2,400,000 |
| 恒达 (a) | 320211 无锡 | 二号线 | 20,000,000 | 0 | 20,000,000 | no |
| 瑞丰 (b) | 320206 无锡 | 总装线 | 40,000,000 | 1,000,000 | 41,000,000 | yes 3,200,000, credit record in force |
| 宏图 (c) | 320205 无锡 | 涂装线 | 35,000,000 | unknown | unknown | unknown (software) |
| 天衡 (d) | 320411 常州 | 冲压线 | 50,000,000 | 0 | 50,000,000 | no (region) |
| 新华 (e) | 320214 无锡 | — | | | | no (no project) |

Eligible rows 3, unknown 1; the name list holds factory_org and 恒达 (4,880,000 yuan), 瑞丰 is
excluded by its credit record. At 10 % instead of 8 %: 3,100,000 + 3,000,000 + 4,000,000."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import actor_for, make_organization
from zhizao.policies import services
from zhizao.policies.services import namelists, scans

AS_OF = dt.date(2026, 6, 30)


def add_project(actor, org, name, equipment, software, *, start=None):
    return services.create_project(
        actor,
        org,
        name=name,
        kind="intelligent_transformation",
        start_date=start,
        equipment_yuan=Decimal(equipment),
        software_yuan=None if software is None else Decimal(software),
        services_yuan=Decimal("0"),
        other_yuan=Decimal("0"),
    )


def publish_rule(officer, item, rule=None):
    from tests.policies.conftest import wuxi_rule  # conftest imports this module

    actor = actor_for(officer)
    scan_version = item.versions.get(number=1)
    services.update_item_version(actor, scan_version, rule=rule or wuxi_rule())
    return services.publish_item_version(actor, scan_version)


@pytest.fixture
def scan_version(officer, item):
    return publish_rule(officer, item)


@pytest.fixture
def scan_registry(officer, factory_org, enterprise_user):
    actor = actor_for(officer)
    a = make_organization(name="无锡恒达智能装备有限公司", region="320211", industry="3421")
    b = make_organization(name="无锡瑞丰汽车部件有限公司", region="320206", industry="3670")
    c = make_organization(name="无锡宏图涂装科技有限公司", region="320205", industry="3360")
    d = make_organization(name="常州天衡冲压件有限公司", region="320411", industry="2929")
    e = make_organization(name="无锡新华纺织有限公司", region="320214", industry="1713")
    projects = {
        "f": add_project(
            actor, factory_org, "锻压线智能化改造", "31000000", "0", start=dt.date(2026, 3, 1)
        ),
        "a1": add_project(
            actor, a, "一号线智能化改造", "30000000", "2000000", start=dt.date(2026, 2, 1)
        ),
        "a2": add_project(actor, a, "二号线改造", "20000000", "0"),
        "b": add_project(
            actor, b, "总装线智能化改造", "40000000", "1000000", start=dt.date(2026, 1, 15)
        ),
        "c": add_project(actor, c, "涂装线智能化改造", "35000000", None),
        "d": add_project(actor, d, "冲压线智能化改造", "50000000", "0"),
    }
    services.add_credit_record(
        actor,
        b,
        kind="dishonest",
        start_date=dt.date(2025, 11, 1),
        description="（2025）苏0206执1234号",
        source="信用中国",
    )
    return {"f": factory_org, "a": a, "b": b, "c": c, "d": d, "e": e, "projects": projects}


def run(officer, scan_version, as_of=AS_OF):
    scan = scans.start_scan(actor_for(officer), scan_version, as_of=as_of)
    return scans.run_scan(scan)


def announced_list(officer, scan_version):
    scan = run(officer, scan_version)
    name_list = namelists.create_name_list(actor_for(officer), scan)
    return namelists.announce_name_list(actor_for(officer), name_list, today=dt.date(2026, 7, 1))


@pytest.fixture
def chinese():
    """Services write Chinese text (notifications, reasons) in the active language; other
    tests may leave English active."""
    with translation.override("zh-hans"):
        yield


_SAME_SCAN = object()


def decision_like(
    model, *, enterprise, project=None, explanation=None, scan=_SAME_SCAN, missing=None
):
    """An eligible decision like ``model`` (its version, date, amount, explanation, scan) for
    ``enterprise``: more rows for a scan page; with ``missing`` (the facts it lacks) an
    undecided one ("need more information")."""
    from zhizao.policies.enums import Eligibility
    from zhizao.policies.models import Decision

    return Decision.objects.create(
        item_version=model.item_version,
        enterprise=enterprise,
        project=project,
        as_of=model.as_of,
        eligible=Eligibility.YES if missing is None else Eligibility.UNKNOWN,
        missing=[] if missing is None else list(missing),
        amount_yuan=model.amount_yuan,
        explanation=model.explanation if explanation is None else explanation,
        source=model.source,
        scan=model.scan if scan is _SAME_SCAN else scan,
    )
