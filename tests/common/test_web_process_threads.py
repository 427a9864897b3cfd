"""Web processes run the numeric libraries single-threaded, as workers do: importing the WSGI
(or ASGI) application — what ``gunicorn zhizao.wsgi`` does first — sets ``OMP_NUM_THREADS``,
``OPENBLAS_NUM_THREADS`` and ``MKL_NUM_THREADS`` to 1 before anything loads those libraries,
and leaves a value the operator set. Each case is a fresh interpreter, as a web process is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhizao.common.processes import THREAD_VARIABLES

SRC = Path(__file__).resolve().parents[2] / "src"

PROBE = """
import json, os, sys
import zhizao.{module} as entry
assert callable(entry.application)
print(json.dumps({{
    "threads": {{name: os.environ.get(name) for name in {variables!r}}},
    "settings": os.environ["DJANGO_SETTINGS_MODULE"],
}}))
"""


def _serve(module: str, tmp_path, **operator_env: str) -> tuple[dict, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in THREAD_VARIABLES and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        PYTHONPATH=str(SRC),
        DATABASE_URL=f"sqlite:///{tmp_path / 'web.sqlite3'}",
        ZHIZAO_DATA_DIR=str(tmp_path),
        **operator_env,
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module, variables=THREAD_VARIABLES)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.mark.parametrize("module", ["wsgi", "asgi"])
def test_a_web_process_runs_the_numeric_libraries_single_threaded(module, tmp_path):
    report, log = _serve(module, tmp_path)
    assert report == {
        "threads": dict.fromkeys(THREAD_VARIABLES, "1"),
        "settings": "zhizao.settings",
    }
    # no numeric library loaded before the limits (the warning goes to stderr)
    assert "set its thread limits" not in log


def test_a_web_process_keeps_the_thread_counts_the_operator_set(tmp_path):
    report, _log = _serve("wsgi", tmp_path, OMP_NUM_THREADS="2", MKL_NUM_THREADS="4")
    assert report["threads"] == {
        "OMP_NUM_THREADS": "2",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "4",
    }
