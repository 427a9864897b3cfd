"""Loading model files into the database, and the parsed models kept in memory."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from zhizao.common.audit import SYSTEM, Actor
from zhizao_core.diagnosis import Model, ModelError, Problem, parse_model

from .models import MaturityModel
from .services import audit

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_FILE_BYTES = 2 * 1024 * 1024
_PARSED: dict[tuple[int, str], Model] = {}


def shipped_model_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def read_model_file(path: Path) -> tuple[dict, str]:
    """The mapping in a YAML or JSON model file and the file's sha256; ``ModelError`` when the
    file cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ModelError([Problem(path.name, "file_unreadable", {"detail": exc.strerror})]) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise ModelError([Problem(path.name, "file_unreadable", {"detail": "> 2 MB"})])
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw.decode("utf-8"))
        else:
            data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        detail = str(exc).splitlines()[0][:200]
        raise ModelError([Problem(path.name, "file_unreadable", {"detail": detail})]) from exc
    return data, hashlib.sha256(raw).hexdigest()


def parse_model_file(path: Path) -> tuple[Model, dict, str]:
    data, sha = read_model_file(path)
    try:
        model = parse_model(data)
    except ModelError as exc:
        raise ModelError(
            [Problem(f"{path.name}: {p.path}", p.code, p.params) for p in exc.problems]
        ) from exc
    return model, data, sha


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


def parsed_model(row: MaturityModel) -> Model:
    key = (row.pk, row.sha256)
    model = _PARSED.get(key)
    if model is None:
        model = parse_model(row.data)
        _PARSED[key] = model
    return model


def default_model() -> MaturityModel | None:
    return (
        MaturityModel.objects.filter(is_current=True, is_default=True).first()
        or MaturityModel.objects.filter(is_current=True).first()
    )
