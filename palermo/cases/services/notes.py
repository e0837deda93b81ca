"""Case notes: always encrypted, each tagged with the tier of what it says.

The author picks the tier (T1 case metadata ... T4 narrative and health) among those the access policy lets
them WRITE on this case, so nobody can file a note where they could not read it back. A note's tier is fixed
when it is written: moving a note to another tier would leave its timeline entry at the old one. Only the
author edits a note, stating the version they read; a stale edit is refused with both versions shown.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.closure import OnClosedCase
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case, CaseNote, EventKind, NoteTier
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.text import checked_text

MAX_NOTE_LENGTH = 20000
# A note's entries are at the note's own tier (given when written).
NOTE_ADDED = Entry(gettext_noop("Note added"), "note.add", Tier.METADATA, EventKind.NOTE, "case_note")
NOTE_EDITED = Entry(gettext_noop("Note edited"), "note.edit", Tier.METADATA, EventKind.NOTE, "case_note")


def writable_note_tiers(membership: Membership, case: Case) -> list[int]:
    """The tiers this membership may file a note at on this case, lowest first."""
    explain = OnClosedCase.EXPLAIN  # a closed case takes a note explaining why
    return [tier for tier in NoteTier.values if can_write(membership, case, tier, action=explain)]


def _clean_body(body: str) -> str:
    too_long = _("A note holds at most %(limit)d characters.")
    return checked_text(body, limit=MAX_NOTE_LENGTH, missing=_("Write the note."), too_long=too_long)


def case_note_add(*, actor: User, membership: Membership, case: Case, body: str, tier: int) -> CaseNote:
    """File a note on the case at `tier`; the note and its timeline entry are visible at that tier only."""
    if tier not in NoteTier.values:
        raise ValidationError(_("Choose who may read it."), code="invalid_tier")
    if not can_write(membership, case, tier, action=OnClosedCase.EXPLAIN):  # a closed case takes a note
        raise PermissionDenied("this membership may not write at this tier on this case")
    body = _clean_body(body)
    with transaction.atomic():
        note = CaseNote(case=case, tier=tier, body=body, author=actor, agency_id=membership.agency_id)
        note.save()
        record_entry(NOTE_ADDED, note, actor=actor, membership=membership, case=case, tier=tier)
    return note


def may_edit_note(membership: Membership, note: CaseNote) -> bool:
    return note.author_id == membership.user_id and can_write(membership, note.case, note.tier)


def case_note_edit(
    *, actor: User, membership: Membership, note: CaseNote, body: str, expected_version: int
) -> CaseNote:
    """Change the note's text. Raises StaleEdit (with the current note) if someone saved it first."""
    if note.author_id != actor.pk or not may_edit_note(membership, note):
        raise PermissionDenied("only the author may edit a note")
    body = _clean_body(body)
    with transaction.atomic():
        locked = lock_for_edit(CaseNote, pk=note.pk, expected_version=expected_version)
        locked.body, locked.edited_at = body, timezone.now()
        bump_version(locked)
        locked.save(update_fields=["body", "edited_at", "version"])
        record_entry(
            NOTE_EDITED, locked, actor=actor, membership=membership, case=note.case, tier=locked.tier
        )
    return locked
