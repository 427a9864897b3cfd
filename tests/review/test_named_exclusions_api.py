"""回避申请 through the API: the applicant lists, adds and withdraws its named exclusions with the
page's service (the call's limit, each with its reason, until the review starts); everyone else
gets 404; every refusal changes nothing."""

from __future__ import annotations

from django.urls import reverse

from tests.review.test_named_exclusions import SAVED, audits, login
from zhizao.calls.models import Application

EXPERT = SAVED[0]
ORGANISATION = SAVED[1]


def _post(client, app, body):
    return client.post(
        reverse("api-call-exclusions", args=[app.pk]), body, content_type="application/json"
    )


def _numbered(entries):
    return [{"number": i, **entry} for i, entry in enumerate(entries, start=1)]


def test_applicant_lists_adds_and_withdraws_within_the_limit(client, rw):
    app = rw.apps[0]
    login(client, rw.applicant_users[0])
    url = reverse("api-call-exclusions", args=[app.pk])
    assert client.get(url).json() == {"limit": 3, "editable": True, "exclusions": []}

    created = _post(client, app, EXPERT)
    assert created.status_code == 201
    assert created.json() == {"limit": 3, "editable": True, "exclusions": _numbered([EXPERT])}
    _post(client, app, ORGANISATION)
    third = {"kind": "expert", "name": "评审测试专家己", "reason": "曾有合作"}
    assert _post(client, app, third).status_code == 201
    assert audits() == 3
    app.refresh_from_db()
    assert app.named_exclusions == [EXPERT, ORGANISATION, third]

    # a fourth is beyond the call's limit: refused, named, nothing changes
    fourth = _post(client, app, {"kind": "organisation", "name": "某单位", "reason": "竞争"})
    assert fourth.status_code == 400
    assert fourth.json()["code"] == "too_many_exclusions"
    assert fourth.json()["field"] == "named_exclusions"
    # a duplicate (after withdrawing one) and a missing reason are refused the same way
    deleted = client.delete(reverse("api-call-exclusion", args=[app.pk, 3]))
    assert deleted.status_code == 200
    assert deleted.json()["exclusions"] == _numbered([EXPERT, ORGANISATION])
    assert audits() == 4
    duplicate = _post(client, app, EXPERT)
    assert (duplicate.status_code, duplicate.json()["code"]) == (400, "duplicate")
    no_reason = _post(client, app, {"kind": "expert", "name": "评审测试专家己", "reason": ""})
    assert no_reason.status_code == 400
    assert no_reason.json()["field"] == "named_exclusions[2].reason"
    bad_kind = _post(client, app, {"kind": "person", "name": "x", "reason": "y"})
    assert (bad_kind.status_code, bad_kind.json()["field"]) == (400, "kind")
    assert client.delete(reverse("api-call-exclusion", args=[app.pk, 3])).status_code == 404
    app.refresh_from_db()
    assert app.named_exclusions == [EXPERT, ORGANISATION]
    assert audits() == 4


def test_others_get_404_and_after_the_review_started_nothing_changes(client, rw):
    app = rw.apps[0]
    Application.objects.filter(pk=app.pk).update(named_exclusions=[EXPERT])
    url = reverse("api-call-exclusions", args=[app.pk])
    one = reverse("api-call-exclusion", args=[app.pk, 1])
    # another applicant, the office, an expert: 404 on every operation
    for user in (rw.applicant_users[1], rw.office, rw.users["free1"]):
        login(client, user)
        assert client.get(url).status_code == 404
        assert _post(client, app, ORGANISATION).status_code == 404
        assert client.delete(one).status_code == 404
    assert Application.objects.get(pk=app.pk).named_exclusions == [EXPERT]
    assert audits() == 0

    Application.objects.filter(pk=app.pk).update(state="in_review")
    login(client, rw.applicant_users[0])
    assert client.get(url).json() == {
        "limit": 3,
        "editable": False,
        "exclusions": _numbered([EXPERT]),
    }
    refused = _post(client, app, ORGANISATION)
    assert (refused.status_code, refused.json()["code"]) == (400, "not_editable")
    refused = client.delete(one)
    assert (refused.status_code, refused.json()["code"]) == (400, "not_editable")
    assert Application.objects.get(pk=app.pk).named_exclusions == [EXPERT]
    assert audits() == 0
