from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from django.utils import timezone

from palermo.accounts.models import User
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from palermo.audit.services import audit_record


@pytest.fixture
def national_dpo(make_member: Callable[..., User]) -> User:
    """A data protection officer in the national coordinator's office: oversees every event."""
    return make_member(Role.DATA_PROTECTION_OFFICER, AgencyType.RAPPORTEUR)


@pytest.fixture
def record_at(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AuditEvent]:
    """audit_record with the clock set to `at` for that one event."""

    def record(at: datetime, **fields: object) -> AuditEvent:
        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", lambda: at)
            return audit_record(**fields)  # type: ignore[arg-type]

    return record
