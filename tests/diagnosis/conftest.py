from __future__ import annotations

import pytest

from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.diagnosis import services
from zhizao.diagnosis.cache import clear_provider_index
from zhizao.diagnosis.loading import shipped_model_files
from zhizao.diagnosis.models import Answer, MaturityModel
from zhizao.diagnosis.selectors import default_model
from zhizao.diagnosis.services import load_model_files


@pytest.fixture
def cmmm(db) -> MaturityModel:
    load_model_files(shipped_model_files())
    clear_provider_index()
    return default_model()


def answer_all(assessment, value="1", overrides=None):
    """Answer every asked requirement (bulk, as a test shortcut for the questionnaire)."""
    overrides = overrides or {}
    model = assessment.model.parsed()
    Answer.objects.filter(assessment=assessment).delete()
    Answer.objects.bulk_create(
        Answer(assessment=assessment, requirement_id=r.id, value=overrides.get(r.id, value))
        for r in model.asked(assessment.enterprise_type)
    )
    assessment.answered_count = len(model.asked(assessment.enterprise_type))
    assessment.save(update_fields=["answered_count"])
    return assessment


def level_answers(model, kind, level):
    """All requirements up to ``level`` fully met, the rest not met."""
    return {r.id: ("1" if r.level <= level else "0") for r in model.asked(kind)}


def submitted(org, user, model_row, level, *, kind="discrete"):
    actor = actor_for(user)
    a = services.start_self_assessment(actor, org, model_row, kind)
    answer_all(a, overrides=level_answers(model_row.parsed(), kind, level))
    return services.submit(actor, a)


@pytest.fixture
def provider_org(db):
    return make_organization(
        name="无锡智联工业软件有限公司",
        kind="provider",
        region="320214",
        industry=None,
        capabilities=["MES", "数据采集", "APS"],
    )


@pytest.fixture
def provider_user(db, provider_org):
    return make_user("provider", role=Role.PROVIDER, organization=provider_org)
