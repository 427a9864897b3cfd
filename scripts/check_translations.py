"""Fail when a message catalogue has untranslated (zh_Hans) or fuzzy entries.

English msgids are the source text, so the English catalogue may leave msgstr empty; the Chinese
one may not. Run from the repository root.
"""

from __future__ import annotations

import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "src" / "zhizao" / "locale"


def entries(path: Path):
    """Yield (flags, msgid, msgstr) for each entry of a .po file."""
    flags: list[str] = []
    msgid: list[str] = []
    msgstr: list[str] = []
    plural_msgstrs: list[str] = []
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if msgid or msgstr or plural_msgstrs:
                yield flags, "".join(msgid), "".join(msgstr) + "".join(plural_msgstrs)
            flags, msgid, msgstr, plural_msgstrs, current = [], [], [], [], None
            continue
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            current = None
        elif line.startswith("msgid "):
            current = msgid
            msgid.append(line[6:].strip('"'))
        elif line.startswith("msgstr["):
            current = plural_msgstrs
            plural_msgstrs.append(line.split(" ", 1)[1].strip('"') or "")
            if not plural_msgstrs[-1]:
                plural_msgstrs[-1] = ""
        elif line.startswith("msgstr "):
            current = msgstr
            msgstr.append(line[7:].strip('"'))
        elif line.startswith('"') and current is not None:
            current.append(line.strip('"'))


def main() -> int:
    problems = []
    for lang, need_translation in (("zh_Hans", True), ("en", False)):
        po = LOCALE / lang / "LC_MESSAGES" / "django.po"
        if not po.exists():
            problems.append(f"{po}: missing")
            continue
        for flags, msgid, msgstr in entries(po):
            if not msgid:
                continue
            if "fuzzy" in flags:
                problems.append(f"{lang}: fuzzy: {msgid[:80]}")
            elif need_translation and not msgstr:
                problems.append(f"{lang}: untranslated: {msgid[:80]}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problems")
        return 1
    print("translations complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
