"""The calls pages: Chinese by default and complete in English, autosave through htmx, the
nominating body's quota, constant query counts on lists, and no expert's name in any page or
API answer an applicant or the public can reach."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership
from zhizao.calls.models import Application
from zhizao.calls.services import applications as app_services
from zhizao.calls.services import calls as call_services
from zhizao.calls.services import catalogues, formal, nominations, publicity

from .conftest import fill, login


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_call_page_in_chinese_and_in_english(client, call, enterprise_user):
    login(client, enterprise_user)
    html = client.get(reverse("calls:call_detail", args=[call.pk])).content.decode()
    assert "申报条件" in html
    assert "开始申报" in html
    assert "创新性" in html
    # the applicant's section is 申报, not the filter button's 应用
    assert '<h2 id="apply-title">申报</h2>' in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("calls:call_detail", args=[call.pk])).content.decode()
    assert "Who may apply" in html
    assert "Start the application" in html


def test_autosave_answers_with_the_field_and_the_missing_list(
    client, call, enterprise_user, society_a
):
    app = app_services.start_application(
        actor_for(enterprise_user),
        call,
        title="排产",
        category=call.categories.first(),
        nominator=society_a,
    )
    login(client, enterprise_user)
    url = reverse("calls:application_answer", args=[app.pk])
    response = client.post(
        url, {"code": "contact", "value": "王工 13900000000"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="f-contact"' in html
    assert 'hx-swap-oob="true"' in html
    assert "联系人及电话" not in html.split('id="missing"')[1]
    assert Application.objects.get(pk=app.pk).data["contact"] == "王工 13900000000"
    too_long = client.post(
        url, {"code": "innovation", "value": "创" * 1501}, HTTP_HX_REQUEST="true"
    )
    assert "最多 1500 字（现有 1501 字）" in too_long.content.decode()
    assert "innovation" not in Application.objects.get(pk=app.pk).data
    page = client.get(reverse("calls:application_detail", args=[app.pk])).content.decode()
    steps = page.split('data-testid="stage-status"')[1].split("</ol>")[0]
    # the current stage reads 进行中 (the diagnosis report's "now" is 现为, a level)
    assert "进行中" in steps and "现为" not in steps


def test_nominating_body_page_shows_the_quota_and_refuses_beyond_it(
    client, call, application, enterprise_user, other_enterprise_user, society_a, society_a_user
):
    app_services.submit_application(actor_for(enterprise_user), application)
    second = app_services.start_application(
        actor_for(other_enterprise_user),
        call,
        title="第二个",
        category=call.categories.first(),
        nominator=society_a,
    )
    second = app_services.submit_application(
        actor_for(other_enterprise_user), fill(second, other_enterprise_user)
    )
    login(client, society_a_user)
    page = client.get(reverse("calls:nominations", args=[call.pk])).content.decode()
    assert "名额 1 项，已用 0 项，剩余 1 项" in page
    client.post(reverse("calls:nominate", args=[application.pk]), {"action": "nominate"})
    response = client.post(
        reverse("calls:nominate", args=[second.pk]), {"action": "nominate"}, follow=True
    )
    assert "推荐名额已用完：已推荐 1 项，名额 1 项" in response.content.decode()
    assert Application.objects.get(pk=second.pk).state == "submitted"
    assert "名额 1 项，已用 1 项，剩余 0 项" in response.content.decode()


def test_lists_keep_a_constant_number_of_queries(
    client, call, application, enterprise_user, office_user, office_org
):
    login(client, office_user)
    one = _count(client, reverse("calls:call_list"))
    for i in range(2):
        call_services.create_call(
            actor_for(office_user), host=office_org, title=f"征集{i}", year=2026
        )
    assert _count(client, reverse("calls:call_list")) == one
    app_services.submit_application(actor_for(enterprise_user), application)
    url = reverse("calls:formal_review", args=[call.pk]) + "?state=submitted"
    _count(client, url)  # the region and industry filter options are read once, then cached
    first = _count(client, url)
    for i in range(2):
        other = make_organization(name=f"申报企业{i}", region="320214")
        user = make_user(f"applicant{i}", role=Role.ENTERPRISE, organization=other)
        app = app_services.start_application(
            actor_for(user),
            call,
            title=f"项目{i}",
            category=call.categories.first(),
            nominator=application.nominator,
        )
        app_services.submit_application(actor_for(user), fill(app, user))
    assert _count(client, url) == first


# --- expert identities ----------------------------------------------------------------------


def expert_names() -> set[str]:
    """Every expert's name the platform knows (users acting as experts). The review app's
    experts are users with an expert membership, so this grows with them."""
    names = set()
    for m in Membership.objects.filter(role=Role.EXPERT).select_related("user"):
        names |= {n for n in (m.user.display_name, m.user.username, m.user.get_full_name()) if n}
    return names


def test_no_expert_name_reaches_an_applicant_or_the_public(
    client, call, application, enterprise_user, society_a_user, office_user, other_enterprise_user
):
    university = make_organization(
        name="江南评审大学", kind="university", region="320214", industry=None
    )
    make_user("expert-zhao", role=Role.EXPERT, organization=university, display_name="赵评审")
    make_user("expert-qian", role=Role.EXPERT, organization=university, display_name="钱专家")
    office = actor_for(office_user)
    app_services.submit_application(actor_for(enterprise_user), application)
    nominations.nominate_application(actor_for(society_a_user), application)
    formal.set_checklist(office, application, {"seal": True, "consistent": True, "authentic": True})
    formal.pass_formal_review(office, application)
    app_services.set_application_state(office, application, to="in_review")
    app_services.set_application_state(office, application, to="proposed")
    row = publicity.open_publicity(
        office,
        call,
        [{"application_id": application.pk, "rank": 1, "score": "90"}],
        today=dt.date(2026, 6, 29),
    )
    publicity.close_publicity(office, row, today=dt.date(2026, 7, 10))
    catalogue = catalogues.publish_catalogue(office, call, today=dt.date(2026, 7, 11))
    names = expert_names()
    assert {"赵评审", "钱专家"} <= names
    public_urls = [
        reverse("calls:publicity", args=[call.pk]),
        reverse("calls:catalogue_list"),
        reverse("calls:catalogue_detail", args=[catalogue.pk]),
    ]
    applicant_urls = [
        reverse("calls:call_list"),
        reverse("calls:call_detail", args=[call.pk]),
        reverse("calls:application_detail", args=[application.pk]),
        reverse("api-calls"),
        reverse("api-call", args=[call.pk]),
        reverse("api-call-applications", args=[call.pk]),
        reverse("api-call-application", args=[application.pk]),
        reverse("api-call-publicity", args=[call.pk]),
        reverse("api-call-catalogues"),
        reverse("api-call-catalogue-entries", args=[catalogue.pk]),
    ]
    seen = []
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        seen.append((url, response.content.decode()))
    login(client, enterprise_user)
    for url in public_urls + applicant_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        seen.append((url, response.content.decode()))
    leaks = [(url, name) for url, text in seen for name in names if name in text]
    assert leaks == []
    assert "入选" in dict(seen)[reverse("calls:application_detail", args=[application.pk])]


def test_nominating_body_moves_a_nominee_up(
    client, call, application, enterprise_user, other_enterprise_user, society_b, society_b_user
):
    apps_ = []
    for user, title in ((enterprise_user, "甲项目"), (other_enterprise_user, "乙项目")):
        app = app_services.start_application(
            actor_for(user),
            call,
            title=title,
            category=call.categories.first(),
            nominator=society_b,
        )
        app = app_services.submit_application(actor_for(user), fill(app, user))
        apps_.append(nominations.nominate_application(actor_for(society_b_user), app))
    login(client, society_b_user)
    page = client.get(reverse("calls:nominations", args=[call.pk])).content.decode()
    assert page.count('aria-label="上移"') == 1
    client.post(
        reverse("calls:nominations_rank", args=[call.pk]), {"order": [apps_[1].pk, apps_[0].pk]}
    )
    ranks = dict(
        Application.objects.filter(pk__in=[a.pk for a in apps_]).values_list(
            "title", "nomination_rank"
        )
    )
    assert ranks == {"甲项目": 2, "乙项目": 1}


def test_length_help_reads_as_a_rule_and_only_while_the_answer_can_change(
    client, application, enterprise_user
):
    url = reverse("calls:application_detail", args=[application.pk])
    login(client, enterprise_user)

    def helps(html):
        return {
            part.split('"')[0]: part.split('data-testid="length-help">')[1].split("</p>")[0]
            for part in html.split('data-testid="field-')[1:]
            if 'data-testid="length-help">' in part.split('class="card field-card"')[0]
        }

    assert helps(client.get(url).content.decode()) == {
        "org_name": "至多 200 字",
        "uscc": "须为 18 字",
        "contact": "至多 100 字",
        "summary": "100 至 2000 字",
        "innovation": "至多 1500 字",
    }
    app_services.submit_application(actor_for(enterprise_user), application)
    assert helps(client.get(url).content.decode()) == {}
