"""Every side-navigation entry draws an icon that exists in the sprite: a missing one left the
dashboard and monthly-report entries without an icon, so they read as sub-entries of 云课堂."""

from __future__ import annotations

import re
from pathlib import Path

import zhizao
from zhizao.common.navigation import REGISTRY


def test_every_navigation_icon_is_in_the_sprite():
    sprite = (Path(zhizao.__file__).parent / "static/zhizao/img/icons.svg").read_text()
    symbols = set(re.findall(r'<symbol id="i-([a-z-]+)"', sprite))
    assert len(REGISTRY.nav) > 10
    assert sorted({item.icon for item in REGISTRY.nav.values()} - symbols) == []
