"""The eligibility rule edited with a form (regions and industries by name, the policy editor's
condition rows): the exact rule saved, the words applicants see, refusals that change nothing,
a stored rule the form cannot show, and roles that may not edit."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tests.factories import actor_for
from zhizao.calls.eligibility import describe_eligibility
from zhizao.calls.eligibility_form import EligibilityEditor, region_code, region_prefix
from zhizao.calls.models import Call
from zhizao.calls.services import calls as call_services
from zhizao.common.models import AuditEntry
from zhizao.policies.forms_editor import unsupported_label

from .conftest import login

pytestmark = pytest.mark.django_db


def post_data(**extra):
    data = {
        "elig-combine": "all",
        "cond-TOTAL_FORMS": "3",
        "cond-INITIAL_FORMS": "0",
        "cond-MIN_NUM_FORMS": "0",
        "cond-MAX_NUM_FORMS": "30",
    }
    data.update(extra)
    return data


FULL = post_data(
    **{
        "elig-regions": ["320200", "320100"],
        "elig-industries": ["C", "34"],
        "cond-0-fact": "enterprise.maturity_level",
        "cond-0-op": "ge",
        "cond-0-value": "3",
        "cond-1-fact": "enterprise.titles",
        "cond-1-titles": ["专精特新", "专精特新小巨人"],
        "cond-1-levels": ["provincial", "national"],
        "cond-2-fact": "enterprise.revenue",
        "cond-2-op": "ge",
        "cond-2-value": "2000万",
    }
)
FULL_RULE = {
    "all": [
        {"fact": "enterprise.region", "op": "prefix", "value": ["3201", "3202"]},
        {"fact": "enterprise.industry", "op": "prefix", "value": ["34", "C"]},
        {"fact": "enterprise.maturity_level", "op": "ge", "value": 3},
        {"title": ["专精特新", "专精特新小巨人"], "levels": ["provincial", "national"]},
        {"fact": "enterprise.revenue", "op": "ge", "value": "20000000"},
    ]
}


def test_region_codes_and_prefixes():
    assert [region_prefix(c) for c in ("320000", "320200", "320214")] == ["32", "3202", "320214"]
    assert [region_code(p) for p in ("32", "3202", "320214")] == ["320000", "320200", "320214"]


def test_the_form_saves_the_exact_rule_audited_and_applicants_read_it_in_words(
    client, call, office_user
):
    login(client, office_user)
    response = client.post(reverse("calls:eligibility_save", args=[call.pk]), FULL)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.eligibility == FULL_RULE
    entry = AuditEntry.objects.filter(context__event="calls.eligibility_set").latest("id")
    assert entry.changes == {"eligibility": [{}, FULL_RULE]}
    # the stored rule reads back into the same form: saving it again changes nothing
    editor = EligibilityEditor(call)
    assert editor.unsupported == []
    assert sorted(editor.pickers.initial["regions"]) == ["320100", "320200"]
    assert editor.pickers.initial["industries"] == ["34", "C"]
    assert [row["fact"] for row in editor.rows.initial] == [
        "enterprise.maturity_level",
        "enterprise.titles",
        "enterprise.revenue",
    ]


def test_applicants_see_the_rule_in_words_before_they_start(
    client, call, office_user, enterprise_user
):
    call_services.set_eligibility(actor_for(office_user), call, FULL_RULE)
    call.refresh_from_db()
    login(client, enterprise_user)
    page = client.get(reverse("calls:call_detail", args=[call.pk])).content.decode()
    words = describe_eligibility(call, "zh")
    assert words == (
        "注册地属于 江苏省南京市、江苏省无锡市 且 国民经济行业属于 通用设备制造业、制造业 且 "
        "智能制造能力成熟度等级 不低于 3 且 持有省级/国家级专精特新或专精特新小巨人 且 "
        "营业收入 不低于 2,000万元"
    )  # regions and industries by their names, never their codes
    assert words in page
    assert page.index(words) < page.index('id="apply-title"')  # read before starting
    assert "eligibility-form" not in page


def test_refused_input_names_the_row_and_changes_nothing(client, call, office_user):
    call_services.set_eligibility(actor_for(office_user), call, FULL_RULE)
    before = AuditEntry.objects.count()
    login(client, office_user)
    bad = post_data(
        **{
            "cond-0-fact": "enterprise.maturity_level",
            "cond-0-op": "prefix",
            "cond-0-value": "3",
            "cond-1-fact": "enterprise.revenue",
            "cond-1-op": "ge",
            "cond-1-value": "很多",
        }
    )
    response = client.post(reverse("calls:eligibility_save", args=[call.pk]), bad, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    with translation.override("zh-hans"):
        row = _("Condition row %(n)s")
        operator = _("Operator")
        value = _("Value")
    assert messages[0].startswith(f"{row % {'n': 1}} · {operator}: ")
    assert f"{row % {'n': 2}} · {value}: " in messages[0]
    assert "很多" in messages[0]
    assert Call.objects.get(pk=call.pk).eligibility == FULL_RULE
    assert AuditEntry.objects.count() == before


def test_a_rule_the_form_cannot_show_is_not_overwritten_and_is_named(client, call, office_user):
    nested = {
        "any": [
            {"all": [{"fact": "enterprise.maturity_level", "op": "ge", "value": 2}]},
            {"fact": "enterprise.employees", "op": "ge", "value": 100},
        ]
    }
    call_services.set_eligibility(actor_for(office_user), call, nested)
    before = AuditEntry.objects.count()
    login(client, office_user)
    page = client.get(reverse("calls:call_detail", args=[call.pk])).content.decode()
    assert 'data-testid="eligibility-unsupported"' in page
    response = client.post(reverse("calls:eligibility_save", args=[call.pk]), FULL, follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    with translation.override("zh-hans"):
        editor = EligibilityEditor(Call.objects.get(pk=call.pk))
        assert editor.unsupported == ["conditions"]
        assert message == editor.unsupported_reason()
        assert str(unsupported_label("conditions")) in message
    assert Call.objects.get(pk=call.pk).eligibility == nested
    assert AuditEntry.objects.count() == before
    # clearing is the way out, and is audited
    client.post(reverse("calls:eligibility_save", args=[call.pk]), {"clear": "1"})
    assert Call.objects.get(pk=call.pk).eligibility == {}
    assert AuditEntry.objects.count() == before + 1


@pytest.mark.parametrize("who", ["enterprise_user", "society_a_user", "operator_none"])
def test_roles_that_may_not_edit_get_404_and_change_nothing(client, call, who, request):
    if who == "operator_none":
        from tests.factories import make_organization, make_user
        from zhizao.accounts.enums import Role

        user = make_user(
            "other_office",
            role=Role.OFFICER,
            organization=make_organization(name="南京市工业和信息化局", kind="government"),
        )
    else:
        user = request.getfixturevalue(who)
    before = AuditEntry.objects.count()
    login(client, user)
    response = client.post(reverse("calls:eligibility_save", args=[call.pk]), FULL)
    assert response.status_code == 404
    assert Call.objects.get(pk=call.pk).eligibility == {}
    assert AuditEntry.objects.count() == before


def test_the_form_renders_with_regions_and_industries_by_name(client, call, office_user):
    call_services.set_eligibility(actor_for(office_user), call, FULL_RULE)
    login(client, office_user)
    page = client.get(reverse("calls:call_detail", args=[call.pk])).content.decode()
    assert 'data-testid="eligibility-form"' in page
    # the picked region is shown by its names, a checked box; its code is only the value
    assert (
        '<input type="checkbox" name="elig-regions" value="320200" id="id_elig-regions_chip_1"'
        ' checked> <label for="id_elig-regions_chip_1">江苏省 · 无锡市</label>'
    ) in page
    assert (
        '<input type="checkbox" name="elig-industries" value="C" id="id_elig-industries_chip_1"'
        ' checked> <label for="id_elig-industries_chip_1">制造业</label>'
    ) in page
    assert 'name="cond-0-fact"' in page
    assert '<option value="enterprise.maturity_level" selected data-kind="int">' in page


def test_no_credit_record_is_a_box_of_the_form_checked_with_the_rule(
    client, call, office_user, factory_org
):
    import datetime as dt

    from zhizao.calls.eligibility import check_eligibility
    from zhizao.policies.models import CreditRecord

    login(client, office_user)
    body = post_data(
        **{
            "elig-no_credit_record": "on",
            "cond-0-fact": "enterprise.region",
            "cond-0-op": "prefix",
            "cond-0-value": "32",
        }
    )
    client.post(reverse("calls:eligibility_save", args=[call.pk]), body)
    call.refresh_from_db()
    rule = {"all": [{"fact": "enterprise.region", "op": "prefix", "value": ["32"]}]}
    assert (call.eligibility, call.no_credit_record) == (rule, True)
    entry = AuditEntry.objects.filter(context__event="calls.eligibility_set").latest("id")
    assert entry.changes == {"eligibility": [{}, rule], "no_credit_record": [False, True]}
    assert describe_eligibility(call, "zh") == (
        "注册地属于 江苏省 且 "
        + translated(
            "no credit record in force (dishonesty, serious "
            "violations, abnormal operation, penalties)"
        )
    )
    assert EligibilityEditor(call).pickers.initial["no_credit_record"] is True

    day = dt.date(2026, 6, 30)
    assert check_eligibility(call, factory_org, as_of=day, lang="zh").eligible is True
    CreditRecord.objects.create(
        organization=factory_org,
        kind="dishonest",
        description="(2025)苏0214执123号",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    result = check_eligibility(call, factory_org, as_of=day, lang="zh")
    assert result.eligible is False
    assert result.steps[-1].endswith("(2025)苏0214执123号")
    # a record no longer in force does not count
    assert check_eligibility(call, factory_org, as_of=dt.date(2027, 1, 1)).eligible is True

    # saving the same form again writes nothing; clearing removes the box too
    before = AuditEntry.objects.count()
    client.post(reverse("calls:eligibility_save", args=[call.pk]), body)
    assert AuditEntry.objects.count() == before
    client.post(reverse("calls:eligibility_save", args=[call.pk]), {"clear": "1"})
    call.refresh_from_db()
    assert (call.eligibility, call.no_credit_record) == ({}, False)


def translated(msgid: str) -> str:
    with translation.override("zh-hans"):
        return _(msgid)


def test_the_applicants_check_names_regions_and_industries_in_each_step(call, factory_org):
    """The engine's steps an applicant reads name the place and the industry (新吴区, 南京市,
    金属切削机床制造, 制造业), in Chinese and in English, never their codes (320214, 3201, 3421, C)."""
    import datetime as dt

    from zhizao.calls.eligibility import check_eligibility

    call.eligibility = {
        "all": [
            {"fact": "enterprise.region", "op": "prefix", "value": ["3201"]},
            {"fact": "enterprise.industry", "op": "prefix", "value": ["C"]},
        ]
    }
    call.save(update_fields=["eligibility"])
    day = dt.date(2026, 6, 30)
    zh = check_eligibility(call, factory_org, as_of=day, lang="zh")
    assert zh.eligible is False
    assert zh.steps == ZH_STEPS
    en = check_eligibility(call, factory_org, as_of=day, lang="en")
    assert en.steps == EN_STEPS


ZH_STEPS = (
    "以下条件全部满足：不满足",
    "注册地行政区划 新吴区 位于/属于 南京市 → 不满足",
    "国民经济行业 金属切削机床制造 位于/属于 制造业 → 满足",
)
EN_STEPS = (
    "all of the following: not met",
    "registered region Xinwu District within Nanjing → not met",
    "industry (GB/T 4754) Manufacture of metal-cutting machine tools within Manufacturing → met",
)
