"""An expert's own assignments on the shared list machinery: search (never by the applicant in
a blind round), the progress and deadline filters, sorts, the export, the query count."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD
from zhizao.review import services
from zhizao.review.models import Assignment, Review

pytestmark = pytest.mark.django_db

URL = "/review/mine/"


@pytest.fixture
def busiest(rw, client):
    """The expert with the most assignments, logged in (English); his first assignment has a
    submitted review, his second a draft, the others none."""
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    active = Assignment.objects.filter(round=rw.round, state="active")
    load = {}
    for a in active:
        load[a.expert_id] = load.get(a.expert_id, 0) + 1
    expert_id = max(sorted(load), key=lambda e: load[e])
    key = next(k for k, e in rw.experts.items() if e.pk == expert_id)
    mine = list(active.filter(expert_id=expert_id).order_by("application_id"))
    assert len(mine) >= 2
    Review.objects.create(assignment=mine[0], state="submitted")
    Review.objects.create(assignment=mine[1], state="draft")
    client.cookies["django_language"] = "en"
    assert client.login(username=rw.users[key].username, password=PASSWORD)
    return [a.application.title for a in mine]


def rows(client, **params):
    return names(client, URL, lambda a: a.application.title, **params)


def test_the_url_is_the_expert_s_list():
    assert reverse("review:my_assignments") == URL


def test_my_assignments_filter_and_sort_with_exact_rows(client, busiest, rw):
    titles = busiest
    assert rows(client) == titles  # by deadline (one round), then application
    assert rows(client, progress="submitted") == titles[:1]
    assert rows(client, progress="draft") == titles[1:2]
    assert rows(client, progress="not_started") == titles[2:]
    assert rows(client, sort="-deadline") == titles[::-1]
    assert rows(client, q="网评第一轮") == titles  # the round's name
    vision = [t for t in titles if "视觉" in t]
    assert vision and rows(client, q="视觉") == vision
    # A blind round: the applicant's name finds nothing.
    assert rows(client, q=rw.apps[0].applicant.name) == []
    deadline = timezone.localdate(rw.round.deadline).isoformat()
    assert rows(client, deadline_from=deadline, deadline_to=deadline) == titles
    assert rows(client, deadline_to="2020-01-01") == []


def test_my_assignments_export_with_labels_and_blind_titles(client, busiest, rw):
    deadline = timezone.localtime(rw.round.deadline).strftime("%Y-%m-%d %H:%M")
    csv_rows = read_csv(client.get(URL, {"export": "csv", "progress": "draft"}))
    assert csv_rows == [
        ["Application", "Round", "Call", "Deadline", "My review"],
        [busiest[1], "网评第一轮", "2026年度智能制造十大科技进展", deadline, "Draft"],
    ]
    sheet = read_xlsx(client.get(URL, {"export": "xlsx", "progress": "not_started"}))
    assert [r[0] for r in sheet] == ["Application", *busiest[2:]]
    assert [r[4] for r in sheet[1:]] == ["Not started"] * len(busiest[2:])


def test_my_assignments_have_a_constant_query_count(client, busiest):
    params = {"progress": "submitted", "sort": "deadline"}
    query_count(client, URL, **params)
    one = query_count(client, URL, **params)
    Review.objects.filter(state="draft").update(state="submitted")
    mine = Assignment.objects.filter(review__isnull=False).values("expert_id")
    for a in Assignment.objects.filter(expert_id__in=mine, state="active", review__isnull=True):
        Review.objects.create(assignment=a, state="submitted")
    assert len(rows(client, **params)) == len(busiest) >= 2
    many = query_count(client, URL, **params)
    assert many == one
