"""Regions (and industries) are picked by narrowing — province → city → district — never from
one select of all 353 regions: the class of every form page with a region field, the fragment
the pickers fetch, the no-JavaScript path, a district's round trip through every form, and an
officer's jurisdiction kept on the server."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from tests.calls.conftest import (  # noqa: F401 (fixtures)
    call,
    office_org,
    office_user,
    society_a,
    society_a_user,
    society_b,
    society_b_user,
)
from tests.diagnosis.conftest import cmmm  # noqa: F401 (fixture)
from tests.events.conftest import (  # noqa: F401 (fixtures)
    _fresh_index,
    expo,
    offering,
    provider_org,
    provider_user,
)
from tests.factories import PASSWORD, make_organization
from tests.policies.conftest import draft_policy, item, policy, project  # noqa: F401 (fixtures)
from zhizao.calls.eligibility_form import PickersForm
from zhizao.common.pickers import INDUSTRIES, REGIONS, TreeChoiceField
from zhizao.diagnosis.forms import CampaignProviderForm
from zhizao.diagnosis.models import Campaign
from zhizao.events.forms import NeedForm
from zhizao.insights.forms import JurisdictionForm, NewReportForm
from zhizao.insights.models import MonthlyReport
from zhizao.policies.forms import PolicyForm, ProjectForm
from zhizao.policies.forms_editor import CaseForm
from zhizao.registry.forms import OrganizationForm
from zhizao.registry.models import Organization, Region
from zhizao_core.registry.uscc import make_uscc

pytestmark = pytest.mark.django_db

XISHAN = "320205"  # 江苏省 · 无锡市 · 锡山区
XISHAN_PATH = ["江苏省", "无锡市", "锡山区"]
MAX_OPTIONS = 100
# selects of other vocabularies, longer than 100 options, that this test does not cover yet:
# the organisation form's industrial chain nodes (a multi-select of every chain's nodes)
NOT_NARROWED = {"id_chain_nodes"}


class Controls(HTMLParser):
    """The selects of a page (name, id, options as (value, text, selected)) and the checked
    checkboxes, as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.selects: list[dict] = []
        self.checked: list[tuple[str, str]] = []
        self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = {"name": attrs.get("name"), "id": attrs.get("id"), "options": []}
            self.selects.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value", ""), "", "selected" in attrs]
            self._select["options"].append(self._option)
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.checked.append((attrs.get("name"), attrs.get("value")))

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data.strip()

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select":
            self._select = None


def controls(html: str) -> Controls:
    parser = Controls()
    parser.feed(html)
    return parser


def chosen(html: str, name: str) -> list[str]:
    """The texts of the selected options of the selects named ``name``, in page order."""
    return [
        text
        for s in controls(html).selects
        if s["name"] == name
        for value, text, selected in s["options"]
        if selected and value
    ]


def posted(html: str, name: str) -> list[str]:
    """What a browser posts for ``name``: each select's selected value, each checked box."""
    page = controls(html)
    values = [
        next((v for v, _t, sel in s["options"] if sel), "")
        for s in page.selects
        if s["name"] == name
    ]
    return values + [v for n, v in page.checked if n == name]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def current_districts() -> set[str]:
    return set(
        Region.objects.filter(level="district", valid_to__isnull=True).values_list(
            "code", flat=True
        )
    )


def assert_narrowing_page(html: str) -> None:
    """No select of more than 100 options, and no list of the districts of more than one city
    (a hidden list of all districts would be 300 of them)."""
    page = controls(html)
    sizes = {
        s["id"] or s["name"]: len(s["options"]) for s in page.selects if s["id"] not in NOT_NARROWED
    }
    assert {k: n for k, n in sizes.items() if n > MAX_OPTIONS} == {}
    districts = current_districts()
    shown = [v for s in page.selects for v, _t, _s in s["options"] if v in districts]
    cities = {code[:4] for code in shown}
    assert len(cities) <= 1, sorted(cities)


# --- (c) the fragment ---------------------------------------------------------------------


def _values(html: str) -> list[str]:
    parser = Controls()
    parser.feed(f"<select>{html}</select>")
    return [v for v, _t, _s in parser.selects[0]["options"] if v]


def test_the_fragment_holds_exactly_the_current_children(client, enterprise_user):
    login(client, enterprise_user)
    url = reverse("region_options")
    cities = client.get(url, {"parent": "320000"})
    assert cities.status_code == 200
    assert _values(cities.content.decode()) == [
        "320100",
        "320200",
        "320300",
        "320400",
        "320500",
        "320600",
        "320700",
        "320800",
        "320900",
        "321000",
        "321100",
        "321200",
        "321300",
    ]
    wuxi = client.get(url, {"parent": "320200"}).content.decode()
    # 崇安区, 南长区 and 北塘区 (valid_to 2015-10-01) are never offered
    assert _values(wuxi) == ["320205", "320206", "320211", "320213", "320214", "320281", "320282"]
    assert "崇安区" not in wuxi and "320202" not in wuxi
    assert "锡山区" in wuxi and "全部区县" in wuxi
    # a form's picker asks to choose; a filter's empty option means everything
    chosen = client.get(url, {"parent": "320200", "choose": "1"}).content.decode()
    assert '<option value="">请选择区县</option>' in chosen and "全部区县" not in chosen


def test_the_fragment_is_empty_for_a_district_and_refuses_a_bad_code(client, enterprise_user):
    """A district has no children; an unknown, retired or malformed code is a 400 with no
    options. Anonymous visitors are sent to log in (the pickers are on members' forms)."""
    assert client.get(reverse("region_options"), {"parent": "320000"}).status_code == 302
    login(client, enterprise_user)
    url = reverse("region_options")
    district = client.get(url, {"parent": XISHAN})
    assert (district.status_code, district.content.decode().strip()) == (200, "")
    for bad in ("329999", "abc", "", "32020512345", "320202"):
        response = client.get(url, {"parent": bad})
        assert (response.status_code, response.content) == (400, b""), bad


def test_the_fragment_keeps_to_a_jurisdiction(client, enterprise_user):
    login(client, enterprise_user)
    url = reverse("region_options")
    jiangsu = client.get(url, {"parent": "320000", "within": "320200"})
    assert _values(jiangsu.content.decode()) == ["320200"]
    wuxi = client.get(url, {"parent": "320200", "within": "320200"})
    assert len(_values(wuxi.content.decode())) == 7
    suzhou = client.get(url, {"parent": "320500", "within": "320200"})
    assert _values(suzhou.content.decode()) == []


def test_the_industry_fragment_narrows_by_name(client, enterprise_user):
    login(client, enterprise_user)
    response = client.get(reverse("industry_options"), {"parent": "C"})
    values = _values(response.content.decode())
    assert values[0] == "13" and values[-1] == "43" and len(values) == 31
    assert "13 " not in response.content.decode()


# --- the field ------------------------------------------------------------------------------


def picker_data(name: str, *codes: str, **extra) -> QueryDict:
    data = QueryDict(mutable=True)
    data.setlist(name, list(codes))
    for key, value in extra.items():
        data[key] = value
    return data


def test_the_deepest_consistent_choice_is_the_value():
    field_form = type("F", (PolicyForm,), {})
    form = field_form(data=picker_data("region", "320000", "320200", XISHAN))
    assert form.fields["region"].widget.value_from_datadict(form.data, {}, "region") == XISHAN
    # a city left from another province (no JavaScript): the province is the value
    stale = picker_data("region", "330000", "320200", XISHAN)
    assert form.fields["region"].widget.value_from_datadict(stale, {}, "region") == "330000"
    # an API, a script or an old link posts the code alone
    assert (
        form.fields["region"].widget.value_from_datadict(
            picker_data("region", XISHAN), {}, "region"
        )
        == XISHAN
    )


def test_a_field_refuses_a_retired_or_unknown_code_and_a_coarser_level_by_name():
    field = TreeChoiceField(tree=REGIONS, levels=("district",))
    with translation.override("zh-hans"):
        for code in ("320202", "329999"):
            with pytest.raises(Exception) as error:
                field.clean(code)
            assert error.value.code == "invalid_choice"
        with pytest.raises(Exception) as error:
            field.clean("320200")
        assert error.value.code == "level"
        assert "江苏省 · 无锡市" in error.value.messages[0]
    assert field.clean(XISHAN).code == XISHAN


# --- (d) no JavaScript ------------------------------------------------------------------------


def test_without_javascript_the_next_level_button_narrows_and_saves_nothing(client, operator):
    login(client, operator)
    url = reverse("registry:organization_new")
    first = client.get(url).content.decode()
    # provinces only; the lower levels are empty (JavaScript or the button fills them)
    assert [
        (s["id"], len(s["options"])) for s in controls(first).selects if s["name"] == "region"
    ] == [("id_region", 5), ("id_region_2", 1), ("id_region_3", 1)]
    # in a form one chooses: no level reads "all provinces" (that is a filter's empty option)
    assert [s["options"][0][1] for s in controls(first).selects if s["name"] == "region"] == [
        "请选择省份",
        "请选择城市",
        "请选择区县",
    ]
    assert "data-tree-choose" in first and "全部省份" not in first
    count = Organization.objects.count()
    body = {"name": "无锡新测科技有限公司", "uscc": "", "kind": "manufacturer"}
    narrowed = client.post(url, {**body, "region": "320000", "region__narrow": "1"})
    page = narrowed.content.decode()
    assert Organization.objects.count() == count
    cities = next(s for s in controls(page).selects if s["id"] == "id_region_2")
    assert len([v for v, _t, _s in cities["options"] if v]) == 13
    assert chosen(page, "region") == ["江苏省"]
    narrowed = client.post(
        url, {**body, "region": ["320000", "320200"], "region__narrow": "1"}
    ).content.decode()
    districts = next(s for s in controls(narrowed).selects if s["id"] == "id_region_3")
    assert [v for v, _t, _s in districts["options"] if v] == [
        "320205",
        "320206",
        "320211",
        "320213",
        "320214",
        "320281",
        "320282",
    ]
    assert chosen(narrowed, "region") == ["江苏省", "无锡市"]
    assert Organization.objects.count() == count


def test_without_javascript_a_multiple_picker_adds_a_region_as_a_checkbox(client):
    form = CampaignProviderForm(
        data=picker_data("regions", "320500", regions__pick="", regions__add="1")
    )
    data = form.data.copy()
    data.setlist("regions__pick", ["320000", "320200"])
    form = CampaignProviderForm(data=data)
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["regions"]] == ["narrow"]
    html = str(form["regions"])
    assert controls(html).checked == [("regions", "320500"), ("regions", "320200")]
    assert "江苏省 · 无锡市" in html and "江苏省 · 苏州市" in html
    # the picker is reset to its first level
    assert [s["id"] for s in controls(html).selects] == [
        "id_regions",
        "id_regions_2",
        "id_regions_3",
    ]
    assert posted(html, "regions__pick") == ["", "", ""]


# --- (a) the class: every form page with a region field -------------------------------------


@pytest.fixture
def government_unit(db):
    return make_organization(
        name="无锡市测试工信局", kind="government", region="320214", industry=None
    )


@pytest.fixture
def campaign(client, cmmm, operator):  # noqa: F811
    login(client, operator)
    client.post(
        reverse("diagnosis:campaign_new"),
        {
            "name": "2026 无锡免费诊断",
            "model": cmmm.pk,
            "budget_yuan": "100000",
            "price_yuan": "20000",
            "target_filter": "/registry/organizations/?region=320200&kind=manufacturer",
        },
    )
    client.logout()
    return Campaign.objects.get()


def form_pages(request) -> list[tuple[object, str]]:
    """(user, url) of every page with a region field."""
    get = request.getfixturevalue
    officer, operator, enterprise = get("officer"), get("operator"), get("enterprise_user")
    org = get("factory_org")
    return [
        (officer, reverse("policies:policy_new")),
        (officer, reverse("policies:policy_edit", args=[get("policy").pk])),
        (officer, reverse("policies:item_editor", args=[get("item").key])),
        (enterprise, reverse("policies:project_new")),
        (enterprise, reverse("policies:project_edit", args=[get("project").pk])),
        (enterprise, f"/events/{get('expo').event.pk}/procurement/"),
        (operator, reverse("diagnosis:campaign_detail", args=[get("campaign").pk])),
        (operator, reverse("insights:report_list")),
        (operator, reverse("insights:jurisdiction_edit", args=[get("government_unit").pk])),
        (operator, reverse("registry:organization_new")),
        (operator, reverse("registry:organization_edit", args=[org.pk])),
        (operator, reverse("registry:organization_list")),
        (operator, reverse("registry:organization_list") + "?province=320000&city=320200"),
        (get("office_user"), reverse("calls:call_detail", args=[get("call").pk])),
        (enterprise, reverse("matchmaking:demand_new")),
        # provinces and cities only (a province covers its cities): under 100 options
        (get("provider_user"), reverse("matchmaking:offering_new")),
        (get("provider_user"), reverse("matchmaking:offering_detail", args=[get("offering").pk])),
        (operator, reverse("matchmaking:challenge_new")),
    ]


def test_no_form_page_offers_a_select_of_every_region(client, request):
    for user, url in form_pages(request):
        login(client, user)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'name="region' in html or 'name="province"' in html or "-regions" in html, url
        assert_narrowing_page(html)
        client.logout()


# --- (b) a district round-trips on every form -------------------------------------------------


def _roundtrip(form_class, name: str, data: dict, *, kwargs=None, read=None, multiple=False):
    """Save the district, render the form from what was saved, post the rendered choice back
    unchanged: the same district."""
    kwargs = kwargs or {}
    read = read or (lambda value: getattr(value, "code", value))
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    query.setlist(html_name(form_class, name, kwargs), [XISHAN])
    form = form_class(data=query, **kwargs)
    assert form.is_valid(), form.errors
    saved = form.cleaned_data[name]
    stored = [read(v) for v in saved] if multiple else read(saved)
    assert stored == ([XISHAN] if multiple else XISHAN)
    initial = {name: stored}
    with translation.override("zh-hans"):
        html = str(form_class(initial=initial, **kwargs)[name])
    if multiple:
        assert "江苏省 · 无锡市 · 锡山区" in html
    else:
        assert chosen(html, html_name(form_class, name, kwargs)) == XISHAN_PATH
    again = QueryDict(mutable=True)
    for key, value in data.items():
        again.setlist(key, value if isinstance(value, list) else [value])
    again.setlist(
        html_name(form_class, name, kwargs), posted(html, html_name(form_class, name, kwargs))
    )
    form = form_class(data=again, **kwargs)
    assert form.is_valid(), form.errors
    saved = form.cleaned_data[name]
    assert ([read(v) for v in saved] if multiple else read(saved)) == stored


def html_name(form_class, name, kwargs):
    prefix = kwargs.get("prefix")
    return f"{prefix}-{name}" if prefix else name


def test_a_district_round_trips_on_every_form(db):
    _roundtrip(
        PolicyForm,
        "region",
        {
            "title": "测试政策",
            "doc_number": "",
            "issuing_unit": "无锡市工业和信息化局",
            "level": "city",
            "valid_from": "2026-01-01",
        },
    )
    _roundtrip(
        ProjectForm,
        "region",
        {"name": "测试项目", "kind": "intelligent_transformation", "status": "planned"},
    )
    _roundtrip(
        NeedForm,
        "region",
        {"title": "视觉检测", "description": "划痕", "category": "machine_vision"},
        read=lambda v: v,
    )
    _roundtrip(NewReportForm, "scope", {"month": "2026-11"})
    _roundtrip(JurisdictionForm, "region", {})
    _roundtrip(
        OrganizationForm,
        "region",
        {
            "name": "无锡往返测试有限公司",
            "uscc": make_uscc(region="320205", serial=700001),
            "kind": "manufacturer",
            "industry": "3421",
        },
    )
    _roundtrip(
        PickersForm, "regions", {"elig-combine": "all"}, kwargs={"prefix": "elig"}, multiple=True
    )
    _roundtrip(
        CaseForm,
        "region",
        {"name": "案例", "as_of": "2026-06-01", "expect_eligible": "no"},
        kwargs={"subject": "enterprise"},
        read=lambda v: v,
    )


def test_a_district_round_trips_on_the_campaign_provider_form(db):
    provider = make_organization(name="无锡往返服务商有限公司", kind="provider", region="320214")
    _roundtrip(
        CampaignProviderForm,
        "regions",
        {"provider": provider.uscc, "quota": "1"},
        multiple=True,
    )


def test_a_district_round_trips_through_the_policy_pages(client, officer, policy):  # noqa: F811
    login(client, officer)
    url = reverse("policies:policy_edit", args=[policy.pk])
    page = client.get(url).content.decode()
    body = {
        key: value
        for key, value in (
            ("title", policy.title),
            ("doc_number", policy.doc_number),
            ("issuing_unit", policy.issuing_unit),
            ("level", policy.level),
            ("valid_from", "2026-01-01"),
            ("valid_to", "2028-12-31"),
            ("budget_yuan", "50000000"),
        )
    }
    response = client.post(url, {**body, "region": ["320000", "320200", XISHAN]})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.region_id == XISHAN
    page = client.get(url).content.decode()
    assert chosen(page, "region") == XISHAN_PATH
    assert client.post(url, {**body, "region": posted(page, "region")}).status_code == 302
    policy.refresh_from_db()
    assert policy.region_id == XISHAN


def test_a_district_round_trips_through_the_organization_page(client, operator, factory_org):
    login(client, operator)
    url = reverse("registry:organization_edit", args=[factory_org.pk])
    page = client.get(url).content.decode()
    assert chosen(page, "region") == ["江苏省", "无锡市", "新吴区"]
    assert chosen(page, "industry")[-1] == "金属切削机床制造"


# --- (e) the officer's jurisdiction ----------------------------------------------------------


def test_a_region_outside_the_jurisdiction_is_refused_by_name(client, operator):
    wuxi = Region.objects.get(code="320200")
    with translation.override("en"):
        form = NewReportForm(data={"month": "2026-11", "scope": "320505"}, within=wuxi)
        assert not form.is_valid()
        assert [e.code for e in form.errors.as_data()["scope"]] == ["outside"]
        message = form.errors["scope"][0]
        assert message == (
            "Jiangsu · Suzhou · Huqiu District lies outside Jiangsu · Wuxi, "
            "the region you may choose in."
        )
        page = str(form["scope"])
    # only the jurisdiction's own path is offered above it
    assert [[v for v, _t, _s in s["options"]] for s in controls(page).selects][:2] == [
        ["", "320000"],
        ["", "320200"],
    ]
    inside = NewReportForm(data={"month": "2026-11", "scope": XISHAN}, within=wuxi)
    assert inside.is_valid() and inside.cleaned_data["scope"].code == XISHAN
    assert MonthlyReport.objects.count() == 0


def test_the_industry_picker_of_the_rule_cases_takes_a_name_not_a_code(client):
    field = TreeChoiceField(tree=INDUSTRIES)
    assert field.clean("3421").code == "3421"
    with translation.override("zh-hans"):
        html = str(CaseForm(initial={"industry": "3421"}, subject="enterprise")["industry"])
    assert chosen(html, "industry") == [
        "制造业",
        "通用设备制造业",
        "金属加工机械制造",
        "金属切削机床制造",
    ]
    assert "3421 " not in html
