"""Best-interest assessments and determinations: who took part (several disciplines), what information was
considered, the child's views, the options weighed, the decision and its reasons. A determination is what
decisions on the child's legal status, care, return or resettlement wait for (palermo.children.guards).

Everything said is narrative (T4), so recording one needs write access at T4 on the case.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Unpack

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import Role
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry
from palermo.children.models import (
    BestInterestKind,
    BestInterestParticipant,
    BestInterestProcedure,
    SolutionKind,
)
from palermo.children.services.common import (
    ChildHeard,
    child_views_of,
    clean_past_day,
    clean_text,
    decided_on_record,
    require_child_writer,
)
from palermo.core.decisions import DecisionSubject
from palermo.core.stamps import stamped

# Who can take part: the professions around a child (the national coordinator, DPO and administrator cannot).
PARTICIPANT_ROLES = (
    Role.GUARDIAN,
    Role.CASE_MANAGER,
    Role.FIRST_RESPONDER,
    Role.IDENTIFICATION_AUTHORITY,
    Role.MIGRATION_OFFICER,
    Role.INVESTIGATOR,
    Role.PROTECTION_OFFICER,
    Role.SERVICE_PROVIDER,
)
MIN_DISCIPLINES = 2
ENTRIES = {
    BestInterestKind.ASSESSMENT: Entry(
        gettext_noop("Best-interest assessment recorded"),
        "children.best_interest.assessment",
        Tier.NARRATIVE,
        EventKind.BEST_INTEREST,
    ),
    BestInterestKind.DETERMINATION: Entry(
        gettext_noop("Best-interest determination recorded"),
        "children.best_interest.determination",
        Tier.NARRATIVE,
        EventKind.BEST_INTEREST,
    ),
}
LABELS = {
    BestInterestKind.ASSESSMENT: gettext_noop("Best-interest assessment"),
    BestInterestKind.DETERMINATION: gettext_noop("Best-interest determination"),
}


def may_record_best_interest(membership: Membership, case: Case) -> bool:
    return can_write(membership, case, Tier.NARRATIVE)


def _clean_roles(kind: str, roles: Iterable[str]) -> list[str]:
    chosen = sorted(set(roles))
    if any(role not in PARTICIPANT_ROLES for role in chosen):
        raise ValidationError({"participant_roles": _("Choose the roles of those who took part.")})
    if kind == BestInterestKind.DETERMINATION and len(chosen) < MIN_DISCIPLINES:
        raise ValidationError(
            {"participant_roles": _("A determination is multidisciplinary: at least two roles take part.")}
        )
    if not chosen:
        raise ValidationError({"participant_roles": _("Choose the roles of those who took part.")})
    return chosen


def best_interest_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    kind: str,
    decided_on: datetime.date,
    participant_roles: Iterable[str],
    participant_agencies: Iterable[Agency] = (),
    information_considered: str,
    options_considered: str,
    decision: str,
    reasons: str,
    recommends: str = "",
    **heard: Unpack[ChildHeard],
) -> BestInterestProcedure:
    """`recommends`: what a determination recommends (integration, return, relocation), or blank; a child's
    return goes ahead only on the latest determination recommending it (palermo.children.returning)."""
    require_child_writer(membership, case)
    if kind not in BestInterestKind.values:
        raise ValidationError({"kind": _("Choose an assessment or a determination.")})
    recommends = recommends or ""
    if recommends and recommends not in SolutionKind.values:
        raise ValidationError({"recommends": _("Choose what the determination recommends.")})
    if recommends and kind != BestInterestKind.DETERMINATION:
        raise ValidationError(
            {"recommends": _("Only a determination recommends a solution: leave it blank for an assessment.")}
        )
    roles = _clean_roles(kind, participant_roles)
    agencies = [agency for agency in participant_agencies if agency.is_active]
    views = child_views_of(heard)
    fields = {
        "information_considered": clean_text(information_considered, "information_considered"),
        "options_considered": clean_text(options_considered, "options_considered"),
        "decision": clean_text(decision, "decision"),
        "reasons": clean_text(reasons, "reasons"),
    }
    decided_on = clean_past_day(decided_on, "decided_on")

    def create() -> BestInterestProcedure:
        """The procedure, with the agencies and the roles that took part."""
        procedure = BestInterestProcedure.objects.create(
            case=case,
            kind=kind,
            decided_on=decided_on,
            recommends=recommends,
            **stamped(actor, membership),
            **fields,
            **views,
        )
        procedure.participant_agencies.set(agencies)
        BestInterestParticipant.objects.bulk_create(
            [BestInterestParticipant(procedure=procedure, role=role) for role in roles]
        )
        return procedure

    chosen = BestInterestKind(kind)
    return decided_on_record(
        create,
        ENTRIES[chosen],
        DecisionSubject.OTHER,
        LABELS[chosen],
        views=views,
        actor=actor,
        membership=membership,
        case=case,
    )
