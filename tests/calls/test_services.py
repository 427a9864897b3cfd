"""Services of the calls app: setting up a call, applying, nominating within quota, formal
review, the one state machine. Every refusal asserts that nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.calls import access
from zhizao.calls.errors import CallError
from zhizao.calls.models import Application, Call, RubricCriterion
from zhizao.calls.selectors import formal_checks, missing_items, quota_left
from zhizao.calls.services import applications as app_services
from zhizao.calls.services import calls as call_services
from zhizao.calls.services import formal, nominations
from zhizao.common.models import AuditEntry

from .conftest import fill


def test_create_call_from_template_copies_its_parts(call):
    assert call.kind == "tech_advance"
    assert call.requires_nomination is True
    assert call.blind_review is True
    assert [c.code for c in call.categories.all()] == ["basic", "equipment", "application"]
    assert [f.code for f in call.fields.all()] == [
        "org_name",
        "uscc",
        "contact",
        "summary",
        "innovation",
        "completion_date",
        "team",
        "evidence",
    ]
    assert [(c.code, str(c.weight), c.ranked) for c in call.criteria.all()] == [
        ("innovation", "0.3500", True),
        ("advancement", "0.2500", True),
        ("impact", "0.3000", True),
        ("maturity", "0.1000", True),
        ("integrity", "0.0000", False),
    ]
    assert [s.kind for s in call.stages.all()] == [
        "apply",
        "nominate",
        "formal",
        "online",
        "publicity",
        "publish",
    ]


def test_rubric_weights_must_sum_to_exactly_one(call, office_user):
    before = list(RubricCriterion.objects.filter(call=call).values_list("code", "weight"))
    with pytest.raises(CallError) as error:
        call_services.set_rubric(
            actor_for(office_user),
            call,
            [
                {"code": "a", "name": "A", "weight": "0.7"},
                {"code": "b", "name": "B", "weight": "0.2"},
                {"code": "c", "name": "C", "weight": "0.05"},
            ],
        )
    assert error.value.code == "weights_sum"
    assert error.value.field == "weight"
    assert "0.95" in error.value.message
    assert list(RubricCriterion.objects.filter(call=call).values_list("code", "weight")) == before
    rows = call_services.set_rubric(
        actor_for(office_user),
        call,
        [
            {
                "code": "a",
                "name": "A",
                "weight": "0.7",
                "bands": [{"min": 90, "max": 100, "descriptor": "领先"}],
            },
            {"code": "b", "name": "B", "weight": "0.2"},
            {"code": "c", "name": "C", "weight": "0.1", "comment_required": True},
        ],
    )
    assert [r.code for r in rows] == ["a", "b", "c"]
    assert [
        str(w) for w in RubricCriterion.objects.filter(call=call).values_list("weight", flat=True)
    ] == ["0.7000", "0.2000", "0.1000"]
    assert rows[0].bands == [{"min": "90", "max": "100", "descriptor": "领先"}]


def test_only_the_office_changes_a_call(call, enterprise_user):
    with pytest.raises(CallError) as error:
        call_services.update_call(actor_for(enterprise_user), call, {"title": "改名"})
    assert error.value.code == "not_allowed"
    assert Call.objects.get(pk=call.pk).title == "2026年度智能制造十大科技进展"


def test_form_editor_refuses_a_bad_field(call, office_user):
    with pytest.raises(CallError) as error:
        call_services.save_field(
            actor_for(office_user),
            call,
            code="report",
            label="报告",
            type="file",
            options={"types": ["exe"]},
        )
    assert (error.value.code, error.value.field) == ("bad_file_types", "options.types")
    assert not call.fields.filter(code="report").exists()


def test_fields_that_reach_the_applicant_are_hidden_on_a_blind_review(call, office_user):
    """From a template and from the editor: the name, credit code and contact fields are
    hidden whatever the box says; another field only when its organiser ticks the box."""
    assert dict(call.fields.values_list("code", "blind_hidden")) == {
        f.code: f.code in {"org_name", "uscc", "contact"} for f in call.fields.all()
    }
    Call.objects.filter(pk=call.pk).update(state="draft")
    call.refresh_from_db()
    actor = actor_for(office_user)
    saved = {
        code: call_services.save_field(
            actor, call, code=code, label=label, type="text", blind_hidden=ticked
        ).blind_hidden
        for code, label, ticked in (
            ("mail", "项目负责人邮箱", False),
            ("phone_no", "Phone", False),
            ("history", "企业发展历程", True),
            ("plan", "实施计划", False),
        )
    }
    assert saved == {"mail": True, "phone_no": True, "history": True, "plan": False}


def test_application_is_prefilled_and_lists_what_is_missing(
    call, enterprise_user, factory_org, society_a
):
    app = app_services.start_application(
        actor_for(enterprise_user),
        call,
        title="排产系统",
        category=call.categories.first(),
        nominator=society_a,
    )
    assert app.data == {"org_name": factory_org.name, "uscc": factory_org.uscc}
    assert [m.code for m in missing_items(app)] == [
        "contact",
        "summary",
        "innovation",
        "completion_date",
        "team",
        "evidence",
    ]
    with pytest.raises(CallError) as error:
        app_services.submit_application(actor_for(enterprise_user), app)
    assert error.value.code == "incomplete"
    assert Application.objects.get(pk=app.pk).state == "draft"


def test_autosave_refuses_a_too_long_text_naming_the_field(application, enterprise_user):
    with pytest.raises(CallError) as error:
        app_services.save_answer(
            actor_for(enterprise_user), application, code="innovation", value="创" * 1501
        )
    assert (error.value.code, error.value.field) == ("too_long", "innovation")
    assert (
        Application.objects.get(pk=application.pk).data["innovation"]
        == "提出基于数字孪生的在线排产方法"
    )


def test_submit_before_the_deadline_and_not_after(application, enterprise_user, call):
    stage = call.stages.get(kind="apply")
    late = stage.closes + dt.timedelta(seconds=1)
    with pytest.raises(CallError) as error:
        app_services.submit_application(actor_for(enterprise_user), application, now=late)
    assert error.value.code == "deadline_passed"
    assert Application.objects.get(pk=application.pk).state == "draft"
    submitted = app_services.submit_application(actor_for(enterprise_user), application)
    assert (submitted.state, submitted.version) == ("submitted", application.version + 1)


def test_another_enterprise_cannot_see_or_change_the_application(
    application, other_enterprise_user
):
    membership = other_enterprise_user.memberships.get()
    assert list(access.applications_for(membership)) == []
    with pytest.raises(Http404):
        access.access_application(membership, application.pk)
    with pytest.raises(CallError):
        app_services.save_answer(
            actor_for(other_enterprise_user), application, code="contact", value="x"
        )
    assert Application.objects.get(pk=application.pk).data["contact"] == "张工 0510-88886666"


def _submitted(call, user, society, title):
    app = app_services.start_application(
        actor_for(user),
        call,
        title=title,
        category=call.categories.get(code="application"),
        nominator=society,
    )
    fill(app, user)
    return app_services.submit_application(actor_for(user), app)


def test_nominating_within_quota_and_refused_beyond_it(
    call, application, enterprise_user, other_enterprise_user, society_a, society_a_user
):
    first = app_services.submit_application(actor_for(enterprise_user), application)
    second = _submitted(call, other_enterprise_user, society_a, "注塑模具智能产线")
    membership = society_a_user.memberships.get()
    assert sorted(a.pk for a in access.applications_for(membership)) == sorted(
        [first.pk, second.pk]
    )
    nominated = nominations.nominate_application(actor_for(society_a_user), first)
    assert (nominated.state, nominated.nomination_rank) == ("nominated", 1)
    assert (
        quota_left(call, society_a.pk)
        == [{"category": "全部类别", "category_id": None, "quota": 1, "used": 1, "left": 0}]
        or quota_left(call, society_a.pk)[0]["left"] == 0
    )
    audit_before = AuditEntry.objects.count()
    with pytest.raises(CallError) as error:
        nominations.nominate_application(actor_for(society_a_user), second)
    assert error.value.code == "quota_full"
    assert Application.objects.get(pk=second.pk).state == "submitted"
    assert AuditEntry.objects.count() == audit_before
    # a withdrawn nomination frees the place
    nominations.withdraw_nomination(actor_for(society_a_user), first)
    assert nominations.nominate_application(actor_for(society_a_user), second).state == "nominated"


def test_another_society_cannot_nominate(application, enterprise_user, society_b_user):
    submitted = app_services.submit_application(actor_for(enterprise_user), application)
    with pytest.raises(Http404):
        access.access_application(society_b_user.memberships.get(), submitted.pk)
    with pytest.raises(CallError) as error:
        nominations.nominate_application(actor_for(society_b_user), submitted)
    assert error.value.code == "not_allowed"
    assert Application.objects.get(pk=submitted.pk).state == "submitted"


@pytest.fixture
def nominated(application, enterprise_user, society_a_user):
    app_services.submit_application(actor_for(enterprise_user), application)
    return nominations.nominate_application(actor_for(society_a_user), application)


def test_formal_review_automatic_checks(nominated):
    checks = {c.code: c.ok for c in formal_checks(nominated)}
    assert checks == {
        "complete": True,
        "files": True,
        "eligibility": True,
        "duplicate": True,
        "quota": True,
    }


def test_return_for_correction_and_the_applicant_corrects(nominated, office_user, enterprise_user):
    deadline = timezone.now() + dt.timedelta(days=5)
    returned = formal.return_for_correction(
        actor_for(office_user),
        nominated,
        request="补充检测报告",
        deadline=deadline,
        expected="nominated",
    )
    assert (returned.state, returned.correction_request) == ("returned", "补充检测报告")
    assert access.can_edit_application(enterprise_user.memberships.get(), returned)
    app_services.save_answer(
        actor_for(enterprise_user), returned, code="innovation", value="补充后的创新点"
    )
    # too late: refused, nothing changes
    with pytest.raises(CallError) as error:
        app_services.submit_application(
            actor_for(enterprise_user), returned, now=deadline + dt.timedelta(minutes=1)
        )
    assert error.value.code == "deadline_passed"
    assert Application.objects.get(pk=returned.pk).state == "returned"
    corrected = app_services.submit_application(actor_for(enterprise_user), returned)
    assert corrected.state == "nominated"  # the correction keeps the nomination


def test_pass_needs_the_checklist_and_reject_needs_a_reason(nominated, office_user):
    actor = actor_for(office_user)
    with pytest.raises(CallError) as error:
        formal.pass_formal_review(actor, nominated)
    assert error.value.code == "checklist_open"
    assert Application.objects.get(pk=nominated.pk).state == "nominated"
    with pytest.raises(CallError) as error:
        formal.reject_application(actor, nominated, reason=" ")
    assert error.value.code == "required"
    formal.set_checklist(actor, nominated, {"seal": True, "consistent": True, "authentic": True})
    assert (
        formal.pass_formal_review(actor, nominated, expected="nominated").state == "formal_passed"
    )


def test_set_application_state_refuses_a_stale_expected_state(nominated, office_user):
    actor = actor_for(office_user)
    formal.reject_application(actor, nominated, reason="材料不全")
    with pytest.raises(CallError) as error:
        app_services.set_application_state(
            actor, nominated, to="formal_passed", expected="nominated"
        )
    assert error.value.code == "state_changed"
    row = Application.objects.get(pk=nominated.pk)
    assert (row.state, row.decision_reason) == ("formal_rejected", "材料不全")


def test_the_applicant_sees_the_rejection_reason(nominated, office_user, enterprise_user):
    formal.reject_application(actor_for(office_user), nominated, reason="不属于本次征集范围")
    seen = access.access_application(enterprise_user.memberships.get(), nominated.pk)
    assert (seen.state, seen.decision_reason) == ("formal_rejected", "不属于本次征集范围")


def test_eligibility_rule_is_shown_in_words_and_refuses_an_ineligible_applicant(
    call, office_user, application, enterprise_user
):
    call_services.set_eligibility(
        actor_for(office_user),
        call,
        {"all": [{"fact": "enterprise.region", "op": "prefix", "value": ["3204"]}]},
    )
    call.refresh_from_db()
    from zhizao.calls.eligibility import describe_eligibility

    assert describe_eligibility(call, "zh") == "注册地属于 江苏省常州市"
    with pytest.raises(CallError) as error:
        app_services.submit_application(actor_for(enterprise_user), application)
    assert error.value.code == "ineligible"
    assert Application.objects.get(pk=application.pk).state == "draft"


def test_a_bad_eligibility_rule_is_refused_naming_the_place(call, office_user):
    with pytest.raises(CallError) as error:
        call_services.set_eligibility(
            actor_for(office_user),
            call,
            {"all": [{"fact": "enterprise.nope", "op": "eq", "value": 1}]},
        )
    assert error.value.field == "eligibility"
    assert Call.objects.get(pk=call.pk).eligibility == {}


def test_a_city_bureau_can_be_a_nominating_body(call, office_user):
    bureau = make_organization(
        name="苏州市工业和信息化局", kind="government", region="320500", industry=None
    )
    make_user("suzhou", role=Role.OFFICER, organization=bureau)
    row = call_services.set_quota(actor_for(office_user), call, nominator=bureau, quota=3)
    assert (row.nominator_id, row.quota, row.category_id) == (bureau.pk, 3, None)


def test_deadline_reminders_are_sent_once_and_by_e_mail(
    call, enterprise_user, society_a, django_capture_on_commit_callbacks
):
    from django.core import mail

    from zhizao.calls.services.reminders import remind_deadlines
    from zhizao.common.models import Notification

    enterprise_user.email = "zhang@example.cn"
    enterprise_user.save()
    app = app_services.start_application(
        actor_for(enterprise_user),
        call,
        title="排产",
        category=call.categories.first(),
        nominator=society_a,
    )
    closes = call.stages.get(kind="apply").closes
    assert remind_deadlines(now=closes - dt.timedelta(days=4)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        # the draft (nothing is addressed to society A yet)
        assert remind_deadlines(now=closes - dt.timedelta(days=2)) == 1
    assert remind_deadlines(now=closes - dt.timedelta(days=1)) == 0
    assert [n.recipient_organization_id for n in Notification.objects.all()] == [app.applicant_id]
    assert [m.to for m in mail.outbox] == [["zhang@example.cn"]]
    assert app.title in mail.outbox[0].subject


def test_a_call_may_skip_stages(call, office_user, enterprise_user, society_a_user):
    """A call with only 申报 → 形式审查 → 公示: no nomination is needed or possible, and a
    submitted application goes straight to formal review."""
    from tests.calls.conftest import open_stages

    actor = actor_for(office_user)
    call_services.update_call(actor, call, {"requires_nomination": False})
    call.refresh_from_db()
    open_stages(call, office_user, kinds=("publicity", "apply", "formal"))
    assert list(call.stages.order_by("order").values_list("kind", flat=True)) == [
        "apply",
        "formal",
        "publicity",
    ]
    app = app_services.start_application(
        actor_for(enterprise_user),
        call,
        title="离散制造自适应排产系统",
        category=call.categories.get(code="application"),
    )
    app = fill(app, enterprise_user)
    app = app_services.submit_application(actor_for(enterprise_user), app)
    assert app.state == "submitted"
    with pytest.raises(CallError):
        nominations.nominate_application(actor_for(society_a_user), app)
    assert Application.objects.get(pk=app.pk).state == "submitted"
    formal.set_checklist(actor, app, {"seal": True, "consistent": True, "authentic": True})
    passed = formal.pass_formal_review(actor, app, expected="submitted")
    assert passed.state == "formal_passed"
