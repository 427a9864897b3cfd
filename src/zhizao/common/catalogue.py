"""The version of the translation catalogues this process speaks.

Django reads the compiled catalogues (``LOCALE_PATHS/*/LC_MESSAGES/*.mo``) once per process,
so a process's words change only when it starts after new ``.mo`` files were deployed. A body
rendered in a language and kept (the dashboards' shared cache, the events' public fragments,
the report PDF in storage) must therefore be keyed by the catalogues too, not by the language
alone: otherwise the new processes keep serving the words an old process drew. The version is
the size and modification time of every compiled catalogue, read once per process, like the
catalogues themselves; ``forget_catalogue_version`` reads it again (and a change of
``LOCALE_PATHS`` in tests does so)."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_version: str | None = None
_lock = threading.Lock()


def _read() -> str:
    digest = hashlib.sha256()
    for base in settings.LOCALE_PATHS:
        for path in sorted(Path(base).glob("*/LC_MESSAGES/*.mo")):
            stat = path.stat()
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def catalogue_version() -> str:
    """A short digest of the compiled catalogues this process loaded (read once)."""
    global _version
    version = _version
    if version is None:
        with _lock:
            if _version is None:
                _version = _read()
            version = _version
    return version


def forget_catalogue_version() -> None:
    global _version
    with _lock:
        _version = None


@receiver(setting_changed)
def _locale_paths_changed(*, setting, **kwargs):
    # Django drops its loaded catalogues when LOCALE_PATHS changes; so does the version.
    if setting == "LOCALE_PATHS":
        forget_catalogue_version()
