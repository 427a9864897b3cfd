"""Review scores → application scores and ranks, in exact decimals.

* A review's total is Σ weight × criterion score over the ranked criteria; the ranked weights
  sum to exactly 1 (0.7 + 0.2 + 0.1 is 1: decimals, not floats); every criterion is scored,
  within 0..max; criteria that are not ranked are recorded with weight 0.
* ``mean``: the mean of the application's review totals.
* ``median``: the median of the totals (the mean of the two middle ones for an even count).
* ``trimmed_mean``: drop the ``trim`` highest and ``trim`` lowest totals when the application has
  at least 2 × trim + 3 reviews (ties broken by expert id); otherwise the plain mean and
  ``trimmed`` false.
* ``zscore``: for each expert, μₑ and σₑ are the mean and the population standard deviation of
  its review totals in the input; z = (total − μₑ) ÷ σₑ (0 when σₑ = 0); the normalised total is
  μ + σ × z with μ and σ over all review totals; the application's score is the mean of its
  normalised totals. σ/σₑ = √(Var/Varₑ) is exact when that ratio is the square of a rational,
  otherwise computed with 60 significant digits.

Means and medians are exact fractions; only the published score is rounded, half-up to 2
places. ``rank`` is competition ranking on the rounded score (1, 2, 2, 4), ties listed by
application id. ``divergent``: the highest and lowest review totals (before any normalisation
or trimming) differ by more than ``divergence``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from .model import AggregateResult, Criterion, OutlierExpert, ReviewScore
from .problems import InputError, Problem

__all__ = ["METHODS", "aggregate", "outlier_experts", "review_totals", "round2"]

METHODS = ("mean", "median", "trimmed_mean", "zscore")
TWO = Decimal("0.01")


def round2(value: Fraction | Decimal) -> Decimal:
    """Half-up (away from zero at a half) to 2 places, exactly."""
    if isinstance(value, Decimal):
        with localcontext() as ctx:
            ctx.prec = 80
            return value.quantize(TWO, rounding=ROUND_HALF_UP)
    scaled = abs(value) * 100
    q = math.floor(scaled + Fraction(1, 2))
    return (Decimal(q) if value >= 0 else -Decimal(q)).scaleb(-2).quantize(TWO)


def _dec(fr: Fraction) -> Decimal:
    """A fraction as a decimal (exact for terminating decimals, else 40 digits)."""
    with localcontext() as ctx:
        ctx.prec = 40
        return Decimal(fr.numerator) / Decimal(fr.denominator)


def _fmt(value: Decimal | Fraction) -> str:
    return str(round2(value))


def validate(criteria: list[Criterion], scores: list[ReviewScore], method: str, trim: int) -> None:
    problems: list[Problem] = []
    if method not in METHODS:
        problems.append(
            Problem("method", "unknown_method", {"value": method, "choices": ", ".join(METHODS)})
        )
    if not isinstance(trim, int) or isinstance(trim, bool) or trim < 0:
        problems.append(Problem("trim", "int_min", {"min": 0}))
    if not criteria:
        problems.append(Problem("criteria", "no_criteria"))
    ids = set()
    total = Decimal(0)
    for i, c in enumerate(criteria):
        if c.id in ids:
            problems.append(Problem(f"criteria[{i}].id", "duplicate_id", {"value": c.id}))
        ids.add(c.id)
        if not (Decimal(0) <= c.weight <= 1):
            problems.append(Problem(f"criteria[{i}].weight", "weight_range"))
        if not c.ranked and c.weight != 0:
            problems.append(Problem(f"criteria[{i}].weight", "unranked_weight"))
        if c.max <= 0:
            problems.append(Problem(f"criteria[{i}].max", "max_positive"))
        if c.ranked:
            total += c.weight
    if criteria and total != 1:
        problems.append(Problem("criteria", "weights_sum", {"total": str(total)}))
    by_id = {c.id: c for c in criteria}
    seen: set[tuple[str, str]] = set()
    for i, s in enumerate(scores):
        if (s.application, s.expert) in seen:
            problems.append(
                Problem(
                    f"scores[{i}]",
                    "duplicate_review",
                    {"expert": s.expert, "application": s.application},
                )
            )
        seen.add((s.application, s.expert))
        for cid, value in s.criteria.items():
            c = by_id.get(cid)
            if c is None:
                problems.append(
                    Problem(f"scores[{i}].criteria", "unknown_criterion", {"value": cid})
                )
            elif not (Decimal(0) <= value <= c.max):
                problems.append(
                    Problem(
                        f"scores[{i}].criteria.{cid}",
                        "score_range",
                        {"value": str(value), "max": str(c.max)},
                    )
                )
        for c in criteria:
            if c.id not in s.criteria:
                problems.append(
                    Problem(f"scores[{i}].criteria", "missing_criterion", {"value": c.id})
                )
    if problems:
        raise InputError(problems)


def review_totals(criteria: list[Criterion], scores: list[ReviewScore]) -> list[Decimal]:
    """Σ weight × score of each review (exact)."""
    ranked = [c for c in criteria if c.ranked]
    with localcontext() as ctx:
        ctx.prec = 60
        return [
            sum((c.weight * s.criteria[c.id] for c in ranked), Decimal(0)).normalize()
            + Decimal(0)  # keep the value, drop the exponent noise of normalize on integers
            for s in scores
        ]


def _plain(d: Decimal) -> Decimal:
    """A total without trailing zeros and never in exponent form (90, 87.4)."""
    d = d.normalize()
    if d.as_tuple().exponent > 0:
        d = d.quantize(Decimal(1))
    return d


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _variance(values: list[Fraction]) -> Fraction:
    mu = _mean(values)
    return sum(((v - mu) ** 2 for v in values), Fraction(0)) / len(values)


def _sqrt_fraction(fr: Fraction) -> Fraction | None:
    """The exact square root of a fraction when it is rational, else None."""
    n, d = fr.numerator, fr.denominator
    rn, rd = math.isqrt(n), math.isqrt(d)
    if rn * rn == n and rd * rd == d:
        return Fraction(rn, rd)
    return None


def _sqrt_decimal(fr: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        return (Decimal(fr.numerator) / Decimal(fr.denominator)).sqrt()


def aggregate(
    criteria: list[Criterion],
    scores: list[ReviewScore],
    *,
    method: str = "mean",
    trim: int = 1,
    divergence: Decimal = Decimal(20),
) -> list[AggregateResult]:
    """One result per application, ranked (see the module text)."""
    validate(criteria, scores, method, trim)
    totals = [_plain(t) for t in review_totals(criteria, scores)]
    fr_totals = [Fraction(t) for t in totals]
    by_app: dict[str, list[int]] = defaultdict(list)
    by_expert: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(scores):
        by_app[s.application].append(i)
        by_expert[s.expert].append(i)

    mu_all = _mean(fr_totals) if fr_totals else Fraction(0)
    var_all = _variance(fr_totals) if fr_totals else Fraction(0)
    expert_mean = {e: _mean([fr_totals[i] for i in idx]) for e, idx in by_expert.items()}
    expert_var = {e: _variance([fr_totals[i] for i in idx]) for e, idx in by_expert.items()}

    results: list[AggregateResult] = []
    for app, idx in by_app.items():
        app_totals = {scores[i].expert: totals[i] for i in idx}
        values = [fr_totals[i] for i in idx]
        n = len(values)
        raw = _mean(values)
        spread = _plain(max(totals[i] for i in idx) - min(totals[i] for i in idx))
        divergent = spread > divergence
        listed = "、".join(f"{scores[i].expert} {_fmt(totals[i])}" for i in idx)
        listed_en = ", ".join(f"{scores[i].expert} {_fmt(totals[i])}" for i in idx)
        zh = [f"评审 {n} 份，加权总分：{listed}"]
        en = [f"{n} reviews, weighted totals: {listed_en}"]
        trimmed = False
        dropped: list[tuple[str, Decimal]] = []
        exact: Fraction | None
        approx: Decimal | None = None
        if method == "mean":
            exact = raw
            zh.append(f"平均分 = {_fmt(raw)}")
            en.append(f"mean = {_fmt(raw)}")
        elif method == "median":
            ordered = sorted(values)
            mid = n // 2
            exact = ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
            zh.append(f"中位数 = {_fmt(exact)}")
            en.append(f"median = {_fmt(exact)}")
        elif method == "trimmed_mean":
            if trim > 0 and n >= 2 * trim + 3:
                order = sorted(idx, key=lambda i: (fr_totals[i], scores[i].expert))
                low, high = order[:trim], order[n - trim :]
                keep = order[trim : n - trim]
                dropped = [(scores[i].expert, totals[i]) for i in low + high]
                exact = _mean([fr_totals[i] for i in keep])
                trimmed = True
                lows = "、".join(f"{scores[i].expert} {_fmt(totals[i])}" for i in low)
                highs = "、".join(f"{scores[i].expert} {_fmt(totals[i])}" for i in high)
                zh.append(
                    f"去掉最高分 {highs} 和最低分 {lows}，其余 {len(keep)} 份平均 = {_fmt(exact)}"
                )
                en.append(
                    f"dropped the highest {highs.replace('、', ', ')} and the lowest "
                    f"{lows.replace('、', ', ')}; mean of the other {len(keep)} = {_fmt(exact)}"
                )
            else:
                exact = raw
                zh.append(f"评审少于 {2 * trim + 3} 份，不去分，平均分 = {_fmt(raw)}")
                en.append(f"fewer than {2 * trim + 3} reviews: nothing dropped, mean = {_fmt(raw)}")
        else:  # zscore
            exact_sum = Fraction(0)
            approx_sum = Decimal(0)
            irrational = False
            parts_zh, parts_en = [], []
            for i in idx:
                e = scores[i].expert
                var_e = expert_var[e]
                if var_e == 0:
                    exact_sum += mu_all
                    continue
                ratio2 = var_all / var_e
                root = _sqrt_fraction(ratio2)
                deviation = fr_totals[i] - expert_mean[e]
                if root is not None:
                    exact_sum += mu_all + root * deviation
                else:
                    irrational = True
                    exact_sum += mu_all
                    with localcontext() as ctx:
                        ctx.prec = 60
                        approx_sum += _sqrt_decimal(ratio2) * _dec(deviation)
            for i in idx:
                e = scores[i].expert
                sigma_e = _sqrt_decimal(expert_var[e])
                parts_zh.append(f"{e} μ={_fmt(expert_mean[e])} σ={_fmt(sigma_e)}")
                parts_en.append(f"{e} μ={_fmt(expert_mean[e])} σ={_fmt(sigma_e)}")
            if irrational:
                exact = None
                with localcontext() as ctx:
                    ctx.prec = 60
                    approx = (_dec(exact_sum) + approx_sum) / n
                shown = round2(approx)
            else:
                exact = exact_sum / n
                shown = round2(exact)
            sigma = _sqrt_decimal(var_all)
            zh.append(
                f"按专家校准（全体 μ={_fmt(mu_all)} σ={_fmt(sigma)}；"
                f"{'，'.join(parts_zh)}），校准后平均 = {shown}"
            )
            en.append(
                f"calibrated per expert (all reviews μ={_fmt(mu_all)} σ={_fmt(sigma)}; "
                f"{', '.join(parts_en)}), calibrated mean = {shown}"
            )
        score = round2(exact) if exact is not None else round2(approx)
        zh.append(f"原始平均 {_fmt(raw)}，极差 {spread}")
        en.append(f"raw mean {_fmt(raw)}, spread {spread}")
        if divergent:
            zh.append(f"评分分歧：极差 {spread} 超过 {divergence}")
            en.append(f"divergent panel: spread {spread} above {divergence}")
        offsets = {scores[i].expert: round2(expert_mean[scores[i].expert] - mu_all) for i in idx}
        results.append(
            AggregateResult(
                application=app,
                score=score,
                raw_mean=round2(raw),
                spread=spread,
                rank=0,
                reviews=n,
                trimmed=trimmed,
                divergent=divergent,
                dropped=dropped,
                offsets=offsets,
                explanation=zh,
                explanation_en=en,
                totals=app_totals,
                method=method,
            )
        )
    results.sort(key=lambda r: (-r.score, r.application))
    previous = None
    for position, r in enumerate(results, start=1):
        if previous is not None and r.score == previous.score:
            r.rank = previous.rank
        else:
            r.rank = position
        previous = r
    return results


def outlier_experts(
    criteria: list[Criterion],
    scores: list[ReviewScore],
    *,
    threshold: Decimal = Decimal(15),
    min_reviews: int = 3,
) -> list[OutlierExpert]:
    """Experts whose scores look unreliable, each with its figures:

    * "same score for every application": at least ``min_reviews`` reviews, all with the same
      total (σₑ = 0);
    * "mean far from the panel": on the applications it reviewed, its totals differ from the
      mean of the other experts' totals by more than ``threshold`` on average.
    """
    validate(criteria, scores, "mean", 1)
    totals = [Fraction(t) for t in review_totals(criteria, scores)]
    by_app: dict[str, list[int]] = defaultdict(list)
    by_expert: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(scores):
        by_app[s.application].append(i)
        by_expert[s.expert].append(i)
    app_sum = {a: sum((totals[i] for i in idx), Fraction(0)) for a, idx in by_app.items()}
    out: list[OutlierExpert] = []
    for e in sorted(by_expert):
        idx = by_expert[e]
        values = [totals[i] for i in idx]
        mean = _mean(values)
        if len(idx) >= min_reviews and len(set(values)) == 1:
            out.append(
                OutlierExpert(
                    e,
                    "same score for every application",
                    {"reviews": len(idx), "total": round2(values[0])},
                    f"专家 {e} 的 {len(idx)} 份评审总分全部为 {_fmt(values[0])}",
                    f"expert {e} gave the same total {_fmt(values[0])} in all {len(idx)} reviews",
                )
            )
            continue
        diffs = []
        for i in idx:
            others = len(by_app[scores[i].application]) - 1
            if others:
                others_mean = (app_sum[scores[i].application] - totals[i]) / others
                diffs.append(totals[i] - others_mean)
        if diffs:
            offset = _mean(diffs)
            if abs(offset) > Fraction(threshold):
                shown = round2(offset)
                out.append(
                    OutlierExpert(
                        e,
                        "mean far from the panel",
                        {"reviews": len(idx), "mean": round2(mean), "offset": shown},
                        f"专家 {e} 的评分平均比同组其他专家{'高' if offset > 0 else '低'} "
                        f"{abs(shown)} 分（阈值 {threshold}）",
                        f"expert {e} scores {abs(shown)} points "
                        f"{'above' if offset > 0 else 'below'} the other panel members on average "
                        f"(threshold {threshold})",
                    )
                )
    return out
