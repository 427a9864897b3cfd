"""English words that mean two things get one Chinese translation each: the plain msgid is the
one already translated, the other sense carries a context. Kept fixed here because a page that
uses the wrong one reads wrong in Chinese only (a publicity list headed 职务 instead of 名称)."""

from __future__ import annotations

import re
from pathlib import Path

import zhizao

ROOT = Path(zhizao.__file__).parent
# plain msgid -> (its Chinese sense, the files where that sense is meant)
PLAIN = {
    "Title": (
        "职务 (a person's job title)",
        {
            "registry/forms.py",
            "registry/templates/registry/organization_detail.html",
            "review/forms.py",
        },
    ),
    "Kind": (
        "机构类型 (an organisation's kind)",
        {"registry/templates/registry/organization_list.html"},
    ),
}


def test_plain_title_is_only_used_for_a_persons_job_title():
    for msgid, (_sense, allowed) in PLAIN.items():
        pattern = re.compile(
            rf'{{% translate "{msgid}" %}}|\b_\("{msgid}"\)|{{% translate "{msgid}" as'
        )
        used = sorted(
            path.relative_to(ROOT).as_posix()
            for path in ROOT.rglob("*")
            if path.suffix in (".py", ".html") and pattern.search(path.read_text())
        )
        assert [name for name in used if name not in allowed] == []
