"""Demo data for policies: the pure generator (deterministic, every project valid) and the
platform's demo (rows written, idempotent, the demo enterprise's calculator)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhizao.accounts.demo import _organization_for, ensure_demo_accounts
from zhizao.common.models import AuditEntry
from zhizao.policies import adapters, engine
from zhizao.policies.demo import load_policy_demo
from zhizao.policies.models import (
    CreditRecord,
    Loan,
    NameList,
    Payment,
    PolicyItemVersion,
    Project,
    Recognition,
    Scan,
)
from zhizao.registry.services.demo import load_demo_organizations
from zhizao_core.demo.policies import DemoOrg, benchmark_enterprises, generate_policy_demo
from zhizao_core.policy import evaluate

ORGS = [
    DemoOrg(
        f"91320214{i:010d}",
        ("320214", "320505", "320411", "310115")[i % 4],
        ("3421", "3562", "3811", "2614")[i % 4],
        "manufacturer" if i % 10 else "provider",
        ("large", "medium", "small", "small", "micro")[i % 5],
    )
    for i in range(1000)
]


def test_generator_is_deterministic_with_these_counts():
    a = generate_policy_demo(ORGS, seed=5)
    b = generate_policy_demo(ORGS, seed=5)
    assert a == b
    assert generate_policy_demo(ORGS, seed=6) != a
    assert len(a.projects) == 1320
    assert sum(len(p.loans) for p in a.projects) == 529
    assert len(a.recognitions) == 163
    assert len(a.credit_records) == 7
    titles = {(r.title, r.level) for r in a.recognitions}
    assert ("专精特新", "provincial") in titles
    assert ("专精特新小巨人", "national") in titles
    assert {t for t, _ in titles} >= {"智能制造示范车间", "智能制造示范工厂"}
    # only manufacturers have projects and recognitions
    makers = {o.uscc for o in ORGS if o.kind == "manufacturer"}
    assert {p.uscc for p in a.projects} <= makers
    assert {r.uscc for r in a.recognitions} <= makers


def test_every_generated_project_is_valid():
    demo = generate_policy_demo(ORGS, seed=5)
    unknown = 0
    with_loans = 0
    for p in demo.projects:
        amounts = (p.equipment_yuan, p.software_yuan, p.services_yuan, p.other_yuan)
        if any(a is None for a in amounts) or p.start_date is None:
            unknown += 1
        total = p.total_yuan
        if total is not None:
            assert Decimal(2_000_000) <= total <= Decimal(200_000_000)
            assert Decimal("0.40") * total - 100 <= p.equipment_yuan <= Decimal("0.70") * total
            assert Decimal("0.05") * total - 100 <= p.software_yuan <= Decimal("0.20") * total
            assert p.other_yuan >= 0 and p.services_yuan >= 0
        if p.intelligent_equipment_yuan is not None and p.equipment_yuan is not None:
            assert 0 <= p.intelligent_equipment_yuan <= p.equipment_yuan
        if p.start_date is not None:
            assert dt.date(2023, 1, 1) <= p.start_date <= dt.date(2026, 12, 31)
            assert p.completion_date > p.start_date
            assert p.status in ("planned", "in_progress", "completed")
        else:
            assert p.status == "planned"
        if p.loans:
            with_loans += 1
            assert len(p.loans) <= 2
        for loan in p.loans:
            assert Decimal("0.028") <= loan.annual_rate <= Decimal("0.042")
            assert loan.end_date > loan.start_date
            assert loan.amount_yuan > 0
    share_unknown = unknown / len(demo.projects)
    share_loans = with_loans / len(demo.projects)
    assert 0.02 < share_unknown < 0.09
    assert 0.25 < share_loans < 0.36


def test_benchmark_facts_have_exactly_the_projects_asked_for():
    facts = benchmark_enterprises(2000, 3000, seed=3)
    assert len(facts) == 2000
    assert sum(len(e.projects) for e in facts) == 3000
    assert len({e.uscc for e in facts}) == 2000
    assert len({p.id for e in facts for p in e.projects}) == 3000
    assert facts == benchmark_enterprises(2000, 3000, seed=3)


@pytest.fixture
def demo_db(db):
    load_demo_organizations(size=400, seed=20261123)
    ensure_demo_accounts()
    return load_policy_demo()


def _state():
    return (
        Project.objects.count(),
        Loan.objects.count(),
        Recognition.objects.count(),
        CreditRecord.objects.count(),
        Scan.objects.count(),
        NameList.objects.count(),
        Payment.objects.count(),
        AuditEntry.objects.count(),
    )


def test_demo_writes_the_generated_rows_and_is_idempotent(demo_db):
    result = demo_db
    enterprise = _organization_for("manufacturer")
    mine = Project.objects.filter(enterprise=enterprise).count()
    assert mine == 3
    assert result["projects"] == Project.objects.count() - 3
    assert result["projects"] > 200
    assert result["loans"] == Loan.objects.exclude(project__enterprise=enterprise).count()
    assert result["recognitions"] == Recognition.objects.exclude(organization=enterprise).count()
    assert result["credit_records"] == CreditRecord.objects.count()
    assert not CreditRecord.objects.filter(organization=enterprise).exists()
    # every written project and loan passes the model's own checks
    for project in Project.objects.all():
        project.full_clean()
    for loan in Loan.objects.all():
        loan.full_clean()
    assert AuditEntry.objects.filter(context__event="policies.demo_loaded").count() == 1
    # scans, the announced name list, confirmations and payments within the amounts
    assert Scan.objects.filter(state="done").count() == 2
    name_list = NameList.objects.get()
    assert name_list.state == "announced"
    assert name_list.entries.filter(enterprise=enterprise, state="listed").count() == 1
    for payment in Payment.objects.select_related("entry"):
        assert payment.entry.state == "confirmed"
        assert payment.amount_yuan <= payment.entry.amount_yuan
    before = _state()
    again = load_policy_demo()
    assert again["projects"] == 0
    assert _state() == before


def test_the_demo_enterprise_calculator_shows_eligible_and_unknown_items(demo_db):
    enterprise = _organization_for("manufacturer")
    catalogue = engine.stored_catalogue(
        PolicyItemVersion.objects.select_related("item").filter(state="published")
    )
    projects = {
        p.name: str(p.pk) for p in Project.objects.filter(enterprise=enterprise).order_by("id")
    }
    first = projects["总装车间智能化改造（智能工厂一期）"]
    second = projects["精密加工设备更新"]
    third = projects["数字化车间建设（二期，申报中）"]
    outcomes = evaluate(
        catalogue,
        adapters.enterprise_facts(enterprise),
        dt.date(2026, 12, 1),
        items=["wuxi-im-transformation", "jiangsu-mfg-loan-interest"],
        lang="en",
    )
    got = {(o.item, o.project): (o.eligible, o.amount_fen, o.missing) for o in outcomes}
    # Wuxi: 28,000,000 × 8 % + 6,500,000 × 10 %
    assert got[("wuxi-im-transformation", first)] == (True, 289_000_000, [])
    assert got[("wuxi-im-transformation", second)] == (False, 0, [])
    assert got[("wuxi-im-transformation", third)] == (None, None, ["project.software_yuan"])
    # Jiangsu: 2 points on 20,000,000 for 2025-04-01 … 2027-03-31, on 8,000,000 for 2026
    assert got[("jiangsu-mfg-loan-interest", first)] == (True, 80_000_000, [])
    assert got[("jiangsu-mfg-loan-interest", second)] == (True, 16_000_000, [])
    explanation = next(
        o.explanation for o in outcomes if o.item == "wuxi-im-transformation" and o.project == third
    )
    assert any(step["step"] == "result" for step in explanation)
