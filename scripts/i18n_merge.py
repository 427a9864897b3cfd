"""Refresh the message catalogues and fill Chinese translations from side files.

Several people (or helpers) can add strings at once without editing the .po files by hand:
each keeps its translations in ``src/zhizao/locale/pending/<name>.json`` (``{"English msgid":
"中文"}``; a msgid with a context is keyed ``"context\u0004msgid"``); this script runs ``makemessages`` for zh_Hans and en, fills every empty Chinese
``msgstr`` whose msgid is in a side file, and compiles. Run it serialised:

    flock /tmp/zhizao-i18n.lock .venv/bin/python scripts/i18n_merge.py

Side files stay in the repository: they are the record of what was added and are read again on
every run, so a msgid that ``makemessages`` drops and re-adds keeps its translation.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "zhizao" / "locale"
PENDING = LOCALE / "pending"


def po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def po_unescape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def load_pending() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(PENDING.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, value in data.items():
            if not isinstance(value, str) or not value:
                sys.exit(f"{path.name}: translation of {key!r} must be a non-empty string")
            merged[key] = value
    return merged


def fill(po_path: Path, translations: dict[str, str]) -> tuple[int, list[str]]:
    """Fill empty singular msgstr entries; return (filled, still missing msgids)."""
    blocks = po_path.read_text(encoding="utf-8").split("\n\n")
    filled = 0
    missing: list[str] = []
    out_blocks = []
    for block in blocks:
        lines = block.split("\n")
        msgid_parts: list[str] = []
        msgstr_start = None
        plural = any(line.startswith("msgid_plural") for line in lines)
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current = None
        for idx, line in enumerate(lines):
            if line.startswith("msgid "):
                current = "id"
                msgid_parts.append(line[6:].strip()[1:-1])
            elif line.startswith("msgstr "):
                current = "str"
                msgstr_start = idx
            elif line.startswith('"') and current == "id":
                msgid_parts.append(line.strip()[1:-1])
            elif not line.startswith('"'):
                current = None
        msgid = po_unescape("".join(msgid_parts))
        context = next(
            (po_unescape(line[8:].strip()[1:-1]) for line in lines if line.startswith("msgctxt ")),
            None,
        )
        if context is not None:
            # a msgid with a context is matched only by a key "context\u0004msgid"
            msgid = f"{context}\x04{msgid}"
        if msgstr_start is None or plural or not msgid:
            out_blocks.append(block)
            continue
        msgstr_lines = lines[msgstr_start:]
        empty = msgstr_lines == ['msgstr ""'] or (
            len(msgstr_lines) >= 1 and all(line in ('msgstr ""', '""') for line in msgstr_lines)
        )
        if (empty or fuzzy) and msgid in translations:
            lines = [line for line in lines[:msgstr_start] if not line.startswith("#, fuzzy")]
            lines = [
                line.replace(", fuzzy", "") if line.startswith("#,") else line for line in lines
            ]
            lines = [line for line in lines if line != "#,"]
            lines.append(f'msgstr "{po_escape(translations[msgid])}"')
            filled += 1
        elif empty or fuzzy:
            # a fuzzy entry carries a guessed translation of a similar msgid: never trust it
            missing.append(msgid)
        out_blocks.append("\n".join(lines))
    po_path.write_text("\n\n".join(out_blocks), encoding="utf-8")
    return filled, missing


def main() -> int:
    python = sys.executable
    subprocess.run(
        [
            python,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "-l",
            "en",
            "--ignore=.venv",
            "--ignore=.tools",
            "--ignore=var",
            "--ignore=tests",
            "--ignore=benchmarks",
            "--ignore=scripts",
            "--ignore=docs",
            "-v0",
        ],
        cwd=ROOT,
        check=True,
    )
    translations = load_pending()
    filled, missing = fill(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po", translations)
    subprocess.run(
        [python, "manage.py", "compilemessages", "-v0", "--ignore=.venv", "--ignore=.tools"],
        cwd=ROOT,
        check=True,
    )
    print(f"filled {filled} Chinese entries; {len(missing)} still untranslated")
    for msgid in missing:
        print(f"  missing: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
