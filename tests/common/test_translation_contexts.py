"""One English word, the right Chinese word for each place: "Kind" is 机构类型 only for
organisations, "Title" is 职务 only for a contact person, and the statistics header does not
say 中类 whatever the grouping (pgettext contexts); Django's empty choice reads Chinese."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


def test_pages_use_the_word_of_their_own_thing_in_chinese():
    world = build_world()
    o = world.objects
    pages = {
        "ent_a": [
            (reverse("matchmaking:offering_list"), '<th scope="col">类型</th>'),
            (reverse("policies:project_list"), '<th scope="col">项目类型</th>'),
            (reverse("diagnosis:home"), '<th scope="col">评估类型</th>'),
            (reverse("policies:my_recognitions"), '<th scope="col">称号</th>'),
        ],
        "officer": [
            (
                reverse("policies:organization_records", args=[o["org_a"].pk]),
                '<th scope="col">记录类型</th>',
            ),
            (reverse("diagnosis:statistics"), '<th scope="col">分组</th>'),
            (reverse("policies:policy_detail", args=[o["policy"].pk]), "<dt>有效期</dt>"),
            (
                reverse("calls:catalogue_detail", args=[o["catalogue"].pk]),
                '<th scope="col">标题</th>',
            ),
        ],
        "operator": [
            (reverse("calls:calendar"), '<th scope="col">日期类型</th>'),
            (reverse("calls:calendar"), '<label for="ck">日期类型</label>'),
        ],
    }
    for name, checks in pages.items():
        client = Client()
        client.cookies["django_language"] = "zh-hans"
        assert client.login(username=world.users[name].username, password=PASSWORD)
        for url, header in checks:
            body = client.get(url).content.decode()
            assert header in body, url
            assert "机构类型" not in body and "职务" not in body and "中类" not in body, url
            assert "Select an option" not in body, url
