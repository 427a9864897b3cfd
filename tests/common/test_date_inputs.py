"""Date inputs work in every language: each form field rendered as ``<input type="date">``
gives its value as YYYY-MM-DD (what the browser accepts), also in Chinese, where Django's own
format would be 2026/12/07 and leave a required field blank."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

from django import forms
from django.utils import translation

import zhizao


def all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(zhizao.__path__, "zhizao."):
        if ".forms" in module.name or ".views" in module.name:
            importlib.import_module(module.name)
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("zhizao."):
                found.append(sub)
    return found


def date_widgets():
    for form_class in all_form_classes():
        for name, field in form_class.base_fields.items():
            if getattr(field.widget, "input_type", "") == "date":
                yield f"{form_class.__module__}.{form_class.__name__}.{name}", field


def test_every_date_input_renders_an_iso_value_in_chinese_and_english():
    fields = dict(date_widgets())
    assert len(fields) >= 8  # the scan, payment, policy, project, loan, demand, campaign forms …
    day = dt.date(2026, 12, 7)
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            rendered = {where: field.widget.render("d", day) for where, field in fields.items()}
        wrong = [where for where, html in rendered.items() if 'value="2026-12-07"' not in html]
        assert wrong == [], lang
