"""``zhizao scheduler``: enqueue the periodic jobs (``ZHIZAO_PERIODIC_JOBS``) when they are due.

With ``ZHIZAO_TASK_BACKEND=celery`` this is the one process that starts periodic jobs (Celery
workers do not run our schedule). It keeps no state of its own: the next run of each job is a
row in the database, claimed with a conditional UPDATE, so a second scheduler (a standby on
another host, an overlap during a deploy) never enqueues a job twice.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections

from zhizao.common.worker import enqueue_due_jobs, logger


class Command(BaseCommand):
    help = "Enqueue the periodic jobs when they are due (safe to run on several hosts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=15.0, help="Seconds between two looks."
        )
        parser.add_argument("--once", action="store_true", help="Look once, then exit.")

    def handle(self, *, interval: float, once: bool, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        while not stop.is_set():
            try:
                for name in enqueue_due_jobs():
                    logger.info("periodic job %s enqueued", name)
            except (OperationalError, InterfaceError) as error:  # the database is busy or away
                logger.warning("schedule skipped: %s", error)
            finally:
                close_old_connections()
            if once:
                break
            stop.wait(interval)
