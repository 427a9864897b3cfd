"""The calls lists on the shared list machinery: every filter and sort with exact rows, the
exports with labels, who sees what, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.common.list_support import names, query_count, read_csv, read_xlsx
from tests.factories import PASSWORD, make_organization, make_user
from zhizao.calls.models import Application, Call, Catalogue, VerifiedIdentity
from zhizao.common.models import AuditEntry

pytestmark = pytest.mark.django_db

CALLS = "/calls/"


def _at(day: int):
    return timezone.make_aware(dt.datetime(2026, 3, day, 9, 30))


@pytest.fixture
def as_operator(client, operator):
    client.cookies["django_language"] = "en"
    assert client.login(username=operator.username, password=PASSWORD)
    return client


@pytest.fixture
def calls(office_org, office_user):
    city = make_organization(
        name="常州市工业和信息化局", kind="government", region="320400", industry=None
    )
    rows = {
        "advance": Call.objects.create(
            title="2026年度智能制造十大科技进展",
            kind="tech_advance",
            year=2026,
            summary="年度评选",
            host=office_org,
            state="open",
        ),
        "factory": Call.objects.create(
            title="2025年智能工厂认定",
            kind="smart_factory",
            year=2025,
            host=city,
            state="published",
        ),
        "subsidy": Call.objects.create(
            title="2026年技改补助申报",
            kind="subsidy",
            year=2026,
            summary="设备购置补助",
            host=city,
            state="draft",
        ),
    }
    for key, day in (("advance", 2), ("factory", 1), ("subsidy", 3)):
        Call.objects.filter(pk=rows[key].pk).update(updated_at=_at(day))
    return rows


def test_calls_filter_and_sort_with_exact_rows(as_operator, calls):
    def rows(**params):
        return names(as_operator, CALLS, lambda c: c.title, **params)

    A, F, S = "2026年度智能制造十大科技进展", "2025年智能工厂认定", "2026年技改补助申报"
    assert rows() == [S, A, F]  # newest year first, then the latest created
    assert rows(q="补助") == [S]  # the summary
    assert rows(q="常州") == [S, F]  # the selection office
    assert rows(q="2026 评选") == [A]
    assert rows(kind="smart_factory") == [F]
    assert rows(state="open") == [A]
    assert rows(year="2025") == [F]
    assert rows(year="2026", state="draft") == [S]
    assert rows(sort="year") == [F, A, S]
    assert rows(sort="office") == [F, S, A]  # 常州, 江苏
    assert rows(sort="-office") == [A, S, F]
    assert rows(sort="updated") == [F, A, S]
    assert rows(sort="-updated") == [S, A, F]


def test_calls_export_with_labels(as_operator, calls):
    rows = read_csv(as_operator.get(CALLS, {"export": "csv", "kind": "tech_advance"}))
    assert rows == [
        ["Call", "Kind", "Year", "Selection office", "State", "Updated"],
        [
            "2026年度智能制造十大科技进展",
            "Technology advances of the year (十大科技进展)",
            "2026",
            "江苏省工业和信息化厅",
            "Open",
            "2026-03-02 09:30",
        ],
    ]
    del as_operator.cookies["django_language"]  # Chinese, the default
    sheet = read_xlsx(as_operator.get(CALLS, {"export": "xlsx", "year": "2025"}))
    assert sheet == [
        ["申报通知", "类型", "年份", "遴选办公室", "状态", "已更新"],
        [
            "2025年智能工厂认定",
            "智能工厂认定",
            2025,
            "常州市工业和信息化局",
            "已发布",
            "2026-03-01 09:30",
        ],
    ]


def test_an_enterprise_sees_only_public_calls(client, enterprise_user, calls):
    client.cookies["django_language"] = "en"
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    titles = names(client, CALLS, lambda c: c.title)
    assert titles == ["2026年度智能制造十大科技进展", "2025年智能工厂认定"]
    rows = read_csv(client.get(CALLS, {"export": "csv"}))
    assert [r[0] for r in rows[1:]] == titles


def test_the_call_list_has_a_constant_query_count(as_operator, calls, office_org):
    params = {"sort": "office", "state": "open"}
    query_count(as_operator, CALLS, **params)
    one = query_count(as_operator, CALLS, **params)
    for n in (2, 3):
        Call.objects.create(
            title=f"申报{n}", kind="custom", year=2026, host=office_org, state="open"
        )
    assert len(names(as_operator, CALLS, lambda c: c.pk, **params)) == 3
    assert query_count(as_operator, CALLS, **params) == one


# --- catalogues ---------------------------------------------------------------------------------

CATALOGUES = "/calls/catalogues/"


@pytest.fixture
def catalogues(office_org):
    city = make_organization(
        name="常州市工业和信息化局", kind="government", region="320400", industry=None
    )
    return {
        "advance": Catalogue.objects.create(
            title="2025年度智能制造十大科技进展",
            kind="tech_advance",
            year=2025,
            publisher=office_org,
            reference="苏工信〔2025〕88号",
            published_on=dt.date(2025, 12, 20),
        ),
        "factory": Catalogue.objects.create(
            title="2026年常州市智能工厂名单",
            kind="smart_factory",
            year=2026,
            publisher=city,
            published_on=dt.date(2026, 3, 1),
        ),
        "workshop": Catalogue.objects.create(
            title="2026年示范车间名单",
            kind="demo_workshop",
            year=2026,
            publisher=office_org,
            published_on=dt.date(2026, 5, 1),
        ),
    }


def test_catalogues_filter_and_sort_with_exact_rows(client, catalogues):
    def rows(**params):
        return names(client, CATALOGUES, lambda c: c.title, **params)

    A, F, W = "2025年度智能制造十大科技进展", "2026年常州市智能工厂名单", "2026年示范车间名单"
    assert rows() == [W, F, A]  # public: no login
    assert rows(q="88号") == [A]  # the document number
    assert rows(q="常州市工业") == [F]  # the publisher
    assert rows(kind="demo_workshop") == [W]
    assert rows(year="2025") == [A]
    assert rows(sort="published") == [A, F, W]
    assert rows(sort="year") == [A, F, W]


def test_catalogues_export_with_labels(client, catalogues):
    client.cookies["django_language"] = "en"
    rows = read_csv(client.get(CATALOGUES, {"export": "csv", "year": "2025"}))
    assert rows == [
        ["Catalogue", "Kind", "Year", "Published by", "Document number", "Published"],
        [
            "2025年度智能制造十大科技进展",
            "Technology advances of the year (十大科技进展)",
            "2025",
            "江苏省工业和信息化厅",
            "苏工信〔2025〕88号",
            "2025-12-20",
        ],
    ]
    sheet = read_xlsx(client.get(CATALOGUES, {"export": "xlsx", "kind": "smart_factory"}))
    assert [r[0] for r in sheet] == ["Catalogue", "2026年常州市智能工厂名单"]


def test_the_catalogue_list_has_a_constant_query_count(client, catalogues, office_org):
    params = {"sort": "published", "year": "2025"}
    query_count(client, CATALOGUES, **params)
    one = query_count(client, CATALOGUES, **params)
    Catalogue.objects.update(year=2025)
    assert len(names(client, CATALOGUES, lambda c: c.pk, **params)) == 3
    assert query_count(client, CATALOGUES, **params) == one


# --- formal review ------------------------------------------------------------------------------


def _application(call, applicant, title, *, nominator, rank, state, day, region, industry):
    return Application.objects.create(
        call=call,
        applicant=applicant,
        title=title,
        category=call.categories.get(code="application"),
        nominator=nominator,
        nomination_rank=rank,
        state=state,
        submitted_at=_at(day),
        region_code=region,
        industry_code=industry,
    )


D1, D2, D3, D4 = (
    "离散制造自适应排产系统",
    "注塑车间数字孪生平台",
    "焊接机器人视觉引导",
    "园区能耗监测",
)


@pytest.fixture
def formal_url(call, factory_org, society_a, society_b):
    tianheng = make_organization(name="常州天衡注塑模具有限公司", region="320411")
    weld = make_organization(name="苏州精焊自动化有限公司", region="320505")
    park = make_organization(name="南京江北新材料科技园有限公司", region="320111")
    rows = (
        (factory_org, D1, society_a, 1, "nominated", 2, "320214", "3484"),
        (tianheng, D2, society_b, 1, "nominated", 1, "320411", "2929"),
        (weld, D3, society_a, 2, "nominated", 3, "320505", "3491"),
        (park, D4, society_b, None, "submitted", 4, "320111", "7519"),
    )
    for org, title, nominator, rank, state, day, region, industry in rows:
        _application(
            call,
            org,
            title,
            nominator=nominator,
            rank=rank,
            state=state,
            day=day,
            region=region,
            industry=industry,
        )
    return f"/calls/{call.pk}/formal/"


def test_formal_review_starts_on_the_waiting_applications_and_filters_and_sorts(
    client, office_user, formal_url
):
    client.cookies["django_language"] = "en"
    assert client.login(username=office_user.username, password=PASSWORD)

    def rows(**params):
        return names(client, formal_url, lambda a: a.title, **params)

    # By nominating body (江苏省机械… before 江苏省自动化…), then its rank; nominated only.
    assert rows() == [D1, D3, D2]
    assert rows(q="视觉") == [D3]  # the waiting state stays while searching
    assert rows(q="自动化") == [D3, D2]  # an applicant's name, a nominating body's name
    assert rows(state="") == [D1, D3, D2, D4]  # "All states"
    assert rows(state="submitted") == [D4]
    assert rows(region="320500") == [D3]
    assert rows(region="320000") == [D1, D3, D2]
    assert rows(industry="34") == [D1, D3]
    assert rows(submitted_from="2026-03-02") == [D1, D3]
    assert rows(submitted_from="2026-03-02", state="") == [D1, D3, D4]
    assert rows(sort="applicant") == [D2, D3, D1]  # 常州, 苏州, 无锡
    assert rows(sort="-submitted") == [D3, D1, D2]
    assert rows(sort="-nominator", state="") == [D2, D4, D3, D1]  # no rank: last


def test_formal_review_exports_what_is_filtered_with_labels(client, office_user, formal_url, call):
    client.cookies["django_language"] = "en"
    assert client.login(username=office_user.username, password=PASSWORD)
    category = call.categories.get(code="application").name
    rows = read_csv(client.get(formal_url, {"export": "csv", "region": "320500"}))
    assert rows == [
        [
            "Application",
            "Applicant",
            "Category",
            "Nominating body",
            "Nomination rank",
            "State",
            "Submitted at",
        ],
        [D3, "苏州精焊自动化有限公司", category, "江苏省机械工程学会", "2", "Nominated",
         "2026-03-03 09:30"],
    ]  # fmt: skip
    # Without a state the export holds the waiting applications, as the page shows them.
    sheet = read_xlsx(client.get(formal_url, {"export": "xlsx"}))
    assert [r[0] for r in sheet] == ["Application", D1, D3, D2]


def test_formal_review_is_the_office_s_only(client, society_a_user, formal_url):
    assert client.login(username=society_a_user.username, password=PASSWORD)
    assert client.get(formal_url).status_code == 404
    assert client.get(formal_url, {"export": "csv"}).status_code == 404


def test_formal_review_has_a_constant_query_count(
    client, office_user, formal_url, call, society_b, factory_org
):
    assert client.login(username=office_user.username, password=PASSWORD)
    params = {"sort": "applicant", "region": "320100"}
    Application.objects.filter(title=D4).update(state="nominated")
    query_count(client, formal_url, **params)
    one = query_count(client, formal_url, **params)
    assert len(names(client, formal_url, lambda a: a.pk, **params)) == 1
    for n in (2, 3):
        _application(
            call,
            make_organization(name=f"南京申报企业{n}", region="320102"),
            f"项目{n}",
            nominator=society_b,
            rank=n,
            state="nominated",
            day=n,
            region="320102",
            industry="3484",
        )
    assert len(names(client, formal_url, lambda a: a.pk, **params)) == 3
    assert query_count(client, formal_url, **params) == one


# --- verified identities ------------------------------------------------------------------------

IDENTITIES = "/calls/identities/"


@pytest.fixture
def identities(operator, enterprise_user, other_enterprise_user, office_user):
    other_operator = make_user("operator2", role="operator", display_name="赵运营")
    rows = (
        (enterprise_user, "张三", "身份证核验", operator, 2),
        (other_enterprise_user, "李四", "营业执照与授权书", other_operator, 1),
        (office_user, "王五", "身份证核验", operator, 3),
    )
    for user, real_name, note, by, day in rows:
        identity = VerifiedIdentity.objects.create(
            user=user, real_name=real_name, note=note, verified_by=by
        )
        VerifiedIdentity.objects.filter(pk=identity.pk).update(verified_at=_at(day))


def test_identities_filter_and_sort_with_exact_rows(as_operator, identities):
    def rows(**params):
        return names(as_operator, IDENTITIES, lambda i: i.real_name, **params)

    assert rows() == ["王五", "张三", "李四"]  # the latest verification first
    assert rows(q="身份证") == ["王五", "张三"]  # how it was checked
    assert rows(q="other") == ["李四"]  # the login name
    assert rows(verified_by="operator2") == ["李四"]
    assert rows(verified_from="2026-03-02", verified_to="2026-03-02") == ["张三"]
    assert rows(sort="username") == ["张三", "王五", "李四"]  # enterprise, office, other
    assert rows(sort="verified") == ["李四", "张三", "王五"]


def test_the_identities_export_is_audited(as_operator, identities):
    before = AuditEntry.objects.count()
    rows = read_csv(as_operator.get(IDENTITIES, {"export": "csv", "verified_by": "operator2"}))
    assert rows == [
        ["Login name", "Real name", "How it was checked", "Verified at", "Verified by"],
        ["other", "李四", "营业执照与授权书", "2026-03-01 09:30", "赵运营"],
    ]
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.object_repr, e.context) for e in entries] == [
        (
            "export",
            "Verified identities",
            {
                "list": "calls-identities",
                "format": "csv",
                "rows": 1,
                "filters": {"verified_by": "operator2", "sort": "-verified"},
            },
        )
    ]
    sheet = read_xlsx(as_operator.get(IDENTITIES, {"export": "xlsx", "q": "王五"}))
    assert sheet[1] == ["office", "王五", "身份证核验", "2026-03-03 09:30", "王运营"]


def test_only_operators_list_or_export_identities(client, office_user, identities):
    assert client.login(username=office_user.username, password=PASSWORD)
    before = AuditEntry.objects.count()
    assert client.get(IDENTITIES).status_code == 404
    assert client.get(IDENTITIES, {"export": "csv"}).status_code == 404
    assert AuditEntry.objects.count() == before


def test_the_identities_list_has_a_constant_query_count(as_operator, identities):
    params = {"sort": "username", "verified_by": "operator2"}
    query_count(as_operator, IDENTITIES, **params)
    one = query_count(as_operator, IDENTITIES, **params)
    by = VerifiedIdentity.objects.get(real_name="李四").verified_by
    for n in (2, 3):
        VerifiedIdentity.objects.create(
            user=make_user(f"person{n}"), real_name=f"实名{n}", verified_by=by
        )
    assert len(names(as_operator, IDENTITIES, lambda i: i.pk, **params)) == 3
    assert query_count(as_operator, IDENTITIES, **params) == one
