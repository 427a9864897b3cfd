"""Reads of the diagnosis module: the default model, the exact scores of an assessment's
answers, the report (everything a report shows: scores, the roadmap with providers, the peer
benchmark, the trend, the self-versus-verified comparison; shared by the page, the PDF and the
API) and a campaign's conflicts of interest."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from zhizao.accounts.models import Membership
from zhizao_core.diagnosis import NA, normalize_answer, peer_group, roadmap, score
from zhizao_core.diagnosis import round_half_up as rhu

from .cache import provider_index
from .charts import bar_svg, radar_svg
from .enums import AssessmentKind, AssessmentState
from .messages import NATIONAL_SHARES, answer_label, fmt, lang_text, reason_text, rules_text
from .models import Assessment, Campaign, MaturityModel
from .recommenders import recommendations_for

tr = lang_text


def default_model() -> MaturityModel | None:
    return (
        MaturityModel.objects.filter(is_current=True, is_default=True).first()
        or MaturityModel.objects.filter(is_current=True).first()
    )


def answers_of(assessment: Assessment) -> dict:
    return {
        a.requirement_id: normalize_answer(a.value)
        for a in assessment.answers.all()
        if normalize_answer(a.value) is not None
    }


def compute(assessment: Assessment):
    """The exact result of an assessment's answers (complete or not: unanswered requirements
    are left out, like 不适用, which the report says for drafts)."""
    model = assessment.model.parsed()
    asked = {r.id for r in model.asked(assessment.enterprise_type)}
    answers = {k: v for k, v in answers_of(assessment).items() if k in asked}
    return model, score(model, assessment.enterprise_type, answers)


def missing_requirements(assessment: Assessment) -> list[str]:
    model = assessment.model.parsed()
    answered = set(assessment.answers.values_list("requirement_id", flat=True))
    return [r.id for r in model.asked(assessment.enterprise_type) if r.id not in answered]


def provider_conflicts(campaign: Campaign) -> dict[int, set[int]]:
    """Per campaign provider: the enterprises it has a stake in — declared ones, and any
    enterprise a member of the provider's staff also belongs to."""
    entries = list(campaign.providers.prefetch_related("conflicts"))
    target_ids = set(campaign.targets.values_list("enterprise_id", flat=True))
    out = {e.pk: {c.pk for c in e.conflicts.all()} for e in entries}
    provider_orgs = {e.provider_id: e.pk for e in entries}
    staff = Membership.objects.filter(
        organization_id__in=provider_orgs, is_active=True
    ).values_list("user_id", "organization_id")
    users_by_provider: dict[int, set[int]] = {}
    for user_id, org_id in staff:
        users_by_provider.setdefault(org_id, set()).add(user_id)
    all_users = set().union(*users_by_provider.values()) if users_by_provider else set()
    shared = Membership.objects.filter(
        user_id__in=all_users, organization_id__in=target_ids, is_active=True
    ).values_list("user_id", "organization_id")
    for user_id, enterprise_id in shared:
        for org_id, users in users_by_provider.items():
            if user_id in users:
                out[provider_orgs[org_id]].add(enterprise_id)
    return out


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
    learning = recommendations_for(i.requirement.subdomain for g in gaps for i in g.items)
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
                    "current_label": answer_label(item.current),
                    "gain": fmt(item.gain, 4),
                    "gain_points": fmt(item.gain * 100, 2),
                    "closes": item.closes,
                    "tags": list(sub.tags),
                    "providers": providers_for(sub.tags, assessment.organization),
                    "learning": learning.get(item.requirement.subdomain, []),
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
                "self": answer_label(a),
                "verified": answer_label(b),
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
