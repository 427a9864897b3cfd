"""Two more roles followed from their workbench in a real browser: the officer follows the scan
figure to the scans and a scan to the enterprises it found; the colleague a questionnaire
section was handed to opens it from his workbench, answers it, and the task goes away."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_registry_browser import log_in
from tests.e2e.test_workbench_browser import open_task
from tests.factories import actor_for, make_user
from tests.security.world import build_world
from zhizao.accounts.enums import Role
from zhizao.diagnosis import services as diagnosis
from zhizao.diagnosis.models import SectionAssignment
from zhizao.policies.enums import Eligibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_follows_the_scan_figure_to_the_scan_and_its_enterprises(offline_page, live_server):
    world = build_world()
    scan = world.objects["scan"]
    page = offline_page
    log_in(page, live_server, world.users["officer"].username)
    figure = page.locator("[data-workbench-figures] a.stat-link", has_text="免申即享筛查")
    expect(figure.locator(".stat-value")).to_have_text("1")
    with page.expect_navigation():
        figure.click()
    expect(page).to_have_url(f"{live_server.url}/policies/scans/")
    with page.expect_navigation():
        page.get_by_role("link", name=f"#{scan.pk}", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/policies/scans/{scan.pk}/")
    expect(page.get_by_test_id("eligible-count")).to_have_text(str(scan.eligible_count))
    names = sorted(
        scan.decisions.filter(eligible=Eligibility.YES).values_list("enterprise__name", flat=True)
    )
    rows = page.get_by_test_id("eligible-rows").locator("tbody tr td:first-child")
    assert sorted(rows.all_inner_texts()) == names and len(names) == scan.eligible_count > 0


def test_colleague_answers_the_section_handed_to_him_and_the_task_goes(offline_page, live_server):
    world = build_world()
    assessment = world.objects["self_a"]
    org = world.objects["org_a"]
    colleague = make_user("sec-colleague", role=Role.ENTERPRISE, organization=org)
    model = assessment.model.parsed()
    asked = model.asked(assessment.enterprise_type)
    sizes = {}
    for r in asked:
        domain = model.path_of_subdomain[r.subdomain][1]
        sizes.setdefault(domain.id, []).append(r.id)
    domain_id, ids = min(sizes.items(), key=lambda kv: (len(kv[1]), kv[0]))
    name = next(d.name["zh"] for d in model.domains() if d.id == domain_id)
    diagnosis.assign_section(actor_for(world.users["ent_a"]), assessment, domain_id, colleague.pk)

    page = offline_page
    log_in(page, live_server, colleague.username)
    open_task(page, live_server, f"填写交给您的部分“{name}”")
    expect(page).to_have_url(f"{live_server.url}/diagnosis/a/{assessment.pk}/?section={domain_id}")
    for rid in ids:
        page.locator(f"#req-{rid} input[name=value][value='1']").check()
        expect(page.locator(f"#req-{rid}.req--answered")).to_have_count(1)
    section = SectionAssignment.objects.get(assessment=assessment, domain_id=domain_id)
    assert section.completed_at is not None
    assessment.refresh_from_db()
    assert assessment.state == "draft"
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-workbench-action]", has_text=name)).to_have_count(0)
