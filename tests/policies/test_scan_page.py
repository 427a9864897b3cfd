"""The scan page shows its decisions a page of 50 at a time (the eligible rows and those that
need more information, each table on its own page parameter), with their explanations: the
explanation steps are rendered by ``|step_items`` exactly as the template loop rendered them,
and the page reads a constant number of queries whatever the number of rows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import make_organization
from tests.policies.conftest import login
from tests.policies.scanning import decision_like, run
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
        decision_like(
            model, enterprise=make_organization(name=f"无锡第{n}精工有限公司"), project=project
        )
    more, page = _count(client, url)
    assert len(page.context["eligible_rows"]) == shown + 2
    assert more == one
    html = page.content.decode()
    assert html.count("<summary>说明</summary>") == shown + 2


FOLD = re.compile(
    r'<details hx-get="([^"]+)" hx-trigger="toggle once" hx-target="find ol" '
    r'hx-swap="outerHTML"><summary>说明</summary><ol class="small"><li><a href="([^"]+)">'
    r"([^<]+)</a></li></ol></details>"
)


def test_a_folded_explanation_is_reachable_and_exact(
    client, officer, enterprise_user, scan_version, scan_registry
):
    """The scan page folds each row's explanation: opening the fold fetches the steps (htmx),
    without JavaScript its link opens them on a page; either way they are the row's own steps
    exactly as the page used to write them out, and only the scan's readers see them."""
    scan = run(officer, scan_version)
    login(client, officer)
    page = client.get(reverse("policies:scan_detail", args=[scan.pk])).content.decode()
    rows = list(
        Decision.objects.filter(scan=scan, eligible=Eligibility.YES).order_by(
            "-amount_yuan", "enterprise__name_sort", "id"
        )
    )
    expected = [reverse("policies:scan_explanation", args=[scan.pk, d.pk]) for d in rows]
    with translation.override("zh-hans"):
        label = gettext("Open the explanation")  # 查看说明 once the catalogue has it
    assert FOLD.findall(page) == [(u, u, label) for u in expected]
    for decision in rows:  # no step of any explanation is written on the scan page
        texts = [step["text"] for step in decision.explanation if step.get("text")]
        assert len(texts) >= 5
        assert not any(f"<li>{text}" in page for text in texts)
    first = rows[0]
    steps = f'<ol class="small">{step_items(first.explanation)}</ol>'
    fragment = client.get(expected[0], headers={"HX-Request": "true"})
    assert fragment.content.decode() == steps
    whole = client.get(expected[0]).content.decode()
    assert steps in whole
    assert f"{first.enterprise.name}</span></nav>" in whole  # the breadcrumb names the row
    assert reverse("policies:scan_detail", args=[scan.pk]) in whole  # and leads back

    other = decision_like(first, enterprise=first.enterprise, scan=None)  # of no scan
    for url in (
        reverse("policies:scan_explanation", args=[scan.pk, other.pk]),  # not this scan's
        reverse("policies:scan_explanation", args=[scan.pk + 1000, first.pk]),
    ):
        assert client.get(url).status_code == 404
    login(client, enterprise_user)
    assert client.get(expected[0]).status_code == 404
    assert client.get(expected[0], headers={"HX-Request": "true"}).status_code == 404


def test_every_eligible_row_is_on_one_page_of_fifty(client, officer, scan_version, scan_registry):
    """The scan's eligible rows are paged by 50 in the page's order: 53 rows are 50 on the
    first page and 3 on the second, each once, with the total."""
    scan = run(officer, scan_version)
    model = Decision.objects.filter(scan=scan, eligible=Eligibility.YES).first()
    for n in range(50):
        decision_like(model, enterprise=make_organization(name=f"无锡分页{n:02d}精工有限公司"))
    expected = list(
        Decision.objects.filter(scan=scan, eligible=Eligibility.YES)
        .order_by("-amount_yuan", "enterprise__name_sort", "id")
        .values_list("pk", flat=True)
    )
    assert len(expected) == 53
    url = reverse("policies:scan_detail", args=[scan.pk])
    login(client, officer)
    first, second = client.get(url), client.get(url, {"page": "2"})
    pages = [[d.pk for d, _reason, _link in r.context["eligible_rows"]] for r in (first, second)]
    assert [len(p) for p in pages] == [50, 3]
    assert pages[0] + pages[1] == expected
    assert 'class="pagination-total">共 53 条</span>' in first.content.decode()


def test_every_undecided_row_is_on_one_page_of_fifty(client, officer, scan_version, scan_registry):
    """The rows that need more information are paged by 50 on their own parameter, not cut at
    200: 53 rows are 50 on the first page and 3 on the second, each once, with the total, and
    the eligible rows' page stays where it was."""
    scan = run(officer, scan_version)
    model = Decision.objects.filter(scan=scan, eligible=Eligibility.YES).first()
    already = Decision.objects.filter(scan=scan, eligible=Eligibility.UNKNOWN).count()
    for n in range(53 - already):
        decision_like(
            model,
            enterprise=make_organization(name=f"无锡待补{n:02d}精工有限公司"),
            missing=["enterprise.projects"],
        )
    for n in range(50):  # two pages of eligible rows as well
        decision_like(model, enterprise=make_organization(name=f"无锡分页{n:02d}精工有限公司"))
    expected = list(
        Decision.objects.filter(scan=scan, eligible=Eligibility.UNKNOWN)
        .order_by("-amount_yuan", "enterprise__name_sort", "id")
        .values_list("pk", flat=True)
    )
    assert len(expected) == 53
    url = reverse("policies:scan_detail", args=[scan.pk])
    login(client, officer)
    first = client.get(url, {"page": "2"})
    second = client.get(url, {"page": "2", "unknown_page": "2"})
    pages = [[d.pk for d in r.context["unknown_rows"]] for r in (first, second)]
    assert [len(p) for p in pages] == [50, 3]
    assert pages[0] + pages[1] == expected
    # the eligible rows' page is the one asked for, on both
    assert [len(r.context["eligible_rows"]) for r in (first, second)] == [3, 3]
    html = first.content.decode()
    unknown_section = html[html.index('id="unknown-title"') :]
    assert 'class="pagination-total">共 53 条</span>' in unknown_section
    assert unknown_section.count('data-testid="missing-facts">企业的项目</td>') == 50
    assert 'href="?page=2&amp;unknown_page=2#unknown-title" rel="next"' in unknown_section
    # the eligible table's own links keep the undecided rows' page and change only theirs
    eligible_section = second.content.decode().split('id="unknown-title"')[0]
    assert 'href="?page=1&amp;unknown_page=2" rel="prev"' in eligible_section
