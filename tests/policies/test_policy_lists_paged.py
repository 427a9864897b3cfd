"""Policies lists show every row a page at a time (common/pagination.py::paginate), never cut
off at a fixed number, and cost the same number of queries for one row as for three: the
officers' scans, the public name lists (公示) and a name list's “cannot tell” rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import actor_for, make_organization
from tests.policies.conftest import login
from tests.policies.scanning import add_project, announced_list, run
from zhizao.policies.services import namelists

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]


def measured(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.context["page_obj"]


def test_scan_list_pages_every_scan_in_constant_queries(
    client, officer, scan_version, scan_registry
):
    login(client, officer)
    run(officer, scan_version)
    one, page = measured(client, reverse("policies:scan_list"))
    assert page.paginator.count == 1
    run(officer, scan_version)
    run(officer, scan_version)
    three, page = measured(client, reverse("policies:scan_list"))
    assert (page.paginator.count, len(page.object_list)) == (3, 3)
    assert one == three


def test_public_name_lists_page_every_list_in_constant_queries(
    client, officer, scan_version, scan_registry
):
    announced_list(officer, scan_version)
    one, page = measured(client, reverse("policies:public_name_lists"))
    assert page.paginator.count == 1
    announced_list(officer, scan_version)
    announced_list(officer, scan_version)
    three, page = measured(client, reverse("policies:public_name_lists"))
    assert (page.paginator.count, len(page.object_list)) == (3, 3)
    assert one == three


def test_name_list_cannot_tell_rows_are_paged_in_constant_queries(
    client, officer, scan_version, scan_registry
):
    login(client, officer)
    name_list = namelists.create_name_list(actor_for(officer), run(officer, scan_version))
    url = reverse("policies:name_list_detail", args=[name_list.pk])
    one, page = measured(client, url)
    assert [d.enterprise.name for d in page.object_list] == ["无锡宏图涂装科技有限公司"]
    for i in range(2):
        org = make_organization(name=f"无锡未知软件{i}号有限公司", region="320214", industry="3421")
        add_project(actor_for(officer), org, f"未知软件{i}号线", "35000000", None)
    name_list = namelists.create_name_list(actor_for(officer), run(officer, scan_version))
    url = reverse("policies:name_list_detail", args=[name_list.pk])
    three, page = measured(client, url)
    assert page.paginator.count == 3
    assert one == three
