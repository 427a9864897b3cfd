"""The matchmaking lists on the shared list machinery: demands, offerings, introductions and
challenges — every filter and sort with exact rows, the exports, who sees what, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.matchmaking.models import Case, Challenge, Demand, Introduction, Offering

pytestmark = pytest.mark.django_db

DEMANDS, OFFERINGS = "/matchmaking/demands/", "/matchmaking/offerings/"
INTRODUCTIONS, CHALLENGES = "/matchmaking/introductions/", "/matchmaking/challenges/"

# The demands' titles (also the introductions' rows) and the offerings'.
V, M, E = "注塑件外观视觉检测", "模具车间 MES 实施", "ERP 升级"
P, W, C = "全省 MES 实施服务", "无锡 ERP 驻场服务", "注塑件视觉检测系统"


def _at(day: int):
    return timezone.make_aware(dt.datetime(2026, 3, day, 9, 30))


def _touch(obj, day: int):
    type(obj).objects.filter(pk=obj.pk).update(updated_at=_at(day))


@pytest.fixture
def orgs(factory_org):
    return {
        "wuxi": factory_org,  # 无锡恒润精密机械有限公司, 320214
        "changzhou": make_organization(
            name="常州天衡注塑模具有限公司", region="320411", industry="2929"
        ),
        "suzhou": make_organization(name="苏州精工数控有限公司", region="320506", industry="3421"),
        "vision": make_organization(
            name="常州慧眼智能科技有限公司", kind="provider", region="320411", industry="6513"
        ),
        "soft": make_organization(
            name="无锡智联工业软件有限公司", kind="provider", region="320214", industry="6513"
        ),
    }


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)
    return client


# --- demands ------------------------------------------------------------------------------------


@pytest.fixture
def demands(orgs):
    rows = {
        "vision": Demand.objects.create(
            enterprise=orgs["wuxi"],
            title="注塑件外观视觉检测",
            description="飞边、缩痕",
            category="machine_vision",
            industry="2929",
            region="320214",
            budget_band="1m-5m",
            needed_by=dt.date(2026, 6, 1),
            state="published",
        ),
        "mes": Demand.objects.create(
            enterprise=orgs["changzhou"],
            title="模具车间 MES 实施",
            category="mes",
            industry="2929",
            region="320411",
            needed_by=dt.date(2026, 4, 1),
            state="draft",
        ),
        "erp": Demand.objects.create(
            enterprise=orgs["suzhou"],
            title="ERP 升级",
            category="erp",
            industry="3421",
            region="320506",
            state="published",
        ),
    }
    for key, day in (("vision", 3), ("mes", 1), ("erp", 2)):
        _touch(rows[key], day)
    return rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({}, [V, E, M], id="default"),
        pytest.param({"q": "飞边"}, [V], id="q=飞边"),  # the description
        pytest.param({"q": "天衡"}, [M], id="q=天衡"),  # the enterprise
        pytest.param({"q": "mes 模具"}, [M], id="q=mes 模具"),
        pytest.param({"category": "erp"}, [E], id="category=erp"),
        pytest.param({"state": "draft"}, [M], id="state=draft"),
        pytest.param({"region": "320200"}, [V], id="region=320200"),
        pytest.param({"region": "320000"}, [V, E, M], id="region=320000"),
        pytest.param({"industry": "29"}, [V, M], id="industry=29"),
        pytest.param({"budget": "1m-5m"}, [V], id="budget=1m-5m"),
        pytest.param({"updated_from": "2026-03-02"}, [V, E], id="updated_from=2026-03-02"),
        pytest.param({"updated_to": "2026-03-01"}, [M], id="updated_to=2026-03-01"),
        pytest.param({"sort": "enterprise"}, [M, E, V], id="sort=enterprise"),  # 常州, 苏州, 无锡
        pytest.param({"sort": "-enterprise"}, [V, E, M], id="sort=-enterprise"),
        pytest.param({"sort": "needed"}, [M, V, E], id="sort=needed"),  # no date last
        pytest.param({"sort": "-needed"}, [V, M, E], id="sort=-needed"),
        pytest.param({"sort": "updated"}, [M, E, V], id="sort=updated"),
    ],
)
def test_demands_filter_and_sort_with_exact_rows(as_operator, demands, params, expected):
    assert names(as_operator, DEMANDS, lambda d: d.title, **params) == expected


def test_demands_export_with_labels_and_a_provider_sees_only_published(
    client, as_operator, demands, orgs
):
    rows = read_csv(as_operator.get(DEMANDS, {"export": "csv", "category": "machine_vision"}))
    assert rows == [
        [
            "Demand",
            "Enterprise",
            "Category",
            "Region",
            "Budget",
            "Needed by",
            "State",
            "Updated",
        ],
        [
            "注塑件外观视觉检测",
            "无锡恒润精密机械有限公司",
            "machine-vision inspection",
            "Xinwu District",
            "1–5 million yuan",
            "2026-06-01",
            "Published",
            "2026-03-03 09:30",
        ],
    ]
    provider = make_user("vision", role=Role.PROVIDER, organization=orgs["vision"])
    client.logout()
    assert client.login(username=provider.username, password=PASSWORD)
    sheet = read_xlsx(client.get(DEMANDS, {"export": "xlsx"}))
    assert [r[0] for r in sheet] == ["需求", "注塑件外观视觉检测", "ERP 升级"]


# --- offerings ----------------------------------------------------------------------------------


@pytest.fixture
def offerings(orgs):
    rows = {
        "province": Offering.objects.create(
            provider=orgs["soft"],
            kind="solution",
            title="全省 MES 实施服务",
            categories=["mes", "aps"],
            regions=["320000"],
            state="published",
        ),
        "wuxi": Offering.objects.create(
            provider=orgs["soft"],
            kind="service",
            title="无锡 ERP 驻场服务",
            categories=["erp"],
            regions=["320200"],
            state="draft",
        ),
        "changzhou": Offering.objects.create(
            provider=orgs["vision"],
            kind="product",
            title="注塑件视觉检测系统",
            description="飞边检测",
            categories=["machine_vision"],
            regions=["320411"],
            state="published",
        ),
    }
    for key, day in (("province", 1), ("wuxi", 2), ("changzhou", 3)):
        _touch(rows[key], day)
    return rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({}, [C, W, P], id="default"),
        pytest.param({"q": "飞边"}, [C], id="q=飞边"),
        pytest.param({"q": "慧眼"}, [C], id="q=慧眼"),  # the provider
        pytest.param({"category": "aps"}, [P], id="category=aps"),
        pytest.param({"kind": "service"}, [W], id="kind=service"),
        pytest.param({"state": "published"}, [C, P], id="state=published"),
        pytest.param({"region": "320200"}, [W, P], id="region=320200"),
        pytest.param({"region": "320400"}, [C, P], id="region=320400"),
        pytest.param({"region": "320000"}, [C, W, P], id="region=320000"),
        pytest.param({"region": "310000"}, [], id="region=310000"),
        pytest.param({"updated_to": "2026-03-02"}, [W, P], id="updated_to=2026-03-02"),
        pytest.param(
            {"sort": "provider"}, [C, P, W], id="sort=provider"
        ),  # 常州慧眼 before 无锡智联; ties in creation order
        pytest.param({"sort": "-provider"}, [W, P, C], id="sort=-provider"),
        pytest.param({"sort": "updated"}, [P, W, C], id="sort=updated"),
    ],
)
def test_offerings_filter_by_region_served_and_sort(as_operator, offerings, params, expected):
    assert names(as_operator, OFFERINGS, lambda o: o.title, **params) == expected


def test_offerings_export_names_categories_and_regions(as_operator, offerings):
    rows = read_csv(as_operator.get(OFFERINGS, {"export": "csv", "category": "aps"}))
    assert rows == [
        [
            "Offering",
            "Provider",
            "Kind",
            "Categories",
            "Regions with local service",
            "State",
            "Updated",
        ],
        [
            "全省 MES 实施服务",
            "无锡智联工业软件有限公司",
            "solution",
            "manufacturing execution system (MES)；advanced planning and scheduling (APS)",
            "Jiangsu",
            "Published",
            "2026-03-01 09:30",
        ],
    ]


def test_offerings_rows_count_their_cases_and_introductions(as_operator, demands, offerings):
    for title in ("甲厂", "乙厂"):
        Case.objects.create(offering=offerings["changzhou"], title=title)
    Case.objects.create(offering=offerings["wuxi"], title="丙厂")
    for demand in (demands["vision"], demands["mes"]):
        Introduction.objects.create(demand=demand, offering=offerings["changzhou"])
    counts = names(as_operator, OFFERINGS, lambda o: (o.title, o.n_cases, o.n_introductions))
    assert counts == [(C, 2, 2), (W, 1, 0), (P, 0, 0)]
    html = as_operator.get(OFFERINGS).content.decode()
    assert '<td class="num">2</td><td class="num">2</td>' in html


def test_an_enterprise_exports_only_published_offerings(client, enterprise_user, offerings):
    client.cookies["django_language"] = "en"
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    rows = read_csv(client.get(OFFERINGS, {"export": "csv"}))
    assert [r[0] for r in rows] == ["Offering", "注塑件视觉检测系统", "全省 MES 实施服务"]


# --- introductions ------------------------------------------------------------------------------


@pytest.fixture
def introductions(demands, offerings):
    rows = {
        "a": Introduction.objects.create(
            demand=demands["vision"],
            offering=offerings["changzhou"],
            requested_by="enterprise",
            state="requested",
            requested_at=_at(5),
            expires_at=_at(19),
        ),
        "b": Introduction.objects.create(
            demand=demands["erp"],
            offering=offerings["wuxi"],
            requested_by="provider",
            state="accepted",
            requested_at=_at(2),
        ),
        "c": Introduction.objects.create(
            demand=demands["mes"], offering=offerings["province"], state="suggested"
        ),
    }
    for key, day in (("a", 5), ("b", 6), ("c", 4)):
        _touch(rows[key], day)
    return rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({}, [E, V, M], id="default"),
        pytest.param({"q": "慧眼"}, [V], id="q=慧眼"),
        pytest.param({"q": "驻场"}, [E], id="q=驻场"),
        pytest.param({"state": "suggested"}, [M], id="state=suggested"),
        pytest.param({"requested_by": "provider"}, [E], id="requested_by=provider"),
        pytest.param({"region": "320400"}, [M], id="region=320400"),
        pytest.param({"requested_from": "2026-03-03"}, [V], id="requested_from=2026-03-03"),
        pytest.param({"sort": "enterprise"}, [M, E, V], id="sort=enterprise"),
        pytest.param(
            {"sort": "provider"}, [V, E, M], id="sort=provider"
        ),  # 常州慧眼, then 无锡智联 in creation order
        pytest.param({"sort": "expires"}, [V, E, M], id="sort=expires"),
    ],
)
def test_introductions_filter_and_sort(as_operator, introductions, params, expected):
    assert names(as_operator, INTRODUCTIONS, lambda i: i.demand.title, **params) == expected


def test_introductions_export_and_the_enterprise_side(client, as_operator, introductions):
    rows = read_csv(as_operator.get(INTRODUCTIONS, {"export": "csv", "state": "requested"}))
    assert rows == [
        [
            "Demand",
            "Enterprise",
            "Offering",
            "Provider",
            "Requested by",
            "State",
            "Requested",
            "Expires",
        ],
        [
            "注塑件外观视觉检测",
            "无锡恒润精密机械有限公司",
            "注塑件视觉检测系统",
            "常州慧眼智能科技有限公司",
            "Enterprise (demand side)",
            "Requested",
            "2026-03-05 09:30",
            "2026-03-19 09:30",
        ],
    ]


def test_introductions_of_an_enterprise_keep_the_box(client, enterprise_user, introductions):
    client.cookies["django_language"] = "en"
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    rows = read_csv(client.get(INTRODUCTIONS, {"export": "csv", "box": "outgoing"}))
    assert [r[0] for r in rows] == ["Demand", "注塑件外观视觉检测"]
    html = client.get(INTRODUCTIONS, {"box": "outgoing"}).content.decode()
    assert '<input type="hidden" name="box" value="outgoing">' in html


# --- challenges ---------------------------------------------------------------------------------


@pytest.fixture
def challenges(db):
    rows = [
        Challenge.objects.create(
            title="高精度减速器寿命检测",
            description="寿命预测",
            category="machine_vision",
            deadline=dt.date(2026, 5, 1),
            state="open",
            budget_yuan=500000,
        ),
        Challenge.objects.create(
            title="注塑排产优化",
            description="APS",
            category="aps",
            deadline=dt.date(2026, 4, 1),
            state="announced",
        ),
        Challenge.objects.create(
            title="草稿榜单",
            description="-",
            category="mes",
            deadline=dt.date(2026, 6, 1),
            state="draft",
        ),
    ]
    return rows


def test_public_challenges_search_filter_sort_and_export(client, challenges):
    client.cookies["django_language"] = "en"
    url = "/matchmaking/open-challenges/"

    def rows(**params):
        return names(client, url, lambda c: c.title, **params)

    assert rows() == ["注塑排产优化", "高精度减速器寿命检测"]  # no draft, newest first
    assert rows(q="寿命") == ["高精度减速器寿命检测"]
    assert rows(state="announced") == ["注塑排产优化"]
    assert rows(category="aps") == ["注塑排产优化"]
    assert rows(deadline_from="2026-04-15") == ["高精度减速器寿命检测"]
    assert rows(sort="deadline") == ["注塑排产优化", "高精度减速器寿命检测"]
    assert rows(sort="-deadline") == ["高精度减速器寿命检测", "注塑排产优化"]
    assert read_csv(client.get(url, {"export": "csv", "state": "open"})) == [
        ["Challenge", "Category", "State", "Budget (yuan)", "Deadline"],
        [
            "高精度减速器寿命检测",
            "machine-vision inspection",
            "Open for applications",
            "500000.00",
            "2026-05-01",
        ],
    ]


def test_the_operator_list_holds_drafts(as_operator, challenges):
    assert names(as_operator, CHALLENGES, lambda c: c.title, state="draft") == ["草稿榜单"]


# --- query counts -------------------------------------------------------------------------------


def test_every_list_has_a_constant_query_count(as_operator, orgs, demands, offerings):
    urls = {
        DEMANDS: {"sort": "enterprise", "region": "320000"},
        OFFERINGS: {"sort": "provider", "region": "320200"},
        INTRODUCTIONS: {"sort": "provider"},
        CHALLENGES: {"sort": "deadline"},
    }
    Introduction.objects.create(
        demand=demands["vision"], offering=offerings["changzhou"], state="suggested"
    )
    Challenge.objects.create(
        title="一", description="-", category="mes", deadline=dt.date(2026, 5, 1)
    )
    for url, params in urls.items():
        query_count(as_operator, url, **params)  # the filter options into the shared cache
    one = {url: query_count(as_operator, url, **params) for url, params in urls.items()}
    for n in (2, 3):
        Demand.objects.create(
            enterprise=orgs["wuxi"], title=f"需求{n}", category="mes", region="320214"
        )
        Offering.objects.create(
            provider=orgs["soft"], kind="service", title=f"供给{n}", regions=["320200"]
        )
        Introduction.objects.create(
            demand=demands["erp"], offering=Offering.objects.get(title=f"供给{n}")
        )
        Challenge.objects.create(
            title=f"榜{n}", description="-", category="mes", deadline=dt.date(2026, 5, n)
        )
    assert {url: query_count(as_operator, url, **params) for url, params in urls.items()} == one
