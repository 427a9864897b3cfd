"""Issue 16: the demand form suggests the category from the text as the manager types (htmx),
and result pages show a fit 0–100, never the ordering score."""

from __future__ import annotations

from django.urls import reverse

from tests.matchmaking.conftest import login


def test_the_form_suggests_categories_read_from_the_text(client, enterprise_user):
    login(client, enterprise_user)
    url = reverse("matchmaking:demand_category_suggest")
    html = client.get(
        url, {"title": "产品表面划伤，客户投诉多", "description": "人工目检总是漏检"}
    ).content.decode()
    assert 'data-set-field="id_category" data-value="machine_vision"' in html
    assert "表面划伤、目检、漏检 → 外观缺陷检测（机器视觉）" in html
    assert "把握 97%" in html
    assert client.get(url, {"title": "公司简介"}).content.decode().strip() == ""
    form = client.get(reverse("matchmaking:demand_new")).content.decode()
    assert 'id="category-suggestions"' in form and url in form


def test_only_enterprises_get_suggestions(client, provider_user):
    login(client, provider_user)
    url = reverse("matchmaking:demand_category_suggest")
    assert client.get(url, {"title": "划伤"}).status_code == 404


def test_results_show_a_fit_not_a_score(client, enterprise_user, demand, offering):
    login(client, enterprise_user)
    html = client.get(reverse("matchmaking:demand_detail", args=[demand.pk])).content.decode()
    assert "匹配度 " in html and "/100" in html
    assert "得分" not in html  # the ordering score (negative when a must is missed) is gone
