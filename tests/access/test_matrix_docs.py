"""docs/break-glass.md shows the matrix's emergency entries as they are: a change to one without the other
fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from palermo.access.matrix import Relation, entry
from palermo.accounts.roles import Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "break-glass.md"
ROW = re.compile(
    r"^\| `(?P<role>[a-z_]+)` \| (?P<team>[^|]+) \| (?P<glass>[^|]+) \| (?P<why>[^|]+) \|$", re.M
)


def rows() -> dict[str, dict[str, str]]:
    return {match["role"]: match.groupdict() for match in ROW.finditer(DOC.read_text(encoding="utf-8"))}


def codes(tiers) -> str:
    return ", ".join(tier.code for tier in sorted(tiers)) or "none"


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_the_documented_emergency_entry_is_the_matrixs(role):
    row = rows()[role.value]
    assert row["team"].strip() == codes(entry(role, Relation.TEAM).read)
    assert row["glass"].strip() == codes(entry(role, Relation.BREAK_GLASS).read)
    assert row["why"].strip() == entry(role, Relation.BREAK_GLASS).why
