"""Recommended learning: the diagnosis report's gap roadmap shows the published courses that
address a gap's sub-domain (diagnosis asks its registry of gap recommenders; it never imports
the classroom), and an enterprise's learning page lists courses for its open gaps first."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.classroom.conftest import login
from tests.diagnosis.conftest import submitted
from tests.factories import actor_for
from zhizao.classroom import selectors, services
from zhizao.diagnosis.cache import clear_provider_index
from zhizao.diagnosis.loading import shipped_model_files
from zhizao.diagnosis.selectors import default_model
from zhizao.diagnosis.services import load_model_files


@pytest.fixture
def cmmm(db):
    load_model_files(shipped_model_files())
    clear_provider_index()
    return default_model()


def publish(society_a_user, society_a, title, subdomains):
    actor = actor_for(society_a_user)
    course = services.create_course(actor, society_a, title=title, subdomains=subdomains)
    services.add_lesson(actor, course, title="第一讲", minutes=30)
    return services.set_course_state(actor, course, "published")


def test_the_gap_roadmap_and_my_learning_recommend_courses(
    client,
    cmmm,
    factory_org,
    enterprise_user,
    society_a_user,
    society_a,
):
    assessment = submitted(factory_org, enterprise_user, cmmm, 1)
    with translation.override("zh-hans"):  # the pages' language
        gaps = selectors.open_gaps(factory_org.pk)
    assert gaps, "level 1 met: the next level has open requirements"
    sub = gaps[0].subdomain
    course = publish(society_a_user, society_a, "短板专题课", [sub])
    publish(society_a_user, society_a, "无关课程", ["no-such-subdomain"])
    login(client, enterprise_user)
    report = client.get(reverse("diagnosis:report", args=[assessment.pk]))
    assert report.status_code == 200
    html = report.content.decode()
    link = reverse("classroom:course_detail", args=[course.pk])
    assert f'<a href="{link}">短板专题课</a>' in html
    assert "无关课程" not in html
    page = client.get(reverse("classroom:my_learning"))
    assert [c.title for c in page.context["recommended"]] == ["短板专题课"]
    assert gaps[0].name in page.context["recommended"][0].recommendation.gaps
