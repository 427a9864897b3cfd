"""The classroom catalogue on the shared list machinery: every filter (society, level, maturity
sub-domain, matchmaking category, upcoming live class) and sort (newest, most enrolled, rating,
title by pinyin) with exact rows, the CSV/XLSX exports of what is filtered with labels, drafts
kept from learners, and a query count that does not grow with the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.classroom.conftest import login
from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import actor_for, make_user
from zhizao.accounts.enums import Role
from zhizao.classroom import services
from zhizao.classroom.models import Course
from zhizao.classroom.selectors import subdomain_choices
from zhizao.diagnosis.cache import clear_provider_index
from zhizao.diagnosis.loading import shipped_model_files
from zhizao.diagnosis.services import load_model_files

ROBOT = "工业机器人应用与编程入门"  # world.course: society A, introductory, robots, rated 3
WORKSHOP = "数字化车间规划"  # society B, advanced, MES, two learners, rated 5
SAFETY = "安全生产培训"  # society A, intermediate, upcoming live class, nobody enrolled
DRAFT = "草稿：智能仓储"

URL = "/classroom/"


def _publish(actor, society, title, **fields) -> Course:
    course = services.create_course(actor, society, title=title, **fields)
    services.add_lesson(actor, course, title="第一讲", minutes=10)
    return services.set_course_state(actor, course, "published")


@pytest.fixture
def catalogue(world, society_a, society_b, society_a_user, society_b_user, factory_org):
    a, b = actor_for(society_a_user), actor_for(society_b_user)
    workshop = _publish(b, society_b, WORKSHOP, level="advanced", categories=["mes"], subdomains=[])
    safety = _publish(a, society_a, SAFETY, level="intermediate")
    services.create_course(a, society_a, title=DRAFT)
    now = timezone.now()
    services.schedule_live_class(
        a,
        safety,
        title="直播：安全答疑",
        starts_at=now + dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=2, hours=1),
    )
    stars = {workshop.pk: [5, 5], world.course.pk: [3]}
    for i, (course, marks) in enumerate([(workshop, stars[workshop.pk]), (world.course, [3])]):
        for k, mark in enumerate(marks):
            learner = make_user(f"learner{i}{k}", role=Role.ENTERPRISE, organization=factory_org)
            enrolment = services.enrol(actor_for(learner), course)
            services.rate_course(actor_for(learner), enrolment, stars=mark)
    # Published one after another: newest first is SAFETY, WORKSHOP, ROBOT (ids break ties).
    return {"robot": world.course, "workshop": workshop, "safety": safety}


def rows(client, **params) -> list[str]:
    return names(client, URL, lambda c: c.title, **params)


def test_the_catalogue_filters_and_sorts_with_exact_rows(
    client, catalogue, enterprise_user, society_a, society_b
):
    login(client, enterprise_user)
    assert reverse("classroom:catalogue") == URL
    assert rows(client) == [SAFETY, WORKSHOP, ROBOT]  # newest first; the draft is not shown
    assert rows(client, q="机器人 编程") == [ROBOT]
    assert rows(client, society=society_a.pk) == [SAFETY, ROBOT]
    assert rows(client, society=society_b.pk) == [WORKSHOP]
    assert rows(client, level="advanced") == [WORKSHOP]
    assert rows(client, level="intermediate") == [SAFETY]
    assert rows(client, category="industrial_robot") == [ROBOT]
    assert rows(client, category="mes") == [WORKSHOP]
    assert rows(client, live="yes") == [SAFETY]
    assert rows(client, live="no") == [WORKSHOP, ROBOT]
    assert rows(client, level="advanced", live="yes") == []
    assert rows(client, sort="newest") == [ROBOT, WORKSHOP, SAFETY]
    assert rows(client, sort="-learners") == [WORKSHOP, ROBOT, SAFETY]
    assert rows(client, sort="learners") == [SAFETY, ROBOT, WORKSHOP]
    assert rows(client, sort="-rating") == [WORKSHOP, ROBOT, SAFETY]  # unrated last
    assert rows(client, sort="rating") == [ROBOT, WORKSHOP, SAFETY]
    # pinyin: 安 (an) < 工 (gong) < 数 (shu)
    assert rows(client, sort="title") == [SAFETY, ROBOT, WORKSHOP]
    assert rows(client, sort="-title") == [WORKSHOP, ROBOT, SAFETY]
    page = client.get(URL, {"sort": "-learners"})
    figures = [(c.title, c.learners, c.rating) for c in page.context["page_obj"].object_list]
    assert [(t, n, None if r is None else float(r)) for t, n, r in figures] == [
        (WORKSHOP, 2, 5.0),
        (ROBOT, 1, 3.0),
        (SAFETY, 0, None),
    ]


def test_the_sub_domain_filter_offers_the_maturity_model_s_sub_domains(
    client, catalogue, enterprise_user
):
    load_model_files(shipped_model_files())
    clear_provider_index()
    (first, first_name), (second, _name) = subdomain_choices()[:2]
    Course.objects.filter(pk=catalogue["robot"].pk).update(subdomains=[first])
    Course.objects.filter(pk=catalogue["safety"].pk).update(subdomains=[first, second])
    login(client, enterprise_user)
    assert rows(client, subdomain=first) == [SAFETY, ROBOT]
    assert rows(client, subdomain=second) == [SAFETY]
    exported = read_csv(client.get(URL, {"export": "csv", "subdomain": second}))
    assert [(r[0], r[3].split("、")[0]) for r in exported[1:]] == [(SAFETY, first_name)]


def test_the_catalogue_exports_what_is_filtered_with_labels(client, catalogue, enterprise_user):
    client.cookies["django_language"] = "en"
    login(client, enterprise_user)
    csv_rows = read_csv(client.get(URL, {"export": "csv", "live": "no", "sort": "-rating"}))
    assert csv_rows[0] == [
        "Course",
        "Society",
        "Level",
        "Maturity sub-domains",
        "Categories",
        "Learners",
        "Rating",
    ]
    assert [(r[0], r[2], r[5], r[6]) for r in csv_rows[1:]] == [
        (WORKSHOP, "Advanced", "2", "5.0"),
        (ROBOT, "Introductory", "1", "3.0"),
    ]
    xlsx_rows = read_xlsx(
        client.get(URL, {"export": "xlsx", "society": catalogue["safety"].society_id})
    )
    assert [(r[0], r[5]) for r in xlsx_rows[1:]] == [(SAFETY, 0), (ROBOT, 1)]


def test_a_society_sees_its_drafts_and_the_query_count_is_constant(
    client, catalogue, society_a_user, enterprise_user, society_a
):
    login(client, society_a_user)
    assert rows(client, society=society_a.pk) == [SAFETY, ROBOT, DRAFT]  # unpublished last
    client.logout()
    login(client, enterprise_user)
    few = query_count(client, URL, society=catalogue["workshop"].society_id)
    many = query_count(client, URL)
    assert few == many
