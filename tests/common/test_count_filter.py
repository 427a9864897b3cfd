"""Whole numbers on the workbench read with thousands separators (2,015), as a Chinese user
expects; amounts and labels pass unchanged."""

from __future__ import annotations

from pathlib import Path

from django.template import Context, Template

import zhizao
from zhizao.common.templatetags.zhizao import count


def test_count_separates_thousands_and_leaves_other_values():
    assert [count(v) for v in (2015, "1624", "1234567", 0, "12")] == [
        "2,015",
        "1,624",
        "1,234,567",
        "0",
        "12",
    ]
    assert [count(v) for v in ("1.6亿元", "2 级", "—", "", None, True, "１２３")] == [
        "1.6亿元",
        "2 级",
        "—",
        "",
        None,
        True,
        "１２３",
    ]


def test_every_workbench_figure_is_counted():
    home = Path(zhizao.__file__).parent / "common" / "templates" / "home.html"
    assert '<div class="stat-value">{{ figure.value|count }}</div>' in home.read_text()
    rendered = Template("{% load zhizao %}{{ v|count }}").render(Context({"v": "2015"}))
    assert rendered == "2,015"
