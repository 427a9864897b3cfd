"""The WSGI entry point of the web processes (``gunicorn zhizao.wsgi``). The numeric
libraries run single-threaded in them unless the operator sets ``OMP_NUM_THREADS``,
``OPENBLAS_NUM_THREADS`` or ``MKL_NUM_THREADS`` (``common.processes.limit_numeric_threads``,
before anything loads them). With ``ZHIZAO_MATCH_PRELOAD`` (on in production) each process maps
the ranking snapshot and loads the embedding model in a background thread as it starts, so
that no user's first ranking in a new process waits for them."""

import os

from zhizao.common.processes import limit_numeric_threads

limit_numeric_threads("web process")

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
application = get_wsgi_application()


def _preload_ranking() -> None:
    import logging

    from django.db import close_old_connections

    from zhizao.matchmaking.index import preload

    try:
        preload()
    except Exception:  # a page will load it on first use; the process must start anyway
        logging.getLogger("zhizao.matchmaking").exception("preloading the ranking index failed")
    finally:
        close_old_connections()


def _start_preload() -> None:
    from django.conf import settings

    if settings.ZHIZAO_MATCH_PRELOAD:
        import threading

        threading.Thread(target=_preload_ranking, name="ranking-preload", daemon=True).start()


_start_preload()
