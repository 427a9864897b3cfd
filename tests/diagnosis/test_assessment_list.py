"""The assessments list (诊断 home): search, filters, sort, export, permissions, query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD, make_organization
from zhizao.diagnosis.models import Assessment

pytestmark = pytest.mark.django_db

URL = "/diagnosis/"


def _assessment(model, org, *, kind="self", state="draft", score=None, level=None, day=1, **kw):
    a = Assessment.objects.create(
        model=model,
        organization=org,
        kind=kind,
        enterprise_type="discrete",
        state=state,
        score=score,
        level=level,
        asked_count=180,
        answered_count=180 if state == "submitted" else 40,
        **kw,
    )
    when = timezone.make_aware(dt.datetime(2026, 3, day, 9, 30))
    Assessment.objects.filter(pk=a.pk).update(updated_at=when)
    return a


@pytest.fixture
def three(cmmm, factory_org):
    provider = make_organization(name="无锡智联工业软件有限公司", kind="provider", industry=None)
    changzhou = make_organization(name="常州天衡注塑模具有限公司", region="320411", industry="2929")
    suzhou = make_organization(name="苏州精工数控有限公司", region="320506", industry="3421")
    return {
        "wuxi": _assessment(
            cmmm, factory_org, state="submitted", score=Decimal("2.5"), level=2, day=3
        ),
        "changzhou": _assessment(cmmm, changzhou, day=1),
        "suzhou": _assessment(
            cmmm,
            suzhou,
            kind="onsite",
            state="submitted",
            score=Decimal("3.125"),
            level=3,
            provider=provider,
            day=2,
        ),
    }


def _org(a):
    return a.organization.name


WUXI, CHANGZHOU, SUZHOU = (
    "无锡恒润精密机械有限公司",
    "常州天衡注塑模具有限公司",
    "苏州精工数控有限公司",
)


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)
    return client


def test_search_filters_and_sorts_give_exact_rows(as_operator, three):
    def rows(**params):
        return names(as_operator, URL, _org, **params)

    assert rows() == [WUXI, SUZHOU, CHANGZHOU]  # newest first
    assert rows(q="天衡") == [CHANGZHOU]
    assert rows(q="精密 恒润") == [WUXI]
    assert rows(q="智联") == [SUZHOU]  # the provider's name
    assert rows(kind="onsite") == [SUZHOU]
    assert rows(kind="self") == [WUXI, CHANGZHOU]
    assert rows(state="draft") == [CHANGZHOU]
    assert rows(level="3") == [SUZHOU]
    assert rows(region="320200") == [WUXI]
    assert rows(region="320000") == [WUXI, SUZHOU, CHANGZHOU]
    assert rows(region="320400") == [CHANGZHOU]
    assert rows(industry="34") == [WUXI, SUZHOU]
    assert rows(updated_from="2026-03-02") == [WUXI, SUZHOU]
    assert rows(updated_to="2026-03-02") == [SUZHOU, CHANGZHOU]
    assert rows(updated_from="2026-03-02", updated_to="2026-03-02") == [SUZHOU]
    assert rows(sort="enterprise") == [CHANGZHOU, SUZHOU, WUXI]  # pinyin: chang, su, wu
    assert rows(sort="-enterprise") == [WUXI, SUZHOU, CHANGZHOU]
    assert rows(sort="-score") == [SUZHOU, WUXI, CHANGZHOU]  # no score last
    assert rows(sort="score") == [WUXI, SUZHOU, CHANGZHOU]
    assert rows(sort="level") == [WUXI, SUZHOU, CHANGZHOU]
    assert rows(sort="updated") == [CHANGZHOU, SUZHOU, WUXI]
    # An unknown sort or filter value is ignored, not an error.
    assert rows(sort="uscc", kind="robot") == [WUXI, SUZHOU, CHANGZHOU]


def test_the_page_shows_the_controls_in_english_and_chinese(client, operator, three):
    assert client.login(username=operator.username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    html = client.get(URL).content.decode()
    assert '<label for="id_region">Region</label>' in html
    assert "Export these results (3):" in html
    assert (
        'href="?kind=onsite&amp;export=csv"' in client.get(URL, {"kind": "onsite"}).content.decode()
    )
    client.cookies["django_language"] = "zh-hans"
    html = client.get(URL).content.decode()
    assert '<label for="id_region">地区</label>' in html
    assert "导出当前结果（共 3 条）：" in html


def test_export_is_the_filtered_list_with_labels(as_operator, three):
    rows = read_csv(as_operator.get(URL, {"export": "csv", "kind": "onsite"}))
    assert rows == [
        [
            "Enterprise",
            "Kind",
            "Model",
            "State",
            "Answered",
            "Requirements",
            "Score",
            "Level",
            "Provider",
            "Updated",
        ],
        [
            SUZHOU,
            "On-site diagnosis",
            f"{three['suzhou'].model.name} {three['suzhou'].model.version}",
            "Submitted",
            "180",
            "180",
            "3.12",
            "3",
            "无锡智联工业软件有限公司",
            "2026-03-02 09:30",
        ],
    ]
    sheet = read_xlsx(as_operator.get(URL, {"export": "xlsx", "state": "draft"}))
    assert sheet[1][:4] == [CHANGZHOU, "Self-assessment", sheet[1][2], "In progress"]
    assert len(sheet) == 2


def test_an_enterprise_exports_only_its_own_assessments(client, enterprise_user, three):
    client.cookies["django_language"] = "en"
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    rows = read_csv(client.get(URL, {"export": "csv"}))
    assert [r[0] for r in rows] == ["Enterprise", WUXI]


def test_query_count_is_the_same_for_one_and_three_rows(as_operator, cmmm, factory_org):
    _assessment(cmmm, factory_org)
    query_count(as_operator, URL)  # the filter options go into the shared cache
    one = query_count(as_operator, URL, sort="enterprise", region="320000")
    for n in (2, 3):
        other = make_organization(name=f"无锡第{n}机械有限公司")
        _assessment(cmmm, other, state="submitted", score=Decimal("1"), level=1)
    assert query_count(as_operator, URL, sort="enterprise", region="320000") == one
