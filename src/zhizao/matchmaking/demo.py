"""Demo matchmaking data: a few thousand offerings (with cases) of the demo registry's
providers and banks, a few thousand demands of its manufacturers, introductions in every
state with their consents and signals, two open challenges (揭榜挂帅) with applications, and a
demand/offering pair of the demo ``enterprise`` and ``provider`` accounts with a pending
request, so the flow can be shown from both sides.

Listings come from the pure generator (``zhizao_core.demo.matching``) and are written in bulk
(one audit entry for the batch, like the other demos); every state change of an introduction,
consent and challenge goes through the services, so it is audited, notified and signalled
exactly as when people do it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from zhizao.accounts.demo import _organization_for
from zhizao.accounts.enums import Role
from zhizao.common.audit import Actor
from zhizao.common.bulk import (
    datetime_value,
    decimal_value,
    insert_rows,
    prepare_json,
    refresh_statistics,
)
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Contact, Organization
from zhizao_core.demo.matching import OrgRef, generate_demands, generate_offerings

from . import index as match_index
from . import services
from .enums import (
    BUDGET_BOUNDS,
    ApplicationState,
    BudgetBand,
    ChallengeState,
    DemandState,
    IntroductionState,
    OfferingState,
    Timeline,
)
from .errors import MatchError
from .models import Case, Challenge, Demand, Introduction, Offering
from .services.base import audit

DEMO_SEED = 20261123
DEMO_ACTOR = Actor(extra={"source": "demo"})
OPERATOR = Actor(role=Role.OPERATOR, organization_name="演示运营", extra={"source": "demo"})
S = IntroductionState
#: introductions made per final state (each through the services, step by step)
INTRODUCTIONS = {
    S.SUGGESTED: 14,
    S.REQUESTED: 18,
    S.ACCEPTED: 12,
    S.MET: 10,
    S.DEAL: 10,
    S.DECLINED: 12,
    S.CLOSED: 8,
    S.EXPIRED: 8,
}
DECLINE_REASONS = (
    "预算不匹配，暂不考虑。",
    "我们已有合作的供应商。",
    "方案与现有系统不兼容。",
    "项目暂缓，明年再议。",
    "服务团队距离较远。",
)
CLOSE_REASONS = (
    "双方沟通后认为需求范围不一致。",
    "企业决定自主开发。",
    "报价超出预算，项目暂停。",
)
MEETING_NOTES = (
    "现场调研车间，确认了工单、报工与质量追溯的范围。",
    "线上演示系统，企业希望先做一条产线试点。",
    "双方技术负责人对接了接口方案与实施周期。",
    "参观了同行业案例工厂，约定下周提交报价。",
)
REQUEST_MESSAGES = (
    "您好，我们对贵方的方案很感兴趣，希望进一步了解同行业案例和报价。",
    "看到贵企业的需求，我们在该行业有多个落地项目，希望安排一次交流。",
    "请问能否安排工程师到现场看一下产线情况？",
    "我们近期计划启动这个项目，想约时间详细沟通。",
)
TIMELINES = [Timeline.URGENT, Timeline.QUARTER, Timeline.HALF_YEAR, Timeline.YEAR, Timeline.OPEN]


def _band(budget: str | None) -> str:
    if budget is None:
        return BudgetBand.OPEN
    value = Decimal(budget)
    for band, (low, high) in BUDGET_BOUNDS.items():
        if band == BudgetBand.OPEN:
            continue
        if (low is None or value >= low) and (high is None or value < high):
            return band
    return BudgetBand.OPEN


def _refs(kind: str, exclude: set[int]) -> tuple[list[OrgRef], dict[str, int]]:
    rows = (
        Organization.objects.filter(kind=kind, is_active=True)
        .exclude(pk__in=exclude)
        .order_by("id")
        .values_list("id", "uscc", "region_id", "industry_id", "name")
    )
    refs, by_uscc = [], {}
    for pk, uscc, region, industry, name in rows:
        refs.append(OrgRef(uscc=uscc, kind=kind, region=region, industry=industry or "", name=name))
        by_uscc[uscc] = pk
    return refs, by_uscc


def _actor_for(org: Organization, role: str) -> Actor:
    return Actor(
        organization_id=org.pk, organization_name=org.name, role=role, extra={"source": "demo"}
    )


def _supplier_actor(org: Organization) -> Actor:
    return _actor_for(org, Role.BANK if org.kind == OrganizationKind.BANK else Role.PROVIDER)


def load_matchmaking_demo(
    *,
    seed: int = DEMO_SEED,
    offerings: int = 3000,
    demands: int = 2500,
    introductions: dict | None = None,
) -> dict:
    """Idempotent: does nothing when offerings already exist."""
    if Offering.objects.exists():
        return {"offerings": 0, "existing": Offering.objects.count()}
    demo_enterprise = _organization_for("manufacturer")
    demo_provider = _organization_for("provider")
    demo_ids = {demo_enterprise.pk, demo_provider.pk}
    providers, provider_ids = _refs(OrganizationKind.PROVIDER, demo_ids)
    banks, bank_ids = _refs(OrganizationKind.BANK, demo_ids)
    makers, maker_ids = _refs(OrganizationKind.MANUFACTURER, demo_ids)
    if not (providers and makers):
        return {"offerings": 0, "demands": 0}
    owner_ids = provider_ids | bank_ids
    now = timezone.now()
    rng = random.Random(seed)

    with transaction.atomic():
        offering_rows = list(
            generate_offerings(seed=seed, size=offerings, providers=providers, banks=banks or ())
        )
        written_offerings, cases = _write_offerings(offering_rows, owner_ids, now, rng)
        demand_rows = list(generate_demands(seed=seed, size=demands, manufacturers=makers))
        written_demands = _write_demands(demand_rows, maker_ids, now, rng)
        audit(
            DEMO_ACTOR,
            "demo_loaded",
            None,
            object_repr="matchmaking demo",
            context={
                "offerings": written_offerings,
                "cases": cases,
                "demands": written_demands,
            },
        )
    for model in (Offering, Case, Demand):
        refresh_statistics(model._meta.db_table)
    match_index.reset()
    made = _introductions(rng, now, introductions or INTRODUCTIONS, demo_ids)
    pair = _demo_accounts_pair(demo_enterprise, demo_provider, now)
    challenges = _challenges(rng, now, demo_provider)
    return {
        "offerings": written_offerings,
        "cases": cases,
        "demands": written_demands,
        "introductions": made,
        "demo_introduction": pair.pk,
        "challenges": challenges,
    }


def _when(rng: random.Random, now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=rng.randrange(1, days), minutes=rng.randrange(600))


def _write_offerings(rows: list[dict], owners: dict[str, int], now, rng) -> tuple[int, int]:
    j = lambda name, value: prepare_json(Offering, name, value)  # noqa: E731
    states = []
    prepared = []
    for row in rows:
        roll = rng.random()
        state = (
            OfferingState.DRAFT
            if roll < 0.03
            else OfferingState.WITHDRAWN
            if roll < 0.05
            else OfferingState.PUBLISHED
        )
        created = _when(rng, now, 400)
        states.append(state)
        prepared.append(
            (
                owners[row["provider"]],
                row["kind"],
                row["title"][:200],
                row["description"],
                j("categories", row["categories"]),
                j("industries", row["industries"]),
                j("regions", row["regions"]),
                j("certifications", row["certifications"]),
                j("tags", []),
                decimal_value(row["price_min_yuan"] and Decimal(row["price_min_yuan"])),
                decimal_value(row["price_max_yuan"] and Decimal(row["price_max_yuan"])),
                state,
                None if state == OfferingState.DRAFT else datetime_value(created),
                datetime_value(created),
                datetime_value(created),
            )
        )
    last = Offering.objects.order_by("-id").values_list("id", flat=True).first() or 0
    insert_rows(
        Offering,
        [
            "provider",
            "kind",
            "title",
            "description",
            "categories",
            "industries",
            "regions",
            "certifications",
            "tags",
            "price_min_yuan",
            "price_max_yuan",
            "state",
            "published_at",
            "created_at",
            "updated_at",
        ],
        prepared,
    )
    ids = list(Offering.objects.filter(id__gt=last).order_by("id").values_list("id", flat=True))
    case_rows = []
    for pk, row in zip(ids, rows, strict=True):
        for case in row["cases"]:
            case_rows.append(
                (
                    pk,
                    case["title"][:200],
                    case["industry"],
                    case["region"],
                    case["result"],
                    rng.randint(2019, 2026),
                    datetime_value(now),
                )
            )
    insert_rows(
        Case,
        ["offering", "title", "customer_industry", "region", "result", "year", "created_at"],
        case_rows,
    )
    return len(ids), len(case_rows)


def _write_demands(rows: list[dict], owners: dict[str, int], now, rng) -> int:
    j = lambda name, value: prepare_json(Demand, name, value)  # noqa: E731
    contacts: dict[int, int] = {}
    for org_id, contact_id in (
        Contact.objects.filter(organization_id__in=set(owners.values()))
        .order_by("organization_id", "-is_primary", "id")
        .values_list("organization_id", "id")
    ):
        contacts.setdefault(org_id, contact_id)
    prepared = []
    for row in rows:
        org = owners[row["enterprise"]]
        band = _band(row["budget_yuan"])
        low, high = BUDGET_BOUNDS[band]
        roll = rng.random()
        state = (
            DemandState.DRAFT
            if roll < 0.04
            else DemandState.CLOSED
            if roll < 0.07
            else DemandState.PUBLISHED
        )
        created = _when(rng, now, 240)
        prepared.append(
            (
                org,
                row["title"][:200],
                row["description"],
                row["category"],
                row["industry"],
                row["region"],
                band,
                decimal_value(low),
                decimal_value(high),
                rng.choice(TIMELINES),
                j("must", row["must"]),
                j("nice", row["nice"]),
                contacts.get(org),
                state,
                None if state == DemandState.DRAFT else datetime_value(created),
                datetime_value(created),
                datetime_value(created),
            )
        )
    return insert_rows(
        Demand,
        [
            "enterprise",
            "title",
            "description",
            "category",
            "industry",
            "region",
            "budget_band",
            "budget_min_yuan",
            "budget_max_yuan",
            "timeline",
            "must",
            "nice",
            "contact",
            "state",
            "published_at",
            "created_at",
            "updated_at",
        ],
        prepared,
    )


# --- introductions --------------------------------------------------------------------------


def _first_contact(org_id: int) -> Contact | None:
    return Contact.objects.filter(organization_id=org_id).order_by("-is_primary", "id").first()


def _pairs(rng: random.Random, count: int, demo_ids: set[int]) -> list[tuple[Demand, Offering]]:
    """Demands with an offering of their category (by a supplier in the same province when
    there is one), each demand and offering used once."""
    by_category: dict[str, list[tuple[int, int, list]]] = defaultdict(list)
    for pk, provider, categories, regions in (
        Offering.objects.filter(state=OfferingState.PUBLISHED)
        .exclude(provider_id__in=demo_ids)
        .order_by("id")
        .values_list("id", "provider_id", "categories", "regions")
    ):
        for category in categories[:1]:
            by_category[category].append((pk, provider, regions))
    demands = list(
        Demand.objects.filter(state=DemandState.PUBLISHED)
        .exclude(enterprise_id__in=demo_ids)
        .order_by("id")
        .values_list("id", "category", "region")
    )
    rng.shuffle(demands)
    used: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for demand_id, category, region in demands:
        pool = [o for o in by_category.get(category, ()) if o[0] not in used]
        if not pool:
            continue
        local = [o for o in pool if any(region.startswith(r.rstrip("0")) for r in o[2])]
        pick = rng.choice(local or pool)
        used.add(pick[0])
        chosen.append((demand_id, pick[0]))
        if len(chosen) == count:
            break
    demand_map = Demand.objects.select_related("enterprise").in_bulk([d for d, _ in chosen])
    offering_map = Offering.objects.select_related("provider").in_bulk([o for _, o in chosen])
    return [(demand_map[d], offering_map[o]) for d, o in chosen]


def _introductions(rng, now, plan: dict, demo_ids: set[int]) -> dict:
    pairs = _pairs(rng, sum(plan.values()), demo_ids)
    made: dict[str, int] = {}
    position = 0
    for state, count in plan.items():
        for _ in range(count):
            if position >= len(pairs):
                break
            demand, offering = pairs[position]
            position += 1
            _walk(rng, now, demand, offering, state)
            made[state] = made.get(state, 0) + 1
    # requests left unanswered for more than the expiry period run out (with notices)
    services.expire_introductions(now=now)
    return made


def _walk(rng, now, demand: Demand, offering: Offering, final: str) -> Introduction:
    """One introduction, moved through the services to ``final``."""
    enterprise = _actor_for(demand.enterprise, Role.ENTERPRISE)
    supplier = _supplier_actor(offering.provider)
    if final == S.SUGGESTED:
        return services.suggest_introduction(OPERATOR, demand=demand, offering=offering)
    by_enterprise = rng.random() < 0.6
    requester, answerer = (enterprise, supplier) if by_enterprise else (supplier, enterprise)
    requester_org = demand.enterprise if by_enterprise else offering.provider
    answerer_org = offering.provider if by_enterprise else demand.enterprise
    if final == S.EXPIRED:
        asked = now - dt.timedelta(days=rng.randint(15, 40))
    elif final == S.REQUESTED:
        asked = now - dt.timedelta(days=rng.randint(0, 10), hours=rng.randint(1, 20))
    else:
        asked = now - dt.timedelta(days=rng.randint(30, 120))
    share = _first_contact(requester_org.pk) if rng.random() < 0.7 else None
    if rng.random() < 0.3:  # the platform suggested it first
        services.suggest_introduction(OPERATOR, demand=demand, offering=offering)
        intro = Introduction.objects.get(demand=demand, offering=offering)
        intro = services.request_introduction(
            requester,
            demand=demand,
            offering=offering,
            message=rng.choice(REQUEST_MESSAGES),
            share_contact=share,
            now=asked,
        )
    else:
        intro = services.request_introduction(
            requester,
            demand=demand,
            offering=offering,
            message=rng.choice(REQUEST_MESSAGES),
            share_contact=share,
            now=asked,
        )
    if final in (S.REQUESTED, S.EXPIRED):
        return intro
    answered = asked + dt.timedelta(days=rng.randint(1, 5))
    if final == S.DECLINED:
        return services.decline_introduction(
            answerer, intro, reason=rng.choice(DECLINE_REASONS), now=answered
        )
    intro = services.accept_introduction(
        answerer, intro, share_contact=_first_contact(answerer_org.pk), now=answered
    )
    if final == S.ACCEPTED:
        return intro
    met = answered + dt.timedelta(days=rng.randint(3, 14))
    if final == S.CLOSED and rng.random() < 0.5:
        return services.close_introduction(
            rng.choice((enterprise, supplier)), intro, reason=rng.choice(CLOSE_REASONS), now=met
        )
    intro = services.record_meeting(
        rng.choice((enterprise, supplier)), intro, note=rng.choice(MEETING_NOTES), now=met
    )
    if final == S.MET:
        return intro
    later = met + dt.timedelta(days=rng.randint(7, 40))
    if final == S.CLOSED:
        return services.close_introduction(
            rng.choice((enterprise, supplier)), intro, reason=rng.choice(CLOSE_REASONS), now=later
        )
    value = Decimal(rng.choice((18, 35, 60, 88, 120, 260, 480))) * 10000
    evidence = SimpleUploadedFile(
        "采购合同（演示）.pdf",
        b"%PDF-1.4\n% Zhizao demo contract, no real content\n%%EOF\n",
        content_type="application/pdf",
    )
    return services.record_deal(enterprise, intro, value_yuan=value, evidence=evidence, now=later)


def _demo_accounts_pair(enterprise: Organization, provider: Organization, now) -> Introduction:
    """The demo enterprise's MES demand, the demo provider's MES offering for its industry and
    region, and the enterprise's request waiting for the provider's answer."""
    region = enterprise.region_id
    industry = enterprise.industry_id or "3670"
    industry_name = enterprise.industry.name_zh if enterprise.industry_id else "汽车零部件"
    ent = _actor_for(enterprise, Role.ENTERPRISE)
    prov = _actor_for(provider, Role.PROVIDER)
    offering = services.create_offering(
        prov,
        provider,
        kind="solution",
        title=f"{industry_name}行业云MES解决方案",
        description=(
            f"面向{industry_name}等离散制造企业的云MES：生产工单下达与派工、扫码报工、"
            "正反向质量追溯、设备OEE统计、电子看板与安灯；与用友U8、金蝶云星空标准接口，"
            "支持私有化部署。典型效果：订单准时交付率从78%提升到95%，质量追溯时间从"
            "2天缩短到10分钟。在江苏设有本地服务团队，2小时到场。"
        ),
        categories=["mes", "data_acquisition"],
        industries=[industry, industry[:2]],
        regions=[region[:2] + "0000"],
        certifications=["CMMI3", "ISO9001", "高新技术企业"],
        price_min_yuan="200000",
        price_max_yuan="800000",
    )
    services.add_case(
        prov,
        offering,
        title=f"无锡某{industry_name}企业生产车间MES项目",
        customer_industry=industry,
        region="320214",
        result="订单准时交付率从76%提升到94%，在制品库存下降28%",
        year=2025,
    )
    services.add_case(
        prov,
        offering,
        title="常州某汽车零部件企业总装MES与质量追溯项目",
        customer_industry="3670",
        region="320412",
        result="质量追溯时间从2天缩短到10分钟，纸质单据减少90%",
        year=2024,
    )
    offering = services.publish_offering(prov, offering)
    contact = _first_contact(enterprise.pk)
    demand = services.create_demand(
        ent,
        enterprise,
        title="生产车间MES系统建设",
        description=(
            "我们的车间还在用纸质工单和Excel统计，报工数据滞后一天以上，客户审核要求产品"
            "全流程可追溯。希望上线MES，实现工单下达、扫码报工和质量追溯，并与现有用友U8打通，"
            "计划三个月内启动，欢迎有同行业案例的服务商联系。"
        ),
        category="mes",
        industry=industry,
        region=region,
        budget_band=BudgetBand.K500_1M,
        timeline=Timeline.QUARTER,
        must=[
            "同行业案例",
            "本地服务团队",
            {"kind": "certification", "value": "CMMI", "min_level": 3},
        ],
        nice=[{"kind": "text", "value": "与用友U8对接"}],
        contact=contact,
    )
    demand = services.publish_demand(ent, demand)
    return services.request_introduction(
        ent,
        demand=demand,
        offering=offering,
        message="您好，我们看到贵公司在本地有同行业的MES案例，希望约时间到车间现场交流。",
        share_contact=contact,
        now=now - dt.timedelta(days=1),
    )


# --- open challenges ------------------------------------------------------------------------


def _challenges(rng, now, demo_provider: Organization) -> dict:
    today = timezone.localdate(now)
    first = services.create_challenge(
        OPERATOR,
        title="高反光曲面零件外观缺陷在线检测（揭榜挂帅）",
        description=(
            "多家汽车零部件企业的电镀件、铝合金压铸件表面高反光，现有视觉方案误判率超过5%。"
            "榜单要求：节拍不低于60件/分钟，漏检率低于0.1%，误判率低于1%，"
            "在至少两家企业的产线完成验证。"
        ),
        category="machine_vision",
        eligibility={"region_prefix": "32", "min_cases": 1},
        budget_yuan="3000000",
        deadline=today + dt.timedelta(days=45),
    )
    second = services.create_challenge(
        OPERATOR,
        title="纺织印染定型机能耗优化与余热回收（揭榜挂帅）",
        description=(
            "印染企业定型机能耗占全厂三成以上。榜单要求：在不影响产品质量的前提下，"
            "单位产品综合能耗下降15%以上，投资回收期不超过3年，提供可复制的改造方案。"
        ),
        category="energy_management",
        eligibility={},
        budget_yuan="2000000",
        deadline=today + dt.timedelta(days=20),
    )
    applied = {}
    for challenge, category in ((first, "machine_vision"), (second, "energy_management")):
        services.set_challenge_state(OPERATOR, challenge, ChallengeState.OPEN, now=now)
        applicants = _providers_with(category, demo_provider)
        count = 0
        for provider in applicants:
            if count == 5:
                break
            try:
                services.apply_to_challenge(
                    _actor_for(provider, Role.PROVIDER),
                    challenge,
                    provider,
                    proposal=(
                        f"{provider.name}拟组建专项团队揭榜，技术路线与已落地案例见附件，"
                        "计划6个月内完成两家企业产线验证。"
                    ),
                    now=now,
                )
            except MatchError:  # not eligible
                continue
            count += 1
        applied[challenge.pk] = count
    # the first is decided: under review, one award, announced
    services.set_challenge_state(OPERATOR, first, ChallengeState.REVIEWING, now=now)
    applications = list(first.applications.order_by("id"))
    for position, application in enumerate(applications):
        if position == 0:
            services.review_application(
                OPERATOR,
                application,
                ApplicationState.SHORTLISTED,
                note="技术路线清晰，已有电镀件案例。",
                score="88.5",
            )
            services.review_application(
                OPERATOR, application, ApplicationState.AWARDED, note="专家评审第一名。"
            )
        elif position == 1:
            services.review_application(
                OPERATOR, application, ApplicationState.SHORTLISTED, score="81.0"
            )
    if applications:
        services.set_challenge_state(
            OPERATOR,
            first,
            ChallengeState.ANNOUNCED,
            announcement=f"经专家评审，{applications[0].provider.name}揭榜成功。",
            now=now,
        )
    # the second stays open, one application already shortlisted
    second_apps = list(second.applications.order_by("id")[:1])
    for application in second_apps:
        services.review_application(
            OPERATOR, application, ApplicationState.SHORTLISTED, note="方案完整，进入答辩。"
        )
    return {
        "challenges": Challenge.objects.count(),
        "applications": applied,
    }


def _providers_with(category: str, demo_provider: Organization) -> list[Organization]:
    ids = []
    for provider_id, categories in (
        Offering.objects.filter(state=OfferingState.PUBLISHED, provider__kind="provider")
        .exclude(provider=demo_provider)
        .order_by("provider_id", "id")
        .values_list("provider_id", "categories")
    ):
        if category in categories and provider_id not in ids:
            ids.append(provider_id)
    orgs = Organization.objects.in_bulk(ids[:20])
    return [orgs[i] for i in ids[:20]]
