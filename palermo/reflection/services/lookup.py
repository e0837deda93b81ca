"""The non-removal look-up: may this person be removed? Asked by a migration officer on screen, or by another
system through the API with a token, by identity document number or by name and birth date.

The person is found through keyed indexes only (palermo.reflection.matching: nothing is decrypted), and the
answer is one of three, never with a case reference, a name, an agency or where the protection comes from:

- **protected**: until a day (the latest any source gives), or until a decision still pending (no end date:
  ask again before acting);
- **possible match**: no match, but a near one (a name one character off or in another transliteration, a
  document number one character off, a day and month swapped...) is protected: ask the competent authority
  (whose contact is given) before any removal. The team of each such case is told that a look-up came close
  (a timeline entry and a task), never what was asked;
- **no protection on record**.

Every look-up is recorded in the audit log as a T2 read by whoever asked (user or client system), with how
they asked, what they were told and the references of the cases that matched or came close (for the data
protection officer's eyes), never with the number, name or birth date asked about.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_record
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry, entry_add
from palermo.core.blind_index import document_index
from palermo.deadlines.services import set_deadline
from palermo.reflection.matching import Found, by_document, by_name_and_birth_date
from palermo.reflection.models import LookupClient
from palermo.reflection.protection import UNTIL_DECIDED, protected_until_for

# The task on the due list of a case's lead agency when a look-up came close to its person.
NEAR_MATCH_KIND = "reflection.lookup_near_match"
NEAR_MATCH_SUMMARY = gettext_noop(
    "A removal look-up came close to this person's details: the competent authority may be asked about them"
)
# A timeline entry alone: the look-up is audited where it is asked.
NEAR_MATCH = Entry(NEAR_MATCH_SUMMARY, "", Tier.METADATA, EventKind.REFLECTION)

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


def find(query: LookupQuery) -> Found:
    """The cases that match the question, and those that come close (palermo.reflection.matching)."""
    if query.document_number:
        return by_document(query.document_number)
    assert query.birth_date is not None  # noqa: S101  (clean_query guarantees it)
    return by_name_and_birth_date(query.name, query.birth_date)


def matching_case_ids(query: LookupQuery) -> list[int]:
    """The cases whose person matches (not those that only come close)."""
    return sorted(find(query).matches)


class Finding(enum.StrEnum):
    PROTECTED = "protected"
    POSSIBLE_MATCH = "possible_match"
    NO_PROTECTION = "no_protection"


def authority_contact() -> str:
    """Whom to ask about a possible match: the deployment's competent authority (PALERMO_LOOKUP_CONTACT)."""
    return str(getattr(settings, "PALERMO_LOOKUP_CONTACT", "") or "")


def check_lookup_contact(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Deploy check: a possible match tells the caller whom to ask; without a contact it cannot."""
    if authority_contact().strip():
        return []
    return [
        checks.Warning(
            "PALERMO_LOOKUP_CONTACT is not set: a removal look-up answering 'possible match' names no "
            "one to ask.",
            hint="Set it to the competent identification authority's desk and number (docs/lookup.md).",
            id="palermo.W020",
        )
    ]


@dataclass(frozen=True)
class LookupAnswer:
    finding: Finding
    # The last protected day; None when protected until a pending decision, or when not protected.
    protected_until: datetime.date | None = None

    @property
    def protected(self) -> bool:
        return self.finding is Finding.PROTECTED

    @property
    def until_decided(self) -> bool:
        """Protected until a decision still pending: no end date; ask again before acting."""
        return self.protected and self.protected_until is None

    @property
    def possible_match(self) -> bool:
        return self.finding is Finding.POSSIBLE_MATCH

    @property
    def contact(self) -> str:
        return authority_contact() if self.possible_match else ""

    @property
    def told(self) -> str:
        """What the caller was told, as the audit log records it."""
        if self.until_decided:
            return "protected until a pending decision"
        if self.protected_until is not None:
            return f"protected until {self.protected_until.isoformat()}"
        return "possible match" if self.possible_match else "no protection"


def _protection(case_ids: Collection[int]) -> datetime.date | None:
    return protected_until_for(case_ids) if case_ids else None


def answer_for(found: Found) -> tuple[LookupAnswer, list[int]]:
    """The answer to give, and the protected near-match cases whose team is to be told."""
    until = _protection(found.matches)
    if until is not None:
        return LookupAnswer(Finding.PROTECTED, None if until == UNTIL_DECIDED else until), []
    close = [case_id for case_id in sorted(found.near) if _protection([case_id]) is not None]
    if close:
        return LookupAnswer(Finding.POSSIBLE_MATCH), close
    return LookupAnswer(Finding.NO_PROTECTION), []


def tell_the_teams(case_ids: Collection[int]) -> None:
    """Each case's timeline says a look-up came close, and its lead agency gets a task due now (moved, not
    repeated, by later near matches). Neither says what was asked, nor who asked."""
    now = timezone.now()
    for case in Case.objects.filter(pk__in=list(case_ids)).select_related("lead_agency"):
        entry_add(NEAR_MATCH, case, actor=None, membership=None)
        set_deadline(case=case, kind=NEAR_MATCH_KIND, due_at=now, source=case, agency=case.lead_agency)


@transaction.atomic
def removal_lookup(
    *,
    query: LookupQuery,
    actor: User | None = None,
    membership: Membership | None = None,
    client: LookupClient | None = None,
) -> LookupAnswer:
    """Answer the question, tell the teams of protected near matches, and record who asked, how, and what
    they were told."""
    if (actor is None) == (client is None):
        raise ValueError("a look-up is asked by a user or by a client system")
    query = clean_query(query)
    found = find(query)
    answer, close = answer_for(found)
    if close:
        tell_the_teams(close)
    references = dict(Case.objects.filter(pk__in=[*found.matches, *close]).values_list("pk", "reference"))
    matched = ",".join(sorted(references[pk] for pk in found.matches)) or "none"
    came_close = ",".join(sorted(references[pk] for pk in close)) or "none"
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
        reason=f"by {query.method}; told: {answer.told}; matched: {matched}; came close: {came_close}",
    )
    return answer
