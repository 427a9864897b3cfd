"""Every field that holds a clickable address accepts http(s) only.

The walk covers every model of the platform: a URLField, or a text field whose name says it
holds an address (url, link, website, href). A new such field without the shared validator
(``zhizao.common.validators``) fails here."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.template import Context, Template

from zhizao.common.validators import is_site_link, is_web_url, validate_web_url

ADDRESS_NAME = re.compile(r"url|link|website|href", re.IGNORECASE)

HOSTILE = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    " JavaScript:alert(1)",
    "JAVASCRIPT:alert(document.cookie)",
    "java\tscript:alert(1)",
    "https://example.cn\njavascript:alert(1)",
]


def address_fields() -> list[tuple[str, str]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("zhizao."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.URLField) or (
                isinstance(field, models.CharField | models.TextField)
                and ADDRESS_NAME.search(field.name)
                # a field of fixed choices (Session.link_access: public / registered) holds
                # a setting about a link, never an address
                and not field.choices
            ):
                found.append((model._meta.label, field.name))
    return sorted(found)


def test_the_walk_finds_the_known_address_fields():
    # the walk itself works: the fields known today are among the ones it finds
    assert {("registry.Organization", "website"), ("common.Notification", "link")} <= set(
        address_fields()
    )


@pytest.mark.parametrize(("label", "name"), address_fields())
@pytest.mark.parametrize("value", HOSTILE)
def test_every_address_field_refuses_other_schemes(label, name, value):
    field = apps.get_model(label)._meta.get_field(name)
    with pytest.raises(ValidationError):
        field.run_validators(value)


@pytest.mark.parametrize(("label", "name"), address_fields())
def test_every_address_field_accepts_https(label, name):
    field = apps.get_model(label)._meta.get_field(name)
    field.run_validators("https://example.cn")
    field.run_validators("http://www.example.cn/about?lang=zh#top")


def test_web_url_accepts_http_and_https_only():
    assert [
        is_web_url(v)
        for v in (
            "https://example.cn",
            "http://www.例子.中国/产品",
            "HTTPS://EXAMPLE.CN",
            "ftp://example.cn",
            "//example.cn",
            "example.cn",
            "/registry/",
            "",
            None,
        )
    ] == [True, True, True, False, False, False, False, False, False]


def test_site_link_accepts_paths_of_this_site_and_web_addresses():
    assert [
        is_site_link(v)
        for v in (
            "/policies/benefits/3/",
            "https://example.cn",
            "//evil.example/x",
            "/\\evil.example",
            "/a b",
            "javascript:alert(1)",
            "",
        )
    ] == [True, True, False, False, False, False, False]


def test_validator_message_is_chinese_in_chinese(settings):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_web_url("javascript:alert(1)")
    assert refused.value.messages == ["请输入以 http:// 或 https:// 开头的网址。"]


def test_templates_link_only_web_addresses():
    template = Template(
        '{% load zhizao %}{% if url|web_url %}<a href="{{ url|web_url }}">x</a>{% else %}'
        '{{ url }}{% endif %}|{% if link|site_link %}<a href="{{ link|site_link }}">y</a>'
        "{% endif %}"
    )
    rendered = template.render(Context({"url": "javascript:alert(1)", "link": "//evil.cn"}))
    assert rendered == "javascript:alert(1)|"
    rendered = template.render(Context({"url": "https://example.cn", "link": "/registry/"}))
    assert rendered == '<a href="https://example.cn">x</a>|<a href="/registry/">y</a>'
