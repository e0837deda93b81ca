"""The area's writes, declared once for both doors (the pages and the API): each names the part of the area
whose duty it needs, the service that makes it, the service's keyword for what it acts on and how that record
is found on the case from the URL's id (404 when it is not the case's). A page adds its form and message, the
API its serializers and documentation; both run the write through `Act.run`."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from palermo.access.matrix import JusticePart
from palermo.cases.models import Case
from palermo.justice.models import CompensationClaim, Detention, Offence, ProtectionMeasure
from palermo.justice.selectors import (
    choices_of,
    claims_of,
    detentions_of,
    hearing_measure_on,
    hearing_on,
    offences_of,
    parties_of,
    party_in,
    protection_measures_of,
    record_on,
    request_of,
    risk_assessments_of,
)
from palermo.justice.services import person, proceedings, risk

P = JusticePart
Find = Callable[[Case, int], Any]


@dataclass(frozen=True)
class Act:
    """One write: the `part` whose duty it needs, its `service`, the service's keyword for what it acts on
    (`acts_on`) and how that record is found on the case (`find`; none: the write acts on the case)."""

    part: JusticePart
    service: Callable[..., Any]
    acts_on: str = "case"
    find: Find | None = None
    # A write on one record that adds another under it (a hearing of proceedings, a payment on a claim);
    # a write on the case always adds one.
    adds: bool = False
    # The case's records of the kind the write adds, in order (the list the area shows them in).
    records: Callable[[Case], list[Any]] | None = None

    @property
    def on_proceeding(self) -> bool:
        """A write on one proceeding's records: the proceeding's page shows it, and the API answers this
        case's part in the proceedings."""
        return self.part is P.PROCEEDINGS and self.find is not None

    @property
    def new_record(self) -> bool:
        return self.find is None or self.adds

    def target(self, case: Case, pk: int | None) -> Any:
        """What the write acts on: the case, or the record of it with the URL's id (404 if none)."""
        return case if self.find is None or pk is None else self.find(case, pk)

    def run(self, *, actor: Any, membership: Any, case: Case, target: Any, values: dict[str, Any]) -> Any:
        """Call the service on `target` (the case, or the record found) with the checked `values`; the
        case too where the service takes it beside the record."""
        takes_case = self.acts_on != "case" and "case" in inspect.signature(self.service).parameters
        extra = {"case": case} if takes_case else {}
        return self.service(actor=actor, membership=membership, **{self.acts_on: target}, **extra, **values)


def _on(model: type[Any]) -> Find:
    return lambda case, pk: record_on(model, case, pk)


def _proceeding(case: Case, pk: int) -> Any:
    return party_in(case, pk).proceeding


RISK = Act(P.RISK, risk.risk_assessment_record, records=risk_assessments_of)
PLAN = Act(P.RISK, risk.protection_measure_add, records=protection_measures_of)
PLAN_STATUS = Act(P.RISK, risk.protection_measure_update, "measure", _on(ProtectionMeasure))
PROCEEDING = Act(P.PROCEEDINGS, proceedings.proceeding_open, records=parties_of)
JOIN = Act(P.PROCEEDINGS, proceedings.proceeding_join)
STAGE = Act(P.PROCEEDINGS, proceedings.proceeding_update, "proceeding", _proceeding)
PARTY = Act(P.PROCEEDINGS, proceedings.party_update, "party", party_in)
HEARING = Act(P.PROCEEDINGS, proceedings.hearing_schedule, "proceeding", _proceeding, adds=True)
STATEMENT = Act(P.PROCEEDINGS, proceedings.statement_record, "proceeding", _proceeding, adds=True)
HELD = Act(P.PROCEEDINGS, proceedings.hearing_held, "hearing", hearing_on)
ADJOURN = Act(P.PROCEEDINGS, proceedings.hearing_adjourn, "hearing", hearing_on)
CANCEL = Act(P.PROCEEDINGS, proceedings.hearing_cancel, "hearing", hearing_on)
ASK = Act(P.PROCEEDINGS, proceedings.hearing_measure_request, "hearing", hearing_on, adds=True)
DECIDE = Act(P.PROCEEDINGS, proceedings.hearing_measure_decide, "measure", hearing_measure_on)
CHOICES = Act(P.CHOICES, person.choices_record, records=choices_of)
CLAIM = Act(P.COMPENSATION, person.claim_record, records=claims_of)
AWARD = Act(P.COMPENSATION, person.claim_award, "claim", _on(CompensationClaim))
PAYMENT = Act(P.COMPENSATION, person.claim_payment, "claim", _on(CompensationClaim), adds=True)
OFFENCE = Act(P.NON_PUNISHMENT, person.offence_record, records=offences_of)
REQUEST = Act(P.NON_PUNISHMENT, person.non_punishment_request, "offence", _on(Offence), adds=True)
OUTCOME = Act(P.NON_PUNISHMENT, person.non_punishment_outcome, "request", request_of)
DETENTION = Act(P.NON_PUNISHMENT, person.detention_record, records=detentions_of)
RELEASE = Act(P.NON_PUNISHMENT, person.detention_end, "detention", _on(Detention))
