"""``zhizao diagnosis score`` and ``zhizao diagnosis load-models``: the JSON contract."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import yaml
from django.core.management import call_command

from tests.core.test_diagnosis import CASE_2, TINY
from zhizao.diagnosis.loading import shipped_model_files
from zhizao.diagnosis.models import MaturityModel
from zhizao.diagnosis.services import load_model_files
from zhizao_core.diagnosis import ModelError


@pytest.fixture
def files(tmp_path):
    model = tmp_path / "tiny.yaml"
    model.write_text(yaml.safe_dump(TINY, allow_unicode=True), encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"enterprise_type": "discrete", "answers": CASE_2}))
    return model, answers


def test_score_prints_the_contract(files, capsys):
    model, answers = files
    call_command("diagnosis_score", "--model", str(model), "--answers", str(answers))
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "tiny"
    assert out["score"] == "2.63"
    assert out["level"] == 2
    assert out["levels"] == {"1": "0.8000", "2": "0.9375", "3": "0.6250", "4": "0.0000"}
    assert out["subdomains"]["b1"] == {"1": "0.8000", "2": "0.7500", "3": "1.0000"}
    assert out["explanation"][-1]["terms"] == ["1", "1", "0.6250"]
    assert out["explanation"][0]["text"].startswith("L1 = 0.8000")


def test_score_names_every_bad_answer(files, capsys, tmp_path):
    model, _ = files
    bad = dict(CASE_2, **{"zzz": 1, "a1-1-1": 0.3, "b1-1-1": "na"})
    del bad["b1-3-1"]
    answers = tmp_path / "bad.json"
    answers.write_text(json.dumps({"enterprise_type": "discrete", "answers": bad}))
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "diagnosis_score", "--model", str(model), "--answers", str(answers), "--language", "en"
        )
    assert exit_info.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert sorted(err) == sorted(
        [
            "answers.zzz: unknown requirement id “zzz”",
            "answers.a1-1-1: “0.3” is not an answer; use 1, 0.8, 0.5, 0 or “na” (not applicable)",
            "answers.b1-1-1: this requirement cannot be answered “not applicable”",
            "answers.b1-3-1: no answer given",
        ]
    )


def test_score_errors_in_chinese_by_default(files, capsys, tmp_path):
    model, _ = files
    answers = tmp_path / "bad.json"
    answers.write_text(json.dumps({"enterprise_type": "discrete", "answers": {**CASE_2, "zzz": 1}}))
    with pytest.raises(SystemExit):
        call_command("diagnosis_score", "--model", str(model), "--answers", str(answers))
    assert capsys.readouterr().err.strip() == "answers.zzz: 未知的要求编号“zzz”"


def test_bad_model_file_is_named(tmp_path, capsys, files):
    _, answers = files
    data = dict(TINY)
    data["requirements"] = [
        *TINY["requirements"],
        {"id": "x", "subdomain": "nope", "level": 1, "text": {"zh": "x", "en": "x"}},
    ]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command(
            "diagnosis_score", "--model", str(path), "--answers", str(answers), "--language", "en"
        )
    assert (
        capsys.readouterr().err.strip()
        == "broken.yaml: requirements[10].subdomain: unknown sub-domain “nope”"
    )


@pytest.mark.django_db
def test_shipped_models_load_and_have_the_standard_shape():
    load_model_files(shipped_model_files())
    cmmm = MaturityModel.objects.get(key="cmmm-2020").parsed()
    assert len(cmmm.levels) == 5 and len(cmmm.elements) == 4
    assert len(cmmm.domains()) == 12 and len(cmmm.subdomains()) == 20
    assert cmmm.threshold == Fraction(4, 5) and cmmm.level_rule == "full_credit"
    per_cell = {}
    for r in cmmm.requirements:
        per_cell[(r.subdomain, r.level)] = per_cell.get((r.subdomain, r.level), 0) + 1
    assert 150 <= len(cmmm.requirements) <= 220
    assert max(per_cell.values()) <= 3
    dmat = MaturityModel.objects.get(key="dmat-sme").parsed()
    assert (len(dmat.levels), len(dmat.elements), dmat.scale, dmat.level_rule) == (
        4,
        6,
        "percent",
        "actual_score",
    )
    # loading again changes nothing
    outcomes = load_model_files(shipped_model_files())
    assert {o.status for o in outcomes} == {"unchanged"}
    assert MaturityModel.objects.count() == 2


@pytest.mark.django_db
def test_changed_file_with_same_version_is_refused(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY, allow_unicode=True), encoding="utf-8")
    load_model_files([path])
    changed = dict(TINY, threshold="0.7")
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model_files([path])
    assert [p.code for p in caught.value.problems] == ["version_changed"]
    assert MaturityModel.objects.get(key="tiny").data["threshold"] == "0.8"
    path.write_text(
        yaml.safe_dump(dict(changed, version="2"), allow_unicode=True), encoding="utf-8"
    )
    load_model_files([path])
    assert list(
        MaturityModel.objects.filter(key="tiny")
        .values_list("version", "is_current")
        .order_by("version")
    ) == [("1", False), ("2", True)]
