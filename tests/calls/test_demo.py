"""The calls demo (``manage.py calls_demo``) on a small registry: 14 member societies nominate
within their quotas (one nomination refused), two applications returned for correction, the
smart-factory 公示 with one objection, the two previous years' catalogues; every stage dated
for its year (past calls closed, this year's 双十 in its online review, the 公示 today); no
application title names its applicant (reviews are blind); a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhizao.accounts.demo import _organization_for, ensure_demo_accounts
from zhizao.calls.demo import load_calls_demo
from zhizao.calls.models import Application, Call, Catalogue, NominationQuota, Objection
from zhizao.calls.selectors import current_stage, stage_open
from zhizao.registry.services.demo import load_demo_organizations
from zhizao.review.demo import load_review_demo


def test_calls_demo(db):
    # one build for every check: it is the slow part
    load_demo_organizations(size=150, seed=20261123)
    ensure_demo_accounts()
    result = load_calls_demo()
    _check_facts(result)
    _check_stage_dates()
    rows = (Call.objects.count(), Application.objects.count(), Catalogue.objects.count())
    assert load_calls_demo() == {"existing": 4}
    assert (Call.objects.count(), Application.objects.count(), Catalogue.objects.count()) == rows
    # the review demo builds its online round on this year's 双十 (as scripts/demo.sh runs it)
    review = load_review_demo()
    assert review.get("note") is None, review
    tech = Call.objects.get(kind="tech_advance", year=_year())
    per_application = min(5, max(1, tech.reviewers_per_application))
    assert review["assignments"] == 54 * per_application


def _year() -> int:
    return timezone.localdate().year


def _check_facts(demo):
    year = _year()
    assert demo == {
        "calls": 4,
        "applications": 60,
        "nominated": 56,
        "refused": 1,
        "returned": 2,
        "publicity": 8,
    }
    tech = Call.objects.get(kind="tech_advance", year=year)
    apps = Application.objects.filter(call=tech)
    assert apps.count() == 60
    # 14 member societies nominate, 4 each (society 1 had a fifth addressed to it: refused)
    nominated = apps.exclude(state__in=["draft", "submitted"])
    per_society = {}
    for nominator_id in nominated.values_list("nominator_id", flat=True):
        per_society[nominator_id] = per_society.get(nominator_id, 0) + 1
    assert len(per_society) == 14
    assert set(per_society.values()) == {4}
    quotas = NominationQuota.objects.filter(call=tech).select_related("nominator")
    assert sorted((q.nominator.kind, q.quota) for q in quotas) == [("society", 4)] * 14
    assert set(per_society) == {q.nominator_id for q in quotas}
    assert set(apps.values_list("state", flat=True)) == {"formal_passed", "returned", "submitted"}
    assert apps.filter(state="returned").count() == 2
    assert apps.filter(state="formal_passed").count() == 54
    assert apps.filter(state="submitted").count() == 4  # one refused, three left undecided
    # the smart-factory recognition in 公示, one objection by the verified bank user
    factory = Call.objects.get(kind="smart_factory", year=year)
    assert factory.publicity.entries.count() == 8
    assert factory.publicity.state == "open"
    objection = Objection.objects.get()
    assert objection.publicity_id == factory.publicity.pk
    assert objection.objector.username == "bank"
    assert objection.state == "open"
    # the two previous years' catalogues, ten entries each; the demo enterprise on last year's
    catalogues = list(Catalogue.objects.order_by("year"))
    assert [(c.year, c.title, c.entries.count()) for c in catalogues] == [
        (year - 2, f"{year - 2}年度智能制造十大科技进展名单", 10),
        (year - 1, f"{year - 1}年度智能制造十大科技进展名单", 10),
    ]
    assert [c.published_on for c in catalogues] == [
        dt.date(year - 2, 11, 25),
        dt.date(year - 1, 11, 25),
    ]
    enterprise = _organization_for("manufacturer")
    assert catalogues[1].entries.filter(organization=enterprise).exists()
    # no title names its applicant, and no two applications of a call share a title
    for app in Application.objects.select_related("applicant"):
        assert app.applicant.name not in app.title, app.title
    for call in Call.objects.all():
        titles = list(call.applications.values_list("title", flat=True))
        assert len(titles) == len(set(titles)), call.title


def _check_stage_dates():
    year = _year()
    now = timezone.now()
    for call in Call.objects.filter(year__lt=year):
        stages = list(call.stages.order_by("order"))
        assert [s.kind for s in stages] == [
            "apply",
            "nominate",
            "formal",
            "online",
            "panel",
            "publicity",
            "publish",
        ]
        # every stage within its own year, closed long ago
        for s in stages:
            opens, closes = timezone.localtime(s.opens), timezone.localtime(s.closes)
            assert opens.year == closes.year == call.year
            assert opens < closes < now
        assert [
            (timezone.localtime(s.opens).date(), timezone.localtime(s.closes).date())
            for s in stages
            if s.kind in ("apply", "publicity")
        ] == [
            (dt.date(call.year, 3, 1), dt.date(call.year, 4, 30)),
            (dt.date(call.year, 11, 2), dt.date(call.year, 11, 20)),
        ]
        # its applications were submitted while applications were open
        apply = stages[0]
        for submitted in call.applications.values_list("submitted_at", flat=True):
            assert apply.opens <= submitted <= apply.closes
    tech = Call.objects.get(kind="tech_advance", year=year)
    assert current_stage(tech).kind == "online"
    assert not stage_open(tech, "apply")
    assert not stage_open(tech, "nominate")
    assert stage_open(tech, "online")
    factory = Call.objects.get(kind="smart_factory", year=year)
    assert current_stage(factory).kind == "publicity"
    assert not stage_open(factory, "apply")
    # nothing is dated more than a quarter ahead (the stages once ran for thirty years)
    for call in Call.objects.filter(year=year):
        for s in call.stages.all():
            assert s.closes - now < dt.timedelta(days=100), (call.title, s.kind)
            assert s.opens < s.closes
        for submitted in call.applications.values_list("submitted_at", flat=True):
            assert submitted < now - dt.timedelta(days=30)
