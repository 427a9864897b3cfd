"""The drawn dashboard is kept per (scope, filters, language, refresh) in the shared cache and
in each process's memory: a kept body never crosses scopes, languages or refreshes, and a
repeat view reads neither the summary tables nor the shared cache."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.common.mo_support import write_mo
from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.insights import services
from zhizao.insights.rendering import clear_local
from zhizao.registry.models import Region

pytestmark = pytest.mark.django_db

PERIOD = "start=2026-01&end=2026-12"
URL = f"/insights/?{PERIOD}"


@pytest.fixture(autouse=True)
def _empty_local_store():
    clear_local()
    yield
    clear_local()


@pytest.fixture
def changzhou_officer(city_world, operator):
    bureau = make_organization(
        name="常州市看板工信局", kind="government", region="320411", industry=None
    )
    services.set_jurisdiction(actor_for(operator), bureau, Region.objects.get(code="320400"))
    return make_user("cz-officer", role=Role.OFFICER, organization=bureau)


def equipment(response) -> str:
    text = response.content.decode()
    marker = 'data-testid="figure-policies.investment_equipment">'
    return text.split(marker, 1)[1].split("<", 1)[0]


def test_a_kept_body_never_crosses_scopes(client, city_world, changzhou_officer, operator):
    wuxi, changzhou = city_world["officer"], changzhou_officer
    for user, shown, hidden in (
        (wuxi, "2,000万元", "9,876万元"),
        (changzhou, "9,876万元", "2,000万元"),
        (wuxi, "2,000万元", "9,876万元"),
        (operator, "1.19亿元", "2,000万元"),
        (changzhou, "9,876万元", "2,000万元"),
    ):
        client.force_login(user)
        for _ in range(2):  # drawn or kept, then kept
            response = client.get(URL)
            assert response.status_code == 200
            assert equipment(response) == shown
            assert hidden not in response.content.decode()


def test_a_kept_body_follows_the_language(client, city_world):
    client.force_login(city_world["officer"])
    for language, shown, hidden in (
        ("zh-hans", "新吴区", "Xinwu District"),
        ("en", "Xinwu District", "新吴区"),
        ("zh-hans", "新吴区", "Xinwu District"),
    ):
        client.cookies["django_language"] = language
        for _ in range(2):
            text = client.get(URL).content.decode()
            assert f'<html lang="{language}">' in text
            assert shown in text
            assert hidden not in text


def test_a_kept_body_is_not_served_after_a_refresh(client, city_world):
    client.force_login(city_world["officer"])
    assert equipment(client.get(URL)) == "2,000万元"
    services.refresh_facts()
    clear_local()  # another process: only the shared cache and the tables
    assert equipment(client.get(URL)) == "2,000万元"
    b = city_world["orgs"]["b"]
    ent_b = make_user("ent-b-cache", role=Role.ENTERPRISE, organization=b)
    from datetime import date
    from decimal import Decimal

    from zhizao.policies import services as policies

    policies.create_project(
        actor_for(ent_b),
        b,
        name="乙公司产线改造",
        kind="intelligent_transformation",
        start_date=date(2026, 9, 20),
        equipment_yuan=Decimal("5000000"),
        software_yuan=Decimal("0"),
        services_yuan=Decimal("0"),
        other_yuan=Decimal("0"),
    )
    assert equipment(client.get(URL)) == "2,000万元"  # as of the last refresh
    services.refresh_facts()
    assert equipment(client.get(URL)) == "2,500万元"  # the kept body of the old one is not used


def test_a_repeat_view_reads_no_figures_and_no_shared_cache(client, city_world):
    client.force_login(city_world["officer"])
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    sql = [q["sql"] for q in queries]
    assert [s for s in sql if "insights_fact" in s or "zhizao_cache" in s] == []
    assert len([s for s in sql if "insights_jurisdiction" in s]) == 1


def test_a_kept_body_is_redrawn_when_new_catalogues_are_deployed(
    client, city_world, settings, tmp_path
):
    """The body is keyed by the catalogues' version (``common.catalogue``): a process started
    on new ``.mo`` files draws the new words instead of serving the body an old one drew; with
    the same files the kept body is served (no summary table read)."""
    client.force_login(city_world["officer"])
    installed = list(settings.LOCALE_PATHS)

    def deploy(word: str) -> None:
        # a release of new catalogues (its own directory: Python's gettext keeps a file it
        # read once) and a process started on it: Django reads its catalogues anew
        release = tmp_path / word
        write_mo(release / "zh_Hans" / "LC_MESSAGES" / "django.mo", {"My whole region": word})
        settings.LOCALE_PATHS = [release, *installed]

    def region_option() -> str:
        text = client.get(URL).content.decode()
        return text.split('<select name="region"><option value="">', 1)[1].split("<", 1)[0]

    deploy("第一版全辖区")
    assert region_option() == "第一版全辖区"
    with CaptureQueriesContext(connection) as queries:
        assert region_option() == "第一版全辖区"
    assert [q["sql"] for q in queries if "insights_fact" in q["sql"]] == []
    deploy("第二版辖区")
    assert region_option() == "第二版辖区"
