"""The ``zhizao`` console script: every management command, on whichever database the
settings (``DATABASE_URL``) point to.

    zhizao migrate
    zhizao registry import FILE [--commit] [--skip-invalid] [--format json]
    zhizao worker

Two-word commands (``zhizao registry import``) map to management commands named
``registry_import``; anything else is passed to Django unchanged.
"""

from __future__ import annotations

import os
import sys

GROUPS = {
    "registry": {"import", "export", "load-reference", "demo"},
    "diagnosis": {"score", "load-models", "demo"},
    "policies": {"evaluate", "load-rules", "demo", "scan"},
    "match": {"rank", "evaluate", "demo", "reindex"},
    "insights": {"report", "refresh", "demo"},
}


def translate_argv(argv: list[str]) -> list[str]:
    if len(argv) >= 2 and argv[0] in GROUPS and argv[1] in GROUPS[argv[0]]:
        return [f"{argv[0]}_{argv[1].replace('-', '_')}", *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    from django.core.management import execute_from_command_line

    args = translate_argv(list(sys.argv[1:] if argv is None else argv))
    execute_from_command_line(["zhizao", *args])


if __name__ == "__main__":
    main()
