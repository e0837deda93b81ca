"""The one writer of `Case.is_child`: whether the case is a child's (architecture rule 6 for a derived fact).

Two facts settle it, and both arrive here: the persons' stated ages (the person service, on every change of a
birth date or of the presumption of minority) and an age assessment's conclusion (identification, which sits
above cases and calls in). Whoever computes the flag passes it with its `source`; this service saves it when
it moves, records an audit event every time (the system's when there is no actor, as on a birthday), and tells
the areas that care when a case becomes a child's (palermo.cases.opening). The intake sets the flag once,
as the case is created with its first person, and nothing else writes it (tests/cases/test_child_flag.py).

The same module writes the second derived fact, `Case.child_when_exploited` (whether the person was under the
threshold when the exploitation began), from the persons' birth dates and the exploitation period: the person
service on an age change, the exploitation period's service on a change of the period.

The flag is derived, not edited, so it does not bump the case's version: nobody's edit of the case is lost.
"""

from __future__ import annotations

from django.db import transaction

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_on_case
from palermo.cases.models import Case
from palermo.cases.opening import case_became_child

SOURCE_PERSON_AGE = "person_age"
SOURCE_AGE_ASSESSMENT = "age_assessment"
SOURCE_EXPLOITATION_PERIOD = "exploitation_period"


def _audit_move(
    locked: Case, action: str, *, actor: User | None, membership: Membership | None, source: str
) -> None:
    """The audit event of a flag of the case that moved (T1), naming what moved it."""
    audit_on_case(locked, action, Tier.METADATA, actor=actor, membership=membership, reason=source)


def case_child_flag_set(
    *, actor: User | None, membership: Membership | None, case: Case, child: bool, source: str
) -> bool:
    """Set the case's child flag to `child`; returns whether it moved. `case` is updated in place."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        case.is_child = child
        if locked.is_child == child:
            return False
        locked.is_child = child
        locked.save(update_fields=["is_child"])
        _audit_move(locked, "case.child_flag", actor=actor, membership=membership, source=source)
        if child:
            case_became_child(case)
    return True


def case_child_when_exploited_set(
    *, actor: User | None, membership: Membership | None, case: Case, child: bool, source: str
) -> bool:
    """Set whether the person was a child when the exploitation began (the child rules' other ground;
    docs/decisions/0018); returns whether it moved. `case` is updated in place. Audited when it moves."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        case.child_when_exploited = child
        if locked.child_when_exploited == child:
            return False
        locked.child_when_exploited = child
        locked.save(update_fields=["child_when_exploited"])
        _audit_move(locked, "case.child_when_exploited", actor=actor, membership=membership, source=source)
    return True
