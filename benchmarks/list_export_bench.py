"""Exports of a list page built on ``common/lists.py``: the audit log exported as CSV (streamed)
and XLSX (in memory), at 2,679 rows (the size of the demo's assessments list) and 100,000 rows.

    nice -n 10 .venv/bin/python benchmarks/list_export_bench.py [--rows 2679 100000]

A fresh SQLite database (or --database-url) gets N audit entries written in bulk; an operator
then asks for ``/audit/?export=csv`` and ``?export=xlsx`` through Django's test client in this
process. For each: time to the first chunk, total time, rows/s, size and the peak of Python
memory allocated while the response is produced (tracemalloc), so that streaming shows as a
peak that does not grow with the rows. The baseline is the bare read of the same rows
(``values_list`` over the same queryset, no formatting).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup_django(database_url: str | None) -> None:
    tmp = tempfile.mkdtemp(prefix="zhizao-export-bench-")
    os.environ["ZHIZAO_DATA_DIR"] = tmp
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    os.environ["ZHIZAO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(n: int, operator) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from zhizao.accounts.models import User
    from zhizao.common.audit import Actor, entry_row, insert_entry_rows
    from zhizao.common.models import AuditEntry

    have = AuditEntry.objects.count()
    if have >= n:
        return
    actor = Actor(user=operator, organization_name="江苏省智能制造推进联盟秘书处", role="operator")
    ct = ContentType.objects.get_for_model(User).pk
    now = timezone.now()
    rows = (
        entry_row(
            actor,
            "update",
            created_at=now,
            content_type_id=ct,
            object_id=str(i),
            object_repr=f"无锡恒润精密机械有限公司（{i}）",
            changes={"employees": [i, i + 1]},
            context={"event": "registry.organization_updated"},
        )
        for i in range(have, n)
    )
    with transaction.atomic():
        insert_entry_rows(rows)


def _consume(response) -> tuple[float | None, int]:
    if not response.streaming:
        return None, len(response.content)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    return None, size


def measure(client, url: str, fmt: str) -> dict:
    """Time without tracing (tracemalloc slows Python several times), then the memory peak in a
    second, traced pass."""
    started = time.perf_counter()
    response = client.get(url, {"export": fmt})
    first = time.perf_counter() - started
    _none, size = _consume(response)
    total = time.perf_counter() - started
    tracemalloc.start()
    tracemalloc.reset_peak()
    _none, _size = _consume(client.get(url, {"export": fmt}))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "format": fmt,
        "status": response.status_code,
        "first_byte_ms": round(first * 1000, 1),
        "total_s": round(total, 2),
        "bytes": size,
        "peak_python_mb": round(peak / 2**20, 1),
    }


def baseline(n: int) -> dict:
    from zhizao.common.models import AuditEntry

    started = time.perf_counter()
    count = sum(
        1
        for _row in AuditEntry.objects.order_by("-created_at", "-pk")
        .values_list("created_at", "actor_name", "object_repr", "changes")
        .iterator(chunk_size=1000)
    )
    return {"rows": count, "bare_read_s": round(time.perf_counter() - started, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2679, 100000])
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup_django(args.database_url)

    from django.test import Client

    from zhizao.accounts.enums import Role
    from zhizao.accounts.models import Membership, User
    from zhizao.registry.models import Organization
    from zhizao.registry.services.organizations import refresh_derived_fields
    from zhizao_core.registry.uscc import make_uscc

    org = Organization(
        name="江苏省智能制造推进联盟秘书处",
        uscc=make_uscc(region="320214", serial=900001),
        kind="society",
        region_id="320214",
    )
    refresh_derived_fields(org)
    org.save()
    operator = User.objects.create_user("bench-operator")
    Membership.objects.create(user=operator, organization=org, role=Role.OPERATOR)
    client = Client()
    client.force_login(operator)
    client.get("/audit/")  # load the URLconf, templates and catalogues once

    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": os.environ["DATABASE_URL"].split(":", 1)[0],
        "runs": [],
    }
    for n in sorted(args.rows):
        fill(n, operator)
        run = {"rows": n, **baseline(n), "exports": []}
        run["exports"].append(measure(client, "/audit/", "csv"))
        if n <= 50_000:
            run["exports"].append(measure(client, "/audit/", "xlsx"))
        else:
            response = client.get("/audit/", {"export": "xlsx"})
            run["exports"].append({"format": "xlsx", "status": response.status_code})
        results["runs"].append(run)
        print(json.dumps(run, ensure_ascii=False), flush=True)
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
