"""The diagnosis API: the same permissions as the pages."""

from __future__ import annotations

import pytest

from tests.api.test_registry_api import api_for
from tests.factories import actor_for
from zhizao.diagnosis import services
from zhizao.diagnosis.models import Answer, Assessment

from .conftest import level_answers


@pytest.mark.django_db
def test_models_are_listed(cmmm, enterprise_user):
    body = api_for(enterprise_user).get("/api/diagnosis/models/").json()
    assert [(m["key"], m["default"]) for m in body] == [("cmmm-2020", True), ("dmat-sme", False)]
    detail = api_for(enterprise_user).get("/api/diagnosis/models/cmmm-2020/").json()
    assert detail["version"] == cmmm.version and len(detail["data"]["levels"]) == 5


@pytest.mark.django_db
def test_enterprise_answers_submits_and_reads_its_report(
    cmmm, enterprise_user, factory_org, other_enterprise_user
):
    api = api_for(enterprise_user)
    created = api.post(
        "/api/diagnosis/assessments/", {"enterprise_type": "discrete"}, format="json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    model = cmmm.parsed()
    answers = level_answers(model, "discrete", 1)
    first_id = model.asked("discrete")[0].id
    # one bad value: nothing of the batch is saved
    bad = api.patch(
        f"/api/diagnosis/assessments/{pk}/answers/",
        {"answers": {**answers, first_id: 0.7}},
        format="json",
    )
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == [first_id]
    assert Answer.objects.filter(assessment_id=pk).count() == 0
    half = dict(list(answers.items())[:10])
    saved = api.patch(f"/api/diagnosis/assessments/{pk}/answers/", {"answers": half}, format="json")
    assert saved.json()["answered"] == 10
    refused = api.post(f"/api/diagnosis/assessments/{pk}/submit/")
    assert refused.status_code == 409 and len(refused.json()["missing"]) == len(answers) - 10
    api.patch(f"/api/diagnosis/assessments/{pk}/answers/", {"answers": answers}, format="json")
    done = api.post(f"/api/diagnosis/assessments/{pk}/submit/").json()
    assert (done["state"], done["level"], done["score"]) == ("submitted", 1, "1.000000")
    report = api.get(f"/api/diagnosis/assessments/{pk}/report/").json()
    assert (report["score"], report["level"], report["levels"]["1"]) == ("1.00", 1, "1.0000")
    assert report["roadmap"][0]["level"] == 2
    # someone else's: 404 everywhere, nothing changed
    other = api_for(other_enterprise_user)
    assert other.get(f"/api/diagnosis/assessments/{pk}/").status_code == 404
    assert other.get(f"/api/diagnosis/assessments/{pk}/report/").status_code == 404
    assert other.get("/api/diagnosis/assessments/").json()["count"] == 0


@pytest.mark.django_db
def test_provider_sees_only_assigned_onsite(cmmm, enterprise_user, factory_org, provider_user):
    services.start_self_assessment(actor_for(enterprise_user), factory_org, cmmm, "discrete")
    api = api_for(provider_user)
    assert api.get("/api/diagnosis/assessments/").json()["count"] == 0
    self_a = Assessment.objects.get()
    assert api.get(f"/api/diagnosis/assessments/{self_a.pk}/").status_code == 404
    assert (
        api.post(
            "/api/diagnosis/assessments/", {"enterprise_type": "discrete"}, format="json"
        ).status_code
        == 404
    )
    assert api.get("/api/diagnosis/campaigns/").json() == []
