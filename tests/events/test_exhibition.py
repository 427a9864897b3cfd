"""Booths filled from offerings, Chinese search, visits with consent, leads (an exhibitor sees
only its own; contacts only with consent), procurement needs ranked with exhibitors first,
analytics and exports."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.events.conftest import DAY, at, login
from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.common.models import AuditEntry
from zhizao.events import selectors, services
from zhizao.events.errors import EventError
from zhizao.events.models import Booth, Lead, ProcurementNeed
from zhizao.matchmaking import services as matchmaking
from zhizao.matchmaking.models import Demand, Introduction


def _inspection_need(expo, enterprise_user):
    """陈工 (the visitor) posts 注塑件外观缺陷检测 in the procurement area."""
    return services.post_need(
        actor_for(enterprise_user),
        expo.event,
        expo.visitor,
        title="注塑件外观缺陷检测",
        description="注塑件划痕、缺料机器视觉检测",
        category="machine_vision",
        region="320214",
    )


def test_booth_links_the_exhibitors_offerings(expo, offering):
    assert list(expo.booth.offerings.all()) == [offering]
    assert [b.pk for b in selectors.exhibitors(expo.event, q="机器视觉")] == [expo.booth.pk]
    assert [b.pk for b in selectors.exhibitors(expo.event, q="慧眼 视觉")] == [expo.booth.pk]
    assert list(selectors.exhibitors(expo.event, q="焊接机器人")) == []


def test_booth_refuses_someone_elses_offering_and_nothing_changes(
    expo, provider_user, operator, platform_org
):
    bank = make_organization(name="江苏测试银行", kind="bank", industry=None)
    bank_user = make_user("bank-a", role=Role.BANK, organization=bank)
    foreign = matchmaking.save_and_publish_offering(
        actor_for(bank_user),
        bank,
        kind="financial",
        title="设备更新贷款",
        description="技改贷款",
        categories=["financing"],
    )
    with pytest.raises(EventError) as error:
        services.fill_booth(actor_for(provider_user), expo.booth, offerings=[foreign])
    assert error.value.code == "bad_offering"
    with pytest.raises(EventError):
        services.fill_booth(actor_for(operator), expo.booth, introduction="改写")
    booth = Booth.objects.get(pk=expo.booth.pk)
    assert booth.introduction == "视觉检测专家"
    assert [o.pk for o in booth.offerings.all()] == [o.pk for o in expo.booth.offerings.all()]


def test_contacts_reach_the_exhibitor_only_with_consent(
    expo, enterprise_user, provider_user, client
):
    p = actor_for(provider_user)
    services.collect_lead(
        p, expo.booth, badge_code=expo.visitor.badge_code, note="有意向", rating=5
    )
    table = services.leads_table(p, expo.booth)
    assert [row[1:] for row in table.rows] == [
        ["陈工", expo.visitor.organization.name, 5, "有意向", "", ""]
    ]
    login(client, provider_user)
    page = client.get(f"/events/booths/{expo.booth.pk}/leads/").content.decode()
    assert "13900001111" not in page
    csv = b"".join(client.get(f"/events/booths/{expo.booth.pk}/export/leads.csv").streaming_content)
    assert csv.startswith("\ufeff".encode())
    assert "13900001111" not in csv.decode()
    services.record_visit(actor_for(enterprise_user), expo.booth, expo.visitor, shares_contact=True)
    table = services.leads_table(p, expo.booth)
    assert table.rows[0][5:] == ["13900001111", "chen@example.cn"]
    page = client.get(f"/events/booths/{expo.booth.pk}/leads/").content.decode()
    assert "13900001111" in page


def test_an_exhibitor_sees_only_its_own_leads(expo, provider_user, other_enterprise_user, client):
    services.collect_lead(actor_for(provider_user), expo.booth, badge_code=expo.visitor.badge_code)
    login(client, other_enterprise_user)
    audits = AuditEntry.objects.count()
    for url in (
        f"/events/booths/{expo.booth.pk}/leads/",
        f"/events/booths/{expo.booth.pk}/analytics/",
        f"/events/booths/{expo.booth.pk}/export/leads.csv",
        f"/api/events/booths/{expo.booth.pk}/leads/",
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        f"/events/booths/{expo.booth.pk}/leads/", {"code": expo.other_visitor.badge_code}
    )
    assert response.status_code == 404
    assert Lead.objects.count() == 1
    assert AuditEntry.objects.count() == audits


def test_meeting_details_only_for_parties_and_organisers(
    expo, enterprise_user, other_enterprise_user, provider_user, operator, client
):
    meeting = services.request_meeting(
        actor_for(enterprise_user),
        expo.event,
        requester=expo.visitor,
        recipient=expo.exhibitor,
        reason="保密的改造计划",
    )
    for user, status in (
        (enterprise_user, 200),
        (provider_user, 200),
        (operator, 200),
        (other_enterprise_user, 404),
    ):
        client.logout()
        login(client, user)
        assert client.get(f"/events/meetings/{meeting.pk}/").status_code == status
        assert client.get(f"/api/events/meetings/{meeting.pk}/").status_code == status
    response = client.post(f"/events/meetings/{meeting.pk}/respond/", {"accept": "1"})
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == "requested"


def test_procurement_need_ranks_exhibitors_offerings_first(
    expo, enterprise_user, offering, other_enterprise_user
):
    outsider = make_organization(
        name="苏州外部视觉有限公司", kind="provider", region="320500", industry="6513"
    )
    outsider_user = make_user("outsider", role=Role.PROVIDER, organization=outsider)
    matchmaking.save_and_publish_offering(
        actor_for(outsider_user),
        outsider,
        kind="solution",
        title="注塑件缺陷机器视觉检测",
        description="机器视觉检测注塑件缺陷、划痕、缺料，深度学习。",
        categories=["machine_vision"],
    )
    need = _inspection_need(expo, enterprise_user)
    assert Demand.objects.get(pk=need.demand_id).state == "published"
    ranked = services.ranked_offerings(need)
    assert ranked[0].offering == offering
    assert ranked[0].booth == expo.booth
    assert ranked[0].reasons
    assert all(r.booth is None for r in ranked[1:])
    with pytest.raises(EventError):
        services.post_need(
            actor_for(other_enterprise_user),
            expo.event,
            expo.visitor,
            title="x",
            description="y",
            category="machine_vision",
            region="320214",
        )
    assert ProcurementNeed.objects.count() == 1


def test_need_turns_into_a_meeting_request_in_one_click(expo, enterprise_user, offering, client):
    need = services.post_need(
        actor_for(enterprise_user),
        expo.event,
        expo.visitor,
        title="注塑件外观缺陷检测",
        description="注塑件划痕机器视觉检测",
        category="machine_vision",
        region="320214",
    )
    login(client, enterprise_user)
    page = client.get(f"/events/needs/{need.pk}/").content.decode()
    assert offering.title in page
    response = client.post(f"/events/needs/{need.pk}/meeting/", {"offering": offering.pk})
    assert response.status_code == 302
    meeting = expo.event.meeting_requests.get()
    assert (meeting.requester, meeting.recipient) == (expo.visitor, expo.exhibitor)


def test_analytics_tables_and_exports(expo, operator, enterprise_user, provider_user, client):
    services.check_in(actor_for(operator), expo.event, badge_code=expo.visitor.badge_code)
    services.record_visit(actor_for(enterprise_user), expo.booth, expo.visitor)
    services.collect_lead(actor_for(provider_user), expo.booth, badge_code=expo.visitor.badge_code)
    tables = {t.key: t for t in selectors.organiser_analytics(expo.event)}
    assert sorted(tables) == [
        "attendance",
        "booths",
        "checkins",
        "meetings",
        "procurement",
        "registrations",
    ]
    assert tables["booths"].rows == [["A-01", "常州慧眼智能科技有限公司", 1, 1]]
    assert sum(r[2] for r in tables["registrations"].rows) == 3
    assert [r[1] for r in tables["checkins"].rows] == [1]
    login(client, operator)
    response = client.get(f"/events/{expo.event.pk}/analytics/booths.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert AuditEntry.objects.filter(context__event="events.exported").count() == 1


def test_badge_pdf(expo, enterprise_user, client):
    login(client, enterprise_user)
    response = client.get(f"/events/{expo.event.pk}/badge.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_booth_visitors_show_contacts_only_with_consent(
    expo, enterprise_user, other_enterprise_user, provider_user
):
    services.record_visit(actor_for(enterprise_user), expo.booth, expo.visitor, shares_contact=True)
    services.record_visit(actor_for(other_enterprise_user), expo.booth, expo.other_visitor)
    table = services.visitors_table(actor_for(provider_user), expo.booth)
    assert sorted(row[1:] for row in table.rows) == [
        ["刘工", expo.other_visitor.organization.name, "", ""],
        ["陈工", expo.visitor.organization.name, "13900001111", "chen@example.cn"],
    ]
    assert services.visitors_table(actor_for(other_enterprise_user), expo.booth).rows == []


def test_booth_analytics_exports_sit_with_the_page_actions(expo, provider_user, client):
    import re

    login(client, provider_user)
    response = client.get(f"/events/booths/{expo.booth.pk}/analytics/")
    page = response.content.decode()
    keys = [t.key for t in response.context["tables"]]
    assert keys
    actions = re.search(r'<div class="page-actions">(.*?)</div>', page, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', actions) == [
        f"/events/booths/{expo.booth.pk}/export/{key}.{fmt}"
        for key in keys
        for fmt in ("csv", "xlsx")
    ]
    # none between the cards any more
    assert page.count("/export/") == 2 * len(keys)


def test_procurement_form_picks_the_region_by_name(expo, enterprise_user, client):
    """The need's region is chosen by its names (江苏省 · 无锡市 · 新吴区), as on the policy and
    eligibility forms, never typed as a 行政区划代码; the code still travels as the value."""
    login(client, enterprise_user)
    url = f"/events/{expo.event.pk}/procurement/"
    page = client.get(url).content.decode()
    assert "行政区划代码" not in page
    assert '<option value="320000" selected>江苏省</option>' in page
    assert '<option value="320200" selected>无锡市</option>' in page
    assert '<option value="320214" selected>新吴区</option>' in page
    body = {
        "title": "注塑件外观缺陷检测",
        "description": "注塑件划痕机器视觉检测",
        "category": "machine_vision",
    }
    refused = client.post(url, {**body, "region": "329999"})
    assert refused.status_code == 400
    assert ProcurementNeed.objects.count() == 0
    assert client.post(url, {**body, "region": "320205"}).status_code == 302
    need = ProcurementNeed.objects.get()
    assert Demand.objects.get(pk=need.demand_id).region == "320205"


def test_the_procurement_table_counts_each_needs_introductions_and_deals(
    expo, enterprise_user, other_enterprise_user, provider_user, offering, operator, client
):
    """The organiser's table says what it counts: every introduction of a need's demand
    (suggested or asked for, any state) and those ending in a deal — per need, not the
    demands posted outside the event."""
    offerings = [offering] + [
        matchmaking.save_and_publish_offering(
            actor_for(provider_user),
            offering.provider,
            kind="solution",
            title=title,
            description="视觉检测",
            categories=["machine_vision"],
        )
        for title in ("缺陷检测二代", "尺寸测量系统")
    ]
    need = _inspection_need(expo, enterprise_user)
    services.post_need(
        actor_for(other_enterprise_user),
        expo.event,
        expo.other_visitor,
        title="模具寿命监测",
        description="模具磨损在线监测",
        category="machine_vision",
        region="320411",
    )
    ProcurementNeed.objects.filter(pk=need.pk).update(created_at=at(DAY, 9))
    for item, state in zip(offerings, ("suggested", "requested", "deal"), strict=True):
        Introduction.objects.create(
            demand=need.demand, offering=item, requested_by="enterprise", state=state
        )
    outside = matchmaking.save_and_publish_demand(
        actor_for(enterprise_user),
        need.registration.organization,
        title="会外需求",
        description="视觉检测",
        category="machine_vision",
        region="320214",
    )
    Introduction.objects.create(
        demand=outside, offering=offering, requested_by="enterprise", state="deal"
    )
    with translation.override("en"):
        table = {t.key: t for t in selectors.organiser_analytics(expo.event)}["procurement"]
        assert (table.title, table.header) == (
            "Procurement needs and their introductions",
            ["Need", "Buyer", "Introductions", "Introductions ending in a deal"],
        )
    assert table.rows == [
        ["模具寿命监测", "常州天衡注塑模具有限公司", 0, 0],
        ["注塑件外观缺陷检测", "无锡恒润精密机械有限公司", 3, 1],
    ]
