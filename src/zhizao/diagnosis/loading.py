"""Reading maturity-model files (YAML or JSON) into core models. Pure: nothing here touches the
database; ``services.models.load_model_files`` stores them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml

from zhizao_core.diagnosis import Model, ModelError, Problem, parse_model

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_FILE_BYTES = 2 * 1024 * 1024


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
