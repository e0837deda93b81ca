"""Demo data protection: one case the demo DPO answers for is under a legal hold, so the DPO's screen shows
one in use, and the daily retention run is booked with the worker. Idempotent: nothing is added once any
hold exists."""

from __future__ import annotations

from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.demo.common import demo_member
from palermo.privacy.models import LegalHold
from palermo.privacy.selectors import dpo_cases
from palermo.privacy.services import legal_hold_place
from palermo.privacy.tasks import schedule_retention

DEMO_DPO = "demo.dpo"
HOLD_REASON = "Criminal proceedings pending (synthetic demo)"


def load_demo(cases: list[Case]) -> None:
    schedule_retention()
    if LegalHold.objects.exists():
        return
    membership = demo_member(DEMO_DPO, Role.DATA_PROTECTION_OFFICER)
    case = dpo_cases(membership).order_by("pk").first() if membership is not None else None
    if membership is not None and case is not None:
        legal_hold_place(actor=membership.user, membership=membership, case=case, reason=HOLD_REASON)
