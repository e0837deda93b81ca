"""Notes in the API: list at the caller's tiers, add at a tier the caller may write, edit with a version."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from palermo.access.closure import OnClosedCase
from palermo.access.serializers import AgencyWithheld, TieredModelSerializer, WithheldField
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.api.cases import BAD_REQUEST
from palermo.cases.endpoints import CaseAction, CaseRecordList, Reading
from palermo.cases.models import Case, CaseNote, NoteTier
from palermo.cases.selectors import case_note_for, case_notes, notes_shown
from palermo.cases.services.notes import MAX_NOTE_LENGTH, case_note_add, case_note_edit
from palermo.core import api_errors
from palermo.core.api_fields import version
from palermo.core.api_records import user_named


class NoteSerializer(user_named("author", nullable=True), AgencyWithheld, TieredModelSerializer):  # type: ignore[misc]
    """A note; who wrote it is null when it names a safe house's provider or a health service the caller may
    not read (`author_withheld`, `agency_withheld`; decision 0020)."""

    author_withheld = WithheldField("author")

    class Meta:
        model = CaseNote
        fields = [
            "id",
            "tier",
            "body",
            "author",
            "author_username",
            "author_display_name",
            "author_withheld",
            "agency",
            "agency_name",
            "agency_withheld",
            "created_at",
            "edited_at",
            "version",
        ]

    def field_tiers(self) -> dict[str, Tier]:
        """The body reads at the note's own `tier`, which the selector checked: only who wrote it is
        withheld here, row by row."""
        return {}


class NoteCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_NOTE_LENGTH)
    tier = serializers.ChoiceField(choices=NoteTier.choices)


class NoteEditSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_NOTE_LENGTH)
    expected_version = version()


NOT_FOUND = api_errors.error_response("No such case or note, or not visible to the caller.")
STALE = api_errors.error_response("Stale version: `current` holds the note as it is now.")


class NoteAdd(CaseAction):
    summary = "Add a note"
    description = "File an encrypted note at a tier the caller may write on this case."
    input = NoteCreateSerializer
    output = NoteSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND}
    created = True
    service = case_note_add


class NoteList(CaseRecordList):
    summary = "Notes on a case"
    description = "The notes at the tiers the caller may read, newest first; reading above T1 is audited."
    refusals = {404: NOT_FOUND}
    model = CaseNote
    serializer_class = NoteSerializer
    palermo_on_closed_case = OnClosedCase.EXPLAIN  # POST adds a note, which a closed case takes

    def records(self, case: Case, tiers: frozenset[int]) -> QuerySet[CaseNote]:
        return case_notes(case, tiers)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "tiers": getattr(self, "tiers", frozenset())}

    def shown(self, page: list[Any]) -> None:
        _user, membership = acting(self.request)
        notes_shown(self.case, membership, page, self.tiers)

    post = NoteAdd.lent()


class NoteDetail(CaseAction):
    reading = Reading("One note", NoteSerializer)
    method = "patch"
    summary = "Edit a note"
    description = (
        "Change the note's text (author only), stating the version read. A stale version answers 409 with "
        "the note as it is now, and nothing is changed."
    )
    input = NoteEditSerializer
    output = NoteSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: STALE}
    service = case_note_edit
    acts_on = "note"

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        """The note as its reader sees it, that read recorded (also the current note of a stale edit)."""
        note = self.target(case, **ids)
        _user, membership = acting(self.request)
        notes_shown(case, membership, [note], tiers)
        return NoteSerializer(note, context={"tiers": tiers}).data

    def target(self, case: Case, **ids: Any) -> Any:
        _user, membership = acting(self.request)
        return case_note_for(membership, case, ids["note_id"])

    def current(self, case: Case, tiers: frozenset[int], row: Any, **ids: Any) -> Any:
        return self.read(case, tiers, **ids)
