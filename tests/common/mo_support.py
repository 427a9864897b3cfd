"""Write a compiled gettext catalogue (``.mo``) for tests that deploy new words."""

from __future__ import annotations

import struct
from pathlib import Path

MAGIC = 0x950412DE


def write_mo(path: Path, messages: dict[str, str]) -> Path:
    """A GNU ``.mo`` file holding ``messages`` (msgid → msgstr), UTF-8, no hash table."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    keys = sorted(entries)
    ids = [k.encode() for k in keys]
    strs = [entries[k].encode() for k in keys]
    count = len(keys)
    originals, translations = 28, 28 + 8 * count
    data_at = translations + 8 * count
    data = b""
    tables = []
    for group in (ids, strs):
        table = b""
        for raw in group:
            table += struct.pack("<2I", len(raw), data_at + len(data))
            data += raw + b"\0"
        tables.append(table)
    header = struct.pack("<7I", MAGIC, 0, count, originals, translations, 0, data_at)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + tables[0] + tables[1] + data)
    return path
