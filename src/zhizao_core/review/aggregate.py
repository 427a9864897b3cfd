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
    ranked = [(c.id, c.weight) for c in criteria if c.ranked and c.weight]
    out = []
    with localcontext() as ctx:
        ctx.prec = 60
        for s in scores:
            values = s.criteria
            total = Decimal(0)
            for cid, weight in ranked:
                total += weight * values[cid]
            out.append(total)
    return out


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


class _Q:
    """A non-negative-denominator rational as two ints (faster than ``Fraction`` for the sums
    and the one rounding each figure needs)."""

    __slots__ = ("den", "num")

    def __init__(self, num: int, den: int = 1):
        self.num, self.den = num, den

    def fraction(self) -> Fraction:
        return Fraction(self.num, self.den)

    def r2(self) -> Decimal:
        """Half-up (away from zero) to 2 places, exactly."""
        num, den = self.num * 100, self.den
        q = (2 * abs(num) + den) // (2 * den)
        return Decimal(q if num >= 0 else -q).scaleb(-2)

    def s2(self) -> str:
        return str(self.r2())


def _shown(units: list[int], unit: int) -> list[str]:
    """Each total with 2 places (exact: integer formatting when totals have ≤ 2 places)."""
    if unit <= 100:
        f = 100 // unit
        return [
            f"{u // unit}.{u % unit * f:02d}" if u >= 0 else f"-{-u // unit}.{-u % unit * f:02d}"
            for u in units
        ]
    return [_Q(u, unit).s2() for u in units]


def _units(totals: list[Decimal]) -> tuple[list[int], int]:
    """The totals as integers in units of 10⁻ᵈ (d: the most places any total has)."""
    places = max((-t.as_tuple().exponent for t in totals), default=0)
    places = max(places, 0)
    with localcontext() as ctx:
        ctx.prec = 80
        return [int(t.scaleb(places)) for t in totals], 10**places


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
    totals = review_totals(criteria, scores)
    units, unit = _units(totals)
    experts_of = [s.expert for s in scores]
    by_app: dict[str, list[int]] = defaultdict(list)
    by_expert: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(scores):
        by_app[s.application].append(i)
        by_expert[s.expert].append(i)
    shown_total = _shown(units, unit)

    n_all = len(units)
    sum_all = sum(units)
    sq_all = sum(u * u for u in units)
    # Per expert: count, sum, sum of squares (in units); its mean and variance as rationals.
    stats = {}
    for e, idx in by_expert.items():
        n = len(idx)
        s1 = sum(units[i] for i in idx)
        s2 = sum(units[i] * units[i] for i in idx)
        stats[e] = (n, s1, s2)
    mu_all = _Q(sum_all, max(n_all, 1) * unit)
    # Each expert's offset μₑ − μ = s1/(n·unit) − sum_all/(N·unit)
    offset_of = {
        e: _Q(s1 * n_all - sum_all * n, n * n_all * unit).r2() for e, (n, s1, _) in stats.items()
    }
    var_all_num = n_all * sq_all - sum_all * sum_all  # Var = this / (N² · unit²)
    zscore = method == "zscore"
    expert_label: dict[str, str] = {}  # "E1 μ=… σ=…", once per expert
    if zscore:
        with localcontext() as ctx:
            ctx.prec = 50
            mu_dec = Decimal(sum_all) / Decimal(n_all * unit) if n_all else Decimal(0)
            sigma_dec = (Decimal(var_all_num).sqrt() / Decimal(n_all * unit)) if n_all else 0
        ratio = {}
        for e, (n, s1, s2) in stats.items():
            var_e_num = n * s2 - s1 * s1  # Varₑ = this / (n² · unit²)
            if var_e_num == 0:
                ratio[e] = None
                continue
            # σ/σₑ = √(var_all_num · n² / (N² · var_e_num))
            with localcontext() as ctx:
                ctx.prec = 50
                ratio[e] = (
                    Decimal(var_all_num) * n * n / (Decimal(n_all * n_all) * var_e_num)
                ).sqrt()

    results: list[AggregateResult] = []
    for app, idx in by_app.items():
        n = len(idx)
        app_units = [units[i] for i in idx]
        app_sum = sum(app_units)
        raw = _Q(app_sum, n * unit)
        hi_u, lo_u = max(app_units), min(app_units)
        spread = _plain(Decimal(hi_u - lo_u) / unit) if unit > 1 else Decimal(hi_u - lo_u)
        divergent = spread > divergence
        listed = [f"{experts_of[i]} {shown_total[i]}" for i in idx]
        zh = [f"评审 {n} 份，加权总分：{'、'.join(listed)}"]
        en = [f"{n} reviews, weighted totals: {', '.join(listed)}"]
        trimmed = False
        dropped: list[tuple[str, Decimal]] = []
        if method == "mean":
            score = raw.r2()
            zh.append(f"平均分 = {score}")
            en.append(f"mean = {score}")
        elif method == "median":
            ordered = sorted(app_units)
            mid = n // 2
            med = _Q(ordered[mid], unit) if n % 2 else _Q(ordered[mid - 1] + ordered[mid], 2 * unit)
            score = med.r2()
            zh.append(f"中位数 = {score}")
            en.append(f"median = {score}")
        elif method == "trimmed_mean":
            if trim > 0 and n >= 2 * trim + 3:
                order = sorted(idx, key=lambda i: (units[i], experts_of[i]))
                low, high = order[:trim], order[n - trim :]
                keep = order[trim : n - trim]
                dropped = [(experts_of[i], _plain(totals[i])) for i in low + high]
                score = _Q(sum(units[i] for i in keep), len(keep) * unit).r2()
                trimmed = True
                lows = [f"{experts_of[i]} {shown_total[i]}" for i in low]
                highs = [f"{experts_of[i]} {shown_total[i]}" for i in high]
                zh.append(
                    f"去掉最高分 {'、'.join(highs)} 和最低分 {'、'.join(lows)}，"
                    f"其余 {len(keep)} 份平均 = {score}"
                )
                en.append(
                    f"dropped the highest {', '.join(highs)} and the lowest {', '.join(lows)}; "
                    f"mean of the other {len(keep)} = {score}"
                )
            else:
                score = raw.r2()
                zh.append(f"评审少于 {2 * trim + 3} 份，不去分，平均分 = {score}")
                en.append(f"fewer than {2 * trim + 3} reviews: nothing dropped, mean = {score}")
        else:  # zscore
            with localcontext() as ctx:
                ctx.prec = 50
                acc = Decimal(0)
                for i in idx:
                    e = experts_of[i]
                    r = ratio[e]
                    if r is None:
                        acc += mu_dec
                    else:
                        ne, s1, _ = stats[e]
                        acc += mu_dec + r * (Decimal(ne * units[i] - s1) / Decimal(ne * unit))
                value = acc / n
            score = _zscore_round(
                value, idx, units, unit, experts_of, stats, n_all, sum_all, var_all_num
            )
            parts = []
            for i in idx:
                e = experts_of[i]
                label = expert_label.get(e)
                if label is None:
                    ne, s1, s2 = stats[e]
                    with localcontext() as ctx:
                        ctx.prec = 30
                        sigma_e = Decimal(ne * s2 - s1 * s1).sqrt() / Decimal(ne * unit)
                    label = expert_label[e] = f"{e} μ={_Q(s1, ne * unit).s2()} σ={round2(sigma_e)}"
                parts.append(label)
            zh.append(
                f"按专家校准（全体 μ={mu_all.s2()} σ={round2(Decimal(sigma_dec))}；"
                f"{'，'.join(parts)}），校准后平均 = {score}"
            )
            en.append(
                f"calibrated per expert (all reviews μ={mu_all.s2()} σ={round2(Decimal(sigma_dec))}; "
                f"{', '.join(parts)}), calibrated mean = {score}"
            )
        raw_shown = raw.r2()
        zh.append(f"原始平均 {raw_shown}，极差 {spread}")
        en.append(f"raw mean {raw_shown}, spread {spread}")
        if divergent:
            zh.append(f"评分分歧：极差 {spread} 超过 {divergence}")
            en.append(f"divergent panel: spread {spread} above {divergence}")
        offsets = {experts_of[i]: offset_of[experts_of[i]] for i in idx}
        results.append(
            AggregateResult(
                application=app,
                score=score,
                raw_mean=raw_shown,
                spread=spread,
                rank=0,
                reviews=n,
                trimmed=trimmed,
                divergent=divergent,
                dropped=dropped,
                offsets=offsets,
                explanation=zh,
                explanation_en=en,
                totals={experts_of[i]: totals[i] for i in idx},
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


_GUARD = Decimal("1e-30")


def _zscore_round(value, idx, units, unit, experts_of, stats, n_all, sum_all, var_all_num):
    """Round a z-score mean computed with 50 digits; when it lies within 10⁻³⁰ of a rounding
    boundary (x.xx5), recompute it exactly (rational ratios as fractions, the others with 80
    digits) so the half-up rule is applied to the true value."""
    with localcontext() as ctx:
        ctx.prec = 50
        frac = (value * 100) % 1
        if abs(frac - Decimal("0.5")) > _GUARD:
            return round2(value)
    mu = Fraction(sum_all, n_all * unit)
    exact = Fraction(0)
    approx = Decimal(0)
    for i in idx:
        e = experts_of[i]
        ne, s1, s2 = stats[e]
        var_e_num = ne * s2 - s1 * s1
        exact += mu
        if var_e_num == 0:
            continue
        ratio2 = Fraction(var_all_num * ne * ne, n_all * n_all * var_e_num)
        deviation = Fraction(ne * units[i] - s1, ne * unit)
        root = _sqrt_fraction(ratio2)
        if root is not None:
            exact += root * deviation
        else:
            with localcontext() as ctx:
                ctx.prec = 80
                approx += (Decimal(ratio2.numerator) / Decimal(ratio2.denominator)).sqrt() * (
                    Decimal(deviation.numerator) / Decimal(deviation.denominator)
                )
    n = len(idx)
    if approx == 0:
        return round2(exact / n)
    with localcontext() as ctx:
        ctx.prec = 80
        return round2((Decimal(exact.numerator) / Decimal(exact.denominator) + approx) / n)


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
