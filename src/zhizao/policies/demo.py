"""Demo policies data (after ``zhizao registry demo``): the shipped rules loaded as published
policies, a few thousand transformation projects with loans for the demo manufacturers,
recognitions and credit records (``zhizao_core.demo.policies``), the demo enterprise's own
projects chosen so that its calculator shows what the platform does, and two proactive scans
with a name list announced, confirmations and staged payments.

Idempotent: when demo projects exist already, only the rule loading runs (a no-op itself)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhizao.accounts.demo import _organization_for
from zhizao.accounts.models import User
from zhizao.common.audit import Actor
from zhizao.common.bulk import refresh_statistics
from zhizao.registry.models import Organization
from zhizao_core.demo.generator import DEMO_SEED
from zhizao_core.demo.policies import DEMO_TODAY, DemoOrg, generate_policy_demo

from . import services
from .enums import EntryState, VersionState
from .errors import PolicyError
from .loading import load_rule_files
from .models import CreditRecord, Loan, NameList, PolicyItemVersion, Project, Recognition, Scan
from .services.base import audit
from .services.namelists import announce_name_list, confirm_entry, create_name_list
from .services.payments import payment_stages, record_payment
from .services.scans import start_scan

DEMO_ACTOR = Actor(extra={"source": "demo"})
SCAN_ITEMS = ("wuxi-im-transformation", "jiangsu-mfg-loan-interest")
LIST_ITEM = "wuxi-im-transformation"


def _actor_of(username: str) -> Actor:
    """The demo account's actor (its first membership), or the plain demo actor."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return DEMO_ACTOR
    membership = user.memberships.select_related("organization").order_by("id").first()
    return Actor(
        user=user,
        organization_id=membership.organization_id if membership else None,
        organization_name=membership.organization.name if membership else "",
        role=membership.role if membership else "",
        extra={"source": "demo"},
    )


def load_policy_demo(*, seed: int = DEMO_SEED, today: dt.date = DEMO_TODAY) -> dict:
    report = load_rule_files()
    result = {"rules_loaded": sum(1 for f in report.files if f.changed)}
    if Project.objects.exists():
        return {**result, "projects": 0, "existing": Project.objects.count()}
    demo_enterprise = _organization_for("manufacturer")
    orgs = list(
        Organization.objects.filter(is_active=True)
        .exclude(pk=demo_enterprise.pk)
        .order_by("id")
        .values_list("id", "uscc", "region_id", "industry_id", "kind", "size")
    )
    ids = {uscc: pk for pk, uscc, *_ in orgs}
    demo = generate_policy_demo(
        [
            DemoOrg(uscc, region or "", industry or "", kind, size or "")
            for _pk, uscc, region, industry, kind, size in orgs
        ],
        seed=seed,
        today=today,
    )
    with transaction.atomic():
        rows = Project.objects.bulk_create(
            [
                Project(
                    enterprise_id=ids[p.uscc],
                    name=p.name,
                    kind=p.kind,
                    region_id=p.region or None,
                    start_date=p.start_date,
                    completion_date=p.completion_date,
                    status=p.status,
                    equipment_yuan=p.equipment_yuan,
                    intelligent_equipment_yuan=p.intelligent_equipment_yuan,
                    software_yuan=p.software_yuan,
                    services_yuan=p.services_yuan,
                    other_yuan=p.other_yuan,
                )
                for p in demo.projects
            ],
            batch_size=1000,
        )
        loans = Loan.objects.bulk_create(
            [
                Loan(
                    project_id=row.pk,
                    lender_name=loan.lender_name,
                    amount_yuan=loan.amount_yuan,
                    annual_rate=loan.annual_rate,
                    start_date=loan.start_date,
                    end_date=loan.end_date,
                    interest_paid_yuan=loan.interest_paid_yuan,
                )
                for row, p in zip(rows, demo.projects, strict=True)
                for loan in p.loans
            ],
            batch_size=1000,
        )
        Recognition.objects.bulk_create(
            [
                Recognition(
                    organization_id=ids[r.uscc],
                    title=r.title,
                    level=r.level,
                    since=r.since,
                    reference=r.reference,
                )
                for r in demo.recognitions
            ],
            batch_size=1000,
        )
        CreditRecord.objects.bulk_create(
            [
                CreditRecord(
                    organization_id=ids[c.uscc],
                    kind=c.kind,
                    description=c.description,
                    start_date=c.start_date,
                    end_date=c.end_date,
                    source=c.source,
                )
                for c in demo.credit_records
            ]
        )
        counts = {
            "projects": len(rows),
            "loans": len(loans),
            "recognitions": len(demo.recognitions),
            "credit_records": len(demo.credit_records),
        }
        audit(DEMO_ACTOR, "demo_loaded", None, object_repr="policies demo", context=counts)
        mine = demo_enterprise_projects(demo_enterprise)
    for model in (Project, Loan, Recognition, CreditRecord):
        refresh_statistics(model._meta.db_table)
    scans = demo_scans(seed=seed)
    return {**result, **counts, "demo_enterprise_projects": len(mine), **scans}


def demo_enterprise_projects(org: Organization) -> list[Project]:
    """The demo enterprise (a Wuxi manufacturer) gets, through the services as its own user
    would enter them: an intelligent-transformation project above 30 million yuan with a loan
    (Wuxi grant and Jiangsu interest subsidy), an equipment renewal with a 2026 loan (Jiangsu
    interest subsidy only), and a project whose software investment is not filled in yet (the
    calculator says "possibly, if …" and names it); plus a provincial 专精特新 title."""
    actor = _actor_of("enterprise")
    region = org.region
    first = services.create_project(
        actor,
        org,
        name="总装车间智能化改造（智能工厂一期）",
        kind="intelligent_transformation",
        region=region,
        start_date=dt.date(2025, 3, 1),
        completion_date=dt.date(2026, 6, 30),
        status="completed",
        equipment_yuan=Decimal("28000000"),
        intelligent_equipment_yuan=Decimal("19000000"),
        software_yuan=Decimal("6500000"),
        services_yuan=Decimal("3500000"),
        other_yuan=Decimal("8000000"),
        description="焊装、总装两条产线机器人替换与 MES 上线，总投资 4,600 万元。",
    )
    services.add_loan(
        actor,
        first,
        lender_name="江苏银行无锡分行",
        amount_yuan=Decimal("20000000"),
        annual_rate=Decimal("0.0345"),
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2027, 3, 31),
        interest_paid_yuan=Decimal("690000"),
    )
    second = services.create_project(
        actor,
        org,
        name="精密加工设备更新",
        kind="equipment_renewal",
        region=region,
        start_date=dt.date(2026, 1, 10),
        completion_date=dt.date(2026, 12, 31),
        status="in_progress",
        equipment_yuan=Decimal("9500000"),
        intelligent_equipment_yuan=Decimal("6000000"),
        software_yuan=Decimal("800000"),
        services_yuan=Decimal("500000"),
        other_yuan=Decimal("1200000"),
    )
    services.add_loan(
        actor,
        second,
        lender_name="中国工商银行无锡分行",
        amount_yuan=Decimal("8000000"),
        annual_rate=Decimal("0.031"),
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    third = services.create_project(
        actor,
        org,
        name="数字化车间建设（二期，申报中）",
        kind="intelligent_transformation",
        region=region,
        start_date=dt.date(2026, 9, 1),
        status="in_progress",
        equipment_yuan=Decimal("32000000"),
        intelligent_equipment_yuan=Decimal("24000000"),
        software_yuan=None,  # not filled in yet: the calculator names it
        services_yuan=Decimal("2000000"),
        other_yuan=Decimal("1000000"),
    )
    if not Recognition.objects.filter(organization=org).exists():
        services.add_recognition(
            actor,
            org,
            title="专精特新",
            level="provincial",
            since=dt.date(2023, 6, 1),
            reference="苏工信中小〔2023〕号",
        )
    return [first, second, third]


def demo_scans(*, seed: int = DEMO_SEED) -> dict:
    """Two proactive scans (Wuxi grant, Jiangsu interest subsidy) as of today, run at once; a
    name list from the Wuxi scan announced; most of the other enterprises confirm
    and the bureau pays them in stages (30 % on confirmation, the rest for completed projects).
    The demo enterprise's entry stays listed, so it can confirm with one click itself."""
    if Scan.objects.exists():
        return {"scans": 0}
    officer = _actor_of("officer")
    as_of = timezone.localdate()
    scans = {}
    for key in SCAN_ITEMS:
        version = PolicyItemVersion.objects.select_related("item").get(
            item__key=key, state=VersionState.PUBLISHED
        )
        scans[key] = start_scan(officer, version, as_of=as_of, inline=True)
    name_list = create_name_list(
        officer, scans[LIST_ITEM], title="2026年无锡市智能化改造项目奖补拟兑现名单（免申即享）"
    )
    name_list = announce_name_list(officer, name_list, days=7, today=as_of)
    rng = random.Random(seed)
    demo_enterprise = _organization_for("manufacturer")
    confirmed = payments = 0
    entries = (
        name_list.entries.filter(state=EntryState.LISTED)
        .exclude(enterprise=demo_enterprise)
        .select_related("project", "name_list__item_version__item")
        .order_by("id")
    )
    for index, entry in enumerate(entries):
        if index % 3 == 2 or rng.random() >= 0.9:
            continue  # some stay listed: not every enterprise has answered yet
        entry, _changed = confirm_entry(DEMO_ACTOR, entry)
        confirmed += 1
        payments += _pay_in_stages(officer, entry, as_of)
    return {
        "scans": len(scans),
        "name_lists": NameList.objects.filter(pk=name_list.pk).count(),
        "confirmed": confirmed,
        "payments": payments,
    }


def _pay_in_stages(officer: Actor, entry, as_of: dt.date) -> int:
    """30 % now and the rest once the project is completed; with the rule's own stages, the
    first stage now and the others for completed projects. Stops quietly at the budget."""
    stages = payment_stages(entry)
    done = 0
    completed = entry.project is not None and entry.project.status == "completed"
    if len(stages) == 1:
        stage = stages[0]
        first = (stage["amount_yuan"] * Decimal("0.3")).quantize(Decimal("0.01"))
        plan = [(stage["label"], first, "首期 30%")]
        if completed:
            plan.append((stage["label"], stage["amount_yuan"] - first, "尾款 70%"))
    else:
        plan = [
            (s["label"], s["due_yuan"], s["label"])
            for s in stages[: len(stages) if completed else 1]
        ]
    for label, amount, note in plan:
        if amount <= 0:
            continue
        try:
            record_payment(
                officer,
                entry,
                amount_yuan=amount,
                stage=label,
                paid_on=as_of,
                reference=f"锡财工贸〔2026〕{entry.pk}号 {note}",
            )
        except PolicyError:
            break  # budget used up
        done += 1
    return done
