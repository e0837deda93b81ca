"""The intake's duplicate check, shared by the page and the API. The read it makes is recorded by the selector
(`duplicates_checked`) through the request's read ledger."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palermo.access import limits
from palermo.accounts.models import Membership
from palermo.cases.forms_intake import DuplicateCheckForm
from palermo.cases.selectors import PossibleDuplicates, duplicates_checked


def duplicate_warning(
    membership: Membership, data: Mapping[str, Any], *, who: Any, refuse: bool = True
) -> PossibleDuplicates:
    """Check names and birth date against existing records. A check that could match is rate-limited for
    `who` (the request: its person or client system; palermo.access.limits) and recorded (T2): it tells the
    responder that a person is, or is not, on record; the audit keeps the references.

    Past the rate, the check's own door (`refuse`) raises RateLimited (429); a form saved or submitted is
    still saved or submitted, with no check and a warning that says why (`limited`)."""
    form = DuplicateCheckForm(data)
    if not form.is_valid():
        return PossibleDuplicates()
    names, birth_date = form.names(), form.birth_date()
    if not names or birth_date is None:
        return PossibleDuplicates()
    try:
        limits.check(who, door="duplicate_check")
    except limits.RateLimited:
        if refuse:
            raise
        return PossibleDuplicates(limited=True)
    return duplicates_checked(membership, names=names, birth_date=birth_date)
