"""Referrals to providers: sent by the case team with the person's consent, answered by the provider.

Lifecycle (one transition table, `LIFECYCLE`): sent -> accepted | declined | withdrawn; accepted ->
completed (the service given is recorded) | closed (ended without the service) | withdrawn. Declined,
completed, closed and withdrawn are closed: from then on the provider no longer reads the package
(palermo.assistance.package).

Sending needs a valid consent to referral naming the provider agency (`consent_valid`, which on a child's
case counts only the guardian's consent), a service the person has not refused in their plan, and a service
whose eligibility fits the person. The package is copied from the record at sending: age group, sex/gender,
child or adult, languages and interpreter need, and the specific needs the case worker writes for this
provider. A referral unanswered after the rulebook's `referrals.response_days` is flagged on the deadline
screen (kind "assistance.referral_response", held by the referring agency, who chases it).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.closure import require_open
from palermo.access.policy import can_write, is_usable
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.accounts.notice_kinds import notice_kind
from palermo.accounts.roles import Role
from palermo.accounts.services.notices import notices_send
from palermo.assistance.models import (
    OPEN_REFERRAL,
    AssistancePlan,
    DeclineReason,
    PersonChoice,
    PlanService,
    PlanStatus,
    ProviderService,
    Referral,
    ReferralLanguage,
    ReferralStatus,
    ServiceKind,
    service_tier,
)
from palermo.assistance.services.locking import lock_final
from palermo.cases.child import case_is_child
from palermo.cases.models import AgeGroup, Case, ConsentPurpose, EventKind, Person
from palermo.cases.provided import ServiceProvided, service_provided
from palermo.cases.reference import Gender
from palermo.cases.selectors import consent_valid
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.rulebooks import rulebook
from palermo.core.text import clean_field_text
from palermo.core.transitions import Lifecycle, Transition
from palermo.deadlines.services import cancel_deadlines, complete_deadlines, set_deadline

REFERRAL_RESPONSE = "assistance.referral_response"
MAX_TEXT = 5000
PROVIDER_ROLES = frozenset({Role.SERVICE_PROVIDER})
# Who hears of a referral (docs/decisions/0033): the provider's staff of a new one, the sender of the answer.
REFERRAL_NEW_NOTICE = notice_kind(
    "referral.new", _("A new referral was sent to your agency on case %(reference)s.")
)
REFERRAL_ANSWERED_NOTICE = notice_kind(
    "referral.answered", _("The service provider answered your referral on case %(reference)s.")
)

# Each names the kind of service it is about; the entry reads at the tier naming the service takes.
SUMMARIES = {
    "send": gettext_noop("Referred to a service: %(service)s"),
    "accept": gettext_noop("Referral accepted by the provider: %(service)s"),
    "decline": gettext_noop("Referral declined by the provider: %(service)s"),
    "complete": gettext_noop("Service given: %(service)s"),
    "close": gettext_noop("Referral closed without the service: %(service)s"),
    "withdraw": gettext_noop("Referral withdrawn: %(service)s"),
    "feedback": gettext_noop("The person's feedback on a service recorded: %(service)s"),
}


def _provider_answers(membership: Membership, referral: Referral) -> bool:
    return is_provider_of(membership, referral)


def _team_withdraws(membership: Membership, referral: Referral) -> bool:
    return may_refer(membership, referral.case)


# The one transition table of a referral's status; the guard says who makes each move.
LIFECYCLE = Lifecycle(
    noun=_("referral"),
    statuses=ReferralStatus,
    transitions=[
        Transition(
            "accept", frozenset({ReferralStatus.SENT}), ReferralStatus.ACCEPTED, guard=_provider_answers
        ),
        Transition(
            "decline", frozenset({ReferralStatus.SENT}), ReferralStatus.DECLINED, guard=_provider_answers
        ),
        Transition(
            "complete",
            frozenset({ReferralStatus.ACCEPTED}),
            ReferralStatus.COMPLETED,
            guard=_provider_answers,
        ),
        Transition(
            "close", frozenset({ReferralStatus.ACCEPTED}), ReferralStatus.CLOSED, guard=_provider_answers
        ),
        Transition("withdraw", frozenset(OPEN_REFERRAL), ReferralStatus.WITHDRAWN, guard=_team_withdraws),
    ],
)


class ConsentMissing(ValidationError):
    """No valid consent to refer this case to this provider (the guardian's, for a child)."""


def _text(value: str, field: str, *, required: bool = False) -> str:
    return clean_field_text(value, field, required=required, limit=MAX_TEXT)


# --- who may ---


def may_refer(membership: Membership, case: Case) -> bool:
    """Sharing part of the record with another agency is a decision about the person's data: it takes write
    access to identity (T2) on the case, as recording their consent does."""
    return can_write(membership, case, Tier.IDENTITY)


def is_provider_of(membership: Membership | None, referral: Referral) -> bool:
    """A service provider member of the agency the referral was sent to."""
    return (
        membership is not None
        and is_usable(membership)
        and membership.role in PROVIDER_ROLES
        and membership.agency_id == referral.provider_id
    )


# --- sending ---


def _package_source(case: Case) -> tuple[Person | None, list[tuple[str, bool]]]:
    person = case.persons.order_by("pk").first()
    if person is None:
        return None, []
    return person, list(person.languages.order_by("pk").values_list("language", "needs_interpreter"))


def _check_eligibility(service: ProviderService, case: Case, gender: str) -> None:
    if case_is_child(case) and not service.serves_children:
        raise ValidationError({"service": _("This service does not take children.")})
    if not case_is_child(case) and not service.serves_adults:
        raise ValidationError({"service": _("This service takes only children.")})
    if not service.serves_gender(gender):
        raise ValidationError({"service": _("This service does not serve the person's gender.")})


def _check_not_refused(case: Case, service: ProviderService, plan_service: PlanService | None) -> None:
    """Services are voluntary: a service the person refused in their plan is not referred to."""
    refused = PlanService.objects.filter(
        plan__case=case, plan__status=PlanStatus.ACTIVE, kind=service.kind, choice=PersonChoice.REFUSED
    )
    if refused.exists():
        raise ValidationError({"service": _("The person refused this service in their plan.")})
    if plan_service is not None and (
        plan_service.kind != service.kind
        or not AssistancePlan.objects.filter(
            pk=plan_service.plan_id, case=case, status=PlanStatus.ACTIVE
        ).exists()
    ):
        raise ValidationError({"plan_service": _("Choose a service of this case's active plan.")})


def referral_send(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    service: ProviderService,
    specific_needs: str = "",
    plan_service: PlanService | None = None,
) -> Referral:
    if not may_refer(membership, case):
        raise PermissionDenied("this membership may not refer this case")
    specific_needs = _text(specific_needs, "specific_needs")
    if specific_needs and not can_write(membership, case, Tier.NARRATIVE):
        raise PermissionDenied("specific needs are narrative (T4)")
    if not service.is_active or not service.agency.is_active:
        raise ValidationError({"service": _("This service is not active.")})
    if not consent_valid(case, ConsentPurpose.REFERRAL, service.agency_id):
        raise ConsentMissing(
            {
                "service": _(
                    "No valid consent to refer this case to this provider. Record the consent first "
                    "(for a child, the guardian's)."
                )
            }
        )
    person, languages = _package_source(case)
    gender = person.gender if person is not None else Gender.UNKNOWN
    _check_eligibility(service, case, gender)
    _check_not_refused(case, service, plan_service)
    now = timezone.now()
    with transaction.atomic():
        # Built, then saved: the referral keeps its own copy of whether the case is a child's, and the check
        # that only one service writes the case's flag reads `objects.create(is_child=...)` as such a write.
        referral = Referral(
            case=case,
            service=service,
            provider_id=service.agency_id,
            plan_service=plan_service,
            sent_at=now,
            sent_by=actor,
            referring_agency_id=membership.agency_id,
            age_group=person.age_group if person is not None else AgeGroup.UNKNOWN,
            gender=gender,
            is_child=case_is_child(case),
            needs_interpreter=any(needs for _code, needs in languages),
            specific_needs=specific_needs,
        )
        referral.save()
        ReferralLanguage.objects.bulk_create(
            [
                ReferralLanguage(referral=referral, language=code, needs_interpreter=needs)
                for code, needs in languages
            ]
        )
        set_deadline(
            case=case,
            kind=REFERRAL_RESPONSE,
            due_at=now + datetime.timedelta(days=rulebook().referrals.response_days),
            source=referral,
            agency=membership.agency,
            user=actor,
        )
        _record(actor, membership, referral, "send", tier=Tier.NARRATIVE if specific_needs else Tier.METADATA)
        notices_send(
            user_ids=Membership.objects.filter(
                agency_id=referral.provider_id, role__in=PROVIDER_ROLES, is_active=True
            ).values_list("user_id", flat=True),
            kind=REFERRAL_NEW_NOTICE,
            reference=case.reference,
            path=reverse("assistance:provider_referral", args=[referral.pk]),
        )
    return referral


def _record(actor: User, membership: Membership, referral: Referral, step: str, *, tier: int) -> None:
    """Timeline entry (that a referral moved, never what it says) and the audit event. The entry names who
    moved it (a provider's agency once it answers), so it reads at the tier of naming the service: T3 for a
    safe house, T4 for a health service, else T1 (decision 0020)."""
    entry_tier = service_tier(referral.service.kind)
    entry = Entry(
        SUMMARIES[step], f"referral.{step}", entry_tier, EventKind.REFERRAL, audit_tier=max(tier, entry_tier)
    )
    values = {"service": ServiceKind(referral.service.kind).label}
    record_entry(entry, referral, actor=actor, membership=membership, values=values)


# --- answering, completing, closing ---


def _move(
    membership: Membership, referral: Referral, step: str, expected_version: int
) -> tuple[Referral, list[str]]:
    """Check who makes the move, lock the referral at the version read, and move its status through the
    table (not saved). Returns the locked referral and the fields changed. Nothing moves on a closed case
    (palermo.access.closure), whoever answers."""
    require_open(Case.objects.only("phase").get(pk=referral.case_id))  # as stored now, not as read
    if not LIFECYCLE.permits(LIFECYCLE[step], membership, referral):
        raise PermissionDenied("this move is not this membership's to make")
    locked = lock_for_edit(Referral, pk=referral.pk, expected_version=expected_version)
    locked.case = referral.case
    return locked, LIFECYCLE.apply(locked, step)


def _finish(
    actor: User, membership: Membership, referral: Referral, step: str, fields: list[str], tier: int
) -> Referral:
    if referral.status not in OPEN_REFERRAL:
        referral.closed_at, referral.closed_by = timezone.now(), actor
        fields += ["closed_at", "closed_by"]
    referral.save(update_fields=fields)
    _record(actor, membership, referral, step, tier=tier)
    return referral


def _answer(
    actor: User, membership: Membership, referral: Referral, step: str, fields: list[str], note: str
) -> Referral:
    """The provider's answer (accept or decline): who answered, when, with what note; the response deadline
    is met. The note is narrative, so the audit event is at T4 when there is one."""
    referral.responded_at, referral.responded_by, referral.response_note = timezone.now(), actor, note
    complete_deadlines(referral, REFERRAL_RESPONSE)
    fields = [*fields, "responded_at", "responded_by", "response_note"]
    finished = _finish(actor, membership, referral, step, fields, Tier.NARRATIVE if note else Tier.METADATA)
    notices_send(
        user_ids=[referral.sent_by_id],
        kind=REFERRAL_ANSWERED_NOTICE,
        reference=referral.case.reference,
        path=reverse("cases:detail", args=[referral.case.reference]),
    )
    return finished


def referral_accept(
    *,
    actor: User,
    membership: Membership,
    referral: Referral,
    appointment_at: datetime.datetime | None = None,
    note: str = "",
    expected_version: int,
) -> Referral:
    note = _text(note, "note")
    if appointment_at is not None and timezone.is_naive(appointment_at):
        raise ValidationError({"appointment_at": _("Give the time with its time zone.")})
    with transaction.atomic():
        locked, moved = _move(membership, referral, "accept", expected_version)
        if not consent_valid(locked.case, ConsentPurpose.REFERRAL, locked.provider_id):
            raise ConsentMissing(_("The consent to this referral was withdrawn."))
        locked.appointment_at = appointment_at
        return _answer(actor, membership, locked, "accept", [*moved, "appointment_at"], note)


def referral_decline(
    *,
    actor: User,
    membership: Membership,
    referral: Referral,
    reason: str,
    note: str = "",
    expected_version: int,
) -> Referral:
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Give the reason for declining.")})
    note = _text(note, "note", required=reason == DeclineReason.OTHER)
    with transaction.atomic():
        locked, moved = _move(membership, referral, "decline", expected_version)
        locked.decline_reason = reason
        return _answer(actor, membership, locked, "decline", [*moved, "decline_reason"], note)


def referral_complete(
    *,
    actor: User,
    membership: Membership,
    referral: Referral,
    service_given: str,
    expected_version: int,
) -> Referral:
    """Record the service given; the referral closes and the provider's access to the package ends."""
    service_given = _text(service_given, "service_given", required=True)
    with transaction.atomic():
        locked, moved = _move(membership, referral, "complete", expected_version)
        locked.service_given = service_given
        done = _finish(actor, membership, locked, "complete", [*moved, "service_given"], Tier.NARRATIVE)
        _tell_reflection(done, actor, membership)
        return done


def referral_close(
    *, actor: User, membership: Membership, referral: Referral, note: str, expected_version: int
) -> Referral:
    note = _text(note, "note", required=True)
    with transaction.atomic():
        locked, moved = _move(membership, referral, "close", expected_version)
        locked.response_note = note
        return _finish(actor, membership, locked, "close", [*moved, "response_note"], Tier.NARRATIVE)


def _withdrawn(referral: Referral) -> bool:
    return referral.status == ReferralStatus.WITHDRAWN


def referral_withdraw(
    *, actor: User, membership: Membership, referral: Referral, expected_version: int
) -> Referral:
    """Withdraw a referral still waiting or accepted. Already withdrawn (the same form sent twice, or a
    colleague did it first): done, nothing written again (decision 0031)."""
    with transaction.atomic():
        if LIFECYCLE.permits(LIFECYCLE["withdraw"], membership, referral):
            current, done = lock_final(Referral, referral, expected_version=expected_version, done=_withdrawn)
            if done:
                return current
        locked, moved = _move(membership, referral, "withdraw", expected_version)
        cancel_deadlines(locked, REFERRAL_RESPONSE)
        return _finish(actor, membership, locked, "withdraw", moved, Tier.METADATA)


def referral_feedback(
    *,
    actor: User,
    membership: Membership,
    referral: Referral,
    rating: int,
    note: str = "",
    expected_version: int,
) -> Referral:
    """The person's feedback on a service they received (quality monitoring), recorded by the case team."""
    case = referral.case
    if not can_write(membership, case, Tier.NARRATIVE):
        raise PermissionDenied("the person's feedback is narrative (T4)")
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    note = _text(note, "note")
    with transaction.atomic():
        locked = lock_for_edit(Referral, pk=referral.pk, expected_version=expected_version)
        locked.case = case
        if locked.status not in (ReferralStatus.COMPLETED, ReferralStatus.CLOSED):
            raise ValidationError(_("Feedback is recorded once the service has ended."))
        locked.feedback_rating, locked.feedback_note, locked.feedback_at = rating, note, timezone.now()
        bump_version(locked)
        locked.save(update_fields=["feedback_rating", "feedback_note", "feedback_at", "version"])
        _record(actor, membership, locked, "feedback", tier=Tier.NARRATIVE)
    return locked


# --- entitlements of the reflection period ---


def _tell_reflection(referral: Referral, actor: User, membership: Membership) -> None:
    """A completed referral for a service that is an entitlement of the reflection period (safe
    accommodation, legal information, ...) marks that entitlement provided, through the reflection area's
    own service and its own access check (palermo.cases.provided). That check asks for write access to the
    case, which a provider reached only through a referral does not have: then the entitlement is left for
    the case team to record, and the completion stands."""
    service_provided(
        ServiceProvided(
            case=referral.case,
            kind=referral.service.kind,
            actor=actor,
            membership=membership,
            when=referral.closed_at,
        )
    )
