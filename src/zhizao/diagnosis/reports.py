"""Everything a report shows, computed from the answers: scores, the roadmap, the peer
benchmark, the trend and the self-versus-verified comparison. Used by the page, the PDF and
the API alike."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization
from zhizao_core.diagnosis import NA, answer_code, peer_group, roadmap
from zhizao_core.diagnosis import round_half_up as rhu

from .charts import bar_svg, radar_svg
from .enums import AnswerValue, AssessmentKind, AssessmentState
from .models import Assessment, lang_text
from .services import answers_of, compute

# The national level shares the report quotes as the outside reference (CESI 智能制造成熟度指数
# 报告 2022, via docs/diagnosis-models.md): ≤ L1 63 %, L2 21 %, L3 12 %, ≥ L4 4 %.
NATIONAL_SHARES = (("≤ 1", 63), ("2", 21), ("3", 12), ("≥ 4", 4))


tr = lang_text


def fmt(value: Fraction, places: int = 2) -> str:
    return rhu(value, places)


def reason_text(reason: str) -> str:
    return {
        "met": _("met: the level score reaches the threshold and every lower level is met"),
        "below_threshold": _("not met: the level score is below the threshold"),
        "nothing_applies": _(
            "not met: no requirement of this level applies (none exists or all are answered "
            "“not applicable”), so its score is 0"
        ),
        "lower_level_not_met": _("not credited: a lower level is not met"),
    }.get(reason, reason)


def rules_text(model, assessment: Assessment) -> list[str]:
    threshold = fmt(model.threshold, 2)
    lines = [
        _("Model: %(name)s, version %(version)s; enterprise type: %(type)s.")
        % {
            "name": tr(model.name),
            "version": model.version,
            "type": assessment.get_enterprise_type_display(),
        },
        _(
            "Each requirement scores 1 (fully met), 0.8 (mostly met), 0.5 (partly met) or 0 "
            "(not met); “not applicable” answers are left out."
        ),
        _("A sub-domain's score at a level is the mean of its requirement scores at that level."),
        _(
            "Domains, elements and the level score are weighted means of their children, with "
            "the weights for this enterprise type renormalised over the children that apply at "
            "that level."
        ),
        _(
            "Levels are judged from the bottom: a level is met when its score is at least "
            "%(threshold)s and every level below it is met."
        )
        % {"threshold": threshold},
    ]
    if model.level_rule == "full_credit":
        lines.append(
            _(
                "Total score S = number of levels met + the score of the first level not met "
                "(full credit for met levels)."
            )
        )
    else:
        lines.append(
            _(
                "Total score S = the sum of the scores of the levels met + the score of the "
                "first level not met (actual scores)."
            )
        )
    lines.append(_("Scores are computed exactly and rounded half-up only for display."))
    lines.append(
        _(
            "A self-assessment is not a certified maturity level; certification follows "
            "GB/T 39117-2020 through an accredited assessment body."
        )
    )
    return lines


@dataclass
class Report:
    assessment: Assessment
    model: object
    result: object
    level_rows: list = field(default_factory=list)
    grid: list = field(default_factory=list)
    radar: str = ""
    radar_level: int = 0
    roadmap: list = field(default_factory=list)
    target_level: int | None = None
    benchmark: list = field(default_factory=list)
    trend: dict | None = None
    comparison: dict | None = None
    rules: list = field(default_factory=list)
    explanation: list = field(default_factory=list)
    draft: bool = False
    national: list = field(default_factory=list)
    evidence: dict = field(default_factory=dict)

    @property
    def score_display(self) -> str:
        if self.model.scale == "percent":
            return fmt(self.result.score * 100 / len(self.model.levels), 1) + "%"
        return fmt(self.result.score, 2)

    @property
    def level_name(self) -> str:
        if self.result.level == 0:
            return _("below level 1")
        return tr(self.model.levels[self.result.level - 1].name)


def build_report(assessment: Assessment, *, target_level: int | None = None) -> Report:
    model, result = compute(assessment)
    report = Report(
        assessment=assessment,
        model=model,
        result=result,
        draft=assessment.state != AssessmentState.SUBMITTED,
    )
    for lv, level in zip(result.levels, model.levels, strict=True):
        report.level_rows.append(
            {
                "number": lv.number,
                "name": tr(level.name),
                "score": fmt(lv.score, 4),
                "percent": float(lv.score) * 100,
                "met": lv.met,
                "reason": reason_text(lv.reason),
                "reason_code": lv.reason,
            }
        )
    numbers = model.level_numbers
    for element in model.elements:
        rows = []
        for domain in element.domains:
            subs = [
                {
                    "id": s.id,
                    "name": tr(s.name),
                    "cells": _cells(result, s.id, numbers),
                }
                for s in domain.subdomains
            ]
            rows.append(
                {
                    "id": domain.id,
                    "name": tr(domain.name),
                    "cells": _cells(result, domain.id, numbers),
                    "subdomains": subs,
                }
            )
        report.grid.append(
            {
                "id": element.id,
                "name": tr(element.name),
                "cells": _cells(result, element.id, numbers),
                "domains": rows,
            }
        )
    report.radar_level = result.working_level
    domains = model.domains()
    self_values = [
        float(result.node(d.id, report.radar_level).score)
        if result.node(d.id, report.radar_level).applies
        else None
        for d in domains
    ]
    series = [(_("This assessment"), self_values, "radar-self")]
    report.comparison = comparison(assessment, model, result)
    if report.comparison and report.comparison.get("other_result") is not None:
        other = report.comparison["other_result"]
        series.append(
            (
                report.comparison["other_label"],
                [
                    float(other.node(d.id, report.radar_level).score)
                    if other.node(d.id, report.radar_level).applies
                    else None
                    for d in domains
                ],
                "radar-verified",
            )
        )
    report.radar = radar_svg(
        [tr(d.name) for d in domains],
        series,
        title=_("Domain scores at level %(n)s") % {"n": report.radar_level},
    )
    report.target_level = target_level or assessment.target_level
    report.roadmap = roadmap_view(assessment, model, result, report.target_level)
    report.rules = rules_text(model, assessment)
    report.evidence = evidence_summary(assessment, result)
    report.explanation = explanation_view(model, result)
    if assessment.state == AssessmentState.SUBMITTED and assessment.kind == AssessmentKind.SELF:
        report.benchmark = benchmark(assessment, model)
        report.trend = trend(assessment, model, result)
    report.national = [
        {"label": label, "share": share, "bar": bar_svg([(label, share / 100, "")])}
        for label, share in NATIONAL_SHARES
    ]
    return report


def evidence_summary(assessment: Assessment, result) -> dict:
    """How many “fully met” answers are backed by a file or at least a comment: the figure an
    on-site verifier looks at first (unsupported “fully met” answers are the ones marked down)."""
    full = {rid for rid, value in result.requirement_scores.items() if value == 1}
    files = set(assessment.evidence.values_list("requirement_id", flat=True))
    comments = set(assessment.answers.exclude(comment="").values_list("requirement_id", flat=True))
    with_files = len(full & files)
    with_comment_only = len((full & comments) - files)
    return {
        "full": len(full),
        "files": with_files,
        "comment_only": with_comment_only,
        "unsupported": len(full) - with_files - with_comment_only,
        "share": round(with_files * 100 / len(full)) if full else 0,
    }


def _cells(result, node_id: str, numbers: list[int]) -> list[dict]:
    out = []
    for n in numbers:
        node = result.node(node_id, n)
        out.append(
            {
                "level": n,
                "applies": node.applies,
                "score": fmt(node.score, 2) if node.applies else "—",
                "low": node.applies and node.score < result.threshold,
                "weight": fmt(node.weight, 4) if node.applies else "",
            }
        )
    return out


def explanation_view(model, result) -> list[dict]:
    names = {e.id: tr(e.name) for e in model.elements}
    steps = []
    for step in result.explanation:
        if step["step"] == "level":
            steps.append(
                {
                    "kind": "level",
                    "level": step["level"],
                    "score": step["score"],
                    "met": step["met"],
                    "reason": reason_text(step["reason"]),
                    "terms": " + ".join(
                        f"{e['weight']} × {e['score']} ({names.get(e['id'], e['id'])})"
                        for e in step["elements"]
                    )
                    or "0",
                }
            )
        else:
            steps.append(
                {
                    "kind": "total",
                    "rule": step["rule"],
                    "terms": " + ".join(step["terms"]) or "0",
                    "score": step["score"],
                    "level": step["level"],
                }
            )
    return steps


# --- roadmap with providers ----------------------------------------------------------------

_PROVIDERS: dict[str, tuple[float, dict]] = {}
PROVIDER_TTL = 300


def provider_index() -> dict[str, list[tuple[int, str, str, str]]]:
    """capability tag → [(id, name, city code, province code)] of active providers, kept a few
    minutes in memory (one query)."""
    cached = _PROVIDERS.get("index")
    if cached and time.monotonic() - cached[0] < PROVIDER_TTL:
        return cached[1]
    index: dict[str, list] = {}
    rows = (
        Organization.objects.filter(kind=OrganizationKind.PROVIDER, is_active=True)
        .order_by("name_sort", "id")
        .values_list("id", "name", "capabilities", "city_code", "province_code")
    )
    for pk, name, capabilities, city, province in rows:
        for tag in capabilities or []:
            index.setdefault(str(tag).strip(), []).append((pk, name, city, province))
    _PROVIDERS["index"] = (time.monotonic(), index)
    return index


def clear_provider_index() -> None:
    _PROVIDERS.clear()


def providers_for(tags, organization, limit: int = 3) -> list[dict]:
    index = provider_index()
    seen: dict[int, dict] = {}
    for tag in tags:
        for pk, name, city, province in index.get(tag, []):
            entry = seen.setdefault(
                pk, {"id": pk, "name": name, "tags": [], "city": city, "province": province}
            )
            entry["tags"].append(tag)
    ranked = sorted(
        seen.values(),
        key=lambda p: (
            0
            if p["city"] == organization.city_code
            else 1
            if p["province"] == organization.province_code
            else 2,
            -len(p["tags"]),
        ),
    )
    for p in ranked:
        p["local"] = p["city"] == organization.city_code
    return ranked[:limit]


def roadmap_view(assessment, model, result, target_level) -> list[dict]:
    gaps = roadmap(model, result, target_level)
    out = []
    for gap in gaps:
        items = []
        for item in gap.items:
            _element, domain, sub = model.path_of_subdomain[item.requirement.subdomain]
            items.append(
                {
                    "id": item.requirement.id,
                    "text": tr(item.requirement.text),
                    "next_step": tr(item.requirement.next_step),
                    "evidence": tr(item.requirement.evidence),
                    "subdomain": tr(sub.name),
                    "domain": tr(domain.name),
                    "current": rhu(item.current, 1) if item.current != NA else "na",
                    "current_label": _answer_label(item.current),
                    "gain": fmt(item.gain, 4),
                    "gain_points": fmt(item.gain * 100, 2),
                    "closes": item.closes,
                    "tags": list(sub.tags),
                    "providers": providers_for(sub.tags, assessment.organization),
                }
            )
        out.append(
            {
                "level": gap.level,
                "name": tr(model.levels[gap.level - 1].name),
                "score": fmt(gap.score, 4),
                "threshold": fmt(gap.threshold, 2),
                "needed": fmt(gap.needed, 4),
                "closing_count": gap.closing_count,
                "closing_count_negative": -gap.closing_count,
                "after": fmt(gap.score_after_closing, 4),
                "reason_code": gap.reason,
                "items": items,
            }
        )
    return out


# --- benchmark -----------------------------------------------------------------------------


def benchmark(assessment: Assessment, model) -> list[dict]:
    """Where the assessment stands among the latest self-assessments on the same model version:
    same industry division, same city, same size, everyone. Groups under 5 are hidden."""
    pool = Assessment.objects.filter(
        model_id=assessment.model_id, kind=AssessmentKind.SELF, is_latest=True
    )
    mine = assessment.score
    numbers = [0, *model.level_numbers]
    groups = [
        (
            "industry",
            _("Same industry division"),
            {"industry_division": assessment.industry_division},
        ),
        ("region", _("Same city"), {"city_code": assessment.city_code}),
        ("size", _("Same enterprise size"), {"size": assessment.size}),
        ("all", _("All enterprises on the platform"), {}),
    ]
    out = []
    for key, label, where in groups:
        if any(not v for v in where.values()):
            out.append({"key": key, "label": label, "hidden": True, "size": 0, "missing_key": True})
            continue
        aggregates = {
            "total": Count("id"),
            "below": Count("id", filter=Q(score__lt=mine)),
            "equal": Count("id", filter=Q(score=mine)),
            **{f"l{n}": Count("id", filter=Q(level=n)) for n in numbers},
        }
        row = pool.filter(**where).aggregate(**aggregates)
        group = peer_group(
            key,
            below=row["below"],
            equal=row["equal"],
            total=row["total"],
            level_counts={n: row[f"l{n}"] for n in numbers},
        )
        entry = {"key": key, "label": label, "hidden": group.hidden, "size": group.size}
        if not group.hidden:
            entry["percentile"] = fmt(group.percentile, 1)
            entry["shares"] = [
                {
                    "level": n,
                    "share": fmt(share * 100, 1),
                    "mine": n == assessment.level,
                }
                for n, share in group.level_shares.items()
            ]
            entry["bars"] = bar_svg(
                [
                    (
                        _("Level %(n)s") % {"n": n} if n else _("Below 1"),
                        float(share),
                        "bar-mine" if n == assessment.level else "",
                    )
                    for n, share in group.level_shares.items()
                ]
            )
        out.append(entry)
    return out


# --- trend ---------------------------------------------------------------------------------


def trend(assessment: Assessment, model, result) -> dict | None:
    earlier = list(
        Assessment.objects.filter(
            organization_id=assessment.organization_id,
            kind=AssessmentKind.SELF,
            state=AssessmentState.SUBMITTED,
            model__key=assessment.model.key,
            submitted_at__lt=assessment.submitted_at,
        )
        .order_by("submitted_at")
        .only("id", "submitted_at", "score", "level", "result")
    )
    if not earlier:
        return None
    level = str(result.working_level)
    series = [*earlier, assessment]
    rows = []
    for domain in model.domains():
        values = []
        previous = None
        for a in series:
            value = (a.result.get("domains", {}).get(domain.id) or {}).get(level)
            delta = None
            if value is not None and previous is not None:
                delta = float(value) - float(previous)
            values.append({"value": value[:4] if value else "—", "delta": delta})
            if value is not None:
                previous = value
        rows.append({"name": tr(domain.name), "values": values})
    last = earlier[-1]
    before = answers_of(last)
    now = result.requirement_scores
    closed = [
        tr(model.requirement_by_id[rid].text)
        for rid, value in now.items()
        if value != NA
        and value == 1
        and rid in before
        and before[rid] != NA
        and before[rid] < 1
        and rid in model.requirement_by_id
    ]
    return {
        "level": level,
        "columns": [
            {"id": a.id, "date": a.submitted_at, "score": str(a.score)[:4], "level": a.level}
            for a in series
        ],
        "rows": rows,
        "closed": closed,
    }


# --- self versus verified ------------------------------------------------------------------


def comparison(assessment: Assessment, model, result) -> dict | None:
    if assessment.kind == AssessmentKind.ONSITE:
        other = assessment.verifies
        label = _("Self-assessment")
        self_result, verified_result = None, result
    else:
        other = (
            assessment.verifications.filter(state=AssessmentState.SUBMITTED)
            .select_related("provider", "model")
            .order_by("-submitted_at")
            .first()
        )
        label = _("Verified on site")
        self_result, verified_result = result, None
    if other is None:
        return None
    other_model, other_result = compute(other)
    if other_model.id != model.id or other_model.version != model.version:
        return None
    if self_result is None:
        self_result = other_result
    else:
        verified_result = other_result
    self_answers = self_result.requirement_scores
    verified_answers = verified_result.requirement_scores
    differences = []
    for req in model.requirements:
        a, b = self_answers.get(req.id), verified_answers.get(req.id)
        if a == b:
            continue
        differences.append(
            {
                "id": req.id,
                "text": tr(req.text),
                "level": req.level,
                "self": _answer_label(a),
                "verified": _answer_label(b),
                "down": a not in (None, NA) and b not in (None, NA) and b < a,
            }
        )
    levels = []
    for s, v in zip(self_result.levels, verified_result.levels, strict=True):
        levels.append(
            {
                "number": s.number,
                "self": fmt(s.score, 4),
                "verified": fmt(v.score, 4),
                "differs": s.met != v.met,
                "delta": fmt(v.score - s.score, 4),
            }
        )
    return {
        "other": other,
        "other_label": label,
        "other_result": other_result,
        "self_score": fmt(self_result.score, 2),
        "verified_score": fmt(verified_result.score, 2),
        "self_level": self_result.level,
        "verified_level": verified_result.level,
        "levels": levels,
        "differences": differences,
        "provider": assessment.provider
        if assessment.kind == AssessmentKind.ONSITE
        else other.provider,
    }


def _answer_label(value) -> str:
    if value is None:
        return _("not answered")
    return AnswerValue(answer_code(value)).label
