"""A commit task delivered twice writes its batch once.

Brokers deliver at least once: RabbitMQ hands a message to another worker when it takes the first
for lost (a missed heartbeat, the consumer timeout) although that worker is still writing, and
Redis does so after its visibility timeout. Both runs then find the batch ``committing`` and
check the file; whichever writes second must find the batch committed and write nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from zhizao.common.audit import Actor
from zhizao.common.models import AuditEntry
from zhizao.registry.enums import ImportState
from zhizao.registry.models import ImportBatch, Organization
from zhizao.registry.services.files import read_table
from zhizao.registry.services.imports import (
    apply_plan,
    check_table,
    commit_import,
    create_batch,
    run_import_check,
    run_import_commit,
    set_import_state,
)
from zhizao_core.registry.uscc import make_uscc

FIRST = make_uscc(region="320214", serial=9201)
SECOND = make_uscc(region="320583", serial=9202)
CSV = (
    "名称,统一社会信用代码,机构类型,行政区划代码,行业代码\n"
    f"无锡重投精密机械有限公司,{FIRST},制造企业,320214,3421\n"
    f"昆山重投工业软件有限公司,{SECOND},服务商,320583,6513\n"
).encode()


@pytest.mark.django_db
def test_second_run_of_a_commit_with_a_stale_plan_writes_nothing(settings):
    settings.ZHIZAO_IMPORT_INLINE_ROWS = 0  # queued for a worker, as a large file is
    actor = Actor()
    batch = create_batch(actor, name="orgs.csv", data=CSV)
    run_import_check(batch)
    assert commit_import(actor, batch, skip_invalid=False).state == ImportState.QUEUED
    # Two deliveries of the same task: both took the batch as ``committing`` and both checked
    # the file before either wrote.
    assert set_import_state(batch, ImportState.COMMITTING, expected={ImportState.QUEUED})
    table = read_table(CSV, "orgs.csv")
    first_plan, second_plan = check_table(table), check_table(table)
    assert len(second_plan.create) == 2

    assert apply_plan(actor, first_plan, batch=batch) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    entries = list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True))

    assert apply_plan(actor, second_plan, batch=batch) == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
    }
    assert sorted(Organization.objects.values_list("uscc", flat=True)) == sorted([FIRST, SECOND])
    assert list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True)) == entries
    org_type = ContentType.objects.get_for_model(Organization)
    assert AuditEntry.objects.filter(action="create", content_type=org_type).count() == 2
    assert AuditEntry.objects.filter(action="import").count() == 1
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert (stored.state, stored.created, stored.updated, stored.unchanged) == (
        "committed",
        2,
        0,
        0,
    )
    # A third delivery, after the batch committed, returns at once.
    assert run_import_commit(stored, actor).state == "committed"
    assert list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True)) == entries
