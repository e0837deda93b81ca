"""Demo emergency access: over the demo's years, the police's protection officer opened emergency access to a
case now and then (a night call, a hospital), and the NGO's data protection officer reviewed each within days
(`open_emergency_access`, `review_emergency_access`, in each case's history); today, two emergency accesses
wait for the officer's review (`load_demo`), so the officer's worklist shows what a real one does. Through
the access services, synthetic reasons only. Idempotent: nothing is opened today while one waits.
"""

from __future__ import annotations

from palermo.access.models import BreakGlassGrant, CaseTeamMember
from palermo.access.selectors import break_glass_grants_visible
from palermo.access.services import break_glass_open, break_glass_review, may_open_break_glass
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case, Phase
from palermo.demo.common import demo_member

# Who opens emergency access, and who reviews it.
OPENERS = (("demo.protection", Role.PROTECTION_OFFICER), ("demo.provider", Role.SERVICE_PROVIDER))
REVIEWER = ("demo.dpo", Role.DATA_PROTECTION_OFFICER)
# One case in this many has had an emergency.
EVERY = 12
REASONS = (
    "Synthetic demo record: night call from the shelter, the person was taken to hospital; the on-call "
    "officer needed the medical contact and the safe route to reach them.",
    "Synthetic demo record: the person called the emergency line in distress; the officer on duty needed the "
    "safe contact route and the risk assessment before calling back.",
)


def _open(membership: Membership | None, case: Case, reason: str) -> None:
    if membership is not None and may_open_break_glass(membership, case):
        break_glass_open(actor=membership.user, membership=membership, case=case, reason=reason)


def open_emergency_access(cases: list[Case], first: int = 0) -> None:
    """On one case in EVERY, an emergency weeks into the reflection period: access opened by the police."""
    opener = demo_member(*OPENERS[0])
    for index, case in enumerate(cases, start=first):
        if index % EVERY == EVERY // 2 and not BreakGlassGrant.objects.filter(case=case).exists():
            _open(opener, case, REASONS[index % len(REASONS)])


def review_emergency_access(cases: list[Case], first: int = 0) -> None:
    """Days later: the data protection officer reviews the emergency accesses on the case it sees."""
    reviewer = demo_member(*REVIEWER)
    if reviewer is None:
        return
    waiting = break_glass_grants_visible(reviewer).filter(case__in=cases, reviewed_at__isnull=True)
    for grant in waiting:
        break_glass_review(actor=reviewer.user, membership=reviewer, grant=grant)


def load_demo(cases: list[Case]) -> None:
    """Today: two emergency accesses to cases in their reflection period that the officer's agency works on,
    waiting for the officer's review."""
    reviewer = demo_member(*REVIEWER)
    if reviewer is None or break_glass_grants_visible(reviewer).filter(reviewed_at__isnull=True).exists():
        return
    worked_on = set(
        CaseTeamMember.objects.filter(agency=reviewer.agency, removed_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )
    recent = [case for case in cases if case.phase == Phase.REFLECTION and case.pk in worked_on]
    fresh = [case for case in recent if not BreakGlassGrant.objects.filter(case=case).exists()]
    for number, (opener, case) in enumerate(zip(OPENERS, fresh[-2:], strict=False)):
        _open(demo_member(*opener), case, REASONS[number])
