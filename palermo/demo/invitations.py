"""Demo invitation: yesterday the NGO's agency administrator invited a new case manager, who has not yet set
a password, so the administrator's page shows an invitation waiting as a real one does (`steps`). Through the
administration service; the invitation's email is queued like any. Synthetic name, an address of the
reserved example.org domain. Idempotent: none is added once the person is on the system.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import partial

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.accounts.services.administration import invitation_create
from palermo.demo.common import demo_member
from palermo.demo.history import Step

ADMINISTRATOR = ("demo.agencyadmin", Role.AGENCY_ADMINISTRATOR)
INVITED = {"first_name": "Amira", "last_name": "Haddad-Kovač", "email": "new.casemanager@example.org"}


def _invite() -> None:
    administrator = demo_member(*ADMINISTRATOR)
    if administrator is None or User.objects.filter(email__iexact=INVITED["email"]).exists():
        return
    invitation_create(actor=administrator, agency=administrator.agency, role=Role.CASE_MANAGER, **INVITED)


def steps(start: datetime.datetime, end: datetime.datetime, years: int, numbers: Iterator[int]) -> list[Step]:
    """The invitation, yesterday afternoon (before `end`, the day the demo is loaded)."""
    return [Step(end - datetime.timedelta(hours=9), next(numbers), partial(_invite))]
