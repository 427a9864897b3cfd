"""A session's online link for registered participants only (issue 13, "live sessions"): the
organiser keeps a session's links (or, by default, every session's) for the event's approved
registrants and organisers. Every page and API response that shows sessions is walked for an
anonymous visitor, a member who has not registered, one whose registration awaits approval,
an approved registrant and the organiser; the restricted links appear exactly where they
belong. The shared cache of the public pages never holds them, and joining through the
platform records the attendance once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from tests.events.conftest import DAY, login
from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.common.models import AuditEntry
from zhizao.events import public_cache, services
from zhizao.events.models import Attendance, Event, Session

LIVE = "https://live.example.cn/private-4711"
LIVE_RECORDING = "https://video.example.cn/private-4711"
PAST = "https://live.example.cn/private-past"
PAST_RECORDING = "https://video.example.cn/private-past"
OPEN = "https://live.example.cn/open-now"
KEYNOTE_RECORDING = "https://video.example.cn/opening"  # the fixture's keynote, public, over
EVENT_ADDRESS = "https://expo.example.cn/online"


@pytest.fixture
def people(db, expo, operator):
    """A member who has not registered and one whose registration awaits approval."""
    outsider = make_user(
        "outsider", role=Role.ENTERPRISE, organization=make_organization(name="南京未报名科技")
    )
    waiting = make_user(
        "waiting", role=Role.ENTERPRISE, organization=make_organization(name="苏州待审核科技")
    )
    guest = expo.event.registration_types.get(kind="guest")
    services.configure_registration(actor_for(operator), guest, capacity=None, needs_approval=True)
    pending = services.register(
        actor_for(waiting),
        expo.event,
        kind="guest",
        organization=waiting.memberships.first().organization,
    )
    assert pending.state == "pending"
    return {"outsider": outsider, "waiting": waiting}


@pytest.fixture
def live(expo, operator, enterprise_user):
    """The event runs until tomorrow; a restricted session is live now, another restricted one
    is over, a public one is live now. The visitor has both restricted ones in its agenda."""
    op = actor_for(operator)
    today = timezone.localdate()
    event = services.update_event(
        op,
        expo.event,
        starts_on=min(DAY, today - dt.timedelta(days=1)),
        ends_on=max(DAY + dt.timedelta(days=1), today + dt.timedelta(days=1)),
        meeting_days=[],
        online_url=EVENT_ADDRESS,
    )
    now = timezone.now()
    private_live = services.add_session(
        op,
        event,
        title="闭门直播：工业互联网",
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(minutes=30),
        online_url=LIVE,
        recording_url=LIVE_RECORDING,
        link_access="registered",
    )
    private_past = services.add_session(
        op,
        event,
        title="闭门研讨：数字孪生",
        starts_at=now - dt.timedelta(hours=3),
        ends_at=now - dt.timedelta(hours=2),
        online_url=PAST,
        recording_url=PAST_RECORDING,
        link_access="registered",
    )
    open_live = services.add_session(
        op,
        event,
        title="公开直播：智能工厂",
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(minutes=30),
        online_url=OPEN,
    )
    for session in (private_live, private_past):
        services.add_to_agenda(actor_for(enterprise_user), expo.visitor, session)
    return {"event": event, "live": private_live, "past": private_past, "open": open_live}


PRIVATE = (LIVE, LIVE_RECORDING, PAST, PAST_RECORDING)


def walk(client, expo, live) -> dict[str, str]:
    """Every page and API response that shows the event's sessions, by name (those the
    reader may not open are left out: the agenda and its .ics are an approved registrant's)."""
    e = expo.event.pk
    urls = {
        "public list": "/events/public/",
        "public programme": f"/events/public/{e}/",
        "public speakers": f"/events/public/{e}/speakers/",
        "live session page": f"/events/public/sessions/{live['live'].pk}/",
        "past session page": f"/events/public/sessions/{live['past'].pk}/",
        "events list": "/events/",
        "event page": f"/events/{e}/",
        "agenda": f"/events/{e}/agenda/",
        "agenda .ics": f"/events/{e}/agenda.ics",
        "events API": "/api/events/",
        "event API": f"/api/events/{e}/",
        "sessions API": f"/api/events/{e}/sessions/",
    }
    out = {}
    for name, url in urls.items():
        response = client.get(url)
        if response.status_code in (302, 401, 404):  # not for this reader
            continue
        assert response.status_code == 200, name
        out[name] = response.content.decode()
    return out


def where(seen: dict[str, str], text: str) -> list[str]:
    return [name for name, body in seen.items() if text in body]


def sessions_api(client, expo) -> dict[str, tuple[str, str, str]]:
    rows = client.get(f"/api/events/{expo.event.pk}/sessions/").json()
    return {r["title"]: (r["link_access"], r["online_url"], r["recording_url"]) for r in rows}


PUBLIC_ROWS = {
    "开幕式暨主旨演讲": (
        "public",
        "https://live.example.cn/opening",
        "https://video.example.cn/opening",
    ),
    "工业软件圆桌": ("public", "", ""),
    "公开直播：智能工厂": ("public", OPEN, ""),
}


def test_readers_without_an_approved_registration_never_get_the_links(client, expo, live, people):
    readers = {"anonymous": None, "outsider": people["outsider"], "waiting": people["waiting"]}
    for who, user in readers.items():
        client.logout()
        if user is not None:
            login(client, user)
        seen = walk(client, expo, live)
        pages = [
            "public list",
            "public programme",
            "public speakers",
            "live session page",
            "past session page",
        ]
        if user is not None:
            pages += ["events list", "event page", "events API", "event API", "sessions API"]
        assert sorted(seen) == sorted(pages), who
        assert [(link, where(seen, link)) for link in PRIVATE] == [
            (link, []) for link in PRIVATE
        ], who
        programme = seen["public programme"]
        # live now and in the programme: the restricted one asks to register, the open one links
        assert programme.count('data-testid="live-register-first"') == 2, who
        assert programme.count(OPEN) == 2, who
        assert programme.count('data-testid="recording-register-first"') == 1, who
        assert KEYNOTE_RECORDING in programme, who
        assert 'data-testid="live-join"' not in programme, who
        register = f'href="/events/{expo.event.pk}/"'
        assert seen["live session page"].count('data-testid="live-register-first"') == 1, who
        assert register in seen["live session page"], who
        assert seen["past session page"].count('data-testid="recording-register-first"') == 1
        if user is None:
            continue
        assert sessions_api(client, expo) == {
            **PUBLIC_ROWS,
            "闭门直播：工业互联网": ("registered", "", ""),
            "闭门研讨：数字孪生": ("registered", "", ""),
        }, who
        # the event keeps its default public: its online address is public
        assert client.get(f"/api/events/{expo.event.pk}/").json()["online_url"] == EVENT_ADDRESS


def test_an_approved_registrant_and_the_organiser_get_them_where_they_belong(
    client, expo, live, people, enterprise_user, operator
):
    login(client, enterprise_user)
    seen = walk(client, expo, live)
    assert "agenda" in seen and "agenda .ics" in seen
    assert [(link, where(seen, link)) for link in PRIVATE] == [
        # the live link only through the API and the join button (which counts the attendance)
        (LIVE, ["sessions API"]),
        (LIVE_RECORDING, ["sessions API"]),
        (PAST, ["sessions API"]),
        # the recording of the session that is over: a plain link
        (PAST_RECORDING, ["public programme", "past session page", "agenda", "sessions API"]),
    ]
    assert seen["public programme"].count('data-testid="live-join"') == 2
    assert seen["live session page"].count('data-testid="live-join"') == 1
    assert seen["agenda"].count('data-testid="live-join"') == 1
    join = f'action="/events/sessions/{live["live"].pk}/join/"'
    for name in ("public programme", "live session page", "agenda"):
        assert join in seen[name], name
    assert where(seen, "register-first") == []
    assert sessions_api(client, expo) == {
        **PUBLIC_ROWS,
        "闭门直播：工业互联网": ("registered", LIVE, LIVE_RECORDING),
        "闭门研讨：数字孪生": ("registered", PAST, PAST_RECORDING),
    }

    client.logout()
    login(client, operator)  # organises the event, is not registered
    seen = walk(client, expo, live)
    assert "agenda" not in seen
    assert [(link, where(seen, link)) for link in PRIVATE] == [
        (LIVE, ["sessions API"]),
        (LIVE_RECORDING, ["sessions API"]),
        (PAST, ["sessions API"]),
        (PAST_RECORDING, ["public programme", "past session page", "sessions API"]),
    ]
    assert seen["public programme"].count('data-testid="live-join"') == 2


def test_the_shared_cache_never_holds_a_restricted_link(client, expo, live, enterprise_user):
    public_cache.clear()
    programme = f"/events/public/{expo.event.pk}/"
    session = f"/events/public/sessions/{live['live'].pk}/"
    anonymous = client.get(programme).content.decode()
    client.get(session)
    login(client, enterprise_user)
    registrant = client.get(programme).content.decode()
    assert 'data-testid="live-join"' in registrant
    assert 'data-testid="live-register-first"' not in registrant
    assert PAST_RECORDING in registrant and PAST_RECORDING not in anonymous
    client.get(session)
    client.logout()
    again = client.get(programme).content.decode()
    assert PAST_RECORDING not in again
    assert 'data-testid="live-join"' not in again
    kept = list(public_cache._store.values())
    assert len(kept) >= 2
    assert [body for _until, body in kept if any(link in body for link in PRIVATE)] == []
    assert [body for _until, body in kept if "live-join" in body] == []


def test_joining_records_the_attendance_once_and_sends_the_registrant_on(
    client, expo, live, people, enterprise_user, operator
):
    url = f"/events/sessions/{live['live'].pk}/join/"
    login(client, enterprise_user)
    first = client.post(url)
    assert (first.status_code, first["Location"]) == (302, LIVE)
    second = client.post(url)
    assert (second.status_code, second["Location"]) == (302, LIVE)
    rows = list(
        Attendance.objects.filter(session=live["live"]).values_list("registration_id", flat=True)
    )
    assert rows == [expo.visitor.pk]
    entries = AuditEntry.objects.filter(context__event="events.attended")
    assert [(e.context["session"], e.context["online"]) for e in entries] == [
        (live["live"].pk, True)
    ]

    # the session that is over: back to its page, nothing written
    over = client.post(f"/events/sessions/{live['past'].pk}/join/")
    assert (over.status_code, over["Location"]) == (
        302,
        f"/events/public/sessions/{live['past'].pk}/",
    )
    assert Attendance.objects.filter(session=live["past"]).count() == 0

    # the organiser is sent on, and not counted (it has no registration)
    client.logout()
    login(client, operator)
    organiser = client.post(url)
    assert (organiser.status_code, organiser["Location"]) == (302, LIVE)
    assert Attendance.objects.count() == 1


def test_joining_is_refused_to_those_without_the_link_and_changes_nothing(
    client, expo, live, people
):
    url = f"/events/sessions/{live['live'].pk}/join/"
    audit_before = AuditEntry.objects.count()
    for who in ("outsider", "waiting"):
        client.logout()
        login(client, people[who])
        response = client.post(url, follow=True)
        assert response.redirect_chain == [(f"/events/public/sessions/{live['live'].pk}/", 302)]
        page = response.content.decode()
        assert gettext("Register for this event to get the link.") in page
        assert LIVE not in page
    assert Attendance.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    # a public session: anyone signed in is sent on; only a registrant would be counted
    response = client.post(f"/events/sessions/{live['open'].pk}/join/")
    assert (response.status_code, response["Location"]) == (302, OPEN)
    assert Attendance.objects.count() == 0


def test_the_event_default_restricts_every_session_that_does_not_say_otherwise(
    client, expo, live, people, operator, enterprise_user
):
    version = Event.objects.values_list("public_version", flat=True).get(pk=expo.event.pk)
    client.get(f"/events/public/{expo.event.pk}/")  # cached before the change
    login(client, operator)
    response = client.post(
        f"/events/{expo.event.pk}/edit/",
        {
            "title": expo.event.title,
            "starts_on": live["event"].starts_on.isoformat(),
            "ends_on": live["event"].ends_on.isoformat(),
            "online_url": EVENT_ADDRESS,
            "session_link_access": "registered",
            "meeting_day_start": "14:00",
            "meeting_day_end": "15:00",
            "slot_minutes": "20",
            "tables": "2",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(pk=expo.event.pk)
    assert (event.session_link_access, event.public_version) == ("registered", version + 1)
    # every session left blank follows the event now; the open one is made public in the grid
    today = timezone.localtime(live["open"].starts_at).date()
    services.save_timetable(
        actor_for(operator),
        event,
        day=today,
        rows=[
            {
                "id": s.pk,
                "title": s.title,
                "start": timezone.localtime(s.starts_at).time(),
                "end": timezone.localtime(s.ends_at).time(),
                "room": s.room,
                "online_url": s.online_url,
                "recording_url": s.recording_url,
                "link_access": "public" if s.pk == live["open"].pk else s.link_access,
            }
            for s in Session.objects.filter(event=event).order_by("starts_at", "id")
            if timezone.localtime(s.starts_at).date() == today
        ],
    )
    client.logout()
    login(client, people["outsider"])
    assert sessions_api(client, expo) == {
        "开幕式暨主旨演讲": ("registered", "", ""),
        "工业软件圆桌": ("registered", "", ""),
        "公开直播：智能工厂": ("public", OPEN, ""),
        "闭门直播：工业互联网": ("registered", "", ""),
        "闭门研讨：数字孪生": ("registered", "", ""),
    }
    detail = client.get(f"/api/events/{expo.event.pk}/").json()
    assert (detail["online_url"], detail["session_link_access"]) == ("", "registered")
    listed = {r["id"]: r["online_url"] for r in client.get("/api/events/").json()["results"]}
    assert listed == {expo.event.pk: ""}
    client.logout()
    programme = client.get(f"/events/public/{expo.event.pk}/").content.decode()
    assert KEYNOTE_RECORDING not in programme
    assert programme.count('data-testid="recording-register-first"') == 2
    assert programme.count(OPEN) == 2

    login(client, enterprise_user)
    detail = client.get(f"/api/events/{expo.event.pk}/").json()
    assert detail["online_url"] == EVENT_ADDRESS
    listed = {r["id"]: r["online_url"] for r in client.get("/api/events/").json()["results"]}
    assert listed == {expo.event.pk: EVENT_ADDRESS}
    assert KEYNOTE_RECORDING in client.get(f"/events/public/{expo.event.pk}/").content.decode()


def test_a_wrong_setting_is_refused_and_changes_nothing(expo, operator):
    from zhizao.events.errors import EventError

    with pytest.raises(EventError) as refused:
        services.update_event(actor_for(operator), expo.event, session_link_access="friends")
    assert (refused.value.code, refused.value.field) == ("bad_link_access", "session_link_access")
    with pytest.raises(EventError) as refused:
        services.add_session(
            actor_for(operator),
            expo.event,
            title="x",
            starts_at=expo.keynote.starts_at,
            ends_at=expo.keynote.ends_at,
            link_access="friends",
        )
    assert (refused.value.code, refused.value.field) == ("bad_link_access", "link_access")
    assert Event.objects.get(pk=expo.event.pk).session_link_access == "public"
    assert Session.objects.filter(event=expo.event).count() == 2


def test_the_ics_files_carry_no_link(client, expo, live, enterprise_user):
    login(client, enterprise_user)
    text = client.get(f"/events/{expo.event.pk}/agenda.ics").content.decode()
    assert "BEGIN:VEVENT" in text
    assert [link for link in (*PRIVATE, OPEN) if link in text] == []
    assert text.count("SUMMARY:") == 2
