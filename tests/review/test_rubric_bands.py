"""Banded descriptors per criterion, edited on their own page by the call's selection office:
out-of-range, undescribed and overlapping bands are refused with the band named and nothing
changes; the expert's scoring page shows the bands; saving the rubric keeps them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.review.test_pages import login
from zhizao.calls.errors import CallError
from zhizao.calls.models import RubricCriterion
from zhizao.calls.services.calls import check_bands, set_bands
from zhizao.common.models import AuditEntry
from zhizao.review import services


def _post(client, call, criterion, bands):
    return client.post(
        reverse("calls:rubric_bands", args=[call.pk]),
        {
            "criterion": criterion.pk,
            "min": [b[0] for b in bands],
            "max": [b[1] for b in bands],
            "descriptor": [b[2] for b in bands],
        },
    )


def test_check_bands_names_each_refusal():
    top = Decimal("10")
    assert check_bands(
        [
            {"min": "7", "max": "8.5", "descriptor": "良好"},
            {"min": 9, "max": 10, "descriptor": "优秀"},
        ],
        top,
    ) == [
        {"min": "9", "max": "10", "descriptor": "优秀"},
        {"min": "7", "max": "8.5", "descriptor": "良好"},
    ]
    cases = [
        ([{"min": "9", "max": "11", "descriptor": "优秀"}], "band_out_of_range", "bands[0]"),
        ([{"min": "-1", "max": "3", "descriptor": "差"}], "band_out_of_range", "bands[0]"),
        ([{"min": "5", "max": "4", "descriptor": "中"}], "band_out_of_range", "bands[0]"),
        ([{"min": "5", "max": "6", "descriptor": " "}], "band_descriptor", "bands[0].descriptor"),
        ([{"min": "x", "max": "6", "descriptor": "中"}], "not_a_number", "bands[0].min"),
        (
            [
                {"min": "9", "max": "10", "descriptor": "优秀"},
                {"min": "7", "max": "9", "descriptor": "良好"},
            ],
            "band_overlap",
            "bands[0]",
        ),
    ]
    for bands, code, field in cases:
        with pytest.raises(CallError) as error:
            check_bands(bands, top)
        assert (error.value.code, error.value.field) == (code, field)


def test_office_edits_bands_and_experts_see_them(client, rw):
    criterion = RubricCriterion.objects.get(call=rw.call, code="innovation")
    login(client, rw.office)
    page = client.get(reverse("calls:rubric_bands", args=[rw.call.pk]))
    assert page.status_code == 200
    assert "国际领先" in page.content.decode()

    before = AuditEntry.objects.count()
    response = _post(
        client, rw.call, criterion, [("90", "100", "国际领先"), ("80", "90", "国内领先")]
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "分档 80–90 与 90–100 重叠：一个分数最多属于一个分档。" in text
    assert 'value="80"' in text  # the office's input is kept
    response = _post(client, rw.call, criterion, [("90", "120", "国际领先")])
    assert response.status_code == 400
    assert (
        "分档 90–120：分档须在 0 与满分 100 之间，且下限不高于上限。" in response.content.decode()
    )
    criterion.refresh_from_db()
    assert criterion.bands == [{"min": 80, "max": 100, "descriptor": "国际领先"}]
    assert AuditEntry.objects.count() == before

    response = _post(
        client,
        rw.call,
        criterion,
        [("75", "89.5", "国内领先"), ("90", "100", "国际领先"), ("", "", "")],
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.bands == [
        {"min": "90", "max": "100", "descriptor": "国际领先"},
        {"min": "75", "max": "89.5", "descriptor": "国内领先"},
    ]
    assert AuditEntry.objects.filter(context__event="calls.bands_set").count() == 1

    # saving the rubric on the call page keeps the bands
    client.post(
        reverse("calls:rubric_save", args=[rw.call.pk]),
        {
            "code": ["innovation", "impact"],
            "name": ["创新性", "应用成效"],
            "weight": ["0.5", "0.5"],
            "max_score": ["100", "100"],
            "ranked": ["1", "1"],
            "comment_required": ["1", "0"],
        },
    )
    criterion = RubricCriterion.objects.get(call=rw.call, code="innovation")
    assert criterion.weight == Decimal("0.5") and len(criterion.bands) == 2

    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    assignment = rw.round.assignments.filter(state="active").first()
    expert_user = next(u for k, u in rw.users.items() if rw.experts[k].pk == assignment.expert_id)
    login(client, expert_user)
    text = client.get(reverse("review:assignment_detail", args=[assignment.pk])).content.decode()
    assert "90–100: 国际领先" in text and "75–89.5: 国内领先" in text


def test_others_cannot_edit_bands(client, rw):
    criterion = RubricCriterion.objects.get(call=rw.call, code="innovation")
    for user in (rw.users["free1"], rw.applicant_users[0]):
        login(client, user)
        assert client.get(reverse("calls:rubric_bands", args=[rw.call.pk])).status_code == 404
        assert _post(client, rw.call, criterion, [("0", "10", "差")]).status_code == 404
    with pytest.raises(CallError) as error:
        set_bands(rw.actor("free1"), criterion, [])
    assert error.value.code == "not_allowed"
    criterion.refresh_from_db()
    assert criterion.bands == [{"min": 80, "max": 100, "descriptor": "国际领先"}]
