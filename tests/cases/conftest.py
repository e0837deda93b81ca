"""Staff the case-screen tests share (the personas themselves are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from palermo.accounts.models import Agency, User
from palermo.accounts.roles import Role


@pytest.fixture
def ia_agency(make_member: Callable[..., User]) -> Agency:
    """An identification authority's agency, with one member (the intake refers cases to it)."""
    return make_member(Role.IDENTIFICATION_AUTHORITY).membership.agency  # type: ignore[attr-defined]


@pytest.fixture
def migration(make_member: Callable[..., User]) -> User:
    return make_member(Role.MIGRATION_OFFICER)
