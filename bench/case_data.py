"""The data of the case-list benchmark, written into an already configured Django process.

Ten referring agencies lead N synthetic cases (bulk mode: encrypted and blind-indexed, no per-case service);
a case manager of the first agency opened them all and is signed in with a second factor. The cases the
case page is measured on are put on that agency's team through the access service, and one of them gets
long lists (timeline, notes, documents) so the page's lists can be paged at 10, 50 and 100 items.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.access.services import case_team_open
from palermo.accounts import active, services
from palermo.accounts.models import Agency, Membership
from palermo.accounts.roles import AgencyType, Role
from palermo.cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseNote,
    DocumentKind,
    EventKind,
    NoteTier,
    Person,
)
from palermo.demo import synthetic

AGENCY_TYPES = (
    AgencyType.NGO,
    AgencyType.POLICE,
    AgencyType.LABOUR_INSPECTORATE,
    AgencyType.SOCIAL_SERVICES,
    AgencyType.MIGRATION,
)
AGENCIES = 10
SEED = 2023
PAGE_CASES = 20  # cases the case page is loaded for, in turn
LONG_LISTS = 120  # timeline entries, notes and documents on the case with long lists


@dataclass(frozen=True)
class Dataset:
    membership: Membership
    device: TOTPDevice
    page_references: tuple[str, ...]
    long_lists_reference: str
    sample_reference: str
    sample_name: str
    cases: int
    load_seconds: float


def agencies() -> list[Agency]:
    return [
        services.agency_create(
            name=f"Benchmark agency {number + 1}", type=AGENCY_TYPES[number % len(AGENCY_TYPES)]
        )
        for number in range(AGENCIES)
    ]


def signed_in_session(membership: Membership, device: TOTPDevice) -> str:
    """A new session as the sign-in and two-factor pages leave it, acting through `membership`."""
    user = membership.user
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[active.SESSION_KEY] = membership.pk
    session.create()
    assert session.session_key is not None
    return session.session_key


def long_lists(case: Case, membership: Membership) -> None:
    """Timeline entries, notes and documents (metadata rows) enough for the largest page size."""
    now = timezone.now()
    user, agency = membership.user, membership.agency
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=EventKind.NOTE,
            tier=NoteTier.NARRATIVE,
            summary="Note added",
            occurred_at=now - timedelta(hours=number),
            actor=user,
            agency=agency,
        )
        for number in range(LONG_LISTS)
    )
    CaseNote.objects.bulk_create(
        CaseNote(
            case=case,
            tier=NoteTier.NARRATIVE if number % 2 else NoteTier.IDENTITY,
            body=f"Synthetic benchmark note {number}: follow-up call, the person is safe.",
            author=user,
            agency=agency,
        )
        for number in range(LONG_LISTS)
    )
    CaseDocument.objects.bulk_create(
        CaseDocument(
            case=case,
            tier=NoteTier.NARRATIVE,
            kind=DocumentKind.CORRESPONDENCE,
            filename=f"letter-{number}.pdf",
            content_type="application/pdf",
            size=1000 + number,
            content_hmac=hashlib.sha256(str(number).encode()).hexdigest(),
            storage_name=secrets.token_hex(16),
            uploaded_by=user,
            agency=agency,
        )
        for number in range(LONG_LISTS)
    )


def build(
    count: int, *, batch_size: int = 1000, progress: Callable[[int, int], None] | None = None
) -> Dataset:
    leads = agencies()
    user = services.user_create(username="bench.casemanager", password=secrets.token_urlsafe(24))
    membership = services.membership_grant(user=user, agency=leads[0], role=Role.CASE_MANAGER)
    started = time.perf_counter()
    result = synthetic.bulk_load(
        synthetic.generate_cases(count, seed=SEED),
        lead_agency=synthetic.spread_over(leads),
        actor=user,
        batch_size=batch_size,
        progress=progress,
    )
    load_seconds = time.perf_counter() - started
    own = list(Case.objects.filter(lead_agency=leads[0]).order_by("pk")[: PAGE_CASES + 1])
    for case in own:
        case_team_open(actor=user, membership=membership, case=case, agencies=[leads[0]])
    long_lists(own[0], membership)
    sample = Person.objects.select_related("case").order_by("pk")[count // 2]
    return Dataset(
        membership=membership,
        device=TOTPDevice.objects.create(user=user, name="benchmark authenticator", confirmed=True),
        page_references=tuple(case.reference for case in own[1:]),
        long_lists_reference=own[0].reference,
        sample_reference=sample.case.reference,
        sample_name=f"{sample.given_names} {sample.family_names}",
        cases=result.created,
        load_seconds=load_seconds,
    )
