"""Transnational referral packages (docs/decisions/0038).

Sending: with the person's consent for transfer to the partner's country (a `transnational` consent naming
that country, not withdrawn; on a child's case given by the guardian or representative), a case worker who may
write identity (T2) on the case sends a registered partner abroad a minimal package: the HTCDS fields its
purpose needs, no more (`PURPOSE_FIELDS`), signed with our key and encrypted to the partner's. The consent row
is locked while the package is made, so a withdrawal either comes first (nothing is sent) or after.

Receiving: a package is opened with our key, and its signature checked against the registered, unrevoked
partner key it names; anything else is refused (and the refusal audited). What arrived waits until a person
who may refer accepts it (a case opens through the one intake service) or declines it.

Partner keys: the system administrator registers a partner's public JWK set and types the fingerprint the
partner read out by another channel; a key whose fingerprint does not match is not registered. The
registration may give the partner's inbox address (packages are then POSTed there by the task worker,
palermo.returns.services.delivery, docs/decisions/0051) and the agency here that receives what the partner
POSTs to our inbox (`package_arrive`).
Every package sent, received, refused, accepted or declined is on the audit record.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict, Unpack
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import Role
from palermo.audit.services import audit_record
from palermo.cases.models import Case, Consent, ConsentGiver, ConsentPurpose, Person
from palermo.cases.reference import Gender
from palermo.cases.services.intake import Referral, intake_submit, may_refer
from palermo.cases.services.timeline import record_entry
from palermo.identification.models import DecisionKind
from palermo.identification.selectors import decisions_of
from palermo.origin.models import Partner
from palermo.returns import jose
from palermo.returns.models import (
    PackageDirection,
    PackagePurpose,
    PackageStatus,
    PartnerKey,
    TransnationalPackage,
)
from palermo.returns.services.common import WORKER_NAMES_IT, package_entry, require_write

# What each purpose needs, as HTCDS 2.0 field names (shared/domain/htcds): the partner learns who is coming
# or who it is asked to help, in which language, and on what basis; never where the person is, nor the story.
IDENTITY_FIELDS = ("prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_Gender")
PURPOSE_FIELDS: dict[str, tuple[str, ...]] = {
    PackagePurpose.RECEPTION: (
        *IDENTITY_FIELDS,
        "prs_PrimaryLanguage",
        "prs_Citizenship",
        "vic_TraffickingStatus",
        "vic_AgreementToManagePersonalData",
        "cas_OutgoingReferralDate",
        "cas_ReasonForOutgoingReferral",
    ),
    PackagePurpose.CONTINUED_ASSISTANCE: (
        *IDENTITY_FIELDS,
        "prs_PrimaryLanguage",
        "prs_Citizenship",
        "vic_TraffickingStatus",
        "vic_TypeOfExploitation",
        "vic_AgreementToManagePersonalData",
        "cas_OutgoingReferralDate",
        "cas_ReasonForOutgoingReferral",
    ),
}
ADMINISTRATOR = Role.SYSTEM_ADMINISTRATOR

PACKAGE_SENT, PACKAGE_QUEUED = (
    package_entry(summary, "returns.package.send", audit_tier=Tier.IDENTITY)
    for summary in (
        gettext_noop("Transnational referral package sent to a partner abroad"),
        gettext_noop("Transnational referral package queued for sending to %(partner)s"),
    )
)
PACKAGE_SEND_AGAIN = package_entry(
    gettext_noop("Transnational referral package queued for sending again to %(partner)s"),
    "returns.package.send_again",
    object_type=WORKER_NAMES_IT,
)


class NoConsent(ValidationError):
    """No consent (not withdrawn) for transfer to the partner's country: nothing is sent."""


class _Who(TypedDict):
    """Who did it (None: the system, for a package POSTed to our inbox), and the reason the software gives."""

    actor: User | None
    membership: Membership | None
    reason: NotRequired[str]


def _audited(
    action: str, object_type: str, object_id: object = "", *, tier: int = Tier.METADATA, **who: Unpack[_Who]
) -> None:
    """An audit event of a partner key or a package with no case (yet): what was done, to which record."""
    audit_record(action=action, tier=tier, object_type=object_type, object_id=str(object_id), **who)


# --- partner keys ----------


def may_register_partners(membership: Membership) -> bool:
    return membership.role == ADMINISTRATOR


def _require_administrator(membership: Membership) -> None:
    if not may_register_partners(membership):
        raise PermissionDenied("only the system administrator registers partner keys")


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def clean_inbox_url(value: str) -> str:
    """A partner's inbox address: an https URL with no user name or password in it (plain http only to this
    machine, and only in development or tests: DEBUG or ephemeral keys). Blank: no inbox."""
    value = (value or "").strip()
    if not value:
        return ""
    refused = ValidationError(
        {
            "inbox_url": _(
                "Give the partner's inbox address as a full web address starting with https://, without a "
                "user name or password in it."
            )
        },
        code="inbox_url",
    )
    try:
        URLValidator(schemes=["https", "http"])(value)
        parts = urlsplit(value)
    except (ValidationError, ValueError):
        raise refused from None
    if parts.username or parts.password or parts.fragment:
        raise refused
    local = parts.hostname in LOCAL_HOSTS and (settings.DEBUG or getattr(settings, "EPHEMERAL_KEYS", False))
    if parts.scheme != "https" and not local:
        raise refused
    return value


def partner_key_register(
    *,
    actor: User,
    membership: Membership,
    partner: Partner,
    public_keys: str,
    fingerprint: str,
    inbox_url: str = "",
    receiving_agency: Agency | None = None,
) -> PartnerKey:
    """Register a partner's public keys once the administrator has typed the fingerprint the partner gave;
    keys registered before for the partner are revoked in the same step. `inbox_url`: where packages for the
    partner are POSTed (blank: handed over as files); `receiving_agency`: who here gets the packages the
    partner POSTs to our inbox (none: they are refused there)."""
    _require_administrator(membership)
    inbox_url = clean_inbox_url(inbox_url)
    if receiving_agency is not None and not receiving_agency.is_active:
        raise ValidationError({"receiving_agency": _("Choose an active agency.")})
    try:
        keys = jose.key_pair(public_keys or "", private=False)
    except jose.KeyProblem as problem:
        raise ValidationError({"public_keys": _("These are not usable public keys: %s.") % problem}) from None
    if jose.normalise_fingerprint(fingerprint) != keys.fingerprint:
        raise ValidationError(
            {
                "fingerprint": _(
                    "The fingerprint does not match these keys. Check the keys and the fingerprint with the "
                    "partner by another channel (telephone, in person) before registering them."
                )
            }
        )
    if PartnerKey.objects.filter(fingerprint=keys.fingerprint, revoked_at__isnull=True).exists():
        raise ValidationError({"public_keys": _("These keys are registered already.")})
    now = timezone.now()
    key = PartnerKey(
        partner=partner,
        public_keys=keys.public_set(),
        fingerprint=keys.fingerprint,
        signing_kid=str(keys.signing["kid"]),
        registered_by=actor,
        registered_at=now,
        inbox_url=inbox_url,
        receiving_agency=receiving_agency,
    )
    with transaction.atomic():
        PartnerKey.objects.filter(partner=partner, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor
        )
        key.save()
        _audited("returns.partner_key.register", "partner_key", key.pk, actor=actor, membership=membership)
    return key


def partner_key_revoke(*, actor: User, membership: Membership, key: PartnerKey) -> PartnerKey:
    """No package is sent to, or accepted from, a revoked key."""
    _require_administrator(membership)
    with transaction.atomic():
        locked = PartnerKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at, locked.revoked_by = timezone.now(), actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        _audited("returns.partner_key.revoke", "partner_key", locked.pk, actor=actor, membership=membership)
    return locked


# --- what a package carries ----------


def transnational_consents(case: Case, country: str | None) -> Any:
    """The consents for transfer to `country` (None: to any) that count now (as consent_valid counts them,
    palermo.cases.selectors: not withdrawn; on a child's case, given by the guardian or representative)."""
    consents = Consent.objects.filter(
        case=case, purpose=ConsentPurpose.TRANSNATIONAL, withdrawn_at__isnull=True
    )
    if country is not None:
        consents = consents.filter(recipient_country=country)
    if case.is_child:
        consents = consents.filter(given_by__in=[ConsentGiver.GUARDIAN, ConsentGiver.TEMPORARY])
    return consents.order_by("-given_at", "-pk")


def _trafficking_status(case: Case) -> str:
    identified = [d for d in decisions_of(case) if d.kind == DecisionKind.IDENTIFIED]
    if identified and identified[0].positive:
        return "ActualVictimOfTrafficking"
    return "PossibleVictimOfTrafficking"


def package_fields(case: Case, purpose: str, on: datetime.date | None = None) -> dict[str, Any]:
    """The HTCDS fields a package for `purpose` carries from this case (shown to the sender first)."""
    names = PURPOSE_FIELDS[PackagePurpose(purpose)]
    person = (
        (
            Person.objects.filter(case=case).prefetch_related(
                "citizenships", "languages", "case__exploitation_forms"
            )
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        raise ValidationError(_("The case has no person to refer."))
    languages = [item.language for item in person.languages.all()]
    values: dict[str, Any] = {
        "prs_FirstName": person.given_names_latin or person.given_names,
        "prs_SecondName": person.family_names_latin or person.family_names,
        "prs_Birthdate": person.birth_date.isoformat() if person.birth_date else None,
        "prs_Gender": person.gender or Gender.UNKNOWN,
        "prs_PrimaryLanguage": languages[0] if languages else None,
        "prs_Citizenship": [item.country for item in person.citizenships.all()],
        "vic_TraffickingStatus": _trafficking_status(case),
        "vic_TypeOfExploitation": sorted(item.form for item in case.exploitation_forms.all()),
        "vic_AgreementToManagePersonalData": True,
        "cas_OutgoingReferralDate": (on or timezone.localdate()).isoformat(),
        "cas_ReasonForOutgoingReferral": "MigrationOrChangeOfLocation",
    }
    return {name: values[name] for name in names}


# --- sending ----------


def may_send(membership: Membership, case: Case) -> bool:
    from palermo.access.policy import can_write

    return can_write(membership, case, Tier.IDENTITY)


def partner_key(partner: Partner) -> PartnerKey | None:
    """The partner's keys in use (None: none registered, or revoked)."""
    return PartnerKey.objects.filter(partner=partner, revoked_at__isnull=True).first()


def package_send(
    *, actor: User, membership: Membership, case: Case, partner: Partner, purpose: str
) -> TransnationalPackage:
    """Seal and record a package for `partner`: queued for the task worker to POST to the partner's inbox when
    its registration gives one (palermo.returns.services.delivery), else ready to hand over (downloaded or
    fetched by API). Refused without a counting consent for the partner's country (NoConsent), to a revoked
    key, or by someone who may not write identity on the case."""
    require_write(membership, case, Tier.IDENTITY)
    if purpose not in PackagePurpose.values:
        raise ValidationError({"purpose": _("Choose what the package is for.")})
    key = partner_key(partner)
    if key is None or not partner.is_active:
        raise ValidationError(
            {
                "partner": _(
                    "No keys are registered for this partner (or they were revoked): nothing can be sent."
                )
            }
        )
    now = timezone.now()
    fields = package_fields(case, purpose, timezone.localdate(now))
    sender = jose.own_keys()
    recipient = jose.key_pair(key.public_keys, private=False)
    with transaction.atomic():
        consent = transnational_consents(case, partner.country).select_for_update().first()
        if consent is None:
            raise NoConsent(
                _(
                    "There is no consent for transfer to this partner's country, or it was withdrawn: "
                    "record the person's consent first."
                ),
                code="no_consent",
            )
        package_id = uuid.uuid4()
        payload = {
            "format": jose.FORMAT,
            "package_id": str(package_id),
            "sent_at": now.isoformat(),
            "purpose": purpose,
            "sender": {"org_Name": membership.agency.name, "fingerprint": sender.fingerprint},
            "recipient": {"org_Name": partner.name, "org_ShippingCountry": partner.country},
            "fields": fields,
        }
        token = jose.seal(payload, sender=sender, recipient=recipient)
        package = TransnationalPackage(
            direction=PackageDirection.SENT,
            status=PackageStatus.QUEUED if key.inbox_url else PackageStatus.READY,
            package_id=package_id,
            partner=partner,
            key=key,
            purpose=purpose,
            case=case,
            consent=consent,
            field_names=list(fields),
            content=json.dumps(fields, ensure_ascii=False),
            token=token,
            at=now,
            by=actor,
            agency_id=membership.agency_id,
        )
        package.save()
        if package.status == PackageStatus.QUEUED:
            from palermo.returns.services.delivery import enqueue_delivery

            values = {"partner": partner.name}
            record_entry(
                PACKAGE_QUEUED, package, actor=actor, membership=membership, case=case, values=values
            )
            enqueue_delivery(package.pk)
        else:
            record_entry(PACKAGE_SENT, package, actor=actor, membership=membership, case=case)
    return package


def may_send_again(membership: Membership, package: TransnationalPackage) -> bool:
    return (
        package.direction == PackageDirection.SENT
        and package.status == PackageStatus.FAILED
        and package.case is not None
        and may_send(membership, package.case)
    )


def package_send_again(
    *, actor: User, membership: Membership, package: TransnationalPackage
) -> TransnationalPackage:
    """Queue a package that could not be delivered for a new round of attempts, as it was sealed. Only a
    failed package sent from a case the caller may send from; refused (NoConsent) unless the consent it was
    made under still counts, and while the partner's keys or inbox are withdrawn (the package is sealed to
    those keys: send a new one)."""
    from palermo.returns.services.delivery import enqueue_delivery, stop_reason

    if package.case is None:
        raise PermissionDenied("not a package sent from a case")
    require_write(membership, package.case, Tier.IDENTITY)
    with transaction.atomic():
        locked = (
            TransnationalPackage.objects.select_for_update(of=("self",))
            .select_related("key", "partner", "case")
            .get(pk=package.pk)
        )
        if locked.direction != PackageDirection.SENT or locked.status != PackageStatus.FAILED:
            raise ValidationError(
                _("Only a package that could not be delivered is sent again."), code="not_failed"
            )
        consent = (
            Consent.objects.select_for_update().filter(pk=locked.consent_id).first()
            if locked.consent_id is not None
            else None
        )
        stop = stop_reason(locked, consent)
        if stop == "consent_withdrawn":
            raise NoConsent(
                _(
                    "The consent this package was sent under was withdrawn or no longer counts: nothing is "
                    "sent. Record the person's consent and send a new package."
                ),
                code="no_consent",
            )
        if stop:
            raise ValidationError(
                _("The partner's keys or inbox address were withdrawn: send a new package instead."),
                code="keys_revoked",
            )
        locked.status, locked.attempts, locked.outcome, locked.next_attempt_at = (
            PackageStatus.QUEUED,
            0,
            "",
            None,
        )
        locked.save(update_fields=["status", "attempts", "outcome", "next_attempt_at"])
        values = {"partner": locked.partner.name}
        record_entry(PACKAGE_SEND_AGAIN, locked, actor=actor, membership=membership, values=values)
        enqueue_delivery(locked.pk)
    return locked


# --- receiving ----------

PACKAGE_ACCEPTED = package_entry(
    gettext_noop("Referral opened from a package received from a partner abroad"),
    "returns.package.accept",
    audit_tier=Tier.IDENTITY,
)


def _refuse(actor: User | None, membership: Membership | None, code: str, message: str) -> ValidationError:
    """Audit the refusal in its own transaction (it stays on the record), and give the error to raise. `actor`
    None: a package POSTed to our inbox (the reason says so)."""
    _audited(
        "returns.package.refuse",
        "package",
        actor=actor,
        membership=membership,
        reason=code if actor is not None else f"{code}; inbox",
    )
    return ValidationError({"token": message}, code=code)


def _require_referrer(membership: Membership) -> None:
    if not may_refer(membership):
        raise PermissionDenied("this role does not take referrals")


@dataclass(frozen=True)
class Opened:
    """A package opened with our key and verified against the registered partner key that signed it."""

    key: PartnerKey
    package_id: uuid.UUID
    purpose: str
    fields: dict[str, Any]


def _open(token: str, actor: User | None, membership: Membership | None) -> Opened:
    """Decrypt with our key, find the registered, unrevoked partner key the JWS names, verify. A refusal is
    audited and raised as ValidationError (on `token`), naming no person."""
    try:
        inner, kid = jose.signing_key_id(token or "", recipient=jose.own_keys())
    except jose.PackageRefused:
        raise _refuse(
            actor, membership, "unreadable", str(_("This package cannot be opened with this system's key."))
        ) from None
    key = (
        PartnerKey.objects.filter(signing_kid=kid, revoked_at__isnull=True)
        .select_related("partner", "receiving_agency")
        .first()
    )
    if key is None:
        raise _refuse(
            actor,
            membership,
            "unknown_sender",
            str(_("This package is not signed by a registered partner: nothing was accepted.")),
        )
    try:
        payload = jose.verified(inner, sender=jose.key_pair(key.public_keys, private=False))
        package_id = uuid.UUID(str(payload.get("package_id")))
        purpose = PackagePurpose(str(payload.get("purpose")))
        fields = payload.get("fields")
        if not isinstance(fields, dict):
            raise jose.PackageRefused("no fields")
    except (jose.PackageRefused, ValueError):
        raise _refuse(
            actor,
            membership,
            "bad_signature",
            str(_("This package's signature does not verify, or it was altered: nothing was accepted.")),
        ) from None
    return Opened(key=key, package_id=package_id, purpose=purpose, fields=fields)


def _keep(
    opened: Opened, token: str, *, actor: User | None, membership: Membership | None, agency_id: int
) -> TransnationalPackage:
    """Keep what arrived, awaiting a person's decision, with its audit event (IntegrityError: had already)."""
    package = TransnationalPackage(
        direction=PackageDirection.RECEIVED,
        status=PackageStatus.AWAITING,
        package_id=opened.package_id,
        partner=opened.key.partner,
        key=opened.key,
        purpose=opened.purpose,
        field_names=sorted(str(name) for name in opened.fields),
        content=json.dumps(opened.fields, ensure_ascii=False),
        token=token.strip(),
        at=timezone.now(),
        by=actor,
        agency_id=agency_id,
    )
    with transaction.atomic():
        package.save()
        _audited(
            "returns.package.receive",
            "package",
            package.pk,
            actor=actor,
            membership=membership,
            tier=Tier.IDENTITY,
            reason="" if actor is not None else "inbox",
        )
    return package


def package_receive(*, actor: User, membership: Membership, token: str) -> TransnationalPackage:
    """Open a package: decrypt with our key, verify the signature against the registered partner key it
    names, and keep what arrived awaiting a person's decision. Refusals are audited and name no person."""
    _require_referrer(membership)
    opened = _open(token, actor, membership)
    try:
        return _keep(opened, token, actor=actor, membership=membership, agency_id=membership.agency_id)
    except IntegrityError:
        raise ValidationError({"token": _("This package has been received already.")}) from None


def receipt_of(token: str) -> str:
    """The receipt our inbox gives for a package: the SHA-256 of the token as it arrived (hex), so the
    sender can check that what was kept is what it sent."""
    return hashlib.sha256(token.strip().encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class Arrival:
    package: TransnationalPackage
    receipt: str
    new: bool


def package_arrive(*, token: str) -> Arrival:
    """A package a partner POSTed to our inbox (no one signed in: the package's signature, by a registered
    partner key, is what authenticates it). Kept in the inbox of the agency the partner's registration names,
    awaiting a person's decision, as if opened there; refused (ValidationError, audited, nothing kept) when it
    cannot be opened, is not signed by a registered partner, was altered, or the registration names no
    receiving agency. The same package again answers the same receipt (a sender retrying after a lost
    answer), keeping it once."""
    opened = _open(token, None, None)
    agency = opened.key.receiving_agency
    if agency is None or not agency.is_active:
        raise _refuse(
            None,
            None,
            "no_receiving_agency",
            str(_("Packages from this partner are not taken at this inbox: hand them over instead.")),
        )
    try:
        package = _keep(opened, token, actor=None, membership=None, agency_id=agency.pk)
    except IntegrityError:
        known = TransnationalPackage.objects.filter(
            direction=PackageDirection.RECEIVED, package_id=opened.package_id
        ).first()
        if known is None or known.token != token.strip():
            raise _refuse(
                None, None, "replayed", str(_("A different package with this identifier was received."))
            ) from None
        return Arrival(known, receipt_of(token), new=False)
    from palermo.returns.services.delivery import notify_package_arrived

    transaction.on_commit(lambda: notify_package_arrived.enqueue(package.pk))
    return Arrival(package, receipt_of(token), new=True)


def received_fields(package: TransnationalPackage) -> dict[str, Any]:
    loaded = json.loads(package.content or "{}")
    return loaded if isinstance(loaded, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _referral(fields: dict[str, Any], agency: Agency) -> Referral:
    birth = _text(fields.get("prs_Birthdate"))
    language = _text(fields.get("prs_PrimaryLanguage"))
    citizenships = fields.get("prs_Citizenship") or []
    forms = fields.get("vic_TypeOfExploitation") or []
    gender = _text(fields.get("prs_Gender"))
    return Referral(
        given_names=_text(fields.get("prs_FirstName")),
        family_names=_text(fields.get("prs_SecondName")),
        birth_date=datetime.date.fromisoformat(birth) if birth else None,
        gender=gender if gender in Gender.values else Gender.UNKNOWN,
        citizenships=[str(c) for c in citizenships if isinstance(c, str)],
        languages=[(language, True)] if language else [],
        exploitation_forms=[str(f) for f in forms if isinstance(f, str)],
        identification_agency=agency,
        consent_given=bool(fields.get("vic_AgreementToManagePersonalData")),
        consent_given_by=ConsentGiver.PERSON,
        consent_language=language or "und",
    )


def _decide(
    package: TransnationalPackage, actor: User, membership: Membership, status: str
) -> TransnationalPackage:
    locked = TransnationalPackage.objects.select_for_update().get(pk=package.pk)
    if locked.direction != PackageDirection.RECEIVED or locked.status != PackageStatus.AWAITING:
        raise ValidationError(_("This package has been decided already."), code="decided")
    locked.status, locked.decided_at, locked.decided_by = status, timezone.now(), actor
    return locked


def package_accept(
    *, actor: User, membership: Membership, package: TransnationalPackage, identification_agency: Agency
) -> TransnationalPackage:
    """A person accepts what arrived: a case opens from it through the intake service (the package is the
    referral), and the package names that case."""
    _require_referrer(membership)
    with transaction.atomic():
        locked = _decide(package, actor, membership, PackageStatus.ACCEPTED)
        try:
            referral = _referral(received_fields(locked), identification_agency)
        except ValueError:
            raise ValidationError(_("The package's birth date is not a date: decline it.")) from None
        case = intake_submit(actor=actor, membership=membership, referral=referral)
        locked.case = case
        locked.save(update_fields=["status", "decided_at", "decided_by", "case"])
        record_entry(PACKAGE_ACCEPTED, locked, actor=actor, membership=membership, case=case)
    return locked


def package_decline(
    *, actor: User, membership: Membership, package: TransnationalPackage
) -> TransnationalPackage:
    _require_referrer(membership)
    with transaction.atomic():
        locked = _decide(package, actor, membership, PackageStatus.DECLINED)
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        _audited("returns.package.decline", "package", locked.pk, actor=actor, membership=membership)
    return locked
