"""The officers' scans and the announced name lists (公示) on the shared list machinery: every
filter and sort with exact rows, the exports with labels, who sees what, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD
from zhizao.policies.models import NameList, Scan

pytestmark = pytest.mark.django_db

SCANS, PUBLIC = "/policies/scans/", "/policies/public/name-lists/"


def _at(day: int):
    return timezone.make_aware(dt.datetime(2026, 6, day, 9, 0))


@pytest.fixture
def as_officer(client, officer):
    client.cookies["django_language"] = "en"
    assert client.login(username=officer.username, password=PASSWORD)
    return client


@pytest.fixture
def scans(item):
    version = item.versions.get()
    rows = {
        "done": Scan.objects.create(
            item_version=version,
            as_of=dt.date(2026, 5, 31),
            state="done",
            evaluated=40,
            eligible_count=12,
            unknown_count=3,
            total_yuan=Decimal("960000"),
            finished_at=_at(1),
        ),
        "failed": Scan.objects.create(
            item_version=version, as_of=dt.date(2026, 6, 30), state="failed", eligible_count=0
        ),
        "queued": Scan.objects.create(
            item_version=version,
            as_of=dt.date(2026, 6, 30),
            state="queued",
            eligible_count=5,
            total_yuan=Decimal("100"),
        ),
    }
    Scan.objects.create(item_version=version, as_of=dt.date(2026, 6, 30), sandbox_rule={})
    for key, day in (("done", 1), ("failed", 2), ("queued", 3)):
        Scan.objects.filter(pk=rows[key].pk).update(created_at=_at(day))
    return rows


def test_scans_filter_and_sort_with_exact_rows(as_officer, scans):
    def rows(**params):
        return names(as_officer, SCANS, lambda s: s.pk, **params)

    D, F, Q = (scans[k].pk for k in ("done", "failed", "queued"))
    assert rows() == [Q, F, D]  # newest first; the sandbox's scan is not listed
    assert rows(q="设备投资") == [Q, F, D]  # the item
    assert rows(q="专项资金 无锡") == [Q, F, D]  # the policy
    assert rows(q="培训") == []
    assert rows(state="failed") == [F]
    assert rows(as_of_to="2026-06-01") == [D]
    assert rows(started_from="2026-06-02", started_to="2026-06-02") == [F]
    assert rows(sort="eligible") == [F, Q, D]
    assert rows(sort="-total") == [D, Q, F]
    assert rows(sort="started") == [D, F, Q]


def test_scans_export_with_labels(as_officer, scans):
    rows = read_csv(as_officer.get(SCANS, {"export": "csv", "state": "done"}))
    assert rows == [
        [
            "Policy",
            "Item",
            "Version",
            "As of",
            "State",
            "Evaluated",
            "Eligible",
            "Cannot tell",
            "Excluded by credit",
            "Total (yuan)",
            "Started",
            "Finished",
        ],
        [
            "无锡市智能化改造数字化转型专项资金管理办法",
            "智能化改造设备投资奖补",
            "1",
            "2026-05-31",
            "Done",
            "40",
            "12",
            "3",
            "0",
            "960000.00",
            "2026-06-01 09:00",
            "2026-06-01 09:00",
        ],
    ]
    sheet = read_xlsx(as_officer.get(SCANS, {"export": "xlsx", "state": "queued"}))
    assert [r[4] for r in sheet] == ["State", "Queued"]


def test_an_enterprise_cannot_open_the_scans(client, enterprise_user, scans):
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    assert client.get(SCANS).status_code == 404
    assert client.get(SCANS, {"export": "csv"}).status_code == 404


@pytest.fixture
def name_lists(scans):
    scan, version = scans["done"], scans["done"].item_version
    common = {
        "scan": scan,
        "item_version": version,
        "announced_policy_title": "无锡市智能化改造数字化转型专项资金管理办法",
        "announced_item_name": "智能化改造设备投资奖补",
        "announced_issuing_unit": "无锡市工业和信息化局",
    }
    return {
        "first": NameList.objects.create(
            title="2026年第一批",
            state="final",
            announced_at=_at(5),
            objection_until=dt.date(2026, 6, 12),
            announced_doc_number="锡工信〔2026〕11号",
            **common,
        ),
        "second": NameList.objects.create(
            title="2026年第二批",
            state="announced",
            announced_at=_at(20),
            objection_until=dt.date(2026, 6, 27),
            announced_doc_number="锡工信〔2026〕19号",
            **common,
        ),
        "draft": NameList.objects.create(title="2026年第三批", **common),
    }


def test_public_name_lists_filter_and_sort_with_exact_rows(client, name_lists):
    def rows(**params):
        return names(client, PUBLIC, lambda n: n.title, **params)

    A, B = "2026年第一批", "2026年第二批"
    assert rows() == [B, A]  # a draft is never public
    assert rows(q="19号") == [B]  # the document number as announced
    assert rows(q="第三批") == []
    assert rows(state="final") == [A]
    assert rows(announced_from="2026-06-10") == [B]
    assert rows(announced_to="2026-06-05") == [A]
    assert rows(sort="announced") == [A, B]
    assert rows(sort="-objections") == [B, A]


def test_public_name_lists_export_what_was_announced(client, name_lists):
    client.cookies["django_language"] = "en"
    rows = read_csv(client.get(PUBLIC, {"export": "csv", "state": "announced"}))
    assert rows == [
        [
            "Name list",
            "Policy",
            "Document number",
            "Issuing unit",
            "Item",
            "State",
            "Announced on",
            "Objections until",
        ],
        [
            "2026年第二批",
            "无锡市智能化改造数字化转型专项资金管理办法",
            "锡工信〔2026〕19号",
            "无锡市工业和信息化局",
            "智能化改造设备投资奖补",
            "Announced",
            "2026-06-20",
            "2026-06-27",
        ],
    ]
    sheet = read_xlsx(client.get(PUBLIC, {"export": "xlsx"}))
    assert [r[0] for r in sheet] == ["Name list", "2026年第二批", "2026年第一批"]


def test_both_lists_have_a_constant_query_count(as_officer, name_lists, scans):
    urls = {SCANS: {"sort": "total", "state": "done"}, PUBLIC: {"sort": "objections"}}
    for url, params in urls.items():
        query_count(as_officer, url, **params)
    NameList.objects.filter(pk=name_lists["second"].pk).update(state="draft")
    one = {url: query_count(as_officer, url, **params) for url, params in urls.items()}
    Scan.objects.update(state="done")
    NameList.objects.update(state="announced", announced_at=_at(7))
    assert len(names(as_officer, SCANS, lambda s: s.pk, **urls[SCANS])) == 3
    assert len(names(as_officer, PUBLIC, lambda n: n.pk, **urls[PUBLIC])) == 3
    assert {url: query_count(as_officer, url, **params) for url, params in urls.items()} == one
