"""The ``zhizao`` console script: every management command, on whichever database the
settings (``DATABASE_URL``) point to.

    zhizao migrate
    zhizao registry import FILE [--commit] [--skip-invalid] [--format json]
    zhizao worker
    zhizao review assign|draw|aggregate --input FILE   (pure JSON commands, no Django)
    zhizao expo schedule --input FILE   (pure core, no Django: zhizao_core.expo.cli)
    zhizao match rank --catalogue FILE --demands FILE   (no Django: zhizao.matchmaking.rank_cli)

Two-word commands (``zhizao registry import``) map to management commands named
``registry_import``; anything else is passed to Django unchanged.
"""

from __future__ import annotations

import os
import sys

GROUPS = {
    "registry": {"import", "load-reference", "demo"},
    "diagnosis": {"score", "load-models", "demo"},
    "policies": {"evaluate", "load-rules", "demo"},
    "match": {"rank", "evaluate", "demo", "reindex", "import", "snapshot"},
    "review": {"demo", "replay"},
    "calls": {"demo"},
    "classroom": {"demo"},
    "events": {"demo"},
    "insights": {"report", "refresh", "demo"},
}


def translate_argv(argv: list[str]) -> list[str]:
    if len(argv) >= 2 and argv[0] in GROUPS and argv[1] in GROUPS[argv[0]]:
        return [f"{argv[0]}_{argv[1].replace('-', '_')}", *argv[2:]]
    return argv


# JSON-in/JSON-out commands of the pure core: run before Django starts (no settings, no
# database), so they start fast and work on a machine without the platform configured.
# (group, command) -> (module, whether its ``main`` receives the command word too).
PURE = {
    ("review", "assign"): ("zhizao_core.review.commands", True),
    ("review", "draw"): ("zhizao_core.review.commands", True),
    ("review", "aggregate"): ("zhizao_core.review.commands", True),
    ("expo", "schedule"): ("zhizao_core.expo.cli", False),
    ("match", "rank"): ("zhizao.matchmaking.rank_cli", False),
}


def main(argv: list[str] | None = None) -> None:
    raw = list(sys.argv[1:] if argv is None else argv)
    pure = PURE.get(tuple(raw[:2]))
    if pure is not None:
        import importlib

        module, with_command = pure
        sys.exit(importlib.import_module(module).main(raw[1:] if with_command else raw[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhizao", *translate_argv(raw)])


if __name__ == "__main__":
    main()
