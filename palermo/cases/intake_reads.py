"""The intake's reads that are recorded: the duplicate check and opening a draft (page and API alike)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_record
from palermo.cases.forms_intake import DuplicateCheckForm
from palermo.cases.models import IntakeDraft
from palermo.cases.selectors import PossibleDuplicates, possible_duplicates


def duplicate_warning(user: User, membership: Membership, data: Mapping[str, Any]) -> PossibleDuplicates:
    """Check names and birth date against existing records. A check that could match is recorded (T2): it
    tells the responder that a person is, or is not, on cases they may see; the audit keeps the references."""
    form = DuplicateCheckForm(data)
    if not form.is_valid():
        return PossibleDuplicates()
    names, birth_date = form.names(), form.birth_date()
    if not names or birth_date is None:
        return PossibleDuplicates()
    found = possible_duplicates(membership, names=names, birth_date=birth_date)
    with transaction.atomic():
        audit_record(
            actor=user,
            membership=membership,
            action="intake.duplicate_check",
            tier=Tier.IDENTITY,
            object_type="case",
            reason=f"visible: {','.join(found.visible) or 'none'}; others: {found.others_exist}",
        )
    return found


def audit_draft_read(user: User, membership: Membership, draft: IntakeDraft) -> None:
    """Opening a draft shows everything typed into it: a read at the tier its content is kept at."""
    audit_record(
        actor=user,
        membership=membership,
        action="intake.draft_read",
        tier=Tier.NARRATIVE,
        object_type="intake_draft",
        object_id=str(draft.pk),
    )
