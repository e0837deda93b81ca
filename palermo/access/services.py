"""Every write of the access policy: case team changes, break-glass grants and their review.

Each service checks the acting membership against the policy, writes in one transaction, adds the case's
timeline entry, records its audit event last, and schedules side effects (notices) for after the commit.
Services raise PermissionDenied when the acting membership may not do this, ValidationError for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access import notifications, policy
from palermo.access.duties import team_changed
from palermo.access.matrix import MATRIX, may_break_glass
from palermo.access.models import BreakGlassGrant, CaseTeamMember, case_model
from palermo.access.tiers import Tier
from palermo.access.timeline import TeamEvent, team_event_add
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.proxies import agency_proxy_tier
from palermo.accounts.roles import Role
from palermo.audit.services import audit_on_case, audit_on_record
from palermo.core.rulebooks import rulebook
from palermo.core.text import checked_text, in_record_language

if TYPE_CHECKING:
    from palermo.cases.models import Case

# A reason someone else can judge later: a few words are not enough, a paragraph is not needed.
BREAK_GLASS_REASON_MIN: Final = 20
REASON_MAX: Final = 500
REASON_TOO_LONG: Final = _("Keep the reason under %(maximum)d characters.")
# What may be recorded of a typed case reference (never free text that could be a name).
REFERENCE_SHAPE: Final = re.compile(r"^[A-Z]{2,5}-[0-9A-Z]{4}-[0-9A-Z]{4}$")

# Each names the agency (at the tier naming it takes: a safe house's provider T3, a health service T4).
TEAM_AGENCY_ADDED = gettext_noop("Case team: %(agency)s added")
TEAM_PERSON_ADDED = gettext_noop("Case team: a person of %(agency)s added")
TEAM_AGENCY_REMOVED = gettext_noop("Case team: %(agency)s removed")
TEAM_PERSON_REMOVED = gettext_noop("Case team: a person of %(agency)s removed")
EMERGENCY_OPENED = gettext_noop("Emergency access opened")
CASE_OPENED = gettext_noop("Case opened")
TEAM_AGENCY_ROUTED = gettext_noop("Case team: %(agency)s joined (%(occasion)s)")


class BreakGlassRefused(PermissionDenied):
    """This membership may not open emergency access to this case. Carries no detail about the case."""


def _clean_reason(reason: str, *, minimum: int = 1) -> str:
    if minimum > 1 and len((reason or "").strip()) < minimum:
        raise ValidationError(
            _("Give the reason in at least %(minimum)d characters."),
            code="reason_too_short",
            params={"minimum": minimum},
        )
    return checked_text(
        reason, limit=REASON_MAX, missing=_("Give the reason."), too_long=REASON_TOO_LONG, code="reason_"
    )


def _acting_user_check(actor: User, membership: Membership) -> None:
    if membership.user_id != actor.pk:
        raise PermissionDenied("the membership must be the actor's own")


# --- case teams ---


def active_team_entry(
    case: Case, agency: Agency, user: User | None, *, lock: bool = False
) -> CaseTeamMember | None:
    """The case team's open entry for the agency's person `user`, or for the whole agency (`user` None)."""
    entries = CaseTeamMember.objects.filter(case=case, agency=agency, removed_at__isnull=True)
    if lock:
        entries = entries.select_for_update()
    return entries.filter(user__isnull=True).first() if user is None else entries.filter(user=user).first()


def _check_newcomer(case: Case, agency: Agency, user: User | None) -> None:
    if not agency.is_active:
        raise ValidationError(_("This agency is not active."), code="agency_inactive")
    if user is not None and not Membership.objects.filter(user=user, agency=agency, is_active=True).exists():
        raise ValidationError(_("This person does not work for that agency."), code="not_a_member")
    if active_team_entry(case, agency, user) is not None:
        raise ValidationError(_("Already on the case team."), code="already_on_team")


def _add_entry(
    *, actor: User, membership: Membership, case: Case, agency: Agency, user: User | None, reason: str
) -> CaseTeamMember:
    entry = CaseTeamMember(
        case=case, agency=agency, user=user, reason=reason, added_by=actor, added_at=timezone.now()
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # a concurrent add of the same entry won the race
        raise ValidationError(_("Already on the case team."), code="already_on_team") from None
    added = TEAM_AGENCY_ADDED if user is None else TEAM_PERSON_ADDED
    _record_team_change(actor, membership, case, entry, "case_team.add", added, reason)
    return entry


@transaction.atomic
def case_team_add(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    agency: Agency,
    user: User | None = None,
    reason: str,
) -> CaseTeamMember:
    """Put an agency (every member, each seeing what their role sees on a team) or one person acting for it
    on the case team. A person of an agency already on it as a whole may be named too: what they see is the
    agency's, and being named makes the case theirs (its deadlines on their own list and in their reminder).
    Only a team member whose role manages teams may do it."""
    _require_team_manager(actor, membership, case)
    reason = _clean_reason(reason)
    _check_newcomer(case, agency, user)
    return _add_entry(actor=actor, membership=membership, case=case, agency=agency, user=user, reason=reason)


@transaction.atomic
def case_team_open(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    agencies: Iterable[Agency | None],
    reason: str = "",
    opener_only: bool = False,
) -> list[CaseTeamMember]:
    """The first team of a case just opened: the given agencies as a whole (duplicates and blanks skipped).
    With `opener_only` (a child's case: the narrowest team), the opener's own agency is represented by the
    opener alone, not by all its members; the other agencies still join as a whole (the identification
    authority must be able to decide). Only the person who opened the case, acting for its lead agency, and
    only once: afterwards the team changes through `case_team_add` / `case_team_remove` by those the matrix
    lets manage it."""
    _acting_user_check(actor, membership)
    locked = case_model().objects.select_for_update().get(pk=case.pk)
    if (
        not policy.is_usable(membership)
        or locked.lead_agency_id != membership.agency_id
        or locked.opened_by_id != actor.pk
        or CaseTeamMember.objects.filter(case=locked).exists()
    ):
        raise PermissionDenied("the first team is set once, by whoever opened the case")
    reason = _clean_reason(reason or in_record_language(CASE_OPENED))
    chosen = list(dict.fromkeys(agency for agency in agencies if agency is not None))
    if not chosen:
        raise ValidationError(_("Name at least one agency for the case team."), code="no_team")
    entries = []
    for agency in chosen:
        named = actor if opener_only and agency.pk == membership.agency_id else None
        _check_newcomer(case, agency, named)
        entries.append(
            _add_entry(
                actor=actor, membership=membership, case=case, agency=agency, user=named, reason=reason
            )
        )
    return entries


@transaction.atomic
def case_team_remove(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    agency: Agency,
    user: User | None = None,
    reason: str,
) -> CaseTeamMember:
    """Take an agency's or a person's entry off the case team: their access ends with the next request.
    The entry stays, closed, as history. A case keeps at least one team entry."""
    _require_team_manager(actor, membership, case)
    reason = _clean_reason(reason)
    entry = active_team_entry(case, agency, user, lock=True)
    if entry is None:
        raise ValidationError(_("Not on the case team."), code="not_on_team")
    if not CaseTeamMember.objects.filter(case=case, removed_at__isnull=True).exclude(pk=entry.pk).exists():
        raise ValidationError(_("A case keeps at least one team member."), code="last_team_member")
    entry.removed_at = timezone.now()
    entry.removed_by = actor
    entry.removal_reason = reason
    entry.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    removed = TEAM_AGENCY_REMOVED if user is None else TEAM_PERSON_REMOVED
    _record_team_change(actor, membership, case, entry, "case_team.remove", removed, reason)
    return entry


def _require_team_manager(actor: User, membership: Membership, case: Case) -> None:
    """Only a team member whose role manages teams changes the team."""
    _acting_user_check(actor, membership)
    if not policy.can_manage_team(membership, case):
        raise PermissionDenied("this membership may not change this case's team")


def _record_team_change(
    actor: User,
    membership: Membership,
    case: Case,
    entry: CaseTeamMember,
    action: str,
    summary: Any,
    reason: str,
) -> None:
    """The timeline entry and the audit event of a team change; the policy forgets cached relations. The
    reason stays with the team entry, encrypted; the event points to the entry and carries no free text."""
    policy.forget_relations(case)
    agency = entry.agency
    team_event_add(
        TeamEvent(
            actor,
            membership,
            case,
            summary,
            action,
            entry,
            "case_team_member",
            tier=agency_proxy_tier(agency.pk, agency.type),
            values={"agency": agency.name},
        )
    )
    team_changed(case)


def case_team_join_as_lead(*, actor: User, case: Case, reason: str) -> CaseTeamMember | None:
    """The team's part of handing a case's lead on (palermo.cases.services.lead, which checked the actor and
    records the transfer on the timeline and the audit record): the new lead (already on `case`) joins the
    team as a whole when it is not on it, and the work it answers for follows it. Returns the new entry."""
    entry = None
    if active_team_entry(case, case.lead_agency, None) is None:
        entry = CaseTeamMember.objects.create(
            case=case, agency=case.lead_agency, reason=reason, added_by=actor, added_at=timezone.now()
        )
    policy.forget_relations(case)
    team_changed(case)
    return entry


@transaction.atomic
def case_team_route(*, case: Case, agency: Agency, occasion: str) -> CaseTeamMember:
    """The system puts an agency on the case team because the rulebook's routing says so at this event
    (palermo.access.routing): no one acts, so no one is checked. The timeline entry names the agency, at the
    tier naming it takes (a safe house's provider: T3; a health service: T4); the agency's members are told
    once the change commits. `occasion` is the event in words (gettext_noop), the entry's reason."""
    _check_newcomer(case, agency, None)
    words = in_record_language(occasion)
    entry = CaseTeamMember(case=case, agency=agency, user=None, reason=words, added_at=timezone.now())
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # a concurrent add of the same agency won the race
        raise ValidationError(_("Already on the case team."), code="already_on_team") from None
    policy.forget_relations(case)
    team_event_add(
        TeamEvent(
            None,
            None,
            case,
            TEAM_AGENCY_ROUTED,
            "case_team.route",
            entry,
            "case_team_member",
            tier=agency_proxy_tier(agency.pk, agency.type),
            values={"agency": agency.name, "occasion": _(occasion)},
        )
    )
    team_changed(case)
    case_id, agency_id = case.pk, agency.pk
    transaction.on_commit(lambda: notifications.send_team_notice.enqueue(case_id, agency_id, "joined"))
    return entry


# --- break-glass ---


def break_glass_hours() -> int:
    return rulebook().access.break_glass_hours


def may_open_break_glass(membership: Membership | None, case: Case) -> bool:
    """Whether this membership's role may open emergency access, and it would show something of this case."""
    if membership is None or not policy.is_usable(membership) or not may_break_glass(membership.role):
        return False
    return not MATRIX[Role(membership.role)].only_child_cases or case.is_child


@transaction.atomic
def break_glass_open(*, actor: User, membership: Membership, case: Case, reason: str) -> BreakGlassGrant:
    """Emergency access to a case for the rulebook's hours, with a written reason: recorded, put on the
    case's timeline, and notified (after commit) to the case managers on the team and the lead agency's data
    protection officers. Refused for roles that never break glass (rapporteur, system administrator)."""
    _acting_user_check(actor, membership)
    if not may_open_break_glass(membership, case):
        raise BreakGlassRefused("this membership may not open emergency access to this case")
    reason = _clean_reason(reason, minimum=BREAK_GLASS_REASON_MIN)
    now = timezone.now()
    grant = BreakGlassGrant(
        membership=membership,
        case=case,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=break_glass_hours()),
    )
    grant.save()
    policy.forget_relations(case)
    # The reason stays with the grant, encrypted, for the review.
    team_event_add(
        TeamEvent(actor, membership, case, EMERGENCY_OPENED, "break_glass.open", grant, "break_glass_grant")
    )
    grant_id = grant.pk
    transaction.on_commit(lambda: notifications.send_break_glass_notice.enqueue(grant_id))
    return grant


def recordable_reference(typed: str) -> str:
    """A typed reference as it may go in the audit log: only when it has the shape of a case reference."""
    typed = (typed or "").strip().upper()
    return typed if REFERENCE_SHAPE.match(typed) else "(not a case reference)"


@transaction.atomic
def break_glass_refusal_record(
    *, actor: User, membership: Membership, typed_reference: str, case: Case | None = None
) -> None:
    """Record an emergency request that opened nothing (no such case, or not for this role): the form is
    itself on the record, so probing for case references shows in the audit log."""
    _acting_user_check(actor, membership)
    reason = f"reference: {recordable_reference(typed_reference)}"
    tier = int(Tier.AGGREGATE)
    audit_on_case(case, "break_glass.refused", tier, actor=actor, membership=membership, reason=reason)


@transaction.atomic
def break_glass_review(*, actor: User, membership: Membership, grant: BreakGlassGrant) -> BreakGlassGrant:
    """A data protection officer marks an emergency access as reviewed. Never one's own."""
    from palermo.access.selectors import break_glass_grants_visible

    _acting_user_check(actor, membership)
    if not break_glass_grants_visible(membership).filter(pk=grant.pk).exists():
        raise PermissionDenied("this membership may not review this grant")
    locked = BreakGlassGrant.objects.select_for_update().select_related("membership").get(pk=grant.pk)
    if locked.membership.user_id == actor.pk:
        raise ValidationError(_("Someone else reviews your own emergency access."), code="own_grant")
    if locked.reviewed_at is not None:
        raise ValidationError(_("Already reviewed."), code="already_reviewed")
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = actor
    locked.save(update_fields=["reviewed_at", "reviewed_by"])
    audit_on_record(
        locked,
        "break_glass_grant",
        "break_glass.review",
        int(Tier.METADATA),
        actor=actor,
        membership=membership,
        case=locked.case,
    )
    grant.reviewed_at, grant.reviewed_by = locked.reviewed_at, actor
    return locked
