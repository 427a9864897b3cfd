"""The diagnosis demo scores each answer pattern once and reuses it: what it stores must still
be exactly what the scoring engine gives for the stored answers."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from zhizao.diagnosis.demo import load_demo_assessments
from zhizao.diagnosis.enums import AssessmentKind
from zhizao.diagnosis.models import Answer, Assessment
from zhizao.registry.services.demo import load_demo_organizations
from zhizao_core.diagnosis import normalize_answer, score
from zhizao_core.diagnosis import round_half_up as rhu


def _answers_by_assessment() -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for assessment_id, rid, value in Answer.objects.values_list(
        "assessment_id", "requirement_id", "value"
    ):
        out.setdefault(assessment_id, {})[rid] = value
    return out


@pytest.fixture
def registry(db):
    load_demo_organizations(size=150, seed=11)


def _demo_assessments():
    return list(
        Assessment.objects.filter(kind=AssessmentKind.SELF).select_related("model").order_by("id")
    )


def test_reused_patterns_store_exactly_the_engines_results(registry):
    result = load_demo_assessments(seed=5, patterns_per_group=2)
    assessments = _demo_assessments()
    answers = _answers_by_assessment()
    # 2 types × 6 target levels × 2 patterns at most were scored; the rest reuse them
    assert result["scored"] <= 24
    assert result["created"] == len(assessments)
    assert len(assessments) > result["scored"]
    patterns = Counter(tuple(sorted(answers[a.pk].items())) for a in assessments)
    assert len(patterns) == result["scored"]
    assert max(patterns.values()) > 1
    model = assessments[0].model.parsed()
    for a in assessments:
        codes = answers[a.pk]
        assert a.asked_count == a.answered_count == len(codes)
        engine = score(model, a.enterprise_type, {k: normalize_answer(v) for k, v in codes.items()})
        assert a.score == Decimal(rhu(engine.score, 6))
        assert a.level == engine.level
        assert a.result == engine.as_json(model)


def test_a_registry_below_the_pool_size_gets_one_pattern_per_assessment(registry):
    result = load_demo_assessments(seed=5)
    assessments = _demo_assessments()
    answers = _answers_by_assessment()
    assert result["scored"] == result["created"] == len(assessments)
    assert len({tuple(sorted(answers[a.pk].items())) for a in assessments}) == len(assessments)
    latest = Counter(a.organization_id for a in assessments if a.is_latest)
    assert set(latest.values()) == {1}
    assert len(latest) == len({a.organization_id for a in assessments})
