"""Import throughput: Zhizao's validated import vs the bare database load of the same rows.

    .venv/bin/python benchmarks/import_bench.py --rows 100000 [--repeat 3] [--databases sqlite,postgres]

For each database a child process gets a fresh database, migrates it and loads the reference
data, then alternates, ``--repeat`` times:
  * zhizao: read the CSV → check every row (pure core) → plan → write in one transaction
    (organisations, cluster/chain links, contacts, audit entries) — the path of
    ``zhizao registry import --commit``;
  * bare: insert the same rows' scalar columns into a plain table with ``executemany``
    (SQLite) or ``COPY`` (PostgreSQL), one transaction, no validation — the limit.
Rows per second are medians; the ratio is zhizao / bare.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = [
    "名称",
    "统一社会信用代码",
    "机构类型",
    "行政区划代码",
    "行业代码",
    "企业规模",
    "成立年份",
    "从业人数",
    "营业收入（万元）",
    "地址",
    "主要产品",
    "能力标签",
    "联系人",
    "联系电话",
    "联系邮箱",
]
KIND_ZH = {
    "manufacturer": "制造企业",
    "provider": "服务商",
    "bank": "金融机构",
    "university": "高校院所",
    "society": "学会协会",
    "government": "政府部门",
}
SIZE_ZH = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型", "": ""}


def make_file(path: Path, rows: int) -> None:
    """Write the benchmark file from the demo generator (needs the reference data files only)."""
    sys.path.insert(0, str(ROOT / "src"))
    from zhizao_core.demo import IndustryRef, RegionRef, generate_organizations

    data = ROOT / "src" / "zhizao" / "registry" / "data"
    with open(data / "regions.csv", encoding="utf-8") as handle:
        regions = list(csv.DictReader(handle))
    names = {r["code"]: r["name_zh"] for r in regions}
    districts = [
        RegionRef(
            code=r["code"],
            name=r["name_zh"],
            city_code=r["parent"],
            city_name=names.get(r["parent"], ""),
            province_code=r["code"][:2] + "0000",
        )
        for r in regions
        if r["level"] == "district" and not r.get("valid_to")
    ]
    with open(data / "industries.csv", encoding="utf-8") as handle:
        industries = [
            IndustryRef(code=r["code"], name=r["name_zh"])
            for r in csv.DictReader(handle)
            if r["level"] == "class"
        ]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for org in generate_organizations(
            seed=7, size=rows, regions=districts, industries=industries
        ):
            contact = org["contacts"][0] if org["contacts"] else {}
            writer.writerow(
                [
                    org["name"],
                    org["uscc"],
                    KIND_ZH[org["kind"]],
                    org["region"],
                    org["industry"],
                    SIZE_ZH[org["size"]],
                    org["founded_year"],
                    org["employees"],
                    org["revenue_wan"],
                    org["address"],
                    "、".join(org["products"]),
                    "、".join(org["capabilities"]),
                    contact.get("name", ""),
                    contact.get("phone", ""),
                    contact.get("email", ""),
                ]
            )


def child(file: str, repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from zhizao.common.audit import Actor
    from zhizao.common.models import AuditEntry
    from zhizao.registry.models import Contact, Organization
    from zhizao.registry.services.files import read_table
    from zhizao.registry.services.imports import apply_plan, check_table

    call_command("migrate", verbosity=0)
    call_command("registry_load_reference", stdout=open(os.devnull, "w"))
    data = Path(file).read_bytes()
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare")
        cursor.execute(
            "CREATE TABLE bench_bare (name varchar(200), uscc varchar(18) UNIQUE, kind varchar(20),"
            " region varchar(6), industry varchar(4), size varchar(10), founded integer,"
            " employees integer, revenue numeric(16,2), address varchar(300), products text,"
            " capabilities text, contact varchar(50), phone varchar(30), email varchar(254))"
        )
    zhizao_times, bare_times, phases = [], [], []
    rows = 0
    for _ in range(repeat):
        # clean slate for both
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM bench_bare")
        Contact.objects.all().delete()
        Organization.clusters.through.objects.all().delete()
        Organization.chain_nodes.through.objects.all().delete()
        Organization.objects.all().delete()
        with connection.cursor() as cursor:  # the audit table is append-only by trigger
            if vendor == "postgresql":
                cursor.execute("ALTER TABLE common_auditentry DISABLE TRIGGER USER")
                cursor.execute("DELETE FROM common_auditentry")
                cursor.execute("ALTER TABLE common_auditentry ENABLE TRIGGER USER")
            else:
                cursor.execute("DROP TRIGGER IF EXISTS common_auditentry_no_delete")
                cursor.execute("DELETE FROM common_auditentry")
        start = time.perf_counter()
        table = read_table(data, "bench.csv")
        t_read = time.perf_counter()
        plan = check_table(table)
        t_check = time.perf_counter()
        assert not plan.errors, plan.errors[:3]
        counts = apply_plan(Actor(extra={"via": "benchmark"}), plan)
        t_write = time.perf_counter()
        zhizao_times.append(t_write - start)
        phases.append(
            {"read": t_read - start, "check": t_check - t_read, "write": t_write - t_check}
        )
        rows = counts["created"]
        assert AuditEntry.objects.filter(action="create").count() == rows

        values = [r[:15] for r in table.rows]
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if vendor == "postgresql":
                with cursor.cursor.copy(
                    "COPY bench_bare (name, uscc, kind, region, industry, size, founded, employees,"
                    " revenue, address, products, capabilities, contact, phone, email) FROM STDIN"
                ) as copy:
                    for row in values:
                        copy.write_row([v if v != "" else None for v in row])
            else:
                cursor.executemany(
                    "INSERT INTO bench_bare VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                    [[v if v != "" else None for v in row] for row in values],
                )
        bare_times.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "vendor": vendor,
                "rows": rows,
                "zhizao": zhizao_times,
                "bare": bare_times,
                "phases": phases,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "ZHIZAO_PG_URL", "postgres://zhizao:zhizao@127.0.0.1:5432/zhizao_bench"
        ),
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat)
        return
    workdir = Path(tempfile.mkdtemp(prefix="zhizao-bench-"))
    file = workdir / "bench.csv"
    started = time.perf_counter()
    make_file(file, args.rows)
    print(
        f"file: {args.rows:,} rows, {file.stat().st_size / 1e6:.1f} MB "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )
    results = []
    for db in args.databases.split(","):
        env = {
            **os.environ,
            "ZHIZAO_DATA_DIR": str(workdir),
            "ZHIZAO_LOG_LEVEL": "WARNING",
            "ZHIZAO_IMPORT_MAX_ROWS": str(max(args.rows, 200000)),
        }
        if db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        else:
            env["DATABASE_URL"] = args.pg_url
            name = args.pg_url.rsplit("/", 1)[1]
            subprocess.run(
                ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "zhizao", name],
                env={**env, "PGPASSWORD": "zhizao"},
                check=False,
            )
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "zhizao", name],
                env={**env, "PGPASSWORD": "zhizao"},
                check=True,
            )
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(file), "--repeat", str(args.repeat)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            print(out.stderr[-3000:])
            raise SystemExit(f"{db}: child failed")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        f"\nmachine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}"
    )
    print(
        f"{'database':<12}{'rows':>9}{'zhizao s':>11}{'rows/s':>10}{'bare s':>9}{'rows/s':>10}"
        f"{'ratio':>8}   phases (read / check / write, s)"
    )
    for r in results:
        z, b = statistics.median(r["zhizao"]), statistics.median(r["bare"])
        p = {k: statistics.median(x[k] for x in r["phases"]) for k in ("read", "check", "write")}
        print(
            f"{r['vendor']:<12}{r['rows']:>9,}{z:>11.2f}{r['rows'] / z:>10,.0f}{b:>9.2f}"
            f"{r['rows'] / b:>10,.0f}{b / z:>8.2f}   {p['read']:.2f} / {p['check']:.2f} / {p['write']:.2f}"
        )


if __name__ == "__main__":
    main()
