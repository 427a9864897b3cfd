"""通知: one organisation's notifications, the unread badge, marking read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhizao.common.models import Notification
from zhizao.common.notifications import notify

from .conftest import login


@pytest.mark.django_db
def test_badge_counts_the_acting_organisations_unread_notifications(
    client, enterprise_user, factory_org, other_enterprise_user
):
    other_org = other_enterprise_user.memberships.get().organization
    notify(
        factory_org, title="政策匹配：智能化改造奖补", body="您的项目可能符合。", link="/policies/"
    )
    notify(factory_org, title="名单公示", link="https://evil.example.com/")
    notify(factory_org, title="给别人的", user=other_enterprise_user)
    notify(other_org, title="别的企业")
    login(client, enterprise_user)
    page = client.get(reverse("notifications"))
    assert page.context["unread_notifications"] == 2
    assert [(n.title, n.link) for n in page.context["notifications"]] == [
        ("名单公示", ""),
        ("政策匹配：智能化改造奖补", "/policies/"),
    ]
    first = Notification.objects.get(title="名单公示")
    client.post(reverse("notifications_read"), {"id": first.pk})
    assert client.get(reverse("notifications")).context["unread_notifications"] == 1
    foreign = Notification.objects.get(title="别的企业")
    client.post(reverse("notifications_read"), {"id": foreign.pk})
    foreign.refresh_from_db()
    assert foreign.read_at is None
    client.post(reverse("notifications_read"))
    assert client.get(reverse("policies:policy_list")).context["unread_notifications"] == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_badge_costs_one_query_whatever_the_count(
    client, enterprise_user, factory_org, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, enterprise_user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("notifications"))
        return len(ctx.captured_queries)

    notify(factory_org, title="一")
    one = count()
    notify(factory_org, title="二")
    notify(factory_org, title="三")
    assert count() == one
