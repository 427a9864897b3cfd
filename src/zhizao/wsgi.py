"""The WSGI entry point of the web processes (``gunicorn zhizao.wsgi``). The numeric
libraries run single-threaded in them unless the operator sets ``OMP_NUM_THREADS``,
``OPENBLAS_NUM_THREADS`` or ``MKL_NUM_THREADS`` (``common.processes.limit_numeric_threads``,
before anything loads them)."""

import os

from zhizao.common.processes import limit_numeric_threads

limit_numeric_threads("web process")

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
application = get_wsgi_application()
