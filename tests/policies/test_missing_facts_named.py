"""Rows the engine could not decide name the missing facts in the reader's language on the scan
page and the name list page (软件投资, not ``project.software_yuan``)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import actor_for
from tests.policies.conftest import login
from tests.policies.scanning import run
from zhizao.policies.enums import Eligibility
from zhizao.policies.models import Decision
from zhizao.policies.services import namelists
from zhizao_core.policy.missing import missing_label

pytestmark = pytest.mark.django_db

CELL = re.compile(r'<td data-testid="missing-facts">([^<]*)</td>')


def test_missing_facts_read_as_labels_on_scan_and_name_list(
    client, officer, scan_version, scan_registry
):
    scan = run(officer, scan_version)
    name_list = namelists.create_name_list(actor_for(officer), scan)
    assert [
        d.missing for d in Decision.objects.filter(scan=scan, eligible=Eligibility.UNKNOWN)
    ] == [["project.software_yuan"]]
    login(client, officer)
    for lang, label in (("zh-hans", "软件投资"), ("en", "software investment")):
        client.cookies["django_language"] = lang
        for url in (
            reverse("policies:scan_detail", args=[scan.pk]),
            reverse("policies:name_list_detail", args=[name_list.pk]),
        ):
            body = client.get(url).content.decode()
            assert CELL.findall(body) == [label], (lang, url)
            assert "software_yuan" not in body, (lang, url)


@pytest.mark.parametrize(
    ("key", "zh", "en"),
    [
        ("project.software_yuan", "软件投资", "software investment"),
        ("enterprise.revenue_yuan", "营业收入", "revenue"),
        ("enterprise.titles", "荣誉资质", "titles held"),
        ("project.loans", "项目贷款", "project loans"),
        ("project.loans[1].annual_rate", "第 2 笔贷款的贷款年利率", "loan annual rate of loan 2"),
        ("project.loans[0].amount_yuan", "第 1 笔贷款的贷款金额", "loan amount of loan 1"),
        ("enterprise.projects", "企业的项目", "the enterprise's projects"),
        ("project.unheard_of", "其他信息", "other information"),
    ],
)
def test_every_missing_key_has_a_label(key, zh, en):
    assert (missing_label(key, "zh-hans"), missing_label(key, "en")) == (zh, en)
