"""Aggregation with hand-computed figures: weighted totals in exact decimals, mean, median,
trimmed mean (and its fallback below 2t+3 reviews), z-score calibration (σ = 0 included),
half-up rounding, competition ranking, divergence, input faults named, outlier experts, the
proposed list with quotas and ties."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhizao_core.review import (
    Criterion,
    InputError,
    ReviewScore,
    aggregate,
    outlier_experts,
    propose_list,
)

D = Decimal
ONE = [Criterion("total", D(1), D(100))]


def reviews(data: dict[str, list], criterion="total"):
    return [
        ReviewScore(app, f"E{j}", {criterion: D(str(v))})
        for app, values in data.items()
        for j, v in enumerate(values)
    ]


def by_app(results):
    return {r.application: r for r in results}


def test_weights_point_seven_point_two_point_one_are_exactly_one():
    criteria = [
        Criterion("a", D("0.7"), D(100)),
        Criterion("b", D("0.2"), D(100)),
        Criterion("c", D("0.1"), D(100)),
    ]
    scores = [ReviewScore("A1", "E1", {"a": D(90), "b": D(80), "c": D(71)})]
    # 0.7·90 + 0.2·80 + 0.1·71 = 63 + 16 + 7.1 = 86.1
    (result,) = aggregate(criteria, scores)
    assert result.score == D("86.10")
    assert result.totals == {"E1": D("86.1")}


def test_weights_not_summing_to_one_named():
    criteria = [Criterion("a", D("0.3"), D(100)), Criterion("b", D("0.6"), D(100))]
    with pytest.raises(InputError) as err:
        aggregate(criteria, [ReviewScore("A1", "E1", {"a": D(1), "b": D(1)})])
    assert [p.text() for p in err.value.problems] == ["criteria: 权重之和应为 1，实为 0.9"]


def test_mean_rounds_half_up_only_at_the_end():
    # totals 87.405 → 87.41 (half-up, not half-even); (85 + 86 + 86) / 3 = 85.666… → 85.67
    results = by_app(aggregate(ONE, reviews({"A1": ["87.405"], "A2": [85, 86, 86]})))
    assert results["A1"].score == D("87.41")
    assert results["A2"].score == D("85.67")
    assert results["A2"].raw_mean == D("85.67")


def test_median_of_even_and_odd_counts():
    results = by_app(
        aggregate(ONE, reviews({"A1": [60, 90, 70, 100], "A2": [50, 95, 80]}), method="median")
    )
    assert results["A1"].score == D("80.00")  # (70 + 90) / 2
    assert results["A2"].score == D("80.00")


def test_trimmed_mean_drops_one_each_side_from_five_reviews():
    (r,) = aggregate(ONE, reviews({"A1": [90, 80, 70, 60, 100]}), method="trimmed_mean")
    assert r.score == D("80.00") and r.trimmed is True and r.reviews == 5
    assert r.dropped == [("E3", D(60)), ("E4", D(100))]
    assert r.explanation[1] == "去掉最高分 E4 100.00 和最低分 E3 60.00，其余 3 份平均 = 80.00"
    (r,) = aggregate(
        ONE, reviews({"A1": [90, 80, 72, 60, 100, 50, 99]}), method="trimmed_mean", trim=2
    )
    # drop 50, 60 and 99, 100: mean(72, 80, 90) = 80.666… → 80.67
    assert r.score == D("80.67") and r.trimmed is True


def test_trimmed_mean_below_2t_plus_3_reviews_is_the_plain_mean():
    (r,) = aggregate(ONE, reviews({"A1": [90, 80, 70, 61]}), method="trimmed_mean")
    assert r.score == D("75.25") and r.trimmed is False and r.dropped == []
    assert r.explanation[1] == "评审少于 5 份，不去分，平均分 = 75.25"


def test_zscore_with_a_constant_expert_by_hand():
    # E0 gave A1 80, A2 60 (μ 70, σ 10); E1 gave both 90 (σ 0: z = 0).
    # All totals 80, 90, 60, 90: μ = 80, σ = √150 = 12.2474487…
    # A1: (80 + 12.2474487·(+1)) and (80 + 0) → mean 86.1237… → 86.12
    # A2: (80 − 12.2474487) and 80 → 73.8762… → 73.88
    scores = [
        ReviewScore("A1", "E0", {"total": D(80)}),
        ReviewScore("A1", "E1", {"total": D(90)}),
        ReviewScore("A2", "E0", {"total": D(60)}),
        ReviewScore("A2", "E1", {"total": D(90)}),
    ]
    results = by_app(aggregate(ONE, scores, method="zscore"))
    assert results["A1"].score == D("86.12")
    assert results["A2"].score == D("73.88")
    assert results["A1"].raw_mean == D("85.00")
    assert results["A1"].offsets == {"E0": D("-10.00"), "E1": D("10.00")}


def test_zscore_exact_when_the_ratio_is_rational():
    # E0: 70, 90 (μ 80, σ 10); E1: 75, 85 (μ 80, σ 5). All: μ 80, σ² = (100+100+25+25)/4 = 62.5.
    # Two experts with σ ratio 2 are calibrated onto one scale: A1 = A2 mirrored around 80.
    scores = [
        ReviewScore("A1", "E0", {"total": D(90)}),
        ReviewScore("A1", "E1", {"total": D(85)}),
        ReviewScore("A2", "E0", {"total": D(70)}),
        ReviewScore("A2", "E1", {"total": D(75)}),
    ]
    results = by_app(aggregate(ONE, scores, method="zscore"))
    # z = ±1 for every review: normalised 80 ± √62.5 = 80 ± 7.9057 → 87.91 / 72.09
    assert results["A1"].score == D("87.91")
    assert results["A2"].score == D("72.09")


def test_competition_ranking_with_ties_listed_by_id():
    results = aggregate(ONE, reviews({"B": [85], "A": [90], "D": [85], "C": [80]}))
    assert [(r.application, r.rank, str(r.score)) for r in results] == [
        ("A", 1, "90.00"),
        ("B", 2, "85.00"),
        ("D", 2, "85.00"),
        ("C", 4, "80.00"),
    ]


def test_ties_are_on_the_rounded_score():
    results = aggregate(ONE, reviews({"A": ["85.001"], "B": ["84.999"]}))
    assert [(r.application, r.rank) for r in results] == [("A", 1), ("B", 1)]


def test_divergence_is_strictly_more_than_the_threshold():
    results = by_app(aggregate(ONE, reviews({"A1": [70, 90], "A2": [70, "90.01"]})))
    assert results["A1"].divergent is False and results["A1"].spread == D(20)
    assert results["A2"].divergent is True
    results = by_app(aggregate(ONE, reviews({"A1": [70, 90]}), divergence=D(19)))
    assert results["A1"].divergent is True


def test_divergence_uses_totals_before_trimming():
    (r,) = aggregate(ONE, reviews({"A1": [50, 80, 80, 80, 80]}), method="trimmed_mean")
    assert r.divergent is True and r.score == D("80.00") and r.reviews == 5


def test_input_faults_named():
    criteria = [Criterion("a", D("0.5"), D(10)), Criterion("b", D("0.5"), D(10))]
    scores = [
        ReviewScore("A1", "E1", {"a": D(11), "b": D(1)}),
        ReviewScore("A1", "E2", {"a": D(-1), "b": D(1)}),
        ReviewScore("A1", "E3", {"a": D(1), "x": D(1), "b": D(1)}),
        ReviewScore("A1", "E4", {"a": D(1)}),
        ReviewScore("A1", "E1", {"a": D(1), "b": D(1)}),
    ]
    with pytest.raises(InputError) as err:
        aggregate(criteria, scores, method="mode")
    assert [p.text() for p in err.value.problems] == [
        "method: 未知的汇总方法 mode（可选：mean, median, trimmed_mean, zscore）",
        "scores[0].criteria.a: 得分 11 超出 0 到 10 的范围",
        "scores[1].criteria.a: 得分 -1 超出 0 到 10 的范围",
        "scores[2].criteria: 未知的评分指标：x",
        "scores[3].criteria: 缺少评分指标：b",
        "scores[4]: 专家 E1 对申报 A1 重复评分",
    ]


def test_unranked_criterion_recorded_not_counted():
    criteria = [Criterion("a", D(1), D(100)), Criterion("note", D(0), D(5), ranked=False)]
    (r,) = aggregate(criteria, [ReviewScore("A1", "E1", {"a": D(77), "note": D(5)})])
    assert r.score == D("77.00")


def test_outlier_experts_explained():
    scores = reviews({"A1": [80, 60], "A2": [80, 65], "A3": [80, 70]})
    scores += [ReviewScore("A1", "E9", {"total": D(30)}), ReviewScore("A2", "E9", {"total": D(35)})]
    found = {o.expert: o for o in outlier_experts(ONE, scores)}
    assert found["E0"].reason == "same score for every application"
    assert found["E0"].explanation == "专家 E0 的 3 份评审总分全部为 80.00"
    assert found["E9"].reason == "mean far from the panel"
    # A1: 30 vs mean(80, 60) = 70 → −40; A2: 35 vs 72.5 → −37.5; offset −38.75
    assert found["E9"].figures["offset"] == D("-38.75")
    assert "E1" not in found


def test_proposed_list_with_cutoff_quotas_and_a_tie_at_the_boundary():
    results = aggregate(
        ONE, reviews({"A": [95], "B": [90], "C": [90], "D": [88], "E": [70], "F": [92]})
    )
    categories = {"A": "x", "B": "x", "C": "x", "D": "x", "E": "y", "F": "y"}
    proposals = propose_list(results, categories=categories, quotas={"x": 2}, cutoff=D(75))
    got = {p.application: (p.proposed, p.reason) for p in proposals}
    assert got == {
        "A": (True, "within_quota"),
        "F": (True, "within_quota"),
        "B": (False, "tie_at_quota"),
        "C": (False, "tie_at_quota"),
        "D": (False, "quota_full"),
        "E": (False, "below_cutoff"),
    }
    assert [p.application for p in proposals] == ["A", "F", "B", "C", "D", "E"]


# --- against a plain Fraction reference -------------------------------------------------


def _reference(totals: list[Fraction], method: str, trim: int) -> Fraction:
    ordered = sorted(totals)
    n = len(ordered)
    if method == "median":
        return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    if method == "trimmed_mean" and n >= 2 * trim + 3:
        ordered = ordered[trim : n - trim]
    return sum(ordered, Fraction(0)) / len(ordered)


def _half_up(x: Fraction) -> Decimal:
    q = math.floor(abs(x) * 100 + Fraction(1, 2))
    return (Decimal(q) if x >= 0 else -Decimal(q)).scaleb(-2)


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 10000), min_size=1, max_size=7), min_size=1, max_size=6),
    st.sampled_from(["mean", "median", "trimmed_mean"]),
    st.integers(0, 2),
)
def test_exact_methods_match_a_fraction_reference(apps, method, trim):
    criteria = [Criterion("a", D("0.35"), D(100)), Criterion("b", D("0.65"), D(100))]
    scores = []
    expected = {}
    for i, values in enumerate(apps):
        totals = []
        for j, v in enumerate(values):
            a, b = D(v).scaleb(-2), D(10000 - v).scaleb(-2)
            scores.append(ReviewScore(f"A{i}", f"E{j}", {"a": a, "b": b}))
            totals.append(Fraction(a) * Fraction(35, 100) + Fraction(b) * Fraction(65, 100))
        expected[f"A{i}"] = _half_up(_reference(totals, method, trim))
    got = {r.application: r.score for r in aggregate(criteria, scores, method=method, trim=trim)}
    assert got == expected


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 4), st.integers(0, 100)),
        min_size=1,
        max_size=25,
        unique_by=lambda t: (t[0], t[1]),
    )
)
def test_zscore_matches_an_80_digit_reference(rows):
    scores = [ReviewScore(f"A{a}", f"E{e}", {"total": D(v)}) for a, e, v in rows]
    with localcontext() as ctx:
        ctx.prec = 80
        allv = [D(v) for _, _, v in rows]
        mu = sum(allv) / len(allv)
        sigma = (sum((v - mu) ** 2 for v in allv) / len(allv)).sqrt()
        per_expert: dict[int, list] = {}
        for _, e, v in rows:
            per_expert.setdefault(e, []).append(D(v))
        stats = {}
        for e, vs in per_expert.items():
            m = sum(vs) / len(vs)
            stats[e] = (m, (sum((v - m) ** 2 for v in vs) / len(vs)).sqrt())
        normal: dict[int, list] = {}
        for a, e, v in rows:
            m, s = stats[e]
            z = (D(v) - m) / s if s else D(0)
            normal.setdefault(a, []).append(mu + sigma * z)
        expected = {
            f"A{a}": (sum(vs) / len(vs)).quantize(D("0.01"), rounding=ROUND_HALF_UP)
            for a, vs in normal.items()
        }
    got = {r.application: r.score for r in aggregate(ONE, scores, method="zscore")}
    assert got == expected
