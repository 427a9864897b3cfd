"""公示, objections and catalogues: the period on the working-day calendar, signed objections
only, the objector seen by the office only, reopening a review, publishing grants the title."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import actor_for
from zhizao.calls.errors import CallError
from zhizao.calls.models import Application, CalendarDay, Objection
from zhizao.calls.services import applications as app_services
from zhizao.calls.services import catalogues, formal, nominations, publicity
from zhizao.common.audit import Actor
from zhizao.policies.models import Recognition

from .conftest import login


def _proposed(application, enterprise_user, society_a_user, office_user):
    app_services.submit_application(actor_for(enterprise_user), application)
    nominations.nominate_application(actor_for(society_a_user), application)
    office = actor_for(office_user)
    formal.set_checklist(office, application, {"seal": True, "consistent": True, "authentic": True})
    formal.pass_formal_review(office, application)
    app_services.set_application_state(
        office, application, to="in_review", expected="formal_passed"
    )
    return app_services.set_application_state(
        office, application, to="proposed", expected="in_review"
    )


@pytest.fixture
def proposed(application, enterprise_user, society_a_user, office_user):
    return _proposed(application, enterprise_user, society_a_user, office_user)


def _open(call, proposed, office_user, today):
    return publicity.open_publicity(
        actor_for(office_user),
        call,
        [{"application_id": proposed.pk, "rank": 1, "score": "91.25", "category_id": None}],
        today=today,
        contact="025-12345678",
    )


def test_publicity_runs_five_working_days_over_the_holidays(call, proposed, office_user):
    # Thu 24 Sep (1); 25–27 Sep Mid-Autumn; 28, 29, 30 Sep (2–4); 1–7 Oct National Day; Thu 8 Oct (5)
    assert CalendarDay.objects.filter(date=dt.date(2026, 10, 10), kind="workday").exists()
    row = _open(call, proposed, office_user, dt.date(2026, 9, 24))
    assert (row.opens_on, row.closes_on) == (dt.date(2026, 9, 24), dt.date(2026, 10, 8))
    assert Application.objects.get(pk=proposed.pk).state == "publicity"
    assert Application.objects.get(pk=proposed.pk).final_score == Decimal("91.25")


def test_an_operator_edited_calendar_moves_the_end(call, proposed, office_user, operator):
    publicity.set_calendar_day(
        actor_for(operator), date=dt.date(2026, 7, 3), kind="holiday", name="测试"
    )
    row = _open(call, proposed, office_user, dt.date(2026, 6, 29))  # Mon
    assert row.closes_on == dt.date(2026, 7, 6)


def test_only_proposed_applications_go_into_publicity(call, application, office_user):
    with pytest.raises(CallError) as error:
        publicity.open_publicity(
            actor_for(office_user),
            call,
            [{"application_id": application.pk, "rank": 1, "score": "90"}],
        )
    assert error.value.code == "not_proposed"
    assert Application.objects.get(pk=application.pk).state == "draft"
    from zhizao.calls.models import Publicity

    assert Publicity.objects.count() == 0


def test_anonymous_objection_is_refused_and_a_signed_one_is_filed(
    call, proposed, office_user, other_enterprise_user
):
    row = _open(call, proposed, office_user, dt.date(2026, 6, 29))
    with pytest.raises(CallError) as error:
        publicity.file_objection(
            Actor(), row, proposed, name="匿名", body="有问题", today=dt.date(2026, 6, 30)
        )
    assert error.value.code == "anonymous"
    assert Objection.objects.count() == 0
    objection = publicity.file_objection(
        actor_for(other_enterprise_user),
        row,
        proposed,
        name="赵六",
        body="该成果已于2024年获奖",
        today=dt.date(2026, 6, 30),
    )
    assert (objection.objector_name, objection.state) == ("赵六", "open")


def test_only_the_office_sees_the_objector(
    client, call, proposed, office_user, other_enterprise_user, enterprise_user
):
    row = _open(call, proposed, office_user, dt.date.today())
    objection = publicity.file_objection(
        actor_for(other_enterprise_user), row, proposed, name="赵六", body="数据不实"
    )
    login(client, enterprise_user)
    public = client.get(f"/calls/{call.pk}/publicity/")
    assert public.status_code == 200
    assert "赵六" not in public.content.decode()
    assert client.get(f"/calls/objections/{objection.pk}/").status_code == 404
    client.logout()
    login(client, office_user)
    page = client.get(f"/calls/objections/{objection.pk}/")
    assert page.status_code == 200
    assert "赵六" in page.content.decode()


def test_an_answer_can_reopen_the_review(call, proposed, office_user, other_enterprise_user):
    row = _open(call, proposed, office_user, dt.date(2026, 6, 29))
    objection = publicity.file_objection(
        actor_for(other_enterprise_user),
        row,
        proposed,
        name="赵六",
        body="数据不实",
        today=dt.date(2026, 6, 30),
    )
    answered = publicity.answer_objection(
        actor_for(office_user), objection, answer="重新评审", reopen_review=True
    )
    assert (answered.state, answered.reopened_review) == ("answered", True)
    assert Application.objects.get(pk=proposed.pk).state == "in_review"


def test_another_office_cannot_answer(call, proposed, office_user, other_enterprise_user, officer):
    row = _open(call, proposed, office_user, dt.date(2026, 6, 29))
    objection = publicity.file_objection(
        actor_for(other_enterprise_user),
        row,
        proposed,
        name="赵六",
        body="数据不实",
        today=dt.date(2026, 6, 30),
    )
    with pytest.raises(CallError):
        publicity.answer_objection(actor_for(officer), objection, answer="无", reopen_review=True)
    fresh = Objection.objects.get(pk=objection.pk)
    assert (fresh.state, fresh.answer) == ("open", "")
    assert Application.objects.get(pk=proposed.pk).state == "publicity"


def test_publishing_the_catalogue_grants_the_title(call, proposed, office_user, factory_org):
    row = _open(call, proposed, office_user, dt.date(2026, 6, 29))
    with pytest.raises(CallError) as error:
        catalogues.publish_catalogue(actor_for(office_user), call)
    assert error.value.code == "publicity_not_closed"
    publicity.close_publicity(actor_for(office_user), row, today=dt.date(2026, 7, 6))
    catalogue = catalogues.publish_catalogue(
        actor_for(office_user), call, reference="苏智联〔2026〕8号", today=dt.date(2026, 7, 8)
    )
    entry = catalogue.entries.get()
    assert (entry.organization_id, entry.title, entry.rank) == (
        factory_org.pk,
        "离散制造自适应排产系统",
        1,
    )
    assert Application.objects.get(pk=proposed.pk).state == "selected"
    recognition = Recognition.objects.get(organization=factory_org)
    assert (recognition.title, recognition.level, recognition.since) == (
        "智能制造十大科技进展",
        "national",
        dt.date(2026, 7, 8),
    )
    call.refresh_from_db()
    assert call.state == "published"


def test_catalogue_search_and_export(client, call, proposed, office_user):
    row = _open(call, proposed, office_user, dt.date(2026, 6, 29))
    publicity.close_publicity(actor_for(office_user), row, today=dt.date(2026, 7, 6))
    catalogue = catalogues.publish_catalogue(
        actor_for(office_user), call, today=dt.date(2026, 7, 8)
    )
    found = client.get(f"/calls/catalogues/{catalogue.pk}/", {"q": "排产"})
    assert found.status_code == 200
    assert "离散制造自适应排产系统" in found.content.decode()
    missing = client.get(f"/calls/catalogues/{catalogue.pk}/", {"q": "焊接"})
    assert "离散制造自适应排产系统" not in missing.content.decode()
    csv = b"".join(client.get(f"/calls/catalogues/{catalogue.pk}/export.csv").streaming_content)
    assert csv.startswith(b"\xef\xbb\xbf")
    assert "离散制造自适应排产系统" in csv.decode("utf-8-sig")
    xlsx = client.get(f"/calls/catalogues/{catalogue.pk}/export.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
