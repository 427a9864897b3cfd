"""``zhizao worker``: django-tasks-db's worker plus heartbeats, the reaper and the schedule. The
process first yields the CPU to the web processes (``zhizao.common.processes``)."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from zhizao.common.processes import prepare_worker_process
from zhizao.common.worker import beat, enqueue_due_jobs, logger, reap_lost_tasks

HEARTBEAT_SECONDS = 15


class ZhizaoWorker(Worker):
    def __init__(self, *args, schedule: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule = schedule
        self.started_at = timezone.now()
        self._stop = threading.Event()

    def _housekeeping(self) -> None:
        while not self._stop.is_set():
            try:
                beat(self.worker_id, started_at=self.started_at)
                reap_lost_tasks()
                if self.schedule:
                    enqueue_due_jobs()
            except OperationalError as error:  # a busy SQLite database: try again next beat
                logger.info("housekeeping skipped: %s", error)
            finally:
                close_old_connections()
            self._stop.wait(HEARTBEAT_SECONDS)
        connections.close_all()

    def run(self) -> None:
        thread = threading.Thread(target=self._housekeeping, name="zhizao-heartbeat", daemon=True)
        beat(self.worker_id, started_at=self.started_at)
        reap_lost_tasks()
        thread.start()
        try:
            super().run()
        finally:
            self._stop.set()


class Command(DbWorkerCommand):
    help = "Run a task worker with heartbeats, the lost-task reaper and the periodic schedule."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Do not enqueue periodic jobs from this worker.",
        )

    def execute(self, *args, **options):
        # first: the system checks import the URLs, and numpy with them
        prepare_worker_process(settings.ZHIZAO_WORKER_NICE)
        return super().execute(*args, **options)

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        no_schedule=False,
        **options,
    ):
        self.configure_logging(verbosity)
        worker = ZhizaoWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            schedule=not no_schedule,
        )
        worker.configure_signals()
        worker.run()
