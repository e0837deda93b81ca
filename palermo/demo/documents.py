"""Demo case documents: the day after each referral, the first interview written up and attached as a
statement (read only by those who may read the person's account), and on one case in three a note that a
copy of the identity document is held. Attached by the demo case manager, else the first responder, where the
access policy lets them write at that tier. Synthetic plain text, stored encrypted as any upload is
(palermo.cases.services.documents). Idempotent: a case with a document is left as it is.
"""

from __future__ import annotations

from palermo.access.policy import can_write
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case, CaseDocument, DocumentKind, NoteTier
from palermo.cases.services.documents import case_document_add
from palermo.demo.common import demo_member, done_by

WRITERS = (("demo.casemanager", Role.CASE_MANAGER), ("demo.responder", Role.FIRST_RESPONDER))
STATEMENT = (
    "Synthetic demo record. First interview, with an interpreter.\n\n"
    "Recruited through an acquaintance with the offer of a job abroad; travel and papers arranged by the "
    "recruiter. On arrival, documents taken, a debt announced, long hours without pay. Left when a colleague "
    "gave the number of the helpline.\n"
)
IDENTITY_NOTE = (
    "Synthetic demo record. A copy of the passport is held by the NGO; the original was kept by the employer "
    "and is not yet recovered.\n"
)


def _writer(case: Case, tier: int) -> Membership | None:
    members = (demo_member(name, role) for name, role in WRITERS)
    return next((member for member in members if member is not None and can_write(member, case, tier)), None)


def _attach(case: Case, tier: int, kind: str, filename: str, text: str) -> None:
    writer = _writer(case, tier)
    if writer is not None:
        case_document_add(
            **done_by(writer),
            case=case,
            content=text.encode(),
            filename=filename,
            kind=kind,
            tier=tier,
        )


def attach(cases: list[Case], first: int = 0) -> None:
    for index, case in enumerate(cases, start=first):
        if CaseDocument.objects.filter(case=case).exists():
            continue
        _attach(
            case, NoteTier.NARRATIVE, DocumentKind.STATEMENT, "First interview (synthetic).txt", STATEMENT
        )
        if index % 3 == 0:
            _attach(
                case,
                NoteTier.IDENTITY,
                DocumentKind.IDENTITY,
                "Passport copy held (synthetic).txt",
                IDENTITY_NOTE,
            )
