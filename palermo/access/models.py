"""Who works on a case (its team) and who opened it in an emergency (break-glass grants).

Both are history as well as state: a removed team entry and an expired grant stay, so the record shows who
could see a case when. Rows are written only by `palermo.access.services`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.proxies import agency_proxy_tier
from palermo.core.fields import EncryptedModel, EncryptedTextField, optional_key, tiered
from palermo.core.records import NamedRow

# Why a person was put on a team, taken off it, or opened a case in an emergency: free text written about a
# case, which may name or identify the person it is about. Identity data (T2), encrypted like a document's
# file name and the reason it was withdrawn; never copied into the audit log (docs/decisions/0021).
REASON_TIER = 2

if TYPE_CHECKING:
    from palermo.cases.models import Case


# An entry naming a safe house's provider or a health service says where the person is or that they receive
# care (palermo.accounts.proxies, decision 0020): the agency and the person read at T3 or T4 on the case.
TEAM_WITHHELD = {
    3: _("A provider of safe accommodation (withheld)"),
    4: _("A health service (withheld)"),
}


def _entry_tier(entry: CaseTeamMember) -> int:
    if entry.agency_id == entry.case.lead_agency_id:
        return 1  # the lead agency is case metadata (it is on the case's header and decides who sees it)
    return agency_proxy_tier(entry.agency_id, entry.agency.type, entry)


class CaseTeamMember(NamedRow, EncryptedModel):
    """An agency, or one named person acting for it, on a case's team.

    An agency entry (`user` empty) puts every member of the agency on the team, each seeing what their role
    sees on a team (the matrix); a named entry puts only that person, acting for that agency. The entry is
    active while `removed_at` is empty; removal ends access on the next request and keeps the history.
    """

    row_name = "team entry {pk} of case {case_id}"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="team_members", verbose_name=_("case")
    )
    agency = tiered(
        models.ForeignKey(
            Agency, on_delete=models.PROTECT, related_name="case_team_entries", verbose_name=_("agency")
        ),
        1,
        by_row=_entry_tier,
        withheld=TEAM_WITHHELD,
    )
    user = tiered(
        optional_key(
            User,
            _("person"),
            related_name="case_team_entries",
            help_text=_("Empty: the whole agency. Named: only this person, acting for the agency."),
        ),
        1,
        by_row=_entry_tier,
        withheld=TEAM_WITHHELD,
    )
    reason = EncryptedTextField(_("reason"), max_length=500, tier=REASON_TIER)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(_("added"))
    removed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removal_reason = EncryptedTextField(_("reason for removal"), max_length=500, blank=True, tier=REASON_TIER)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("case team member")
        constraints = [
            # NULLs are distinct in a unique index, so the whole-agency entry needs its own constraint.
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=Q(user__isnull=True, removed_at__isnull=True),
                name="team_one_active_agency_entry",
            ),
            models.UniqueConstraint(
                fields=["case", "agency", "user"],
                condition=Q(user__isnull=False, removed_at__isnull=True),
                name="team_one_active_person_entry",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | Q(removed_at__gte=models.F("added_at")),
                name="team_removed_after_added",
            ),
        ]
        indexes = [
            # The access checks look entries up by the acting agency (and user), active ones only.
            models.Index(
                fields=["agency", "case"], name="team_active_agency", condition=Q(removed_at__isnull=True)
            ),
            models.Index(
                fields=["user", "case"], name="team_active_user", condition=Q(removed_at__isnull=True)
            ),
        ]

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class BreakGlassGrant(NamedRow, EncryptedModel):
    """Emergency access to one case for one acting membership: a written reason, a time limit from the
    rulebook, notice to the case managers and data protection officers, and a later review."""

    row_name = "break-glass grant {pk} on case {case_id}"

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="break_glass_grants", verbose_name=_("acting as")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="break_glass_grants", verbose_name=_("case")
    )
    reason = EncryptedTextField(_("reason"), tier=REASON_TIER)
    granted_at = models.DateTimeField(_("granted"), db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("break-glass grant")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("granted_at")), name="grant_expires_later"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, reviewed_by__isnull=True)
                | Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
                name="grant_review_complete",
            ),
        ]
        indexes = [models.Index(fields=["membership", "case", "expires_at"], name="grant_active")]

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


def case_model() -> type[Case]:
    """The case model, reached through the team's foreign key: access sits below cases and imports none of it
    (docs/decisions/0011)."""
    return cast("type[Case]", CaseTeamMember._meta.get_field("case").related_model)


class LimitCount(NamedRow):
    """How often one caller (a person, or a client system) went through one rate-limited door in the current
    window (palermo.access.limits). One row per caller, door and window length, counted up in one atomic
    statement by whichever process answers, so every worker shares the count."""

    row_name = "{key}: {count} in window {slot}"

    key = models.CharField(max_length=200, unique=True)
    slot = models.BigIntegerField()  # the window's number: seconds since the epoch // its length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate-limit count")
