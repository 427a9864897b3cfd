"""Loading maturity-model files into the database: all files checked first, then all loaded
in one transaction, each new version audited. A changed file under a loaded version is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from zhizao.common.audit import SYSTEM, Actor
from zhizao_core.diagnosis import ModelError, Problem

from ..loading import parse_model_file
from ..models import MaturityModel
from .base import audit


@dataclass
class LoadOutcome:
    path: str
    key: str
    version: str
    status: str  # created | unchanged
    requirements: int


def load_model_files(paths: list[Path], actor: Actor = SYSTEM) -> list[LoadOutcome]:
    """Validate every file first; load all or nothing."""
    parsed = []
    problems: list[Problem] = []
    for path in paths:
        try:
            parsed.append((path, *parse_model_file(path)))
        except ModelError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ModelError(problems)
    outcomes = []
    default_key = settings.ZHIZAO_DIAGNOSIS_DEFAULT_MODEL
    with transaction.atomic():
        for path, model, data, sha in parsed:
            existing = MaturityModel.objects.filter(key=model.id, version=model.version).first()
            if existing is not None:
                if existing.sha256 != sha and existing.data != data:
                    raise ModelError(
                        [Problem(path.name, "version_changed", {"version": model.version})]
                    )
                outcomes.append(
                    LoadOutcome(
                        path.name, model.id, model.version, "unchanged", len(model.requirements)
                    )
                )
                continue
            MaturityModel.objects.filter(key=model.id).update(is_current=False)
            row = MaturityModel.objects.create(
                key=model.id,
                version=model.version,
                name_zh=model.name["zh"],
                name_en=model.name["en"],
                data=data,
                sha256=sha,
                source_file=path.name,
                is_default=model.id == default_key,
                is_current=True,
                requirement_count=len(model.requirements),
            )
            audit(actor, "model_loaded", row, context={"file": path.name, "sha256": sha})
            outcomes.append(
                LoadOutcome(path.name, model.id, model.version, "created", len(model.requirements))
            )
    return outcomes
