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
from django.db import transaction

from palermo.access import limits
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_record
from palermo.cases.models import Person
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


def partner_register(*, name: str, country: str, contact: str, url: str = "", secret: str = "") -> PartnerNRM:
    """Register a partner (the secret is agreed out of band, or made here and given to the partner once),
    and encode every person under its secret."""
    with transaction.atomic():
        partner = PartnerNRM.objects.create(
            name=name,
            country=country.upper()[:3],
            contact=contact,
            url=url,
            secret=secret or secrets.token_urlsafe(32),
        )
        audit_record(
            actor=None,
            action="linkage.partner_register",
            tier=Tier.METADATA,
            object_type="partner_nrm",
            object_id=str(partner.pk),
        )
    partner_encodings_build(partner)
    return partner


def partner_encodings_build(partner: PartnerNRM, person_ids: Sequence[int] | None = None) -> int:
    ids = list(person_ids) if person_ids is not None else list(Person.objects.values_list("pk", flat=True))
    encoder = encoder_for(partner)
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
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
        audit_record(
            actor=actor,
            membership=membership,
            case=person.case,
            action="linkage.partner_query_sent",
            tier=Tier.IDENTITY,
            object_type="person",
            object_id=str(person.pk),
            reason=f"partner {partner.pk}; likely_known: {known}",
        )
    return known, str(answer.get("contact") or "")


def active_partners() -> Iterable[PartnerNRM]:
    return PartnerNRM.objects.filter(revoked_at__isnull=True)
