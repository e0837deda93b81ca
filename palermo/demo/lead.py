"""Demo lead transfers: the labour inspectorate's first responder opened many of the demo's cases and leads
them; once the person is in the NGO's shelter for the reflection period, one such case in three is handed to
the NGO, whose case manager does the casework from then on (`hand_to_the_ngo`). The inspectorate stays on the
team. Through the lead service, with the reason a caseworker gives. Idempotent: a case handed on once is left
as it is.
"""

from __future__ import annotations

from palermo.access.policy import can_transfer_lead
from palermo.accounts.models import Agency
from palermo.accounts.roles import Role
from palermo.cases.models import Case, LeadTransfer
from palermo.cases.services.lead import case_lead_transfer
from palermo.demo.common import demo_member, done_by

HANDED_BY = ("demo.responder", Role.FIRST_RESPONDER)
TO = "Demo Safe Harbour NGO"
EVERY = 3
REASON = (
    "Demo record. The person is in the NGO's shelter for the reflection period and its case manager now does "
    "the casework; the inspectorate stays on the team for the labour proceedings."
)


def hand_to_the_ngo(cases: list[Case], first: int = 0) -> None:
    """One case in EVERY that the first responder's agency leads, handed to the NGO a week into reflection."""
    membership = demo_member(*HANDED_BY)
    ngo = Agency.objects.filter(name=TO).first()
    if membership is None or ngo is None:
        return
    for index, case in enumerate(cases, start=first):
        case = Case.objects.get(pk=case.pk)  # the lead and version as they are now
        if index % EVERY or not can_transfer_lead(membership, case) or case.lead_agency_id == ngo.pk:
            continue
        if LeadTransfer.objects.filter(case=case).exists():
            continue
        case_lead_transfer(
            **done_by(membership),
            case=case,
            agency=ngo,
            reason=REASON,
            expected_version=case.version,
        )
