"""Rendered fragments of the public event pages, kept in each process's memory.

A fragment's key carries the event's ``public_version``, which every service that changes
what the public pages show raises in the same transaction (``services.base.touch_public``),
so a write is visible on the next request in every process: the old key is simply never
asked for again and ages out of the bounded store. Text that other apps own (an exhibitor's
name, its matchmaking offerings) is refreshed after ``TTL`` seconds at the latest; a booth
page also keys on its offerings' last change. ``ZHIZAO_EVENTS_PUBLIC_CACHE=0`` turns the
store off (the benchmark's baseline).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.utils.translation import get_language

from zhizao.common.catalogue import catalogue_version

MAX_ENTRIES = 2000
TTL = 300.0

_store: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
_lock = threading.Lock()


def enabled() -> bool:
    return getattr(settings, "EVENTS_PUBLIC_CACHE", True)


def fragment(event, parts: tuple, build: Callable[[], str]) -> str:
    """The fragment for ``parts`` of ``event``'s public pages, built once per version."""
    if not enabled():
        return build()
    # created_at too: a test database rolled back may give a new event an old event's id
    # the catalogues' version too: a process started on new .mo files draws new words
    key = (
        event.pk,
        event.created_at,
        event.public_version,
        get_language(),
        catalogue_version(),
        *parts,
    )
    now = time.monotonic()
    with _lock:
        hit = _store.get(key)
        if hit is not None and hit[0] > now:
            _store.move_to_end(key)
            return hit[1]
    value = build()
    with _lock:
        _store[key] = (now + TTL, value)
        _store.move_to_end(key)
        while len(_store) > MAX_ENTRIES:
            _store.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _store.clear()
