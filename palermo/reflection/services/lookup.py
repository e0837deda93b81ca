"""The non-removal look-up: may this person be removed? Asked by a migration officer on screen, or by another
system through the API with a token, by identity document number or by name and birth date.

The person is found through blind indexes only (nothing is decrypted), and the answer is only "protected until
DATE" or "no protection on record": never a case reference, a name or where the protection comes from. Every
look-up is recorded in the audit log as a T2 read by whoever asked (user or client system), with how they
asked, what they were told and the references of the cases that matched (for the data protection officer's
eyes), never with the number, name or birth date asked about.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_record
from palermo.cases.models import Case, IdentityDocument, Person
from palermo.core.blind_index import document_index
from palermo.reflection.models import LookupClient
from palermo.reflection.protection import protected_until_for

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class LookupQuery:
    document_number: str = ""
    name: str = ""
    birth_date: datetime.date | None = None

    @property
    def method(self) -> str:
        return "document" if self.document_number else "name_and_birth_date"


def clean_query(query: LookupQuery) -> LookupQuery:
    """A document number, or a name with a birth date; never a name alone (many people share one)."""
    number, name = query.document_number.strip(), query.name.strip()
    if len(number) > MAX_QUERY_LENGTH or len(name) > MAX_QUERY_LENGTH:
        raise ValidationError(_("At most %(limit)d characters."), params={"limit": MAX_QUERY_LENGTH})
    if number:
        if not document_index(number):
            raise ValidationError(_("The document number has no letters or digits."), code="document")
        return LookupQuery(document_number=number)
    if name and query.birth_date is not None:
        return LookupQuery(name=name, birth_date=query.birth_date)
    raise ValidationError(_("Give a document number, or a name with a date of birth."), code="incomplete")


def matching_case_ids(query: LookupQuery) -> list[int]:
    """The cases whose person matches exactly, through the blind indexes."""
    if query.document_number:
        persons = IdentityDocument.objects.filter(number_index=document_index(query.document_number)).values(
            "person__case_id"
        )
        return sorted({row["person__case_id"] for row in persons})
    assert query.birth_date is not None  # noqa: S101  (clean_query guarantees it)
    found = Person.objects.matching_name(query.name).matching_birth_date(query.birth_date)
    return sorted(set(found.values_list("case_id", flat=True)))


@dataclass(frozen=True)
class LookupAnswer:
    protected_until: datetime.date | None

    @property
    def protected(self) -> bool:
        return self.protected_until is not None


@transaction.atomic
def removal_lookup(
    *,
    query: LookupQuery,
    actor: User | None = None,
    membership: Membership | None = None,
    client: LookupClient | None = None,
) -> LookupAnswer:
    """Answer the question, and record who asked, how, and what they were told."""
    if (actor is None) == (client is None):
        raise ValueError("a look-up is asked by a user or by a client system")
    query = clean_query(query)
    case_ids = matching_case_ids(query)
    answer = LookupAnswer(protected_until_for(case_ids))
    references = (
        Case.objects.filter(pk__in=case_ids).order_by("reference").values_list("reference", flat=True)
    )
    told = answer.protected_until.isoformat() if answer.protected_until else "none"
    if client is not None:
        client.last_used_at = timezone.now()
        client.save(update_fields=["last_used_at"])
    audit_record(
        actor=actor,
        membership=membership,
        action="reflection.removal_lookup",
        tier=Tier.IDENTITY,
        object_type="lookup_client" if client is not None else "",
        object_id=str(client.pk) if client is not None else "",
        reason=f"by {query.method}; protected until: {told}; matched: {','.join(references) or 'none'}",
    )
    return answer
