"""Family tracing: requests (to an agency, in a country), their results, contacts with the family, and the
assessment of the family's ability and willingness to receive the child, which any return relies on.

Who is sought and what was said is narrative (T4); where the family was found is location (T3). Requests and
contacts need write access at T4, results at T3 and T4.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.cases.models import Case
from palermo.cases.services.timeline import Entry
from palermo.children.models import (
    Answer,
    ContactMode,
    FamilyAssessment,
    FamilyContact,
    TracingRequest,
    TracingStatus,
)
from palermo.children.services.common import (
    CHILD,
    clean_country,
    clean_past_day,
    clean_text,
    edited_on_record,
    require_child_writer,
    saved_on_record,
)
from palermo.core.stamps import signed
from palermo.core.transitions import Lifecycle, moves

TRACING_REQUESTED = Entry(
    gettext_noop("Family tracing requested"), "children.tracing.request", Tier.METADATA, CHILD
)
TRACING_RESULT = Entry(
    gettext_noop("Family tracing result recorded"), "children.tracing.result", Tier.LOCATION, CHILD
)
FAMILY_CONTACTED = Entry(
    gettext_noop("Contact with the family recorded"), "children.family.contact", Tier.NARRATIVE, CHILD
)
FAMILY_ASSESSED = Entry(
    gettext_noop("Family assessment recorded"), "children.family.assess", Tier.NARRATIVE, CHILD
)


def may_trace(membership: Membership, case: Case) -> bool:
    return can_write(membership, case, Tier.NARRATIVE)


def may_record_result(membership: Membership, case: Case) -> bool:
    return can_write(membership, case, Tier.NARRATIVE) and can_write(membership, case, Tier.LOCATION)


def tracing_request(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    requested_on: datetime.date,
    details: str,
    country: str = "",
    tracing_agency: Agency | None = None,
) -> TracingRequest:
    require_child_writer(membership, case)
    tracing = TracingRequest(
        case=case,
        requested_on=clean_past_day(requested_on, "requested_on"),
        details=clean_text(details, "details"),
        country=clean_country(country),
        tracing_agency=tracing_agency,
        **signed(actor, membership, by="requested_by"),
    )
    return saved_on_record(tracing, TRACING_REQUESTED, actor=actor, membership=membership, case=case)


# The one transition table of a tracing request: a result (found, not found, closed) may be recorded, and
# corrected, at any time; nothing goes back to "tracing".
_RESULTS = {TracingStatus.FOUND, TracingStatus.NOT_FOUND, TracingStatus.CLOSED}
TRACING_LIFECYCLE = Lifecycle(
    noun=_("tracing request"),
    statuses=TracingStatus,
    transitions=moves(dict.fromkeys(TracingStatus, _RESULTS)),
)


def tracing_result(
    *,
    actor: User,
    membership: Membership,
    tracing: TracingRequest,
    status: str,
    result_on: datetime.date,
    result: str,
    expected_version: int,
) -> TracingRequest:
    """Record what the tracing found (the request's status, the date, and the result at T3)."""
    case = tracing.case
    if not may_record_result(membership, case):
        raise PermissionDenied("this membership may not record tracing results on this case")
    if status not in TracingStatus.values or status == TracingStatus.OPEN:
        raise ValidationError({"status": _("Choose the result of the tracing.")})
    result_on = clean_past_day(result_on, "result_on")
    if result_on < tracing.requested_on:
        raise ValidationError({"result_on": _("The result cannot come before the request.")})
    values = {"result_on": result_on, "result": clean_text(result, "result")}
    return edited_on_record(
        tracing,
        TRACING_RESULT,
        expected_version,
        actor=actor,
        membership=membership,
        values=values,
        prepare=lambda locked: TRACING_LIFECYCLE.apply(locked, status),
    )


def family_contact_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    contacted_on: datetime.date,
    mode: str,
    summary: str,
    tracing: TracingRequest | None = None,
) -> FamilyContact:
    require_child_writer(membership, case)
    if mode not in ContactMode.values:
        raise ValidationError({"mode": _("Say how the family was contacted.")})
    if tracing is not None and tracing.case_id != case.pk:
        raise ValidationError({"tracing": _("Choose a tracing request of this case.")})
    contact = FamilyContact(
        case=case,
        tracing=tracing,
        contacted_on=clean_past_day(contacted_on, "contacted_on"),
        mode=mode,
        summary=clean_text(summary, "summary"),
        **signed(actor, membership),
    )
    return saved_on_record(contact, FAMILY_CONTACTED, actor=actor, membership=membership, case=case)


def family_assessment_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    assessed_on: datetime.date,
    able: str,
    willing: str,
    family_involved: str,
    summary: str,
) -> FamilyAssessment:
    require_child_writer(membership, case)
    for name, value in (("able", able), ("willing", willing), ("family_involved", family_involved)):
        if value not in Answer.values:
            raise ValidationError({name: _("Answer yes, no or not clear.")})
    assessment = FamilyAssessment(
        case=case,
        assessed_on=clean_past_day(assessed_on, "assessed_on"),
        able=able,
        willing=willing,
        family_involved=family_involved,
        summary=clean_text(summary, "summary"),
        **signed(actor, membership, by="assessed_by"),
    )
    return saved_on_record(assessment, FAMILY_ASSESSED, actor=actor, membership=membership, case=case)
