"""docs/protection-sources.md says, for each shipped rulebook, what its file says: a row per rulebook whose
[protection] cells are the file's values (with "(to verify)" exactly where meta.unverified lists the key)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from palermo.core.rulebooks import available_rulebooks, rulebook

DOC = Path(settings.BASE_DIR) / "docs" / "protection-sources.md"
KEYS = ("from_referral", "until_identified_decision", "during_review")


def row_of(name: str) -> list[str]:
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| `{name}` |"):
            return [cell.strip() for cell in line.strip("|").split("|")]
    raise AssertionError(f"{name} has no row in {DOC.name}")


@pytest.mark.parametrize("name", available_rulebooks())
def test_each_rulebook_s_row_says_what_its_file_says(name: str) -> None:
    book = rulebook(name)
    cells = row_of(name)
    for key, cell in zip(KEYS, cells[1:4], strict=True):
        said = "yes" if getattr(book.protection, key) else "no"
        if f"protection.{key}" in book.meta.unverified:
            said += " (to verify)"
        assert cell == said, f"{name}: protection.{key}"
    assert cells[4].startswith(str(book.reflection.length))
    minimum = book.residence.permit_minimum_months
    assert cells[5] == (f"{minimum} months" if minimum else "none set")
