"""Template hygiene that Django does not check.

`{# ... #}` is a comment only on one line: written across lines it is printed as page text, and any markup
quoted inside it becomes real markup (a quoted `<details>` once folded away every form of a case section).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "palermo").glob("**/templates/**/*.html"))
UNCLOSED_COMMENT = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def test_templates_were_found():
    assert len(TEMPLATES) > 50


def test_no_one_line_comment_runs_over_lines():
    found = []
    for path in TEMPLATES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if UNCLOSED_COMMENT.search(line):
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert not found, "use {% comment %} for comments over several lines:\n" + "\n".join(found)
