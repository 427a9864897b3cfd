"""The ``zhizao`` console script: every management command, on whichever database the
settings (``DATABASE_URL``) point to.

    zhizao migrate
    zhizao registry import FILE [--commit] [--skip-invalid] [--format json]
    zhizao worker
    zhizao review assign|draw|aggregate --input FILE   (pure JSON commands, no Django)

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


# JSON-in/JSON-out commands of the pure core: run before Django starts (no settings, no
# database), so they start fast and work on a machine without the platform configured.
PURE = {"review": ("zhizao_core.review.commands", {"assign", "draw", "aggregate"})}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) >= 2 and args[0] in PURE and args[1] in PURE[args[0]][1]:
        import importlib

        sys.exit(importlib.import_module(PURE[args[0]][0]).main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhizao", *translate_argv(args)])


if __name__ == "__main__":
    main()
