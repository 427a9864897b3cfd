"""The ranking index snapshot: built by the worker, mapped read-only by web processes, edits
after it applied in the process's overlay, and no page waiting for a build."""

from __future__ import annotations

import json
import threading
from io import StringIO

import numpy as np
from django.core.management import call_command
from django.urls import reverse

from tests.factories import actor_for
from zhizao.matchmaking import index, services

from .conftest import login


def _ranking(demand):
    return [(m.id, m.score, [r.zh for r in m.reasons]) for m in index.rank_offerings(demand)]


def _second_offering(provider_user, provider_org, title="PCB外观AOI检测设备"):
    actor = actor_for(provider_user)
    o = services.create_offering(
        actor,
        provider_org,
        kind="product",
        title=title,
        description="自动光学检测，识别焊点与外观缺陷，常州本地服务。",
        categories=["machine_vision"],
        industries=["39"],
        regions=["320400"],
        certifications=["ISO9001"],
        price_min_yuan="150000",
    )
    return services.publish_offering(actor, o)


def test_worker_snapshot_is_mapped_read_only_and_ranks_as_a_build(settings, demand, offering):
    built = _ranking(demand)  # this process built the index from the database
    out = StringIO()
    call_command("match_snapshot", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["written"], report["offerings"], report["demands"]) == (True, 1, 1)
    snap = index.current_snapshot()
    assert snap is not None and snap.name == report["snapshot"]
    assert (snap / "offerings.vecs.npy").exists() and (snap / "state.json").exists()
    # a web process: maps the snapshot, read-only
    index.reset()
    settings.ZHIZAO_MATCH_BUILD_IN_PROCESS = False
    mapped = index.get_index()
    assert mapped.offerings.doclen.shared and mapped.offerings.keys
    assert all(p[0].shared for p in mapped.offerings.postings.values())
    assert _ranking(demand) == built
    # nothing changed: the worker writes nothing
    again = index.build_snapshot()
    assert (again["written"], again["snapshot"]) == (False, snap.name)


def test_an_edit_after_the_snapshot_is_seen_through_the_overlay(
    settings, demand, offering, provider_user, provider_org
):
    index.build_snapshot()
    index.reset()
    settings.ZHIZAO_MATCH_BUILD_IN_PROCESS = False
    assert [m.id for m in index.rank_offerings(demand)] == [str(offering.pk)]
    # an offering published after the snapshot (the after-commit hook does not run in these
    # tests, as for a write by another process): this process's next query finds it by the
    # watermark and applies it on top of the mapped snapshot, copying only what it writes
    second = _second_offering(provider_user, provider_org)
    ranked = [m.id for m in index.rank_offerings(demand)]
    assert sorted(ranked) == sorted([str(offering.pk), str(second.pk)])
    overlay = index.get_index()
    assert not overlay.offerings.doclen.shared  # appended: its own copy
    assert overlay.offerings.vecs.base.shape[0] == 1  # the mapped rows stay shared
    # withdrawn: gone from the ranking, the snapshot on disk unchanged
    services.withdraw_offering(actor_for(provider_user), second)
    assert [m.id for m in index.rank_offerings(demand)] == [str(offering.pk)]
    snap = index.current_snapshot()
    assert json.loads((snap / "state.json").read_text())["offerings"] == 1
    # the worker's next run takes the edits in: a new snapshot, which processes move to
    report = index.build_snapshot()
    assert (report["written"], report["offerings"]) == (True, 1)
    assert index.current_snapshot().name == report["snapshot"] != snap.name
    assert [m.id for m in index.rank_offerings(demand)] == [str(offering.pk)]
    assert index._state.snapshot == report["snapshot"]


def test_without_a_snapshot_the_page_says_the_ranking_is_being_prepared(
    client, settings, enterprise_user, demand, offering
):
    settings.ZHIZAO_MATCH_BUILD_IN_PROCESS = False
    index.reset()
    login(client, enterprise_user)
    url = reverse("matchmaking:demand_detail", args=[demand.pk])
    html = client.get(url).content.decode()
    link = reverse("matchmaking:offering_detail", args=[offering.pk])
    assert 'data-testid="ranking-preparing"' in html
    assert link not in html
    assert index.is_built() is False  # the page did not build it
    # the page asked the worker (immediate in tests), which saved a snapshot; the next view
    # maps it
    assert index.current_snapshot() is not None
    html = client.get(url).content.decode()
    assert 'data-testid="ranking-preparing"' not in html
    assert f'href="{link}"' in html


def test_rankings_read_side_by_side(demand, offering):
    """Two rankings in one process hold the read side together; a refresh (writer) waits."""
    index.get_index()
    inside, release = threading.Event(), threading.Event()
    seen = []

    def reader():
        with index.reading():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=reader)
    t.start()
    assert inside.wait(5)
    with index.reading():  # not blocked by the other reader
        seen.append("second reader")
    got_write = threading.Event()

    def writer():
        with index.lock():
            got_write.set()

    w = threading.Thread(target=writer)
    w.start()
    assert not got_write.wait(0.2)  # the writer waits for the reader
    release.set()
    t.join(5)
    w.join(5)
    assert got_write.is_set() and seen == ["second reader"]
    assert np.isfinite([m.score for m in index.rank_offerings(demand)]).all()


def test_a_web_process_preloads_the_snapshot_and_never_builds(settings, demand, offering):
    """At start a web process maps the newest snapshot (zhizao/wsgi.py's preload), so the
    first ranking it serves does not load it; without a snapshot it builds nothing."""
    settings.ZHIZAO_MATCH_BUILD_IN_PROCESS = False
    index.reset()
    assert index.current_snapshot() is None
    assert index.preload() is False
    assert index._state is None  # nothing built, nothing enqueued in its place
    call_command("match_snapshot", stdout=StringIO())
    index.reset()
    assert index.preload() is True
    loaded = index._state
    assert loaded is not None and loaded.snapshot == index.current_snapshot().name
    assert [m.id for m in index.rank_offerings(demand)] == [str(offering.pk)]
    assert index._state is loaded  # the first ranking used what the preload mapped
