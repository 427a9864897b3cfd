"""The events lists on the shared list machinery: the events (signed in and public) and an
event's registrations — every filter and sort with exact rows, the exports with labels (the
registrations' audit-logged), who sees what, query counts for one and three rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.common.models import AuditEntry
from zhizao.events import services
from zhizao.events.models import Event, Lead, Registration

from .conftest import DAY, at, login

pytestmark = pytest.mark.django_db

EXPO = "2026 世界智能制造大会"
FORUM = "2026 常州工业软件论坛"
DRAFT = "2027 无锡物联网博览会"


@pytest.fixture
def events(expo, platform_org):
    city = make_organization(
        name="常州市工业和信息化局", kind="government", region="320400", industry=None
    )
    forum = Event.objects.create(
        title=FORUM,
        host=city,
        host_units="常州市人民政府",
        starts_on=dt.date(2026, 6, 10),
        ends_on=dt.date(2026, 6, 10),
        venue="常州国际会展中心",
        state="published",
    )
    draft = Event.objects.create(
        title=DRAFT,
        host=platform_org,
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 3, 3),
        venue="无锡太湖国际博览中心",
    )
    return {"expo": expo.event, "forum": forum, "draft": draft}


def test_the_event_list_filters_and_sorts_with_exact_rows(client, operator, events):
    login(client, operator)
    url = reverse("events:event_list")

    def rows(**params):
        return names(client, url, lambda e: e.title, **params)

    assert rows() == [DRAFT, EXPO, FORUM]  # the latest start first
    assert rows(q="常州") == [FORUM]  # the host and the venue
    assert rows(q="南京 博览") == [EXPO]  # every word, the venue
    assert rows(state="draft") == [DRAFT]
    assert rows(state="published") == [EXPO, FORUM]
    assert rows(starts_from="2026-07-01") == [DRAFT, EXPO]
    assert rows(starts_from="2026-07-01", starts_to="2026-12-31") == [EXPO]
    assert rows(sort="starts") == [FORUM, EXPO, DRAFT]
    assert rows(sort="host") == [FORUM, EXPO, DRAFT]  # 常州…, 江苏…(secretariat, by pk)
    assert rows(sort="-host") == [DRAFT, EXPO, FORUM]


def test_the_event_list_shows_a_participant_only_published_events(client, enterprise_user, events):
    login(client, enterprise_user)
    url = reverse("events:event_list")
    assert names(client, url, lambda e: e.title) == [EXPO, FORUM]
    assert names(client, url, lambda e: e.title, state="draft") == []
    rows = read_csv(client.get(url, {"export": "csv"}))
    assert [r[0] for r in rows[1:]] == [EXPO, FORUM]


def test_the_event_list_exports_labels(client, operator, events):
    client.cookies["django_language"] = "en"
    login(client, operator)
    url = reverse("events:event_list")
    rows = read_csv(client.get(url, {"export": "csv", "state": "draft"}))
    assert rows == [
        ["Event", "Dates", "Venue", "Host", "State"],
        [
            DRAFT,
            "2027-03-01 — 2027-03-03",
            "无锡太湖国际博览中心",
            "江苏省智能制造推进联盟秘书处",
            "Draft",
        ],
    ]
    client.cookies["django_language"] = "zh-hans"
    sheet = read_xlsx(client.get(url, {"export": "xlsx", "q": "常州"}))
    assert sheet == [
        ["活动", "日期", "地点", "主办机构", "状态"],
        [FORUM, "2026-06-10 — 2026-06-10", "常州国际会展中心", "常州市工业和信息化局", "已发布"],
    ]


def test_the_public_event_list_filters_sorts_and_exports(client, events):
    url = reverse("events:public_list")

    def rows(**params):
        return names(client, url, lambda e: e.title, **params)

    assert rows() == [EXPO, FORUM]  # no login, published only
    assert rows(q="无锡") == []  # the draft stays hidden
    assert rows(q="人民政府") == [FORUM]  # the host units
    assert rows(starts_to="2026-07-01") == [FORUM]
    assert rows(sort="starts") == [FORUM, EXPO]
    client.cookies["django_language"] = "en"
    assert read_csv(client.get(url, {"export": "csv", "q": "大会"})) == [
        ["Event", "Dates", "Venue", "Host units"],
        [EXPO, "2026-11-26 — 2026-11-27", "南京国际博览中心", "江苏省工业和信息化厅"],
    ]


def test_the_event_lists_have_a_constant_query_count(client, operator, events, platform_org):
    login(client, operator)
    for url in (reverse("events:event_list"), reverse("events:public_list")):
        params = {"sort": "host", "q": "常州"}
        query_count(client, url, **params)
        one = query_count(client, url, **params)
        assert len(names(client, url, lambda e: e.pk, **params)) == 1
        for n in (2, 3):
            Event.objects.create(
                title=f"常州活动{n}{url}",
                host=platform_org,
                starts_on=DAY,
                ends_on=DAY,
                state="published",
            )
        assert len(names(client, url, lambda e: e.pk, **params)) == 3
        assert query_count(client, url, **params) == one
        Event.objects.filter(title__startswith="常州活动").delete()


# --- registrations ------------------------------------------------------------------------------


@pytest.fixture
def registrations(expo):
    """陈工 (无锡恒润, visitor, registered first, checked in), 周经理 (常州慧眼, exhibitor),
    刘工 (常州天衡, visitor, awaiting approval, registered last)."""
    for reg, day in ((expo.visitor, 1), (expo.exhibitor, 2), (expo.other_visitor, 3)):
        Registration.objects.filter(pk=reg.pk).update(created_at=at(dt.date(2026, 10, day), 9))
    Registration.objects.filter(pk=expo.visitor.pk).update(checked_in_at=at(DAY, 8, 45))
    Registration.objects.filter(pk=expo.other_visitor.pk).update(state="pending")
    return reverse("events:registrations", args=[expo.event.pk])


def test_registrations_filter_and_sort_with_exact_rows(client, operator, registrations):
    login(client, operator)

    def rows(**params):
        return names(client, registrations, lambda r: r.name, **params)

    assert rows() == ["刘工", "周经理", "陈工"]  # the latest registration first
    assert rows(q="常州") == ["刘工", "周经理"]  # the organisation
    assert rows(q="陈") == ["陈工"]
    badge = Registration.objects.get(name="周经理").badge_code
    assert rows(q=badge) == ["周经理"]
    assert rows(state="pending") == ["刘工"]
    assert rows(kind="visitor") == ["刘工", "陈工"]
    assert rows(kind="exhibitor") == ["周经理"]
    assert rows(checked="yes") == ["陈工"]
    assert rows(checked="no") == ["刘工", "周经理"]
    assert rows(registered_from="2026-10-02", registered_to="2026-10-02") == ["周经理"]
    assert rows(sort="registered") == ["陈工", "周经理", "刘工"]
    assert rows(sort="organization") == ["周经理", "刘工", "陈工"]  # 慧眼, 天衡, 无锡
    assert rows(sort="-organization") == ["陈工", "刘工", "周经理"]
    assert rows(sort="checked") == ["陈工", "周经理", "刘工"]  # not checked in: last


def test_the_registrations_export_is_audited_with_labels(client, operator, registrations):
    client.cookies["django_language"] = "en"
    login(client, operator)
    before = AuditEntry.objects.count()
    rows = read_csv(client.get(registrations, {"export": "csv", "checked": "yes"}))
    assert rows == [
        ["Name", "Organisation", "Participant type", "State", "Registered at", "Checked in"],
        ["陈工", "无锡恒润精密机械有限公司", "Visitor", "Registered", "2026-10-01 09:00",
         "2026-11-26 08:45"],
    ]  # fmt: skip
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.object_repr, e.context) for e in entries] == [
        (
            "export",
            "Registrations",
            {
                "list": "events-registrations",
                "format": "csv",
                "rows": 1,
                "filters": {"checked": "yes", "sort": "-registered"},
            },
        )
    ]
    client.cookies["django_language"] = "zh-hans"
    sheet = read_xlsx(client.get(registrations, {"export": "xlsx", "state": "pending"}))
    assert sheet == [
        ["姓名", "机构", "参会类型", "状态", "报名时间", "已签到"],
        ["刘工", "常州天衡注塑模具有限公司", "观众", "待审核", "2026-10-03 09:00", ""],
    ]


def test_a_participant_cannot_list_or_export_registrations(client, enterprise_user, registrations):
    login(client, enterprise_user)
    before = AuditEntry.objects.count()
    assert client.get(registrations).status_code == 404
    assert client.get(registrations, {"export": "csv"}).status_code == 404
    assert AuditEntry.objects.count() == before


def test_the_registrations_list_has_a_constant_query_count(client, operator, registrations, expo):
    login(client, operator)
    params = {"sort": "organization", "kind": "exhibitor"}
    query_count(client, registrations, **params)
    one = query_count(client, registrations, **params)
    for name in ("吴经理", "郑经理"):
        Registration.objects.create(
            event=expo.event,
            type=expo.exhibitor.type,
            user=make_user(f"u{len(name)}{ord(name[0])}", role=Role.ENTERPRISE),
            organization=expo.other_visitor.organization,
            name=name,
            state="approved",
            badge_code=f"B{name.encode().hex()[:12]}",
        )
    assert len(names(client, registrations, lambda r: r.pk, **params)) == 3
    assert query_count(client, registrations, **params) == one


# --- an exhibitor's leads ---------------------------------------------------------------------


@pytest.fixture
def leads(expo, provider_user, enterprise_user):
    """陈工 (rated 5, consented at the booth) on the first day, 刘工 (rated 2, never consented,
    though his registration holds a phone) on the second."""
    exhibitor = actor_for(provider_user)
    first = services.collect_lead(
        exhibitor, expo.booth, badge_code=expo.visitor.badge_code, note="有意向 视觉检测", rating=5
    )
    second = services.collect_lead(
        exhibitor, expo.booth, badge_code=expo.other_visitor.badge_code, note="索要报价", rating=2
    )
    services.record_visit(actor_for(enterprise_user), expo.booth, expo.visitor, shares_contact=True)
    Lead.objects.filter(pk=first.pk).update(created_at=at(DAY, 10))
    Lead.objects.filter(pk=second.pk).update(created_at=at(DAY + dt.timedelta(days=1), 9, 30))
    return reverse("events:leads", args=[expo.booth.pk])


def test_the_leads_list_searches_filters_and_sorts_with_exact_rows(client, provider_user, leads):
    login(client, provider_user)

    def rows(**params):
        return names(client, leads, lambda lead: lead.registration.name, **params)

    assert rows() == ["刘工", "陈工"]  # the latest first
    assert rows(q="报价") == ["刘工"]  # the note
    assert rows(q="恒润") == ["陈工"]  # the organisation
    assert rows(q="刘工") == ["刘工"]  # the visitor
    assert rows(q="常州 视觉") == []  # every word
    assert rows(rating="5") == ["陈工"]
    assert rows(rating="3") == []
    assert rows(day_from="2026-11-27") == ["刘工"]
    assert rows(day_to="2026-11-26") == ["陈工"]
    assert rows(contact="shared") == ["陈工"]
    assert rows(contact="withheld") == ["刘工"]
    assert rows(sort="collected") == ["陈工", "刘工"]
    assert rows(sort="-rating") == ["陈工", "刘工"]
    assert rows(sort="rating") == ["刘工", "陈工"]
    assert rows(sort="name") == ["刘工", "陈工"]
    assert rows(sort="-name") == ["陈工", "刘工"]
    page = client.get(leads).content.decode()
    assert 'data-testid="lead-form"' in page  # the scan form stays on the page
    assert "13900001111" in page and "13700002222" not in page


def test_the_leads_export_carries_contacts_only_with_consent_and_is_audited(
    client, provider_user, leads
):
    client.cookies["django_language"] = "en"
    login(client, provider_user)
    before = AuditEntry.objects.count()
    response = client.get(leads, {"export": "csv"})
    rows = read_csv(response)
    assert rows == [
        ["Collected", "Name", "Organisation", "Rating", "Note", "Phone", "E-mail"],
        ["2026-11-27 09:30", "刘工", "常州天衡注塑模具有限公司", "2", "索要报价", "", ""],
        ["2026-11-26 10:00", "陈工", "无锡恒润精密机械有限公司", "5", "有意向 视觉检测",
         "13900001111", "chen@example.cn"],
    ]  # fmt: skip
    client.cookies["django_language"] = "zh-hans"
    sheet = read_xlsx(client.get(leads, {"export": "xlsx", "contact": "withheld"}))
    assert sheet == [
        ["采集时间", "姓名", "机构", "评级", "备注", "电话", "电子邮箱"],
        ["2026-11-27 09:30", "刘工", "常州天衡注塑模具有限公司", 2, "索要报价", "", ""],
    ]
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.context) for e in entries] == [
        (
            "export",
            {"list": "events-leads", "format": "csv", "rows": 2, "filters": {"sort": "-collected"}},
        ),
        (
            "export",
            {
                "list": "events-leads",
                "format": "xlsx",
                "rows": 1,
                "filters": {"contact": "withheld", "sort": "-collected"},
            },
        ),
    ]


def test_nobody_else_lists_or_exports_an_exhibitors_leads(client, other_enterprise_user, leads):
    login(client, other_enterprise_user)
    before = AuditEntry.objects.count()
    assert client.get(leads).status_code == 404
    assert client.get(leads, {"export": "csv"}).status_code == 404
    assert client.get(leads, {"export": "xlsx"}).status_code == 404
    assert AuditEntry.objects.count() == before


# Every search, filter and sort of the leads list.
LEAD_PARAMS = (
    {},
    {"q": "工 常州"},
    {"rating": "2"},
    {"day_from": "2026-11-26", "day_to": "2026-11-27"},
    {"contact": "shared"},
    {"contact": "withheld"},
    {"sort": "collected"},
    {"sort": "-rating"},
    {"sort": "name"},
)


def _more_leads(expo, provider_user, numbers: range) -> None:
    """Visitors of 常州天衡 numbered ``numbers``, each with a lead at the booth; every third
    shares his contact."""
    for i in numbers:
        reg = Registration.objects.create(
            event=expo.event,
            type=expo.other_visitor.type,
            user=make_user(f"lead-visitor-{i}", role=Role.ENTERPRISE),
            organization=expo.other_visitor.organization,
            name=f"访客{i:02d}工",
            state="approved",
            badge_code=f"LEAD{i:04d}",
            shares_contact=i % 3 == 0,
            phone=f"1380000{i:04d}",
        )
        lead = Lead.objects.create(
            booth=expo.booth, registration=reg, rating=1 + i % 5, created_by=provider_user
        )
        Lead.objects.filter(pk=lead.pk).update(created_at=at(DAY, 11, i))


def test_the_leads_list_has_a_constant_query_count(client, provider_user, leads, expo):
    """3 leads or 30, with every search, filter and sort: the same 8 queries, the page of
    leads with their visitors, organisations and consent in one."""
    login(client, provider_user)
    _more_leads(expo, provider_user, range(1))
    assert len(names(client, leads, lambda lead: lead.pk)) == 3
    few = [query_count(client, leads, **params) for params in LEAD_PARAMS]
    _more_leads(expo, provider_user, range(1, 28))
    assert Lead.objects.filter(booth=expo.booth).count() == 30
    assert len(names(client, leads, lambda lead: lead.pk)) == 25  # a full page
    many = [query_count(client, leads, **params) for params in LEAD_PARAMS]
    assert (few, many) == ([8] * len(LEAD_PARAMS), [8] * len(LEAD_PARAMS))
