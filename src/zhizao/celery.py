"""The Celery application, for ``ZHIZAO_TASK_BACKEND=celery``: ``celery -A zhizao worker``.

Task code does not know about Celery. Each app's ``tasks.py`` declares ``django.tasks`` tasks;
when a worker imports them (autodiscovery below), django-tasks-celery registers each under its
module path (``zhizao.registry.tasks.commit_import_task``). The settings are the ``CELERY_*``
ones in ``zhizao/settings.py``: late acknowledgement, requeue when a worker process dies,
one message prefetched at a time, JSON only.

A worker yields the CPU to the web processes as ``zhizao worker`` does (niceness
``ZHIZAO_WORKER_NICE``, single-threaded numeric libraries): when ``celery worker`` loads this
module, before Celery's Django fix-up runs the system checks (they import the URLs, and numpy
with them) and before its pool processes fork (they inherit both). Other processes that load
this module (a web process that enqueues, ``celery inspect``) are left alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")


def _starting_a_worker() -> bool:
    """This process is ``celery … worker`` (``celery`` or ``python -m celery``)."""
    program = Path(sys.argv[0]) if sys.argv else Path()
    celery = program.name == "celery" or (
        program.name == "__main__.py" and program.parent.name == "celery"
    )
    return celery and "worker" in sys.argv[1:]


if _starting_a_worker():
    from django.conf import settings

    from zhizao.common.processes import prepare_worker_process

    prepare_worker_process(settings.ZHIZAO_WORKER_NICE)

app = Celery("zhizao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
