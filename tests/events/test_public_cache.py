"""The public pages' cached bodies: a second request renders nothing again, and every write
that changes what they show is visible on the next request (the event's public version);
the new public session page; the search box's bounds."""

from __future__ import annotations

import re

from django.utils import translation

from tests.common.mo_support import write_mo
from tests.events.conftest import DAY, at
from tests.factories import actor_for
from zhizao.events import public_cache, selectors, services
from zhizao.events.models import Event
from zhizao.matchmaking import services as matchmaking


def _version(event) -> int:
    return Event.objects.values_list("public_version", flat=True).get(pk=event.pk)


def test_a_second_request_reads_only_the_event(client, expo, django_assert_num_queries):
    url = f"/events/public/{expo.event.pk}/"
    first = client.get(url).content.decode()
    with django_assert_num_queries(1):  # the event row (its version); the body is kept
        second = client.get(url).content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub("", second) == token.sub("", first)
    assert "开幕式暨主旨演讲" in second


def test_adding_a_session_shows_on_the_next_request(client, expo, operator):
    url = f"/events/public/{expo.event.pk}/"
    assert "智能工厂实践" not in client.get(url).content.decode()
    before = _version(expo.event)
    services.add_session(
        actor_for(operator),
        expo.event,
        title="智能工厂实践",
        starts_at=at(DAY, 11),
        ends_at=at(DAY, 12),
        room="B2",
        forum=expo.forum,
    )
    assert _version(expo.event) == before + 1
    page = client.get(url).content.decode()
    assert page.count('data-testid="session"') == 3
    assert "智能工厂实践" in page


def test_booth_edits_and_offering_edits_show_at_once(client, expo, provider_user, offering):
    booth_url = f"/events/public/booths/{expo.booth.pk}/"
    search_url = f"/events/public/{expo.event.pk}/exhibitors/?q=视觉检测专家"
    assert "视觉检测专家" in client.get(booth_url).content.decode()
    assert "常州慧眼智能科技有限公司" in client.get(search_url).content.decode()

    services.fill_booth(actor_for(provider_user), expo.booth, introduction="焊接机器人集成")
    booth = client.get(booth_url).content.decode()
    assert "焊接机器人集成" in booth and "视觉检测专家" not in booth
    assert "常州慧眼智能科技有限公司" not in client.get(search_url).content.decode()

    # an offering edited in matchmaking: the booth page keys on its offerings' last change
    matchmaking.change_offering(
        actor_for(provider_user), offering, title="注塑件缺陷在线检测系统 2.0"
    )
    booth = client.get(booth_url).content.decode()
    assert "注塑件缺陷在线检测系统 2.0" in booth
    assert "注塑件表面缺陷机器视觉检测系统" not in booth


def test_each_language_has_its_own_body(client, expo):
    url = f"/events/public/{expo.event.pk}/halls/"
    chinese = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "展商：1" in chinese or "展商: 1" in chinese
    assert "Exhibitors: 1" in english


def test_event_state_change_is_a_write_the_pages_see(client, expo, operator):
    url = f"/events/public/{expo.event.pk}/speakers/"
    assert "张院士" in client.get(url).content.decode()
    services.set_event_state(actor_for(operator), expo.event, "draft")
    response = client.get(url)
    assert response.status_code == 404


def test_the_cache_can_be_turned_off(client, expo, settings, django_assert_num_queries):
    settings.EVENTS_PUBLIC_CACHE = False
    url = f"/events/public/{expo.event.pk}/"
    client.get(url)
    with django_assert_num_queries(4):  # event, sessions, their speakers, forums
        client.get(url)


def test_session_page_shows_time_room_speakers_and_recording(client, expo):
    page = client.get(f"/events/public/sessions/{expo.keynote.pk}/").content.decode()
    assert "2026-11-26 09:00—10:00" in page
    assert "主会场" in page and "开幕式" in page
    assert "张院士" in page and "东南大学" in page and "智能制造" in page
    # the keynote is over (2026): the recording, not the stream
    assert "https://video.example.cn/opening" in page
    assert "https://live.example.cn/opening" not in page
    programme = client.get(f"/events/public/{expo.event.pk}/").content.decode()
    assert f"/events/public/sessions/{expo.keynote.pk}/" in programme


def test_session_page_of_an_unpublished_event_is_not_found(client, expo, operator):
    services.set_event_state(actor_for(operator), expo.event, "draft")
    response = client.get(f"/events/public/sessions/{expo.keynote.pk}/")
    assert response.status_code == 404
    assert "开幕式暨主旨演讲" not in response.content.decode()


def test_a_pasted_paragraph_is_refused_and_finds_nothing(client, expo):
    q = " ".join(["视觉"] * 9)
    page = client.get(f"/events/public/{expo.event.pk}/exhibitors/", {"q": q}).content.decode()
    assert 'role="alert"' in page
    assert "常州慧眼智能科技有限公司" in page  # the search is dropped: every exhibitor


def test_session_bounds_are_every_start_and_end(expo):
    bounds = selectors.session_bounds(expo.event)
    assert bounds == sorted(
        {
            at(DAY, 9).timestamp(),
            at(DAY, 10).timestamp(),
            at(DAY, 14).timestamp(),
            at(DAY, 14, 20).timestamp(),
        }
    )


def test_the_store_is_bounded(expo):
    public_cache.clear()
    with translation.override("zh-hans"):
        for i in range(public_cache.MAX_ENTRIES + 5):
            public_cache.fragment(expo.event, ("probe", i), lambda i=i: str(i))
        assert len(public_cache._store) == public_cache.MAX_ENTRIES
        assert public_cache.fragment(expo.event, ("probe", 0), lambda: "rebuilt") == "rebuilt"
    public_cache.clear()


def test_a_kept_body_follows_newly_deployed_catalogues(client, expo, settings, tmp_path):
    """Fragments are keyed by the catalogues' version too: a process started on new ``.mo``
    files shows the new words, not a fragment drawn with the old ones."""
    url = f"/events/public/{expo.event.pk}/"
    installed = list(settings.LOCALE_PATHS)

    def live_title(word: str) -> str:
        # a release of new catalogues, and a process started on it (Python's gettext keeps a
        # file it read once, so each release has its own directory, as deployments do)
        release = tmp_path / word
        write_mo(release / "zh_Hans" / "LC_MESSAGES" / "django.mo", {"Live now": word})
        settings.LOCALE_PATHS = [release, *installed]
        text = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
        return text.split('<h2 id="live-title">', 1)[1].split("<", 1)[0]

    assert live_title("第一版正在直播") == "第一版正在直播"
    assert live_title("第二版直播") == "第二版直播"
