"""Matching across borders (docs/decisions/0043): partner NRMs registered with a shared secret, our persons'
encodings under each partner's secret (kept current like the search keys), the answer to a partner's
question, and our question to a partner. Only "likely known / not known" and a contact travel; the question
and the answer are on both sides' audit records; a partner's questions are rate-limited."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from palermo.access import limits
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.audit.services import audit_on_record, audit_record
from palermo.cases.models import Person
from palermo.core import iso
from palermo.core.concurrency import bump_version, lock_for_edit, lock_unless_done
from palermo.linkage.models import PartnerEncoding, PartnerNRM, PartnerQuery, QueryDirection
from palermo.linkage.pprl import THRESHOLD, Encoder, dice, from_text, to_text
from palermo.linkage.services.duplicates import birth_text

Transport = Callable[[str, bytes, dict[str, str]], dict[str, Any]]
BATCH = 500


def encoder_for(partner: PartnerNRM) -> Encoder:
    return Encoder(secret=partner.secret.encode("utf-8"))


def encoding_of(encoder: Encoder, person: Person) -> tuple[str, str]:
    """(block, encoding) of a person: names in Latin letters where recorded, else their own."""
    birth = birth_text(person)
    bits = encoder.encode(
        person.given_names_latin or person.given_names,
        person.family_names_latin or person.family_names,
        birth,
        "" if person.gender == "unknown" else person.gender,
    )
    return encoder.block(birth), to_text(bits, encoder.size())


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), b"palermo partner request\x00" + body, hashlib.sha256).hexdigest()


# --- registration (docs/decisions/0053) -----------------------------------------------------------------

PARTNER_ADMINISTRATORS = (Role.SYSTEM_ADMINISTRATOR,)
SECRET_LENGTHS = (32, 100)  # an agreed secret's least and most characters


def require_partner_administrator(membership: Membership | None) -> None:
    """Only a system administrator registers partners (`membership` None: the command line)."""
    if membership is not None and membership.role not in PARTNER_ADMINISTRATORS:
        raise PermissionDenied


def _secret(agreed: str) -> str:
    """The agreed secret, checked, or a new one (the secret is never part of an error message)."""
    agreed = agreed.strip()
    if not agreed:
        return secrets.token_urlsafe(32)
    least, most = SECRET_LENGTHS
    if not least <= len(agreed) <= most or any(character.isspace() for character in agreed):
        raise ValidationError(
            {
                "secret": _(
                    "The shared secret must be %(least)d to %(most)d characters, with no spaces. Leave it "
                    "empty to have one made here."
                )
                % {"least": least, "most": most}
            }
        )
    return agreed


def _checked(name: str, country: str, contact: str, url: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    values = {
        "name": " ".join(name.split()),
        "country": iso.normalise_country(country or "") or "",
        "contact": " ".join(contact.split()),
        "url": url.strip(),
    }
    if not values["name"]:
        errors["name"] = _("Name the partner NRM.")
    elif PartnerNRM.objects.filter(name__iexact=values["name"]).exists():
        errors["name"] = _("A partner of this name is registered already.")
    if not values["country"]:
        errors["country"] = _("Choose a country (ISO 3166-1 alpha-3 code).")
    if not values["contact"]:
        errors["contact"] = _("Say whom the partner contacts for a formal request.")
    if values["url"]:
        try:
            URLValidator(schemes=["https"])(values["url"])
        except ValidationError:
            errors["url"] = _("Give a web address starting with https://.")
    if errors:
        raise ValidationError(errors)
    return values


def _audit(actor: User | None, membership: Membership | None, action: str, partner: PartnerNRM) -> None:
    audit_on_record(
        partner,
        "partner_nrm",
        action,
        Tier.METADATA,
        actor=actor,
        membership=membership,
    )


def _encode_later(partner: PartnerNRM) -> None:
    partner_id, version = partner.pk, partner.version
    transaction.on_commit(lambda: partner_encodings_task.enqueue(partner_id, version))


def _under_new_secret(
    save: Callable[[], PartnerNRM],
    action: str,
    *,
    actor: User | None,
    membership: Membership | None,
    encode_now: bool,
) -> PartnerNRM:
    """Save a partner's new secret through `save` and record it, in one transaction; then encode every
    person under that secret: at once, or in the background once the transaction commits."""
    with transaction.atomic():
        partner = save()
        _audit(actor, membership, action, partner)
        if not encode_now:
            _encode_later(partner)
    if encode_now:
        partner_encodings_build(partner)
    return partner


def partner_register(
    *,
    name: str,
    country: str,
    contact: str,
    url: str = "",
    secret: str = "",
    actor: User | None = None,
    membership: Membership | None = None,
    encode_now: bool = True,
) -> PartnerNRM:
    """Register a partner (the secret agreed out of band, or made here to give to the partner once) and
    encode every person under its secret: now (the command line), or in the background (the page and the
    API, `encode_now=False`). The secret is on the returned partner; nothing else shows it again."""
    require_partner_administrator(membership)
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    try:
        values = _checked(name, country, contact, url)
    except ValidationError as refused:
        errors.update(refused.message_dict)
    try:
        values["secret"] = _secret(secret)
    except ValidationError as refused:
        errors.update(refused.message_dict)
    if errors:  # every problem at once
        raise ValidationError(errors)
    return _under_new_secret(
        lambda: PartnerNRM.objects.create(**values),
        "linkage.partner_register",
        actor=actor,
        membership=membership,
        encode_now=encode_now,
    )


def partner_rotate(
    *,
    actor: User | None,
    membership: Membership | None,
    partner: PartnerNRM,
    expected_version: int,
    secret: str = "",
    encode_now: bool = False,
) -> PartnerNRM:
    """A new shared secret (agreed, or made here): the encodings under the old one are deleted at once (a
    question under the old secret is refused, one under the new matches once they are rebuilt)."""
    require_partner_administrator(membership)
    new_secret = _secret(secret)

    def rotated() -> PartnerNRM:
        locked = lock_for_edit(PartnerNRM, pk=partner.pk, expected_version=expected_version)
        if locked.revoked_at is not None:
            raise ValidationError(_("This partner is deactivated."), code="deactivated")
        locked.secret = new_secret
        locked.secret_changed_at = timezone.now()
        bump_version(locked)
        locked.save(update_fields=["secret", "secret_changed_at", "version"])
        PartnerEncoding.objects.filter(partner=locked).delete()
        return locked

    return _under_new_secret(
        rotated, "linkage.partner_rotate", actor=actor, membership=membership, encode_now=encode_now
    )


def partner_deactivate(
    *, actor: User | None, membership: Membership | None, partner: PartnerNRM, expected_version: int
) -> PartnerNRM:
    """The partner may ask nothing more and is asked nothing more; its encodings are deleted. Its questions
    stay on the record. Deactivating twice is the one deactivation."""
    require_partner_administrator(membership)
    with transaction.atomic():
        locked, done = lock_unless_done(
            PartnerNRM,
            pk=partner.pk,
            expected_version=expected_version,
            done=lambda row: row.revoked_at is not None,
        )
        if done:
            return locked
        locked.revoked_at = timezone.now()
        bump_version(locked)
        locked.save(update_fields=["revoked_at", "version"])
        PartnerEncoding.objects.filter(partner=locked).delete()
        _audit(actor, membership, "linkage.partner_deactivate", locked)
    return locked


@task()
def partner_encodings_task(partner_id: int, version: int) -> int:
    """Encode every person under a partner's secret in the background (ids only); stops when the partner
    was rotated or deactivated meanwhile (a later task encodes under the new secret)."""
    partner = PartnerNRM.objects.filter(pk=partner_id, version=version, revoked_at__isnull=True).first()
    return partner_encodings_build(partner, version=version) if partner is not None else 0


def partner_encodings_build(
    partner: PartnerNRM, person_ids: Sequence[int] | None = None, *, version: int | None = None
) -> int:
    """The persons' (all by default) encodings under the partner's secret. With `version`, batch by batch,
    only while the partner is still at that version and active."""
    ids = list(person_ids) if person_ids is not None else list(Person.objects.values_list("pk", flat=True))
    encoder = encoder_for(partner)
    written = 0
    current = PartnerNRM.objects.filter(pk=partner.pk, version=version or 0, revoked_at__isnull=True)
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            if version is not None and not current.select_for_update().exists():
                break  # rotated or deactivated meanwhile
            batch = ids[start : start + BATCH]
            rows = []
            for person in Person.objects.filter(pk__in=batch):
                block, encoding = encoding_of(encoder, person)
                rows.append(PartnerEncoding(partner=partner, person=person, block=block, encoding=encoding))
            PartnerEncoding.objects.filter(partner=partner, person_id__in=batch).delete()
            PartnerEncoding.objects.bulk_create(rows)
            written += len(rows)
    return written


def partner_encodings_refresh(person_ids: Sequence[int]) -> None:
    """The persons' encodings under every active partner's secret (the identity hook)."""
    for partner in PartnerNRM.objects.filter(revoked_at__isnull=True):
        partner_encodings_build(partner, person_ids)


def partner_question_answer(*, partner: PartnerNRM, block: str, encoding: str) -> tuple[bool, str]:
    """A partner's question: whether a person of ours is likely the one encoded, and whom to contact. Past
    the partner's rate, RateLimited (429)."""
    limits.check(partner, door="partner_query")
    encoder = encoder_for(partner)
    question = from_text(encoding, encoder.size())
    candidates = PartnerEncoding.objects.filter(partner=partner, block=block).values_list(
        "encoding", flat=True
    )
    known = any(dice(question, from_text(stored, encoder.size())) >= THRESHOLD for stored in candidates)
    with transaction.atomic():
        PartnerQuery.objects.create(partner=partner, direction=QueryDirection.RECEIVED, likely_known=known)
        audit_record(
            actor=None,
            action="linkage.partner_query_received",
            tier=Tier.IDENTITY,  # it tells whether a person is on record here
            object_type="partner_nrm",
            object_id=str(partner.pk),
            reason=f"likely_known: {known}",
        )
    return known, settings.PALERMO_PARTNER_CONTACT if known else ""


def _post(url: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310 (an https URL an admin set)
        return dict(json.loads(answer.read()))


def request_for(partner: PartnerNRM, person: Person, *, sender: str) -> tuple[bytes, dict[str, str]]:
    block, encoding = encoding_of(encoder_for(partner), person)
    body = json.dumps({"block": block, "encoding": encoding}).encode()
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {sender}.{sign(partner.secret, body)}",
    }
    return body, headers


def partner_question_send(
    *,
    actor: User,
    membership: Membership,
    partner: PartnerNRM,
    person: Person,
    sender: str,
    transport: Transport | None = None,
) -> tuple[bool, str]:
    """Ask a partner whether it knows this person (`sender`: our id at the partner). Only the encoding
    leaves; the answer is "likely known" and a contact, or "not known"."""
    body, headers = request_for(partner, person, sender=sender)
    answer = (transport or _post)(partner.url, body, headers)
    known = answer.get("answer") == "likely_known"
    with transaction.atomic():
        PartnerQuery.objects.create(
            partner=partner, direction=QueryDirection.SENT, likely_known=known, asked_by=actor
        )
        audit_on_record(
            person,
            "person",
            "linkage.partner_query_sent",
            Tier.IDENTITY,
            actor=actor,
            membership=membership,
            case=person.case,
            reason=f"partner {partner.pk}; likely_known: {known}",
        )
    return known, str(answer.get("contact") or "")


def active_partners() -> Iterable[PartnerNRM]:
    return PartnerNRM.objects.filter(revoked_at__isnull=True)
