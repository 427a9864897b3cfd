"""Self-assessment through the pages: start, answer (saved at once), hand over, submit, report."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse

from tests.factories import PASSWORD, actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.common.models import AuditEntry
from zhizao.diagnosis import services
from zhizao.diagnosis.errors import DiagnosisError
from zhizao.diagnosis.models import Answer, Assessment, SectionAssignment
from zhizao_core.diagnosis import normalize_answer, round_half_up
from zhizao_core.diagnosis import score as core_score

from .conftest import answer_all, level_answers, submitted


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_enterprise_starts_once_even_on_double_click(client, cmmm, enterprise_user, factory_org):
    login(client, enterprise_user)
    data = {"model": cmmm.pk, "enterprise_type": "process"}
    first = client.post(reverse("diagnosis:start"), data)
    second = client.post(reverse("diagnosis:start"), data)
    assert Assessment.objects.filter(organization=factory_org).count() == 1
    a = Assessment.objects.get(organization=factory_org)
    assert first["Location"] == second["Location"] == reverse("diagnosis:assessment", args=[a.pk])
    assert (a.enterprise_type, a.state) == ("process", "draft")
    # process firms are not asked product design (weight 0 for them in the shipped model)
    model = cmmm.parsed()
    assert a.asked_count == len(model.asked("process")) < len(model.requirements)
    page = client.get(first["Location"])
    assert page.status_code == 200
    assert f"0</strong>/{a.asked_count}" in page.text


@pytest.mark.django_db
def test_answer_is_saved_at_once_and_progress_updates(client, cmmm, enterprise_user, factory_org):
    login(client, enterprise_user)
    a = services.start_self_assessment(actor_for(enterprise_user), factory_org, cmmm, "discrete")
    req = cmmm.parsed().asked("discrete")[0]
    response = client.post(
        reverse("diagnosis:answer", args=[a.pk]),
        {"requirement": req.id, "value": "0.8", "comment": "ERP 已上线两年"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="req-{req.id}"' in response.text and 'hx-swap-oob="true"' in response.text
    saved = Answer.objects.get(assessment=a, requirement_id=req.id)
    assert (saved.value, saved.comment, saved.answered_by_id) == (
        "0.8",
        "ERP 已上线两年",
        enterprise_user.pk,
    )
    a.refresh_from_db()
    assert a.answered_count == 1
    entry = AuditEntry.objects.filter(context__event="diagnosis.answer_saved").get()
    assert entry.changes == {
        f"{req.id}.value": [None, "0.8"],
        f"{req.id}.comment": [None, "ERP 已上线两年"],
    }
    # change of mind: the same row is updated
    client.post(
        reverse("diagnosis:answer", args=[a.pk]),
        {"requirement": req.id, "value": "1", "comment": "ERP 已上线两年"},
        HTTP_HX_REQUEST="true",
    )
    assert list(Answer.objects.filter(assessment=a).values_list("value", flat=True)) == ["1"]


@pytest.mark.django_db
def test_bad_answers_change_nothing(client, cmmm, enterprise_user, factory_org):
    login(client, enterprise_user)
    a = services.start_self_assessment(actor_for(enterprise_user), factory_org, cmmm, "discrete")
    model = cmmm.parsed()
    strict = next(r for r in model.asked("discrete") if not r.allow_na)
    response = client.post(
        reverse("diagnosis:answer", args=[a.pk]),
        {"requirement": strict.id, "value": "na"},
        HTTP_HX_REQUEST="true",
    )
    assert "不能回答“不适用”" in response.text or "cannot be answered" in response.text
    response = client.post(
        reverse("diagnosis:answer", args=[a.pk]),
        {"requirement": strict.id, "value": "0.7"},
        HTTP_HX_REQUEST="true",
    )
    assert Answer.objects.filter(assessment=a).count() == 0
    assert AuditEntry.objects.filter(context__event="diagnosis.answer_saved").count() == 0


@pytest.mark.django_db
def test_other_enterprise_cannot_see_or_answer(
    client, cmmm, enterprise_user, factory_org, other_enterprise_user
):
    a = services.start_self_assessment(actor_for(enterprise_user), factory_org, cmmm, "discrete")
    login(client, other_enterprise_user)
    req = cmmm.parsed().requirements[0]
    assert client.get(reverse("diagnosis:assessment", args=[a.pk])).status_code == 404
    assert client.get(reverse("diagnosis:report", args=[a.pk])).status_code == 404
    assert client.get(reverse("diagnosis:report_pdf", args=[a.pk])).status_code == 404
    response = client.post(
        reverse("diagnosis:answer", args=[a.pk]), {"requirement": req.id, "value": "1"}
    )
    assert response.status_code == 404
    assert Answer.objects.count() == 0
    assert client.get(reverse("diagnosis:home")).context["assessments"].__len__() == 0


@pytest.mark.django_db
def test_section_handed_to_colleague_only(client, cmmm, enterprise_user, factory_org):
    colleague = make_user(
        "colleague", role=Role.ENTERPRISE, organization=factory_org, display_name="李工"
    )
    outsider = make_user(
        "outsider", role=Role.ENTERPRISE, organization=make_organization(name="别家公司")
    )
    login(client, enterprise_user)
    a = services.start_self_assessment(actor_for(enterprise_user), factory_org, cmmm, "discrete")
    domain = cmmm.parsed().domains()[3].id
    client.post(
        reverse("diagnosis:assign_section", args=[a.pk]),
        {"domain": domain, "assignee": colleague.pk},
    )
    assert list(SectionAssignment.objects.values_list("domain_id", "assignee_id")) == [
        (domain, colleague.pk)
    ]
    client.post(
        reverse("diagnosis:assign_section", args=[a.pk]),
        {"domain": domain, "assignee": outsider.pk},
    )
    assert list(SectionAssignment.objects.values_list("domain_id", "assignee_id")) == [
        (domain, colleague.pk)
    ]
    # the colleague sees the section on the overview and can answer in it
    client.logout()
    login(client, colleague)
    home = client.get(reverse("diagnosis:home"))
    assert [s.domain_id for s, _name in home.context["my_sections"]] == [domain]
    page = client.get(reverse("diagnosis:assessment", args=[a.pk]) + f"?section={domain}")
    assert (
        page.context["section"]["id"] == domain and page.context["section"]["assignee"] == colleague
    )


@pytest.mark.django_db
def test_a_handed_section_leaves_the_workbench_when_its_last_requirement_is_answered(
    client, cmmm, enterprise_user, factory_org
):
    colleague = make_user(
        "colleague", role=Role.ENTERPRISE, organization=factory_org, display_name="李工"
    )
    a = services.start_self_assessment(actor_for(enterprise_user), factory_org, cmmm, "discrete")
    model = cmmm.parsed()
    domain = model.domains()[3]
    other = model.domains()[4]
    for d in (domain, other):
        services.assign_section(actor_for(enterprise_user), a, d.id, colleague.pk)
    ids = [
        r.id
        for r in model.asked("discrete")
        if model.path_of_subdomain[r.subdomain][1].id == domain.id
    ]
    login(client, colleague)
    client.cookies["django_language"] = "zh-hans"
    names = {d.id: d.name["zh"] for d in (domain, other)}

    def pending():
        home = client.get(reverse("home")).context["workbench"]
        return [a.url.split("section=")[1] for a in home.actions if str(a.kind) == "问卷分工"], [
            str(s[1]) for s in client.get(reverse("diagnosis:home")).context["my_sections"]
        ]

    assert pending() == ([domain.id, other.id], [names[domain.id], names[other.id]])
    for rid in ids[:-1]:
        client.post(reverse("diagnosis:answer", args=[a.pk]), {"requirement": rid, "value": "1"})
    assert pending() == ([domain.id, other.id], [names[domain.id], names[other.id]])
    client.post(reverse("diagnosis:answer", args=[a.pk]), {"requirement": ids[-1], "value": "1"})
    a.refresh_from_db()
    assert a.state == "draft" and a.answered_count == len(ids)
    # the done section is gone from the workbench and the diagnosis home; the other stays
    assert pending() == ([other.id], [names[other.id]])
    body = client.get(reverse("diagnosis:home")).content.decode()
    assert f"· {names[other.id]}</a>" in body and other.id not in body.split("my-section")[1][:200]
    # handing the done section over again does not bring the task back
    services.assign_section(actor_for(enterprise_user), a, domain.id, enterprise_user.pk)
    assert SectionAssignment.objects.get(assessment=a, domain_id=domain.id).completed_at


@pytest.mark.django_db
def test_submit_refuses_incomplete_then_scores_exactly(client, cmmm, enterprise_user, factory_org):
    login(client, enterprise_user)
    actor = actor_for(enterprise_user)
    a = services.start_self_assessment(actor, factory_org, cmmm, "discrete")
    response = client.post(reverse("diagnosis:submit", args=[a.pk]))
    a.refresh_from_db()
    assert a.state == "draft" and a.score is None
    assert "#req-" in response["Location"]
    model = cmmm.parsed()
    answers = level_answers(model, "discrete", 2)
    # one level-3 requirement half met: X3 rises a little, level stays 2
    l3 = next(r for r in model.asked("discrete") if r.level == 3)
    answers[l3.id] = "0.5"
    answer_all(a, overrides=answers)
    client.post(reverse("diagnosis:submit", args=[a.pk]))
    a.refresh_from_db()
    expected = core_score(model, "discrete", {k: normalize_answer(v) for k, v in answers.items()})
    assert a.state == "submitted" and a.level == 2 == expected.level
    assert a.score == Decimal(round_half_up(expected.score, 6))
    assert 2 < expected.score < 3
    assert a.is_latest and a.industry_division == "34" and a.city_code == "320200"
    # submitted: answers can no longer change
    with pytest.raises(DiagnosisError):
        services.save_answer(actor, a, l3.id, "1")
    report = client.get(reverse("diagnosis:report", args=[a.pk]))
    assert report.status_code == 200
    assert f'data-testid="score">{expected.as_json(model)["score"]}<' in report.text
    assert "<svg" in report.text and 'class="radar"' in report.text
    roadmap = report.context["report"].roadmap
    assert [g["level"] for g in roadmap] == [3]
    assert roadmap[0]["items"][0]["closes"] is True
    assert l3.id not in [i["id"] for i in roadmap[0]["items"] if i["current"] == "1.0"]


@pytest.mark.django_db
def test_report_pdf_renders_chinese(
    client, cmmm, enterprise_user, factory_org, django_capture_on_commit_callbacks
):
    a = submitted(factory_org, enterprise_user, cmmm, 1)
    login(client, enterprise_user)
    url = reverse("diagnosis:report_pdf", args=[a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)  # the worker renders it (immediate backend in the tests)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    # the text reads back as Chinese, set in the embedded Noto CJK font
    reader = pypdf.PdfReader(io.BytesIO(body))
    first = reader.pages[0]
    text = first.extract_text()
    assert "智能制造能力成熟度诊断报告" in text
    assert factory_org.name in text
    fonts = {str(f.get_object()["/BaseFont"]) for f in first["/Resources"]["/Font"].values()}
    assert any("Noto-Sans-CJK" in f for f in fonts)
    assert len(reader.pages) >= 3


@pytest.mark.django_db
def test_target_level_roadmap_and_providers(
    client, cmmm, enterprise_user, factory_org, provider_org
):
    a = submitted(factory_org, enterprise_user, cmmm, 1)
    login(client, enterprise_user)
    report = client.get(reverse("diagnosis:report", args=[a.pk]) + "?target=3").context["report"]
    assert [g["level"] for g in report.roadmap] == [2, 3]
    tagged = [i for g in report.roadmap for i in g["items"] if "MES" in i["tags"]]
    assert tagged and tagged[0]["providers"][0]["name"] == provider_org.name
    assert tagged[0]["providers"][0]["local"] is True
    client.post(reverse("diagnosis:set_target", args=[a.pk]), {"target_level": "3"})
    a.refresh_from_db()
    assert a.target_level == 3


@pytest.mark.django_db
def test_benchmark_hides_small_groups_and_ranks(client, cmmm, enterprise_user, factory_org):
    peers = []
    for i in range(3):
        org = make_organization(
            name=f"无锡同行{i}号机械有限公司", region="320214", industry="3421", size="small"
        )
        user = make_user(f"peer{i}", role=Role.ENTERPRISE, organization=org)
        peers.append(submitted(org, user, cmmm, i))  # levels 0, 1, 2
    factory_org.size = "small"
    factory_org.save()
    mine = submitted(factory_org, enterprise_user, cmmm, 2)
    login(client, enterprise_user)
    groups = {
        g["key"]: g
        for g in client.get(reverse("diagnosis:report", args=[mine.pk])).context["report"].benchmark
    }
    assert groups["industry"]["hidden"] and groups["industry"]["size"] == 4
    for i in range(3, 5):
        org = make_organization(
            name=f"无锡同行{i}号机械有限公司", region="320214", industry="3421", size="small"
        )
        user = make_user(f"peer{i}", role=Role.ENTERPRISE, organization=org)
        submitted(org, user, cmmm, 4)
    groups = {
        g["key"]: g
        for g in client.get(reverse("diagnosis:report", args=[mine.pk])).context["report"].benchmark
    }
    industry = groups["industry"]
    # scores 0, 1, 2 (tie with me), 2 (me), 4, 4 → below 2, equal 2 → (2 + 1)/6 = 50 %
    assert (industry["hidden"], industry["size"], industry["percentile"]) == (False, 6, "50.0")
    assert [(s["level"], s["share"]) for s in industry["shares"]] == [
        (0, "16.7"),
        (1, "16.7"),
        (2, "33.3"),
        (3, "0.0"),
        (4, "33.3"),
        (5, "0.0"),
    ]
    # nothing in the page names another enterprise
    page = client.get(reverse("diagnosis:report", args=[mine.pk])).text
    assert "无锡同行" not in page


@pytest.mark.django_db
def test_reassessment_shows_trend(client, cmmm, enterprise_user, factory_org):
    first = submitted(factory_org, enterprise_user, cmmm, 1)
    second = submitted(factory_org, enterprise_user, cmmm, 2)
    first.refresh_from_db()
    assert (first.is_latest, second.is_latest) == (False, True)
    login(client, enterprise_user)
    trend = client.get(reverse("diagnosis:report", args=[second.pk])).context["report"].trend
    assert [c["level"] for c in trend["columns"]] == [1, 2]
    assert trend["level"] == "3"
    model = cmmm.parsed()
    assert len(trend["closed"]) == sum(1 for r in model.asked("discrete") if r.level == 2)
    # at level 3 both assessments score 0 in every domain
    assert {v["value"] for row in trend["rows"] for v in row["values"]} <= {"0.00", "—"}


@pytest.mark.django_db
def test_officer_sees_statistics_not_assessments(
    client, cmmm, officer, enterprise_user, factory_org
):
    a = submitted(factory_org, enterprise_user, cmmm, 1)
    login(client, officer)
    assert client.get(reverse("diagnosis:report", args=[a.pk])).status_code == 404
    page = client.get(reverse("diagnosis:statistics") + "?by=city")
    table = page.context["table"]
    assert table["total"] == 1
    assert [(r["label"], r["total"], r["hidden"]) for r in table["rows"]] == [("无锡市", 1, True)]
    assert [c["count"] for c in table["overall"]] == [0, 1, 0, 0, 0, 0]


@pytest.mark.django_db
def test_report_counts_fully_met_answers_without_support(
    client, cmmm, enterprise_user, factory_org
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    actor = actor_for(enterprise_user)
    a = services.start_self_assessment(actor, factory_org, cmmm, "discrete")
    model = cmmm.parsed()
    answers = level_answers(model, "discrete", 1)
    answer_all(a, overrides=answers)
    full = [rid for rid, v in answers.items() if v == "1"]
    services.add_evidence(actor, a, full[0], SimpleUploadedFile("规划.pdf", b"%PDF-1.4"))
    services.save_answer(actor, a, full[1], "1", "见 ERP 截图")
    services.save_answer(actor, a, full[0], "1", "有文件也有备注")
    services.submit(actor, a)
    login(client, enterprise_user)
    page = client.get(reverse("diagnosis:report", args=[a.pk]))
    assert page.context["report"].evidence == {
        "full": len(full),
        "files": 1,
        "comment_only": 1,
        "unsupported": len(full) - 2,
        "share": round(100 / len(full)),
    }
    assert f"有 {len(full) - 2} 项“全部满足”既无佐证文件也无备注" in page.text


@pytest.mark.django_db
def test_mark_rest_not_met_fills_only_unanswered_from_that_level(
    client, cmmm, enterprise_user, factory_org
):
    login(client, enterprise_user)
    actor = actor_for(enterprise_user)
    a = services.start_self_assessment(actor, factory_org, cmmm, "discrete")
    model = cmmm.parsed()
    sub = "organization-strategy"
    l3 = [r.id for r in model.requirements if r.subdomain == sub and r.level == 3]
    services.save_answer(actor, a, l3[0], "0.8")
    response = client.post(
        reverse("diagnosis:mark_rest", args=[a.pk]),
        {"subdomain": sub, "level": "3", "section": "organization"},
    )
    assert response["Location"].endswith(f"?section=organization#sd-{sub}")
    expected = {r.id: "0" for r in model.requirements if r.subdomain == sub and r.level >= 3}
    expected[l3[0]] = "0.8"
    assert dict(a.answers.values_list("requirement_id", "value")) == expected
    a.refresh_from_db()
    assert a.answered_count == len(expected)
    entry = AuditEntry.objects.get(context__event="diagnosis.answers_marked_not_met")
    assert set(entry.changes) == {f"{rid}.value" for rid in expected if rid != l3[0]}
    # someone else cannot do it, and nothing changes
    client.logout()
    other = make_user("other2", role=Role.ENTERPRISE, organization=make_organization(name="别家"))
    login(client, other)
    assert (
        client.post(
            reverse("diagnosis:mark_rest", args=[a.pk]), {"subdomain": sub, "level": "1"}
        ).status_code
        == 404
    )
    assert a.answers.count() == len(expected)
