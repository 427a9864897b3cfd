"""回避申请: the applicant names up to the call's limit of experts or organisations to keep
away from its review, each with its reason; the office sees them on the application and the
assignment excludes every expert they resolve to. A fourth is refused, another applicant is
refused, and once the review has started nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, actor_for
from zhizao.calls.errors import CallError
from zhizao.calls.models import Application
from zhizao.calls.services.applications import set_named_exclusions
from zhizao.common.models import AuditEntry
from zhizao.review.adapters import build_problem
from zhizao_core.review import exclusions

ROWS = {
    "kind_0": "expert",
    "name_0": "评审测试专家戊",
    "reason_0": "该专家是我方项目负责人的博士导师",
    "kind_1": "organisation",
    "name_1": "评审测试大学5",
    "reason_1": "该单位是我方主要竞争对手",
    "kind_2": "expert",
    "name_2": "",
    "reason_2": "",
}
SAVED = [
    {"kind": "expert", "name": "评审测试专家戊", "reason": "该专家是我方项目负责人的博士导师"},
    {"kind": "organisation", "name": "评审测试大学5", "reason": "该单位是我方主要竞争对手"},
]


def login(client, user, lang="zh-hans"):
    assert client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = lang


def audits():
    return AuditEntry.objects.filter(context__event="calls.named_exclusions_set").count()


def test_applicant_names_an_expert_and_an_organisation_and_the_assignment_excludes_them(client, rw):
    app = rw.apps[0]
    login(client, rw.applicant_users[0])
    page = client.get(reverse("calls:application_exclusions", args=[app.pk]))
    assert page.status_code == 200
    assert page.content.decode().count('name="reason_') == 3  # the call's limit
    answer = client.post(reverse("calls:application_exclusions", args=[app.pk]), ROWS)
    assert answer.status_code == 302
    app.refresh_from_db()
    assert app.named_exclusions == SAVED
    assert audits() == 1
    # the office reads them with their reasons; the applicant too, in English
    login(client, rw.office)
    text = client.get(reverse("calls:application_detail", args=[app.pk])).content.decode()
    assert "该专家是我方项目负责人的博士导师" in text and "该单位是我方主要竞争对手" in text
    login(client, rw.applicant_users[0], "en")
    text = client.get(reverse("calls:application_detail", args=[app.pk])).content.decode()
    assert "Exclusion requests" in text and "an organisation" in text
    # the named expert and every expert of the named organisation are excluded, rule "named"
    problem, *_ = build_problem(rw.round)
    named = {(x.application, x.expert) for x in exclusions(problem) if x.rule == "named"}
    assert named == {
        (str(app.pk), str(rw.experts["free1"].pk)),
        (str(app.pk), str(rw.experts["free2"].pk)),
    }


def test_a_fourth_is_refused_and_nothing_changes(rw):
    app = rw.apps[0]
    actor = actor_for(rw.applicant_users[0])
    set_named_exclusions(actor, app, SAVED)
    before = audits()
    four = [
        *SAVED,
        {"kind": "expert", "name": "评审测试专家己", "reason": "同行竞争"},
        {"kind": "expert", "name": "评审测试专家丁", "reason": "合作过"},
    ]
    with translation.override("en"), pytest.raises(CallError) as refused:
        set_named_exclusions(actor, app, four)
    assert refused.value.code == "too_many_exclusions"
    assert refused.value.message == "You may name at most 3 experts or organisations to exclude."
    app.refresh_from_db()
    assert app.named_exclusions == SAVED
    assert audits() == before


def test_a_request_without_its_reason_is_refused_on_the_page(client, rw):
    app = rw.apps[0]
    login(client, rw.applicant_users[0], "en")
    rows = {**ROWS, "reason_1": ""}
    page = client.post(reverse("calls:application_exclusions", args=[app.pk]), rows)
    assert page.status_code == 200
    assert "Reason is required." in page.content.decode()
    app.refresh_from_db()
    assert app.named_exclusions == []
    assert audits() == 0


def test_another_applicant_and_an_expert_cannot_see_or_change_them(client, rw):
    app = rw.apps[0]
    actor = actor_for(rw.applicant_users[0])
    set_named_exclusions(actor, app, SAVED)
    before = audits()
    for user in (rw.applicant_users[1], rw.users["free1"]):
        login(client, user)
        url = reverse("calls:application_exclusions", args=[app.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {**ROWS, "name_0": "别人"}).status_code == 404
        detail = client.get(reverse("calls:application_detail", args=[app.pk]))
        assert detail.status_code == 404
    other = actor_for(rw.applicant_users[1])
    with pytest.raises(CallError) as refused:
        set_named_exclusions(other, app, [])
    assert refused.value.code == "not_allowed"
    app.refresh_from_db()
    assert app.named_exclusions == SAVED
    assert audits() == before


def test_once_the_review_has_started_nothing_changes(client, rw):
    app = rw.apps[0]
    Application.objects.filter(pk=app.pk).update(state="in_review")
    login(client, rw.applicant_users[0], "en")
    url = reverse("calls:application_exclusions", args=[app.pk])
    page = client.get(url)
    assert "The review has started" in page.content.decode()
    client.post(url, ROWS)
    app.refresh_from_db()
    assert app.named_exclusions == []
    assert audits() == 0


def test_the_application_page_offers_exclusions_only_until_review_starts(client, rw):
    app = rw.apps[0]  # formal review passed: the applicant may still name them
    login(client, rw.applicant_users[0])
    detail = reverse("calls:application_detail", args=[app.pk])
    assert 'data-testid="exclusions-link"' in client.get(detail).content.decode()
    for state in ("in_review", "selected", "not_selected", "withdrawn"):
        Application.objects.filter(pk=app.pk).update(state=state)
        text = client.get(detail).content.decode()
        assert 'data-testid="exclusions-link"' not in text, state
