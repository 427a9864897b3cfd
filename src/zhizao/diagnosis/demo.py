"""Demo diagnosis data: the shipped models, a few thousand completed self-assessments (with
re-assessments) whose levels follow the national distribution, and a running campaign."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhizao.accounts.demo import _organization_for
from zhizao.common.audit import SYSTEM, Actor
from zhizao.common.bulk import datetime_value, insert_rows, refresh_statistics
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization
from zhizao_core.diagnosis import normalize_answer, score
from zhizao_core.diagnosis import round_half_up as rhu
from zhizao_core.diagnosis.demo import demo_answers, pick_level

from . import services
from .enums import AssessmentKind, AssessmentState, CampaignState
from .loading import shipped_model_files
from .models import Answer, Assessment, Campaign
from .selectors import default_model
from .services import load_model_files
from .services.base import MAX_CAMPAIGN_TARGETS

DEMO_ACTOR = Actor(extra={"source": "demo"})
WRITE_BATCH = 5000  # enterprises whose assessments are written together
# Distinct answer patterns per (enterprise type, target level). The first this many
# assessments of a group get answers of their own, each scored by the engine; later ones
# reuse one of those patterns with its score, level and breakdown, so the scoring cost is
# bounded (12 groups × this many scorings) while the stored results stay exactly the
# engine's for the stored answers. The 2,000-organisation demo never fills a group (its
# largest has about 700), so its data is what it was before the pool.
PATTERNS_PER_GROUP = 1000


def _submitted_at(rng: random.Random, year: int) -> dt.datetime:
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 330))
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(9 + rng.randrange(0, 9), rng.randrange(60)))
    )


def load_demo_assessments(
    *,
    seed: int = 20261123,
    share: float = 1.0,
    progress=None,
    patterns_per_group: int = PATTERNS_PER_GROUP,
) -> dict:
    """Idempotent: does nothing when demo assessments already exist."""
    load_model_files(shipped_model_files())
    model_row = default_model()
    if model_row is None:
        return {"created": 0}
    if Assessment.objects.filter(model=model_row, kind=AssessmentKind.SELF).exists():
        return {"created": 0, "existing": Assessment.objects.count()}
    model = model_row.parsed()
    rng = random.Random(seed)
    demo_enterprise = _organization_for("manufacturer")
    manufacturers = list(
        Organization.objects.filter(kind=OrganizationKind.MANUFACTURER, is_active=True)
        .exclude(pk=demo_enterprise.pk)
        .order_by("id")
        .values_list("id", "industry_division", "city_code", "province_code", "size")
    )
    chosen = [m for m in manufacturers if rng.random() < share]
    created = 0
    batch_assessments: list[tuple[Assessment, dict]] = []
    # (type, level) → [(answers, score, level, result JSON)], each scored once by the engine
    patterns: dict[tuple[str, int], list[tuple[dict, Decimal, int, dict]]] = {}

    def pattern(kind_type, level):
        pool = patterns.setdefault((kind_type, level), [])
        if len(pool) >= patterns_per_group:
            return pool[rng.randrange(len(pool))]
        answers = demo_answers(model, kind_type, level, rng)
        parsed = {k: normalize_answer(v) for k, v in answers.items()}
        result = score(model, kind_type, parsed)
        pool.append((answers, Decimal(rhu(result.score, 6)), result.level, result.as_json(model)))
        return pool[-1]

    def plan(org, year, level, kind_type):
        answers, total, reached, breakdown = pattern(kind_type, level)
        pk, division, city, province, size = org
        a = Assessment(
            model=model_row,
            organization_id=pk,
            kind=AssessmentKind.SELF,
            enterprise_type=kind_type,
            state=AssessmentState.SUBMITTED,
            submitted_at=_submitted_at(rng, year),
            score=total,
            level=reached,
            result=breakdown,
            asked_count=len(answers),
            answered_count=len(answers),
            industry_division=division or "",
            city_code=city,
            province_code=province,
            size=size or "",
        )
        batch_assessments.append((a, answers))

    # Written batch by batch (every assessment of each enterprise in the same batch), so that
    # a registry of a million enterprises never holds its millions of answers at once; the
    # last batch also holds the demo enterprise's.
    with transaction.atomic():
        for start in range(0, len(chosen) + 1, WRITE_BATCH):
            for org in chosen[start : start + WRITE_BATCH]:
                kind_type = "process" if rng.random() < 0.3 else "discrete"
                final = pick_level(rng, len(model.levels))
                runs = 1 + (rng.random() < 0.45) + (rng.random() < 0.2)
                years = sorted(rng.sample([2023, 2024, 2025, 2026], runs))
                for i, year in enumerate(years):
                    level = max(0, final - (runs - 1 - i)) if rng.random() < 0.7 else final
                    plan(org, year, level, kind_type)
            if start + WRITE_BATCH > len(chosen):
                # the demo enterprise: two earlier assessments, so its report shows a trend
                demo_org = (
                    demo_enterprise.pk,
                    demo_enterprise.industry_division,
                    demo_enterprise.city_code,
                    demo_enterprise.province_code,
                    demo_enterprise.size,
                )
                plan(demo_org, 2024, 1, "discrete")
                plan(demo_org, 2025, 2, "discrete")
            rows = [a for a, _ in batch_assessments]
            # latest per organisation
            latest: dict[int, Assessment] = {}
            for a in rows:
                if (
                    a.organization_id not in latest
                    or a.submitted_at > latest[a.organization_id].submitted_at
                ):
                    latest[a.organization_id] = a
            for a in latest.values():
                a.is_latest = True
            Assessment.objects.bulk_create(rows, batch_size=1000)
            Assessment.objects.filter(pk__in=[a.pk for a in rows]).update(
                created_at=F("submitted_at"), updated_at=F("submitted_at")
            )
            insert_rows(
                Answer,
                ["assessment", "requirement_id", "value", "comment", "updated_at"],
                (
                    (pk, rid, code, "", at)
                    for pk, at, codes in (
                        (a.pk, datetime_value(a.submitted_at), codes)
                        for a, codes in batch_assessments
                    )
                    for rid, code in codes.items()
                ),
            )
            created += len(rows)
            batch_assessments.clear()
            if progress:
                progress(min(start + WRITE_BATCH, len(chosen)), len(chosen))
        services.audit(
            SYSTEM,
            "demo_loaded",
            None,
            object_repr="diagnosis demo",
            context={"assessments": created},
        )
    refresh_statistics(Assessment._meta.db_table)
    refresh_statistics(Answer._meta.db_table)
    campaign = load_demo_campaign(model_row)
    return {
        "created": created,
        "scored": sum(len(pool) for pool in patterns.values()),
        "campaign": campaign.pk if campaign else None,
    }


def load_demo_campaign(model_row) -> Campaign | None:
    if Campaign.objects.exists():
        return None
    operator = DEMO_ACTOR
    targets = Organization.objects.filter(
        kind=OrganizationKind.MANUFACTURER, is_active=True, city_code="320200"
    )
    target_filter = "region=320200&kind=manufacturer"
    if targets.count() > MAX_CAMPAIGN_TARGETS:  # a registry of several hundred thousand
        targets = targets.filter(region_id="320205")
        target_filter = "region=320205&kind=manufacturer"
    campaign = services.create_campaign(
        operator,
        targets_qs=targets,
        name="2026年无锡市智能制造免费诊断（第二批）",
        description="市工信局购买服务，为规上工业企业免费开展智能制造能力成熟度现场诊断，每家 2 万元。",
        model=model_row,
        budget_yuan=Decimal("1200000"),
        price_yuan=Decimal("20000"),
        target_filter=target_filter,
        deadline=dt.date(2026, 12, 31),
    )
    demo_provider = _organization_for("provider")
    providers = [
        demo_provider,
        *(
            Organization.objects.filter(
                kind=OrganizationKind.PROVIDER, is_active=True, province_code="320000"
            )
            .exclude(pk=demo_provider.pk)
            .order_by("name_sort")[:4]
        ),
    ]
    for i, provider in enumerate(providers):
        services.add_provider(
            operator, campaign, provider, [20, 15, 12, 10, 8][i], ["320200"] if i < 3 else [], []
        )
    services.propose_allocation(operator, campaign)
    services.set_campaign_state(operator, campaign, CampaignState.RUNNING)
    # some visits already made, a few reports filed by the other providers
    rng = random.Random(7)
    for target in (
        campaign.targets.exclude(assigned=None)
        .exclude(assigned__provider=demo_provider)
        .select_related("assigned__provider", "enterprise")[:18]
    ):
        services.record_visit(
            operator, target, dt.date(2026, 11, rng.randrange(2, 20)), "现场走访，完成资料收集。"
        )
        if rng.random() < 0.6:
            assessment = services.start_onsite(operator, target)
            model = assessment.model.parsed()
            codes = demo_answers(model, assessment.enterprise_type, rng.choice([1, 1, 2]), rng)
            Answer.objects.bulk_create(
                Answer(assessment=assessment, requirement_id=k, value=v) for k, v in codes.items()
            )
            services.submit(operator, assessment)
    return campaign
