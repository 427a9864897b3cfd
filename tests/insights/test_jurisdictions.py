"""The jurisdictions page: operators say which region a government unit's officers see (a
region picker by names, audited); nobody else reaches it, and a refused write changes
nothing."""

from __future__ import annotations

import pytest

from tests.factories import make_organization
from zhizao.common.models import AuditEntry
from zhizao.insights.models import Jurisdiction

pytestmark = pytest.mark.django_db


def bureau_of(world):
    return world["officer"].memberships.get().organization


def test_operator_sees_each_unit_with_its_region_by_name(client, city_world, operator):
    other = make_organization(
        name="常州市看板工信局", kind="government", region="320411", industry=None
    )
    client.force_login(operator)
    response = client.get("/insights/jurisdictions/")
    assert response.status_code == 200
    rows = {r["unit"].name: (r["region"], r["set"]) for r in response.context["rows"]}
    assert rows["无锡市看板工信局"] == ("江苏省 · 无锡市", True)
    assert rows["常州市看板工信局"] == ("江苏省 · 常州市 · 新北区", False)
    table = response.content.decode().split('data-testid="jurisdictions"')[1]
    assert "320200" not in table.split("</table>")[0].replace(f"/{other.pk}/", "")
    page = client.get(f"/insights/jurisdictions/{bureau_of(city_world).pk}/").content.decode()
    # narrowed province → city → district, each level by its name
    assert '<option value="320000" selected>江苏省</option>' in page
    assert '<option value="320200" selected>无锡市</option>' in page
    assert '<option value="320214">新吴区</option>' in page


def test_operator_sets_a_jurisdiction_audited_and_the_officer_sees_it(client, city_world, operator):
    bureau = bureau_of(city_world)
    client.force_login(operator)
    response = client.post(f"/insights/jurisdictions/{bureau.pk}/", {"region": "320214"})
    assert response.status_code == 302
    assert response["Location"] == "/insights/jurisdictions/"
    assert Jurisdiction.objects.get(organization=bureau).region_id == "320214"
    entry = AuditEntry.objects.filter(context__event="insights.jurisdiction_set").latest("id")
    assert entry.changes == {"jurisdiction": ["320200", "320214"]}
    assert entry.object_id == str(bureau.pk)
    client.force_login(city_world["officer"])
    dashboard = client.get("/insights/?start=2026-01&end=2026-12")
    assert dashboard.context["filters"].scope.code == "320214"
    assert client.get("/insights/?region=320205").status_code == 404


def test_a_bad_region_is_refused_and_nothing_changes(client, city_world, operator):
    bureau = bureau_of(city_world)
    client.force_login(operator)
    audits = AuditEntry.objects.count()
    response = client.post(f"/insights/jurisdictions/{bureau.pk}/", {"region": "999999"})
    assert response.status_code == 400
    assert Jurisdiction.objects.get(organization=bureau).region_id == "320200"
    assert AuditEntry.objects.count() == audits
    # an enterprise has no jurisdiction: its page does not exist
    enterprise = city_world["orgs"]["a"]
    assert client.get(f"/insights/jurisdictions/{enterprise.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["officer", "enterprise"])
def test_officer_and_enterprise_cannot_set_one(client, city_world, who):
    bureau = bureau_of(city_world)
    client.force_login(city_world[who])
    audits = AuditEntry.objects.count()
    assert client.get("/insights/jurisdictions/").status_code == 404
    assert client.get(f"/insights/jurisdictions/{bureau.pk}/").status_code == 404
    response = client.post(f"/insights/jurisdictions/{bureau.pk}/", {"region": "320000"})
    assert response.status_code == 404
    assert Jurisdiction.objects.get(organization=bureau).region_id == "320200"
    assert AuditEntry.objects.count() == audits
