"""Consent: recorded per purpose and recipient, in a language the person understands, and withdrawable.

A consent names its purpose (`ConsentPurpose`) and the recipient that purpose needs:
- referral: the named service (a free-text name) and/or the agency that receives the referral;
- sharing: the agency the record is shared with;
- transnational transfer: the country (ISO 3166 alpha-3) the data goes to, and the agency when known;
- statistics: no recipient.

For a child's case, consent is given by the guardian or legal representative, never by the child alone; until
a guardian is appointed, by the temporary representative recorded on the case
(palermo.cases.services.representation), and then the child's own views are recorded with it (T4), or why
the child was not heard. The referral of a child itself needs no consent (palermo.cases.services.intake).
Recording consent is done with the person, so it needs write access to their identity (T2) on the case;
reading consents is case metadata (T1). Withdrawal keeps the record and adds who, when and a note: features
check `palermo.cases.selectors.consent_valid` before they act, and a withdrawn consent no longer counts.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.closure import OnClosedCase
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.cases.child import case_is_child
from palermo.cases.models import Case, Consent, ConsentChildViews, ConsentGiver, ConsentPurpose, EventKind
from palermo.cases.services.representation import active_representative
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core import iso

CONSENT_WRITE_TIER = Tier.IDENTITY
MAX_SERVICE_NAME = 200
MAX_WITHDRAWAL_NOTE = 500
MAX_CHILD_VIEWS = 5000
CONSENT_RECORDED = Entry(gettext_noop("Consent recorded"), "consent.record", Tier.METADATA, EventKind.CONSENT)
CONSENT_WITHDRAWN = Entry(
    gettext_noop("Consent withdrawn"), "consent.withdraw", Tier.METADATA, EventKind.CONSENT
)


def may_record_consent(membership: Membership, case: Case) -> bool:
    return can_write(membership, case, CONSENT_WRITE_TIER)


def may_withdraw_consent(membership: Membership, case: Case) -> bool:
    """Whoever may record consent may withdraw it, on a closed case too (palermo.access.closure)."""
    return can_write(membership, case, CONSENT_WRITE_TIER, action=OnClosedCase.WITHDRAW_CONSENT)


def _clean_recipient(
    purpose: str, recipient_agency: Agency | None, recipient_service: str, recipient_country: str
) -> dict[str, Any]:
    """The recipient the purpose needs, checked, as the consent's fields of the same names."""
    service = (recipient_service or "").strip()
    if len(service) > MAX_SERVICE_NAME:
        raise ValidationError(
            {"recipient_service": _("At most %(limit)d characters.") % {"limit": MAX_SERVICE_NAME}}
        )
    country = (recipient_country or "").strip()
    if country:
        normalised = iso.normalise_country(country)
        if normalised is None:
            raise ValidationError({"recipient_country": _("Choose a country (ISO 3166 alpha-3 code).")})
        country = normalised
    if purpose == ConsentPurpose.REFERRAL and not (service or recipient_agency):
        raise ValidationError(
            {"recipient_service": _("Name the service or the agency the person is referred to.")}
        )
    if purpose == ConsentPurpose.SHARING and recipient_agency is None:
        raise ValidationError({"recipient_agency": _("Choose the agency the record is shared with.")})
    if purpose == ConsentPurpose.TRANSNATIONAL and not country:
        raise ValidationError({"recipient_country": _("Choose the country the data goes to.")})
    if recipient_agency is not None and not recipient_agency.is_active:
        raise ValidationError({"recipient_agency": _("This agency is not active.")})
    return {"recipient_agency": recipient_agency, "recipient_service": service, "recipient_country": country}


def _clean_given_at(given_at: datetime.datetime | None) -> datetime.datetime:
    now = timezone.now()
    if given_at is None:
        return now
    if timezone.is_naive(given_at):
        raise ValidationError({"given_at": _("Give the time with its time zone.")})
    if given_at > now + datetime.timedelta(minutes=5):  # clocks of phones and servers differ a little
        raise ValidationError({"given_at": _("Consent cannot be given in the future.")})
    return given_at


ON_BEHALF_OF_A_CHILD = frozenset({ConsentGiver.GUARDIAN, ConsentGiver.TEMPORARY})


def clean_giver(case_is_child: bool, given_by: str) -> str:
    if given_by not in ConsentGiver.values:
        raise ValidationError({"given_by": _("Say who gave the consent.")})
    if case_is_child and given_by not in ON_BEHALF_OF_A_CHILD:
        raise ValidationError(
            {
                "given_by": _(
                    "For a child, consent is given by the guardian or legal representative, or until a "
                    "guardian is appointed by the temporary representative."
                )
            }
        )
    if not case_is_child and given_by == ConsentGiver.TEMPORARY:
        raise ValidationError({"given_by": _("Only a child has a temporary representative.")})
    return given_by


def _clean_child_views(case: Case, given_by: str, views: str, not_heard_reason: str) -> tuple[str, str]:
    """The child's views on a consent given on their behalf: required from a temporary representative (who
    acts without a court's appointment), optional from the guardian."""
    views, not_heard_reason = (views or "").strip(), (not_heard_reason or "").strip()
    for name, text in (("child_views", views), ("child_not_heard_reason", not_heard_reason)):
        if len(text) > MAX_CHILD_VIEWS:
            raise ValidationError({name: _("At most %(limit)d characters.") % {"limit": MAX_CHILD_VIEWS}})
    if given_by == ConsentGiver.TEMPORARY:
        if active_representative(case) is None:
            raise ValidationError(
                {
                    "given_by": _(
                        "Record the child's temporary representative first: no one acts for the child."
                    )
                }
            )
        if not views and not not_heard_reason:
            raise ValidationError(
                {"child_views": _("Record the child's own views, or why the child was not heard.")}
            )
    return views, not_heard_reason


def consent_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    purpose: str,
    given_by: str,
    language: str,
    given_at: datetime.datetime | None = None,
    recipient_agency: Agency | None = None,
    recipient_service: str = "",
    recipient_country: str = "",
    check_access: bool = True,
    child_views: str = "",
    child_not_heard_reason: str = "",
) -> Consent:
    """Record one consent. `check_access=False` only for a service that has itself decided the actor may
    (intake records the consent to referral while it opens the case)."""
    if check_access and not may_record_consent(membership, case):
        raise PermissionDenied("this membership may not record consent on this case")
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": _("Choose the purpose of the consent.")})
    child = case_is_child(case)
    given_by = clean_giver(child, given_by)
    views, not_heard = (
        _clean_child_views(case, given_by, child_views, child_not_heard_reason) if child else ("", "")
    )
    code = iso.normalise_language(language)
    if code is None:
        raise ValidationError({"language": _("Choose the language the consent was explained in.")})
    recipient = _clean_recipient(purpose, recipient_agency, recipient_service, recipient_country)
    given_at = _clean_given_at(given_at)
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case,
            purpose=purpose,
            **recipient,
            given_by=given_by,
            language=code,
            given_at=given_at,
            recorded_by=actor,
        )
        if views or not_heard:
            ConsentChildViews.objects.create(consent=consent, views=views, not_heard_reason=not_heard)
        audit_tier = Tier.NARRATIVE if views or not_heard else None
        record_entry(
            CONSENT_RECORDED,
            consent,
            actor=actor,
            membership=membership,
            audit_tier=audit_tier,
            reason=purpose,
        )
    return consent


def consent_withdraw(*, actor: User, membership: Membership, consent: Consent, note: str = "") -> Consent:
    """Withdraw a consent. The record stays; from now on `consent_valid` no longer counts it. Already
    withdrawn (the same form sent twice, or a colleague did it first): done, nothing written again (decision
    0031)."""
    case = consent.case
    if not may_withdraw_consent(membership, case):
        raise PermissionDenied("this membership may not withdraw consent on this case")
    note = (note or "").strip()
    if len(note) > MAX_WITHDRAWAL_NOTE:
        raise ValidationError({"note": _("At most %(limit)d characters.") % {"limit": MAX_WITHDRAWAL_NOTE}})
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            return locked
        locked.withdrawn_at, locked.withdrawn_by, locked.withdrawal_note = timezone.now(), actor, note
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        record_entry(
            CONSENT_WITHDRAWN, locked, actor=actor, membership=membership, case=case, reason=locked.purpose
        )
    return locked
