"""An expert declares its availability per round on its own page (available or not, most
applications); the office sees it on the round page; the assignment honours it. Another
person, a round already handed to the experts, or a non-number changes nothing."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import make_organization, make_user
from tests.review.test_pages import login
from zhizao.accounts.enums import Role
from zhizao.common.models import AuditEntry
from zhizao.review import services
from zhizao.review.models import Assignment, RoundExpert


def _post(client, w, review_round, **values):
    url = reverse("review:availability_declare", args=[review_round.pk])
    return client.post(url, {f"r{review_round.pk}-{k}": v for k, v in values.items()})


def test_expert_declares_and_the_assignment_honours_it(client, rw):
    login(client, rw.users["free1"])
    page = client.get(reverse("review:my_availability"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "网评第一轮" in text and "未声明：视为可参加。" in text

    response = _post(client, rw, rw.round, max_load="")  # unchecked box: not available
    assert response.status_code == 302
    assert response["Location"] == reverse("review:my_availability")
    login(client, rw.users["free2"])
    assert _post(client, rw, rw.round, available="on", max_load="1").status_code == 302

    rows = {r.expert_id: (r.available, r.max_load) for r in RoundExpert.objects.all()}
    assert rows == {rw.experts["free1"].pk: (False, None), rw.experts["free2"].pk: (True, 1)}
    assert AuditEntry.objects.filter(context__event="review.availability").count() == 2

    login(client, rw.office)
    detail = client.get(reverse("review:round_detail", args=[rw.round.pk])).content.decode()
    assert "评审测试专家戊: 不参评" in detail
    assert "评审测试专家己: 可参评 · 最多评审申报数 1" in detail

    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    counts = {
        key: Assignment.objects.filter(round=rw.round, expert=e).count()
        for key, e in rw.experts.items()
    }
    assert counts["free1"] == 0
    assert counts["free2"] <= 1  # its declared load
    assert sum(counts.values()) == 6


def test_others_and_started_rounds_change_nothing(client, rw):
    before = AuditEntry.objects.count()
    # an applicant, and an expert membership that is not in the pool
    outsider_org = make_organization(name="评审测试外部大学", kind="university", industry=None)
    outsider = make_user("rv-outsider", role=Role.EXPERT, organization=outsider_org)
    for user in (rw.applicant_users[0], outsider, rw.office):
        login(client, user)
        assert client.get(reverse("review:my_availability")).status_code == 404
        assert _post(client, rw, rw.round, max_load="2").status_code == 404
    # a round handed to the experts: the expert's page no longer offers it
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    before = AuditEntry.objects.count()
    login(client, rw.users["free1"])
    assert _post(client, rw, rw.round, max_load="2").status_code == 404
    assert "网评第一轮" not in client.get(reverse("review:my_availability")).content.decode()
    assert not RoundExpert.objects.exists()
    assert AuditEntry.objects.count() == before


def test_expert_cannot_declare_for_another_expert_through_the_service(rw):
    import pytest

    from zhizao.review.errors import ReviewError

    with pytest.raises(ReviewError) as error:
        services.set_availability(rw.actor("free1"), rw.round, rw.experts["free2"], available=False)
    assert error.value.code == "not_office"
    assert not RoundExpert.objects.exists()


def test_bad_load_changes_nothing(client, rw):
    login(client, rw.users["free1"])
    response = _post(client, rw, rw.round, available="on", max_load="0")
    assert response.status_code == 302
    assert not RoundExpert.objects.exists()
