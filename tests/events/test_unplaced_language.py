"""Why a request is not placed, in the reader's language: the scheduler's codes and
parameters are stored on the request and said with gettext, the parties by name, on the
meeting page, the organiser's schedule page and in the API."""

from __future__ import annotations

from tests.events.conftest import login, scheduled_meeting
from tests.factories import actor_for
from zhizao.events import services


def _unplaced(expo, enterprise_user, provider_user, operator):
    services.set_availability(actor_for(enterprise_user), expo.visitor, ["20261126-1400"])
    services.set_availability(actor_for(provider_user), expo.exhibitor, ["20261126-1440"])
    return scheduled_meeting(expo, enterprise_user, provider_user, operator, publish=False)


def test_codes_and_parameters_are_stored(expo, enterprise_user, provider_user, operator):
    meeting = _unplaced(expo, enterprise_user, provider_user, operator)
    v, e = f"P{expo.visitor.pk}", f"P{expo.exhibitor.pk}"
    assert meeting.unplaced_reason == "no_common_slot"
    assert meeting.unplaced_params == {
        "detail": "no_common",
        "helps": "open_half_day",
        "a": v,
        "b": e,
        "who": e,
        "other": v,
        "date": "2026-11-26",
        "half": "pm",
    }


def test_both_sides_read_it_in_chinese_and_in_english(
    client, expo, enterprise_user, provider_user, operator
):
    meeting = _unplaced(expo, enterprise_user, provider_user, operator)
    url = f"/events/meetings/{meeting.pk}/"
    for user in (enterprise_user, provider_user):
        login(client, user)
        chinese = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
        assert (
            "陈工（无锡恒润精密机械有限公司） 与 周经理（常州慧眼智能科技有限公司） 没有共同的空闲时段"
            in chinese
        )
        assert "周经理（常州慧眼智能科技有限公司） 增加 11月26日下午的空闲时段" in chinese
        english = client.get(url, headers={"accept-language": "en"}).content.decode()
        assert (
            "陈工 (无锡恒润精密机械有限公司) and 周经理 (常州慧眼智能科技有限公司) "
            "have no free slot in common"
        ) in english
        assert (
            "周经理 (常州慧眼智能科技有限公司) offers free slots on the afternoon of November 26 "
            "(陈工 (无锡恒润精密机械有限公司) is free then)"
        ) in english
        assert "没有共同的空闲时段" not in english
        assert f"P{expo.visitor.pk}" not in english and f"P{expo.visitor.pk}" not in chinese
        client.logout()


def test_the_organiser_and_the_api_in_english(
    client, expo, enterprise_user, provider_user, operator
):
    meeting = _unplaced(expo, enterprise_user, provider_user, operator)
    login(client, operator)
    page = client.get(
        f"/events/{expo.event.pk}/schedule/", headers={"accept-language": "en"}
    ).content.decode()
    assert "have no free slot in common" in page
    data = client.get(
        f"/api/events/meetings/{meeting.pk}/", headers={"accept-language": "en"}
    ).json()
    assert data["unplaced_detail"] == (
        "陈工 (无锡恒润精密机械有限公司) and 周经理 (常州慧眼智能科技有限公司) "
        "have no free slot in common"
    )
    data = client.get(
        f"/api/events/meetings/{meeting.pk}/", headers={"accept-language": "zh-hans"}
    ).json()
    assert data["unplaced_detail"] == (
        "陈工（无锡恒润精密机械有限公司） 与 周经理（常州慧眼智能科技有限公司） 没有共同的空闲时段"
    )


def test_a_full_party_and_clashing_slots_name_times_not_codes(
    client, expo, enterprise_user, other_enterprise_user, provider_user, operator
):
    event = services.update_event(actor_for(operator), expo.event, max_meetings=1)
    first = services.request_meeting(
        actor_for(enterprise_user),
        expo.event,
        requester=expo.visitor,
        recipient=expo.exhibitor,
        reason="视觉检测改造",
        priority=3,
    )
    services.respond_meeting(actor_for(provider_user), first, accept=True)
    second = services.request_meeting(
        actor_for(other_enterprise_user),
        expo.event,
        requester=expo.other_visitor,
        recipient=expo.visitor,
        reason="模具合作",
    )
    services.respond_meeting(actor_for(enterprise_user), second, accept=True)
    services.run_schedule(actor_for(operator), event)
    second.refresh_from_db()
    assert (second.unplaced_reason, second.unplaced_params["detail"]) == (
        "participant_full",
        "full",
    )
    login(client, other_enterprise_user)
    english = client.get(
        f"/events/meetings/{second.pk}/", headers={"accept-language": "en"}
    ).content.decode()
    assert "陈工 (无锡恒润精密机械有限公司) already has 1 meetings, its limit of 1" in english
    assert "raises its meeting limit, or cancels a meeting of lower priority" in english
