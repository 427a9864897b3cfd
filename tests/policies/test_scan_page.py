"""The scan page shows up to 200 decisions with their explanations: the explanation steps are
rendered by ``|step_items`` exactly as the template loop rendered them, and the page reads a
constant number of queries whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_organization
from tests.policies.conftest import login
from tests.policies.scanning import run
from zhizao.policies.enums import Eligibility
from zhizao.policies.models import Decision
from zhizao.policies.templatetags.policies_budget import step_items

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]

LOOP = (
    "{% load policies_budget %}{% for step in steps %}<li>{{ step.text }}"
    "{% if step.source|human_source %} "
    '<span class="muted">（{{ step.source }}）</span>{% endif %}</li>{% endfor %}'
)


def test_step_items_renders_what_the_template_loop_rendered():
    steps = [
        {"step": "version", "text": "适用版本 v1（2024-01-01 起）", "source": "苏工信〔2024〕1号"},
        {"step": "condition", "text": "投资 ≥ 1,000万元 & <b>设备</b>", "source": ""},
        {"step": "result", "text": "符合", "source": "A & B <i>"},
        {"step": "parameter"},  # no text, no source
        {"step": "note", "text": None, "source": None},
        # a raw fact path is what the explainer falls back to: never shown as a source
        {"step": "fact", "text": "所在地区：无锡市", "source": "enterprise.region"},
    ]
    loop = engines["django"].from_string(LOOP).render({"steps": steps})
    assert str(step_items(steps)) == loop
    assert loop == (
        "<li>适用版本 v1（2024-01-01 起） "
        '<span class="muted">（苏工信〔2024〕1号）</span></li>'
        "<li>投资 ≥ 1,000万元 &amp; &lt;b&gt;设备&lt;/b&gt;</li>"
        '<li>符合 <span class="muted">（A &amp; B &lt;i&gt;）</span></li>'
        "<li></li>"
        "<li>None</li>"
        "<li>所在地区：无锡市</li>"
    )
    assert str(step_items([])) == "" == str(step_items(None))


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_scan_page_reads_as_many_queries_for_more_rows(
    client, officer, scan_version, scan_registry
):
    scan = run(officer, scan_version)
    url = reverse("policies:scan_detail", args=[scan.pk])
    login(client, officer)
    _count(client, url)
    one, page = _count(client, url)
    shown = len(page.context["eligible_rows"])
    model = Decision.objects.filter(scan=scan, eligible=Eligibility.YES).first()
    for n, project in ((1, None), (2, model.project)):
        Decision.objects.create(
            item_version=model.item_version,
            enterprise=make_organization(name=f"无锡第{n}精工有限公司"),
            project=project,
            as_of=model.as_of,
            eligible=Eligibility.YES,
            amount_yuan=model.amount_yuan,
            explanation=model.explanation,
            source=model.source,
            scan=scan,
        )
    more, page = _count(client, url)
    assert len(page.context["eligible_rows"]) == shown + 2
    assert more == one
    html = page.content.decode()
    assert html.count("<summary>说明</summary>") == shown + 2
