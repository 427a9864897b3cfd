"""Pages: the public programme (anonymous, what is live now, constant queries), exhibitors and
halls, registration from the event page, the phone check-in page, agenda and meeting .ics."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from tests.events.conftest import DAY, at, login
from tests.factories import actor_for
from zhizao.events import services
from zhizao.events.models import Registration


def _sessions(expo, operator, n):
    for i in range(n):
        services.add_session(
            actor_for(operator),
            expo.event,
            title=f"分论坛报告{i}",
            starts_at=at(DAY, 10, i * 10),
            ends_at=at(DAY, 10, i * 10 + 10),
            room="B1",
            forum=expo.forum,
        )


def test_public_programme_queries_do_not_grow(
    client, expo, operator, settings, django_assert_num_queries
):
    """The body rendered afresh (the cache off) takes the same queries for 1 or 3 sessions."""
    settings.EVENTS_PUBLIC_CACHE = False
    url = f"/events/public/{expo.event.pk}/"
    client.get(url)
    _sessions(expo, operator, 1)
    with django_assert_num_queries(4) as one:
        assert client.get(url).status_code == 200
    _sessions(expo, operator, 3)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('data-testid="session"') == 6


def test_public_pages_for_anonymous_visitors(client, expo):
    for path in ("", "speakers/", "halls/", "exhibitors/?q=视觉"):
        response = client.get(f"/events/public/{expo.event.pk}/{path}")
        assert response.status_code == 200
    page = client.get(f"/events/public/{expo.event.pk}/exhibitors/?q=视觉").content.decode()
    assert "常州慧眼智能科技有限公司" in page
    booth = client.get(f"/events/public/booths/{expo.booth.pk}/").content.decode()
    assert "注塑件表面缺陷机器视觉检测系统" in booth
    assert "13900001111" not in booth


def test_live_link_while_live_recording_afterwards(client, expo, operator):
    now = timezone.now()
    event = services.update_event(
        actor_for(operator),
        expo.event,
        # the event runs from the fixture's first day until today (its sessions stay on it)
        starts_on=min(DAY, timezone.localdate()),
        ends_on=max(DAY + dt.timedelta(days=1), timezone.localdate()),
        meeting_days=[],
    )
    services.add_session(
        actor_for(operator),
        event,
        title="正在进行的论坛",
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(minutes=30),
        online_url="https://live.example.cn/now",
        recording_url="https://video.example.cn/now",
    )
    page = client.get(f"/events/public/{expo.event.pk}/").content.decode()
    assert page.count("https://live.example.cn/now") == 2  # live now, and in the programme
    assert "https://video.example.cn/now" not in page
    # the keynote (2026-11-26 09:00-10:00) has ended: its recording, not its stream
    assert "https://video.example.cn/opening" in page
    assert "https://live.example.cn/opening" not in page


def test_live_now_lists_the_running_session(expo):
    from zhizao.events.selectors import live_now

    assert live_now(expo.event, now=at(DAY, 9, 30)) == [expo.keynote]
    assert live_now(expo.event, now=at(DAY, 10)) == []


def test_register_from_the_event_page(client, expo, operator, platform_org):
    from tests.factories import make_organization, make_user
    from zhizao.accounts.enums import Role

    org = make_organization(name="南京新访客科技有限公司", region="320104")
    user = make_user("newcomer", role=Role.ENTERPRISE, organization=org)
    user.display_name, user.phone, user.email = "王新", "13900001111", "wang@xin.example.cn"
    user.save(update_fields=["display_name", "phone", "email"])
    login(client, user)
    # the form starts from the account: name on the badge, phone and e-mail
    form = client.get(f"/events/{expo.event.pk}/").context["form"]
    assert {k: form.initial[k] for k in ("kind", "name", "phone", "email")} == {
        "kind": "visitor",
        "name": "王新",
        "phone": "13900001111",
        "email": "wang@xin.example.cn",
    }
    response = client.post(
        f"/events/{expo.event.pk}/register/", {"kind": "visitor", "name": "王工"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user=user)
    assert (registration.name, registration.organization, registration.state) == (
        "王工",
        org,
        "approved",
    )
    again = client.post(f"/events/{expo.event.pk}/register/", {"kind": "visitor"})
    assert again.status_code == 400
    assert Registration.objects.filter(user=user).count() == 1


def test_checkin_page_says_already_checked_in(client, expo, operator):
    login(client, operator)
    url = f"/events/{expo.event.pk}/checkin/"
    first = client.post(url, {"code": expo.visitor.badge_code, "door": "北门"})
    assert "已签到" in first.content.decode() or "Checked in" in first.content.decode()
    expo.visitor.refresh_from_db()
    when = timezone.localtime(expo.visitor.checked_in_at).strftime("%H:%M")
    second = client.post(url, {"code": expo.visitor.badge_code}).content.decode()
    assert f"已于 {when} 签到" in second
    # the desk has its way back to the other organiser pages
    page = client.get(url).content.decode()
    assert f'href="/events/{expo.event.pk}/organize/"' in page
    assert f'href="/events/{expo.event.pk}/schedule/"' in page


def test_agenda_ics_download(client, expo, enterprise_user):
    login(client, enterprise_user)
    client.post(f"/events/{expo.event.pk}/agenda/", {"session": expo.keynote.pk})
    response = client.get(f"/events/{expo.event.pk}/agenda.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert "DTSTART:20261126T010000Z" in text
    assert "SUMMARY:开幕式暨主旨演讲" in text


def test_organiser_builds_programme_and_exhibition_on_its_page(client, expo, operator):
    from zhizao.events.models import Booth, Forum, Hall, Speaker, Zone
    from zhizao.registry.models import Organization

    exhibitor = Organization.objects.get(name="常州天衡注塑模具有限公司")
    login(client, operator)
    url = f"/events/{expo.event.pk}/organize/"
    assert client.post(url, {"add": "forum", "title": "工业母机分论坛"}).status_code == 302
    assert client.post(url, {"add": "speaker", "title": "钱教授", "bio": "数控"}).status_code == 302
    assert client.post(url, {"add": "hall", "title": "集群馆"}).status_code == 302
    hall = Hall.objects.get(event=expo.event, name="集群馆")
    client.post(url, {"add": "zone", "title": "物联网集群", "hall": hall.pk})
    zone = Zone.objects.get(hall=hall)
    client.post(
        url, {"add": "booth", "title": "C-09", "zone": zone.pk, "exhibitor": exhibitor.name}
    )
    assert Forum.objects.filter(event=expo.event, title="工业母机分论坛").count() == 1
    assert Speaker.objects.filter(event=expo.event, name="钱教授").count() == 1
    assert Booth.objects.get(event=expo.event, code="C-09").exhibitor == exhibitor
    page = client.get(url).content.decode()
    assert "C-09" in page and "物联网集群" in page


def test_a_member_of_another_organisation_cannot_organise(client, expo, enterprise_user):
    from zhizao.events.models import Hall

    login(client, enterprise_user)
    url = f"/events/{expo.event.pk}/organize/"
    assert client.post(url, {"add": "hall", "title": "偷建的馆"}).status_code == 404
    assert Hall.objects.filter(event=expo.event).count() == 1


def test_participant_sets_its_meeting_slots(client, expo, enterprise_user):
    login(client, enterprise_user)
    page = client.get(f"/events/{expo.event.pk}/meetings/").content.decode()
    assert page.count('name="slot"') == 3
    url = f"/events/{expo.event.pk}/availability/"
    client.post(url, {"slot": ["20261126-1420", "bogus"]})
    expo.visitor.refresh_from_db()
    assert expo.visitor.available_slots == ["20261126-1420"]
    client.post(url, {"slot": ["20261126-1400", "20261126-1420", "20261126-1440"]})
    expo.visitor.refresh_from_db()
    assert expo.visitor.available_slots is None


def test_timetable_links_each_session_to_its_attendance_scan(client, expo, operator):
    login(client, operator)
    page = client.get(f"/events/{expo.event.pk}/timetable/?day=2026-11-26").content.decode()
    assert f"/events/sessions/{expo.keynote.pk}/checkin/" in page
    assert f"/events/sessions/{expo.panel.pk}/checkin/" in page


def test_the_exhibitor_list_shows_every_booth_a_page_at_a_time(client, expo, operator):
    """No list stops at a fixed number: 31 booths are 30 on the first page and 1 on the second,
    with the total, and a page past the end shows the last page."""
    from tests.factories import make_organization

    op = actor_for(operator)
    for i in range(30):
        org = make_organization(name=f"分页展商{i:02d}有限公司", kind="provider", region="320214")
        services.assign_booth(op, expo.zone, code=f"P-{i:02d}", exhibitor=org)
    url = f"/events/public/{expo.event.pk}/exhibitors/"

    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    beyond = client.get(url + "?page=9").content.decode()

    codes = [f"P-{i:02d}" for i in range(30)] + ["A-01"]
    on_first = [c for c in codes if c in first]
    on_second = [c for c in codes if c in second]
    assert on_first == [*codes[:29], "A-01"]  # by booth number: A-01, P-00 … P-28
    assert on_second == ["P-29"]
    total = re.search(r'<span class="pagination-total">([^<]*)</span>', first).group(1)
    assert re.sub(r"\D", "", total) == "31"
    assert 'rel="next"' in first and 'rel="next"' not in second
    assert [c for c in codes if c in beyond] == ["P-29"]
