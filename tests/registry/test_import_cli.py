"""The ``zhizao registry import`` contract: exit codes, the JSON report, atomic commits."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from zhizao.common.models import AuditEntry
from zhizao.registry.models import Contact, Organization
from zhizao_core.registry.uscc import make_uscc

USCC_A = make_uscc(region="320214", serial=101)
USCC_B = make_uscc(region="320583", serial=102)
USCC_C = make_uscc(region="330106", serial=103)
BAD_CHECK = USCC_C[:-1] + ("0" if USCC_C[-1] != "0" else "1")

HEADER_ZH = [
    "名称",
    "统一社会信用代码",
    "机构类型",
    "行政区划代码",
    "行业代码",
    "主要产品",
    "联系人",
    "联系电话",
]
HEADER_EN = [
    "name",
    "uscc",
    "kind",
    "region",
    "industry",
    "products",
    "contact_name",
    "contact_phone",
]


def good_rows():
    return [
        [
            "无锡恒润精密机械有限公司",
            USCC_A,
            "制造企业",
            "320214",
            "3421",
            "数控车床、加工中心",
            "张伟",
            "13912345678",
        ],
        ["昆山智云工业软件有限公司", USCC_B, "服务商", "320583", "6513", "MES、WMS", "", ""],
        ["杭州鑫达电子材料有限公司", USCC_C, "manufacturer", "330106", "3985", "覆铜板", "", ""],
    ]


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, header, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run(*args):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("registry_import", *args, "--format", "json", stdout=out)
    return exit_info.value.code, json.loads(out.getvalue())


@pytest.mark.django_db
def test_import_validate_only_reports_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "orgs.csv", HEADER_ZH, good_rows())
    code, report = run(str(path))
    assert code == 0
    assert report == {
        "rows": 3,
        "valid": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "name_changes": 0,
        "errors": [],
    }
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_import_commit_creates_then_reimport_changes_nothing(tmp_path):
    path = write_xlsx(tmp_path / "orgs.xlsx", HEADER_EN, good_rows())
    code, report = run(str(path), "--commit")
    assert (code, report["created"], report["updated"], report["unchanged"]) == (0, 3, 0, 0)
    org = Organization.objects.get(uscc=USCC_A)
    assert (org.name, org.kind, org.region_id, org.industry_id, org.products) == (
        "无锡恒润精密机械有限公司",
        "manufacturer",
        "320214",
        "3421",
        ["数控车床", "加工中心"],
    )
    assert (org.province_code, org.city_code, org.industry_division) == ("320000", "320200", "34")
    assert list(
        Contact.objects.filter(organization=org).values_list("name", "phone", "is_primary")
    ) == [("张伟", "13912345678", True)]
    entries = AuditEntry.objects.filter(action="create", object_id=str(org.pk))
    assert entries.count() == 1
    audit_count = AuditEntry.objects.count()

    code, report = run(str(path), "--commit")
    assert (code, report["created"], report["updated"], report["unchanged"]) == (0, 0, 0, 3)
    assert Organization.objects.count() == 3
    assert AuditEntry.objects.count() == audit_count


@pytest.mark.django_db
def test_import_update_touches_only_changed_fields(tmp_path):
    run(str(write_csv(tmp_path / "a.csv", HEADER_ZH, good_rows())), "--commit")
    rows = good_rows()
    rows[0][5] = "数控车床、加工中心、减速机"
    rows[1][5] = ""  # an empty cell keeps the stored products
    code, report = run(str(write_csv(tmp_path / "b.csv", HEADER_ZH, rows)), "--commit")
    assert (code, report["created"], report["updated"], report["unchanged"]) == (0, 0, 1, 2)
    assert Organization.objects.get(uscc=USCC_A).products == ["数控车床", "加工中心", "减速机"]
    assert Organization.objects.get(uscc=USCC_B).products == ["MES", "WMS"]
    change = AuditEntry.objects.filter(action="update").get()
    assert change.changes == {
        "products": [["数控车床", "加工中心"], ["数控车床", "加工中心", "减速机"]]
    }


@pytest.mark.django_db
def test_import_does_not_rename_it_raises_a_name_change_request(tmp_path):
    run(str(write_csv(tmp_path / "a.csv", HEADER_ZH, good_rows())), "--commit")
    rows = good_rows()
    rows[0][0] = "无锡恒润精密机械股份有限公司"
    code, report = run(str(write_csv(tmp_path / "b.csv", HEADER_ZH, rows)), "--commit")
    assert (code, report["updated"], report["unchanged"], report["name_changes"]) == (0, 0, 3, 1)
    org = Organization.objects.get(uscc=USCC_A)
    assert org.name == "无锡恒润精密机械有限公司"
    assert list(
        org.name_change_requests.values_list("old_name", "new_name", "reason", "state")
    ) == [("无锡恒润精密机械有限公司", "无锡恒润精密机械股份有限公司", "导入第 1 行", "pending")]
    assert AuditEntry.objects.filter(action="update").count() == 0


@pytest.mark.django_db
def test_import_bad_rows_exit_1_and_commit_refused_writes_nothing(tmp_path):
    rows = good_rows()
    rows[2][1] = BAD_CHECK
    rows.append(["重复公司", USCC_A, "制造企业", "320214", "3421", "", "", ""])
    rows.append(
        [
            "未知区划公司",
            make_uscc(region="320214", serial=104),
            "制造企业",
            "329999",
            "3421",
            "",
            "",
            "",
        ]
    )
    path = write_csv(tmp_path / "bad.csv", HEADER_ZH, rows)

    code, report = run(str(path))
    assert code == 1
    assert (report["rows"], report["valid"]) == (5, 2)
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (3, "统一社会信用代码", "uscc_check"),
        (4, "统一社会信用代码", "duplicate_in_file"),
        (5, "行政区划代码", "region_unknown"),
    ]
    assert all(e["message"] for e in report["errors"])

    code, report = run(str(path), "--commit")
    assert code == 1
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 0)
    assert Organization.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_import_skip_invalid_writes_only_good_rows(tmp_path):
    rows = good_rows()
    rows[2][1] = BAD_CHECK
    code, report = run(
        str(write_csv(tmp_path / "bad.csv", HEADER_ZH, rows)), "--commit", "--skip-invalid"
    )
    assert code == 0
    assert (report["valid"], report["created"], len(report["errors"])) == (2, 2, 1)
    assert sorted(Organization.objects.values_list("uscc", flat=True)) == sorted([USCC_A, USCC_B])


@pytest.mark.django_db
def test_import_error_messages_are_chinese_by_default(tmp_path):
    rows = good_rows()[:1]
    rows[0][3] = "329999"
    _code, report = run(str(write_csv(tmp_path / "r.csv", HEADER_ZH, rows)))
    message = report["errors"][0]["message"]
    assert "329999" in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


@pytest.mark.django_db
def test_import_missing_required_column_is_reported(tmp_path):
    path = write_csv(
        tmp_path / "m.csv", ["名称", "机构类型", "行政区划代码"], [["某公司", "制造企业", "320214"]]
    )
    code, report = run(str(path))
    assert code == 1
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (0, "统一社会信用代码", "missing_column")
    ]


def test_zhizao_console_script_runs_the_import_on_the_configured_database(tmp_path):
    """The installed ``zhizao`` script maps ``registry import`` to the command, on whichever
    database ``DATABASE_URL`` names (here a fresh SQLite file)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("zhizao")
    env = {
        **os.environ,
        "ZHIZAO_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    subprocess.run([script, "migrate", "-v0"], env=env, check=True, capture_output=True)
    subprocess.run([script, "registry", "load-reference"], env=env, check=True, capture_output=True)
    path = write_csv(tmp_path / "orgs.csv", HEADER_ZH, good_rows())
    checked = subprocess.run(
        [script, "registry", "import", str(path), "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert (checked.returncode, json.loads(checked.stdout)["created"]) == (0, 3)
    done = subprocess.run(
        [script, "registry", "import", str(path), "--commit", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert json.loads(done.stdout) == {
        "rows": 3,
        "valid": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "name_changes": 0,
        "errors": [],
    }
    again = subprocess.run(
        [script, "registry", "import", str(path), "--commit", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert (json.loads(again.stdout)["unchanged"], again.returncode) == (3, 0)
