"""The shipped (demo) policies carry their document number where the research found one and a
summary in our words that names where it was read; the policy page shows both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhizao.policies.loading import load_rule_files
from zhizao.policies.models import Policy

from .conftest import login

#: the document numbers the research gives for the shipped policies
DOC_NUMBERS = {
    "市政府印发关于推进制造业智能化改造和数字化转型的若干措施的通知": "苏府〔2020〕120号",
    "南京市中小企业数字化转型试点实施办法": "宁工信规〔2024〕2号",
}


@pytest.mark.django_db
def test_every_shipped_policy_has_a_summary_with_its_source_and_its_document_number():
    load_rule_files()
    policies = list(Policy.objects.order_by("title"))
    assert len(policies) == 12
    assert {p.title: p.doc_number for p in policies if p.doc_number} == DOC_NUMBERS
    for policy in policies:
        text, _sep, source = policy.summary.rpartition("\n")
        assert len(text) >= 40, policy.title
        assert source.startswith("出处："), policy.title
    suzhou = Policy.objects.get(doc_number="苏府〔2020〕120号")
    assert suzhou.summary.startswith("苏州市推进制造业智能化改造和数字化转型若干措施（2020-12-11）")
    # a second load changes nothing
    again = load_rule_files()
    assert {f.policy for f in again.files} == {"unchanged"}


@pytest.mark.django_db
def test_the_policy_page_shows_the_document_number_and_the_summary(client, enterprise_user):
    load_rule_files()
    policy = Policy.objects.get(doc_number="宁工信规〔2024〕2号")
    login(client, enterprise_user)
    page = client.get(reverse("policies:policy_detail", args=[policy.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "南京市工业和信息化局 · 宁工信规〔2024〕2号" in html
    first, second = policy.summary.split("\n")
    assert f"<p>{first}<br>{second}</p>" in html
