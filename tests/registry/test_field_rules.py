"""One set of rules for the import, the forms and the API: every value the import refuses is
refused by the organisation form (or the contact form) and by the API with the same message,
and what the import accepts and normalises the form stores the same way."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from tests.factories import make_api_token
from zhizao.common.models import AuditEntry
from zhizao.registry.forms import ContactForm, OrganizationForm
from zhizao.registry.import_messages import render_error
from zhizao.registry.models import Organization
from zhizao.registry.services.imports import import_context
from zhizao_core.importing import BY_KEY, map_header, validate_rows
from zhizao_core.registry.uscc import make_uscc

YEAR = timezone.localdate().year
BASE = {
    "name": "无锡恒润精密机械有限公司",
    "uscc": make_uscc(region="320214", serial=7001),
    "kind": "manufacturer",
    "region": "320214",
    "industry": "3421",
}
#: (column, value) that the import refuses, one problem each
REFUSED = [
    ("name", "甲"),
    ("name", "厂" * 201),
    ("uscc", "91320214MA1W0X3K0"),
    ("uscc", "91320214MA1W0X3KIB"),
    ("uscc", make_uscc(region="320214", serial=7002)[:-1] + "0"),
    ("kind", "工厂"),
    ("region", "32021"),
    ("region", "329999"),
    ("industry", "34211"),
    ("industry", "9999"),
    ("size", "巨型"),
    ("founded_year", YEAR + 999),
    ("founded_year", 1799),
    ("founded_year", "去年"),
    ("employees", 99_999_999_999),
    ("employees", -5),
    ("employees", "很多"),
    ("revenue_wan", "-3"),
    ("revenue_wan", "很多钱"),
    ("revenue_wan", "200000000000000"),
    ("address", "路" * 301),
    ("website", "not a website"),
    ("description", "字" * 2001),
    ("products", "、".join(f"产品{i}" for i in range(80))),
    ("products", "长" * 51),
    ("capabilities", "、".join(f"能力{i}" for i in range(51))),
]
FORM_FIELD = {"products": "products_text", "capabilities": "capabilities_text"}
CONTACT_REFUSED = [
    ("contact_name", "名" * 51),
    ("contact_phone", "12345"),
    ("contact_phone", "0510-123"),
    ("contact_email", "zhang@"),
]
CONTACT_FIELD = {"contact_name": "name", "contact_phone": "phone", "contact_email": "email"}


def import_messages(rows: list[dict]) -> list[tuple[int, str, str]]:
    """(row, column key, message) of every problem the import finds, headers in Chinese. Each
    row gets a credit code of its own unless it gives one (a file repeats none)."""
    rows = [
        {**row, "uscc": make_uscc(region="320214", serial=7100 + i)}
        if row.get("uscc") == BASE["uscc"]
        else row
        for i, row in enumerate(rows)
    ]
    keys = list(dict.fromkeys(key for row in rows for key in row))
    header = map_header([BY_KEY[key].zh for key in keys])
    result = validate_rows(
        header, [[row.get(key) for key in keys] for row in rows], import_context()
    )
    by_label = {BY_KEY[key].zh: key for key in keys}
    return [(e.row, by_label[e.column], render_error(e.code, e.params)) for e in result.errors]


def form_data(**values) -> dict:
    data = {**BASE, **values}
    for key, field in FORM_FIELD.items():
        if key in data:
            data[field] = data.pop(key)
    return {key: "" if value is None else str(value) for key, value in data.items()}


def api_body(**values) -> dict:
    body = {**BASE, **values}
    for key in ("products", "capabilities"):
        if key in body:
            body[key] = body[key].split("、")
    return body


@pytest.fixture
def api(operator):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_api_token(operator)}")
    return client


@pytest.mark.django_db
def test_the_base_row_is_accepted_everywhere(api):
    assert import_messages([BASE]) == []
    with translation.override("zh-hans"):
        assert OrganizationForm(form_data()).errors == {}


@pytest.mark.django_db
def test_every_value_the_import_refuses_is_refused_by_the_form_and_the_api_alike(api):
    audit = AuditEntry.objects.filter(action="create").count()
    with translation.override("zh-hans"):
        expected = import_messages([{**BASE, key: value} for key, value in REFUSED])
        # exactly one problem per row, on the column of the row
        assert [(row, key) for row, key, _m in expected] == [
            (i, key) for i, (key, _v) in enumerate(REFUSED, start=1)
        ]
        seen = []
        for (key, value), (_row, _key, message) in zip(REFUSED, expected, strict=True):
            form = OrganizationForm(form_data(**{key: value}))
            assert form.errors == {FORM_FIELD.get(key, key): [message]}, (key, value)
            response = api.post("/api/registry/organizations/", api_body(**{key: value}), "json")
            seen.append((key, value, response.status_code, response.json()))
    assert seen == [
        (key, value, 400, {key: [message]})
        for (key, value), (_r, _k, message) in zip(REFUSED, expected, strict=True)
    ]
    assert not Organization.objects.filter(name=BASE["name"]).exists()
    assert AuditEntry.objects.filter(action="create").count() == audit


@pytest.mark.django_db
def test_a_manufacturer_without_industry_is_refused_alike(api):
    with translation.override("zh-hans"):
        [(_row, key, message)] = import_messages([{**BASE, "industry": None}])
        assert (key, message) == ("industry", "制造企业必须填写行业代码")
        form = OrganizationForm(form_data(industry=""))
        assert form.errors == {"industry": [message]}
    response = api.post("/api/registry/organizations/", api_body(industry=None), "json")
    assert (response.status_code, response.json()) == (400, {"industry": [message]})
    assert not Organization.objects.filter(name=BASE["name"]).exists()


@pytest.mark.django_db
def test_contact_values_the_import_refuses_are_refused_by_the_contact_form():
    with translation.override("zh-hans"):
        rows = [
            {**BASE, "contact_name": "张伟", key: value}
            if key != "contact_name"
            else {**BASE, key: value}
            for key, value in CONTACT_REFUSED
        ]
        expected = import_messages(rows)
        assert [key for _r, key, _m in expected] == [key for key, _v in CONTACT_REFUSED]
        for (key, value), (_r, _k, message) in zip(CONTACT_REFUSED, expected, strict=True):
            data = {"name": "张伟", CONTACT_FIELD[key]: value}
            assert ContactForm(data).errors == {CONTACT_FIELD[key]: [message]}, (key, value)


@pytest.mark.django_db
def test_the_form_reads_values_as_the_import_does():
    """What the import understands the form understands, normalised the same way."""
    values = {
        "founded_year": "2008年",
        "employees": "1,320人",
        "revenue_wan": "1.25亿",
        "website": "WWW.Example.com/About",
        "products": "数控车床、加工中心；数控车床",
        "uscc": " " + BASE["uscc"].lower() + " ",
        "industry": "C3421",
    }
    with translation.override("zh-hans"):
        [record] = validate_rows(
            map_header([BY_KEY[key].zh for key in {**BASE, **values}]),
            [list({**BASE, **values}.values())],
            import_context(),
        ).records
        form = OrganizationForm(form_data(**values))
        assert form.errors == {}
        data = form.profile_data()
    assert (
        data["founded_year"],
        data["employees"],
        data["revenue_wan"],
        data["website"],
        data["products"],
        data["uscc"],
        data["industry_id"],
    ) == (
        record.founded_year,
        record.employees,
        record.revenue_wan,
        record.website,
        list(record.products),
        record.uscc,
        record.industry,
    )
    assert (data["founded_year"], data["revenue_wan"], data["products"]) == (
        2008,
        12500,
        ["数控车床", "加工中心"],
    )
