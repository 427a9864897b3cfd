"""CPU time of the 免申即享 scan page with 200 eligible rows of 19 explanation steps each.

    DATABASE_URL=sqlite:////tmp/scanbench/db.sqlite3 PYTHONPATH=src \\
      .venv/bin/python -m pytest -q -s -p no:cacheprovider benchmarks/scan_page_bench.py

Builds the scan of the policies tests' small registry, then gives it 200 eligible decisions
whose explanations have 19 steps (about half of them naming the enterprise's own facts, as a
real explanation does), renders the page through Django's test client (3 warm renders, then
20), and prints the median and the spread of the process CPU time of a render, with the load
average. Also the CPU of opening one row's explanation (the htmx fragment)."""

from __future__ import annotations

import os
import statistics
import time

import pytest
from django.urls import NoReverseMatch, reverse

from tests.conftest import *  # noqa: F403 (the test suite's fixtures)
from tests.factories import make_organization
from tests.policies.conftest import *  # noqa: F403
from tests.policies.conftest import login
from tests.policies.scanning import decision_like, run
from zhizao.policies.enums import Eligibility
from zhizao.policies.models import Decision

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]

ROWS = 200
RENDERS = 20


def _explanation(i: int) -> list[dict]:
    shared = [
        {"step": "version", "text": "适用版本 v1（2026-01-01 起）", "source": "锡工信〔2026〕8号"},
        {"step": "condition", "text": "注册地位于无锡市", "source": ""},
        {"step": "condition", "text": "项目总投资不低于 3,000万元", "source": ""},
        {"step": "condition", "text": "未列入失信被执行人名单", "source": "信用中国"},
        {"step": "group", "text": "以下条件全部满足", "source": ""},
        {"step": "parameter", "text": "补贴比例 8%", "source": "锡工信〔2026〕8号 第三条"},
        {"step": "parameter", "text": "单个项目补贴上限 500万元", "source": "锡工信〔2026〕8号"},
        {"step": "note", "text": "按设备投资额计算", "source": ""},
        {"step": "result", "text": "符合", "source": ""},
        {"step": "amount", "text": "补贴金额按设备投资 × 8% 计", "source": ""},
    ]
    own = [
        {"step": "fact", "text": f"注册地：无锡市新吴区（第 {i} 家）", "source": "登记信息"},
        {"step": "fact", "text": f"项目：第 {i} 号产线改造", "source": "项目申报"},
        {"step": "fact", "text": f"设备投资：{3000 + i}万元", "source": "项目申报"},
        {"step": "fact", "text": f"软件投资：{100 + i}万元", "source": "项目申报"},
        {"step": "fact", "text": f"总投资：{3100 + 2 * i}万元", "source": "enterprise.projects"},
        {"step": "fact", "text": f"开工日期：2026-0{1 + i % 6}-15", "source": "项目申报"},
        {"step": "fact", "text": f"统一社会信用代码：9132020000000{i:04d}", "source": "登记信息"},
        {"step": "fact", "text": f"信用记录：无（查询于第 {i} 次）", "source": "信用中国"},
        {"step": "amount", "text": f"补贴金额：{(3000 + i) * 8 / 100:.2f}万元", "source": ""},
    ]
    return shared + own


def _cpu_ms(client, url, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.process_time()
        response = client.get(url)
        out.append((time.process_time() - start) * 1000)
        assert response.status_code == 200
    return out


def test_scan_page_cpu(client, officer, scan_version, scan_registry):
    scan = run(officer, scan_version)
    model = Decision.objects.filter(scan=scan, eligible=Eligibility.YES).first()
    Decision.objects.filter(scan=scan, eligible=Eligibility.YES).delete()
    for i in range(ROWS):
        decision_like(
            model,
            enterprise=make_organization(name=f"无锡基准{i:03d}精工有限公司"),
            explanation=_explanation(i),
        )
    url = reverse("policies:scan_detail", args=[scan.pk])
    login(client, officer)
    _cpu_ms(client, url, 3)
    page = _cpu_ms(client, url, RENDERS)
    html = client.get(url).content.decode()
    decision = Decision.objects.filter(scan=scan, eligible=Eligibility.YES).last()
    try:
        fragment_url = reverse("policies:scan_explanation", args=[scan.pk, decision.pk])
    except NoReverseMatch:  # before the explanations were folded
        fragment = [0.0]
    else:
        client.defaults["HTTP_HX_REQUEST"] = "true"
        _cpu_ms(client, fragment_url, 3)
        fragment = _cpu_ms(client, fragment_url, RENDERS)
    load = os.getloadavg()
    print(
        f"\nscan page, {ROWS} rows × 19 steps, CPU per render over {RENDERS}: "
        f"median {statistics.median(page):.1f} ms (min {min(page):.1f}, max {max(page):.1f}); "
        f"{len(html):,} bytes; one explanation opened: median "
        f"{statistics.median(fragment):.1f} ms; load average {load[0]:.2f} {load[1]:.2f}"
    )
