"""Demo reflection periods: every demo case past identification has its period (opened by the identification
demo's presumed victim decision, or else on request by the NGO's demo case manager where they are on the case
team), and on every other case the first entitlements are recorded as provided; by the time a case's
assistance begins, all of them (`provide_the_rest`). Two months into a period that still runs, one in four is
extended by the case manager, for the reason a caseworker gives (`extend_some`).

Through the same services as real work. Idempotent: no second period, no entitlement provided twice.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.demo.common import PAST_IDENTIFICATION, demo_member, done_by
from palermo.reflection.models import EntitlementKind, ReflectionPeriod
from palermo.reflection.services.common import may_change_period, may_open_period, may_record_entitlements
from palermo.reflection.services.entitlements import entitlement_provided
from palermo.reflection.services.periods import is_running, period_extend, period_request

DEMO_MANAGER = "demo.casemanager"
# What a shelter-based NGO usually arranges first.
FIRST_PROVIDED = (EntitlementKind.SAFE_ACCOMMODATION, EntitlementKind.INTERPRETATION)
# One running period in this many is extended, by one of these (days, reason) in turn.
EXTEND_EVERY = 4
EXTENSIONS = (
    (
        30,
        "Demo record. The person is in hospital treatment for injuries from the exploitation until next "
        "month; the doctor advises against deciding on cooperation before then.",
    ),
    (
        60,
        "Demo record. The psychologist reports the person is not yet stable enough to decide on cooperation "
        "with the authorities; the recovery plan runs two more months.",
    ),
    (
        30,
        "Demo record. The person's child joins them next month through family reunification; more time to "
        "settle before deciding.",
    ),
)


def load_demo(cases: list[Case], first: int = 0) -> None:
    membership = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    if membership is None:
        return
    with_period = set(ReflectionPeriod.objects.values_list("case_id", flat=True))
    for index, case in enumerate(cases, start=first):
        if case.phase not in PAST_IDENTIFICATION:
            continue
        # A presumed victim decision of the identification demo may have opened the period already.
        if case.pk not in with_period:
            if not may_open_period(membership, case):
                continue
            period_request(actor=membership.user, membership=membership, case=case)
        if index % 2 == 0 and may_record_entitlements(membership, case):
            for kind in FIRST_PROVIDED:  # idempotent: an entitlement already provided stays as it is
                entitlement_provided(case, kind, actor=membership.user, membership=membership)


def provide_most(cases: list[Case], first: int = 0) -> None:
    """In the period's first days, the entitlements not provided yet are, on two cases in three (the third
    still waits for some: what the worklists show as due)."""
    provide_the_rest([case for index, case in enumerate(cases, start=first) if index % 3 != 0])


def provide_the_rest(cases: list[Case], first: int = 0) -> None:
    """By the time assistance begins, every entitlement of the period has been given (what it is for): the
    kinds not provided yet are recorded as provided, by the NGO's demo case manager where on the team."""
    membership = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    if membership is None:
        return
    for case in cases:
        if not may_record_entitlements(membership, case):
            continue
        for kind in EntitlementKind:
            try:  # idempotent: an entitlement already provided stays as it is
                entitlement_provided(case, kind, actor=membership.user, membership=membership)
            except (ValidationError, PermissionDenied):  # a rule of the period refuses it: left as it is
                continue


def extend_some(cases: list[Case], first: int = 0) -> None:
    """One running period in EXTEND_EVERY extended by the NGO's demo case manager, by a month or two."""
    membership = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    if membership is None:
        return
    for index, case in enumerate(cases, start=first):
        period = ReflectionPeriod.objects.filter(case=case).order_by("-pk").first()
        if index % EXTEND_EVERY or period is None or not is_running(period) or period.ended_early:
            continue
        if period.extensions.exists() or not may_change_period(membership, case):
            continue
        days, reason = EXTENSIONS[(index // EXTEND_EVERY) % len(EXTENSIONS)]
        try:
            period_extend(
                **done_by(membership),
                period=period,
                days=days,
                reason=reason,
                expected_version=period.version,
            )
        except ValidationError:  # the rulebook in force allows no extension: the period stays as it is
            return
