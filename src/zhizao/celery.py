"""The Celery application, for ``ZHIZAO_TASK_BACKEND=celery``: ``celery -A zhizao worker``.

Task code does not know about Celery. Each app's ``tasks.py`` declares ``django.tasks`` tasks;
when a worker imports them (autodiscovery below), django-tasks-celery registers each under its
module path (``zhizao.registry.tasks.commit_import_task``). The settings are the ``CELERY_*``
ones in ``zhizao/settings.py``: late acknowledgement, requeue when a worker process dies,
one message prefetched at a time, JSON only.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")

app = Celery("zhizao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
