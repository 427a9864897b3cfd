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


@pytest.fixture(autouse=True)
def _verified_objector(request):
    """The objector of these tests has a verified identity (实名核验), as only such a user
    files an objection; the tests of that rule are below."""
    if "other_enterprise_user" in request.fixturenames:
        user = request.getfixturevalue("other_enterprise_user")
        publicity.set_identity_verified(Actor(), user, verified=True, real_name="赵六")


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


def test_calendar_page_heads_the_day_kind_not_an_organisation_kind(client, operator):
    client.force_login(operator)
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/calls/calendar/?year=2026").content.decode()
    assert '<th scope="col">日期类型</th>' in page and "机构类型" not in page


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


def test_only_the_handling_officer_sees_the_objector(
    client, call, proposed, office_user, other_enterprise_user, enterprise_user, office_org
):
    from tests.factories import make_user
    from zhizao.accounts.enums import Role
    from zhizao.common.models import AuditEntry

    colleague = make_user("office-2", role=Role.OFFICER, organization=office_org)
    row = _open(call, proposed, office_user, dt.date.today())
    objection = publicity.file_objection(
        actor_for(other_enterprise_user),
        row,
        proposed,
        name="赵六",
        phone="139 0000 0001",
        body="数据不实",
    )
    url = f"/calls/objections/{objection.pk}/"
    login(client, enterprise_user)
    public = client.get(f"/calls/{call.pk}/publicity/")
    assert public.status_code == 200
    assert "赵六" not in public.content.decode()
    assert client.get(url).status_code == 404
    client.logout()
    # the office reads the objection, but not who filed it, until an officer takes it up
    login(client, office_user)
    page = client.get(url).content.decode()
    assert "数据不实" in page and "赵六" not in page and "139 0000 0001" not in page
    assert client.post(url, {"action": "take"}).status_code == 302
    assert Objection.objects.get(pk=objection.pk).handler_id == office_user.pk
    assert AuditEntry.objects.filter(context__event="calls.objection_taken").count() == 1
    page = client.get(url).content.decode()
    assert "赵六" in page and "139 0000 0001" in page
    client.logout()
    # a colleague of the same office: the objection yes, the objector no; cannot take it over
    # or answer it, nothing changes
    login(client, colleague)
    page = client.get(url).content.decode()
    assert "数据不实" in page and "赵六" not in page and "139 0000 0001" not in page
    client.post(url, {"action": "take"})
    client.post(url, {"answer": "已核实"})
    fresh = Objection.objects.get(pk=objection.pk)
    assert (fresh.handler_id, fresh.state, fresh.answer) == (office_user.pk, "open", "")
    with pytest.raises(CallError) as refused:
        publicity.take_up_objection(actor_for(colleague), objection)
    assert refused.value.code == "taken"
    with pytest.raises(CallError) as refused:
        publicity.answer_objection(actor_for(colleague), objection, answer="已核实")
    assert refused.value.code == "taken"
    assert AuditEntry.objects.filter(context__event="calls.objection_taken").count() == 1
    # the API says the same: null for the colleague, the name for the handling officer
    listed = client.get(f"/api/calls/{call.pk}/objections/").json()["results"][0]
    assert (listed["objector_name"], listed["objector_phone"]) == (None, None)
    assert listed["handled_by_me"] is False
    client.logout()
    login(client, office_user)
    detail = client.get(f"/api/calls/objections/{objection.pk}/").json()
    assert (detail["objector_name"], detail["objector_phone"], detail["handled_by_me"]) == (
        "赵六",
        "139 0000 0001",
        True,
    )


def test_an_unverified_user_cannot_object_and_nothing_changes(
    client, call, proposed, office_user, enterprise_user, operator
):
    from zhizao.common.models import AuditEntry

    row = _open(call, proposed, office_user, dt.date.today())
    with pytest.raises(CallError) as refused:
        publicity.file_objection(
            actor_for(enterprise_user), row, proposed, name="张三", body="有问题"
        )
    assert refused.value.code == "unverified"
    login(client, enterprise_user)
    page = client.get(f"/calls/{call.pk}/publicity/")
    assert 'data-testid="not-verified"' in page.content.decode()
    answer = client.post(
        f"/calls/{call.pk}/publicity/",
        {"application": proposed.pk, "name": "张三", "body": "有问题"},
    )
    assert answer.status_code == 400
    assert Objection.objects.count() == 0
    # an operator verifies the identity (audited) and the objection goes in
    client.logout()
    login(client, operator)
    done = client.post(
        "/calls/identities/",
        {"username": enterprise_user.username, "real_name": "张三", "note": "身份证核验"},
    )
    assert done.status_code == 302
    assert AuditEntry.objects.filter(context__event="calls.identity_verified").count() == 1
    assert "张三" in client.get("/calls/identities/").content.decode()
    objection = publicity.file_objection(
        actor_for(enterprise_user), row, proposed, name="张三", body="有问题"
    )
    assert objection.objector_id == enterprise_user.pk
    # withdrawn again: refused again
    client.post("/calls/identities/", {"username": enterprise_user.username, "action": "revoke"})
    assert AuditEntry.objects.filter(context__event="calls.identity_unverified").count() == 1
    with pytest.raises(CallError) as refused:
        publicity.file_objection(actor_for(enterprise_user), row, proposed, name="张三", body="又")
    assert refused.value.code == "unverified"
    assert Objection.objects.count() == 1


def test_only_operators_verify_identities(client, office_user, enterprise_user):
    from zhizao.calls.models import VerifiedIdentity

    with pytest.raises(CallError) as refused:
        publicity.set_identity_verified(
            actor_for(office_user), enterprise_user, verified=True, real_name="张三"
        )
    assert refused.value.code == "not_allowed"
    login(client, office_user)
    assert client.get("/calls/identities/").status_code == 404
    assert (
        client.post(
            "/calls/identities/", {"username": enterprise_user.username, "real_name": "张三"}
        ).status_code
        == 404
    )
    assert VerifiedIdentity.objects.count() == 0


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


def test_seeded_holidays_carry_their_names(db):
    holidays = CalendarDay.objects.filter(kind="holiday")
    assert holidays.count() == 46
    assert not holidays.filter(name="").exists()
    in_2026 = holidays.filter(date__year=2026).order_by("date").values_list("name", flat=True)
    assert list(dict.fromkeys(in_2026)) == [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    ]
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 1)).name == "国庆节"
