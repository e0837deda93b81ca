"""Demo temporary representatives: a child is referred at once, with no one's consent (a protection duty),
and no guardian exists yet. Within the hour, the referring officer records who acts for the child until a
guardian is appointed, a social worker of the municipal child protection service, and that representative's
consent to the referral to the identification authority, with the child's own views, or why a young child was
not heard (`represent`). Appointing the guardian later ends the representation (palermo.children). Through the
services, with synthetic names. Idempotent: a case with a representative, or a guardian, is left as it is.
"""

from __future__ import annotations

from django.utils import timezone
from faker import Faker

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.age import completed_years
from palermo.cases.child import case_is_child
from palermo.cases.models import Case, ConsentGiver, ConsentPurpose, Person
from palermo.cases.services.consent import consent_record
from palermo.cases.services.representation import (
    active_representative,
    has_guardian,
    may_record_representative,
    temporary_representative_record,
)
from palermo.demo.common import demo_member, done_by

RECORDERS = (("demo.responder", Role.FIRST_RESPONDER), ("demo.casemanager", Role.CASE_MANAGER))
AUTHORITY = ("demo.identification", Role.IDENTIFICATION_AUTHORITY)
ORGANISATION = "Demo Municipal Social Services, child protection"
SEED = 1012
# A child this young is observed, not asked (what the representative records instead of views).
HEARD_FROM = 7
VIEWS = (
    "Demo record: the child agreed to talk to the identification team and asked to stay with the younger "
    "brother met at the shelter.",
    "Demo record: the child agreed, and asked that the interviews be with a woman and an interpreter.",
    "Demo record: the child is afraid the family will be told; agreed once told the family will not be "
    "contacted without the child being heard first.",
)
NOT_HEARD = (
    "Demo record: the child is too young to be asked; the representative saw the child calm and playing with "
    "the shelter's carer."
)


def _recorder(case: Case) -> Membership | None:
    members = (demo_member(name, role) for name, role in RECORDERS)
    may = may_record_representative
    return next((found for found in members if found is not None and may(found, case)), None)


def _views(person: Person | None, number: int) -> tuple[str, str]:
    """The child's views, or why the child was not heard."""
    born = person.birth_date if person else None
    if born is not None and completed_years(born, timezone.localdate()) < HEARD_FROM:
        return "", NOT_HEARD
    return VIEWS[number % len(VIEWS)], ""


def _language(person: Person | None) -> str:
    spoken = person.languages.first() if person else None
    return spoken.language if spoken else "eng"


def represent(cases: list[Case], first: int = 0) -> None:
    """The representative of each child referred with no guardian, and their consent to the referral."""
    authority = demo_member(*AUTHORITY)
    for number, case in enumerate(cases, start=first):
        if not case_is_child(case) or has_guardian(case) or active_representative(case) is not None:
            continue
        recorder = _recorder(case)
        if recorder is None or authority is None:
            continue
        fake = Faker("en_GB")
        fake.seed_instance(SEED + number)
        temporary_representative_record(
            **done_by(recorder),
            case=case,
            name=fake.name(),
            organisation=ORGANISATION,
            since=timezone.localdate(case.opened_at),
        )
        person = case.persons.order_by("pk").first()
        views, not_heard = _views(person, number)
        consent_record(
            **done_by(recorder),
            case=case,
            purpose=ConsentPurpose.REFERRAL,
            given_by=ConsentGiver.TEMPORARY,
            language=_language(person),
            recipient_agency=authority.agency,
            child_views=views,
            child_not_heard_reason=not_heard,
        )
