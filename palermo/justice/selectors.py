"""Reads of the justice area.

Every page and API read starts from `justice_case`: the case the viewer may see (palermo.access.selectors,
404 otherwise) AND a role whose duty opens this part of the area (the matrix's `justice` entry, 404
otherwise: a residence decider is answered as for a case that does not exist). Records are then read at the
viewer's tiers (`Tiered` on pages, the tiered serializers in the API);
showing T2-T4 values is a recorded read.

A proceeding may concern several cases: through one case, only that case's own part is read (its role, its
pseudonym, its summonses, measures and statements); of the others, nothing at all.

`current_risk_assessment` is the read other areas use (a return's risk check): the overall level and dates
(T1) of the case's current assessment, no page's read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from rest_framework.request import Request

from palermo.access.matrix import JusticePart, justice_reads
from palermo.access.tiered import note_read
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.dates import DateKind, PersonDate
from palermo.cases.facts import has_none
from palermo.cases.models import Case
from palermo.cases.web import visible_case
from palermo.core.days import today
from palermo.justice.models import (
    Adjournment,
    CompensationClaim,
    Detention,
    Hearing,
    HearingMeasure,
    HearingStatus,
    InformedChoice,
    MeasureStatus,
    NonPunishmentRequest,
    Offence,
    Proceeding,
    ProceedingParty,
    ProtectionMeasure,
    RequestOutcome,
    RiskAssessment,
    RiskLevel,
    RiskRating,
    Statement,
    Summons,
)

LARGEST_ID = 2**63 - 1


def proceeding_numbered(pk: Any) -> Proceeding | None:
    """The proceedings a join names by number; the join service decides whether the caller may use them."""
    return Proceeding.objects.filter(pk=pk).first()


def current_risk_assessment(case: Case) -> RiskAssessment | None:
    """The latest completed assessment of the case whose review date has not passed; None when there is none
    or when the latest is overdue for review (an overdue assessment no longer says what the risk is)."""
    latest = (
        RiskAssessment.objects.filter(case=case, completed_on__isnull=False)
        .order_by("-completed_on", "-id")
        .first()
    )
    if latest is None or latest.review_on is None or latest.review_on < today():
        return None
    return latest


# --- who reads what ---


def parts_readable(membership: Membership | None, case: Case) -> frozenset[JusticePart]:
    """The parts of the area this membership's duty opens on this case (none when it cannot see the case)."""
    if membership is None:
        return frozenset()
    return justice_reads(membership.role)


@dataclass(frozen=True)
class JusticeView:
    """The case as one viewer reads this area: the case, its tiers and the parts its duty opens."""

    case: Case
    tiers: frozenset[int]
    parts: frozenset[JusticePart]
    membership: Membership

    def reads(self, part: JusticePart) -> bool:
        return part in self.parts


def justice_case(
    request: HttpRequest | Request, reference: str, part: JusticePart | None = None
) -> JusticeView:
    """The visible case and what this viewer reads of the area; 404 when its duty opens nothing of the area
    (or not `part`), exactly as for a case it may not see."""
    case, tiers = visible_case(request, reference)
    membership = acting(request).membership
    parts = parts_readable(membership, case)
    if not parts or (part is not None and part not in parts):
        raise Http404
    return JusticeView(case, tiers, parts, membership)


def shown(view: JusticeView, records: Sequence[Any], tier: int, object_type: str) -> None:
    """Note that these records were shown at `tier` when the viewer reads it (T2-T4 reads are audited)."""
    if records and tier in view.tiers:
        note_read(
            membership=view.membership,
            case=view.case,
            tier=tier,
            action="justice.read",
            object_type=object_type,
            object_ids=[record.pk for record in records],
        )


# --- the records of one case ---


def risk_assessments_of(case: Case) -> list[RiskAssessment]:
    ratings = RiskRating.objects.order_by("pk")
    return list(
        RiskAssessment.objects.filter(case=case)
        .select_related("agency")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("-assessed_on", "-id")
    )


def protection_measures_of(case: Case) -> list[ProtectionMeasure]:
    return list(ProtectionMeasure.objects.filter(case=case).order_by("starts_on", "id"))


def parties_of(case: Case, pk: int | None = None) -> list[ProceedingParty]:
    """The case's part in each proceeding (or in the one with `pk`): the proceeding, its hearings with this
    case's summonses and measures, this case's statements; never another case's part."""
    summonses = Summons.objects.filter(party__case=case).prefetch_related(
        Prefetch("measures", queryset=HearingMeasure.objects.order_by("pk"))
    )
    hearings = Hearing.objects.order_by("held_on", "pk").prefetch_related(
        Prefetch("summonses", queryset=summonses, to_attr="own_summonses"),
        Prefetch("adjournments", queryset=Adjournment.objects.order_by("pk")),
    )
    found = ProceedingParty.objects.filter(case=case)
    if pk is not None:
        if pk > LARGEST_ID:  # no such record, and too large for the database to be asked
            return []
        found = found.filter(proceeding_id=pk)
    parties = list(
        found.select_related("proceeding")
        .prefetch_related(
            Prefetch("proceeding__hearings", queryset=hearings),
            Prefetch("statements", queryset=Statement.objects.order_by("taken_on", "pk")),
        )
        .order_by("proceeding__opened_on", "pk")
    )
    for party in parties:
        party.case = case
    return parties


def party_in(case: Case, pk: int) -> ProceedingParty:
    found = parties_of(case, pk)
    if not found:
        raise Http404
    return found[0]


@dataclass
class ChecklistRow:
    """One measure at one hearing, as the checklist shows it: asked, granted or refused, honoured or not."""

    hearing: Hearing
    measure: HearingMeasure

    @property
    def not_honoured(self) -> bool:
        return self.measure.honoured is False


@dataclass
class HearingBlock:
    hearing: Hearing
    summons: Summons | None
    measures: list[HearingMeasure] = field(default_factory=list)

    @property
    def granted(self) -> list[HearingMeasure]:
        return [m for m in self.measures if m.decision == "granted"]

    @property
    def not_honoured(self) -> list[HearingMeasure]:
        return [m for m in self.measures if m.decision == "granted" and m.honoured is False]


def hearing_blocks(party: ProceedingParty) -> list[HearingBlock]:
    """Each hearing of the party's proceeding with this party's summons and measures (the checklist)."""
    blocks = []
    for hearing in party.proceeding.hearings.all():
        summons = next(iter(getattr(hearing, "own_summonses", [])), None)
        blocks.append(HearingBlock(hearing, summons, list(summons.measures.all()) if summons else []))
    return blocks


def next_hearing(party: ProceedingParty) -> Hearing | None:
    """The party's proceeding's next hearing still to come (from its prefetched hearings, soonest first)."""
    return next((hearing for hearing in party.proceeding.hearings.all() if hearing.is_to_come), None)


def interviews_count(statements: Iterable[Statement]) -> int:
    """How often the person was interviewed or testified anew (a reused recording is not a new interview)."""
    return sum(1 for statement in statements if statement.is_new_interview)


def choices_of(case: Case) -> list[InformedChoice]:
    return list(InformedChoice.objects.filter(case=case).order_by("-chosen_on", "-id"))


def claims_of(case: Case) -> list[CompensationClaim]:
    return list(
        CompensationClaim.objects.filter(case=case).prefetch_related("payments").order_by("claimed_on", "id")
    )


def offences_of(case: Case) -> list[Offence]:
    requests = NonPunishmentRequest.objects.order_by("requested_on", "pk")
    return list(
        Offence.objects.filter(case=case)
        .prefetch_related(Prefetch("requests", queryset=requests))
        .order_by("recorded_at", "id")
    )


def request_of(case: Case, pk: int) -> NonPunishmentRequest:
    found: NonPunishmentRequest = record_on(
        NonPunishmentRequest, case, pk, "offence__case", related=("offence",)
    )
    found.offence.case = case
    return found


def detentions_of(case: Case) -> list[Detention]:
    return list(Detention.objects.filter(case=case).order_by("starts_on", "id"))


def record_on(
    model: type[Any], case: Case, pk: int, case_path: str = "case", related: Sequence[str] = ()
) -> Any:
    """One record of the case by id, reached from the record by `case_path` (404 when it is another
    case's), read with the related records named."""
    records = model.objects.filter(pk=pk, **{case_path: case})
    found = (records.select_related(*related) if related else records).first()
    if found is None:
        raise Http404
    return found


def hearing_on(case: Case, pk: int) -> Hearing:
    """A hearing the case is called to (404 otherwise), with its proceedings."""
    return record_on(Hearing, case, pk, "summonses__party__case", related=("proceeding",))  # type: ignore[no-any-return]


def hearing_measure_on(case: Case, pk: int) -> HearingMeasure:
    """A measure asked for the case's person at a hearing (404 otherwise)."""
    return record_on(HearingMeasure, case, pk, "summons__party__case")  # type: ignore[no-any-return]


def proceeding_id_of(record: Proceeding | Hearing | HearingMeasure | Any) -> int:
    """The proceedings a record of them belongs to: the page, or this case's part, shown after a change."""
    if isinstance(record, Proceeding):
        return record.pk
    if isinstance(record, Hearing):
        return record.proceeding_id
    if isinstance(record, HearingMeasure):
        return record.summons.hearing.proceeding_id
    return int(record.proceeding_id)


def letter_request(view: JusticeView, pk: int) -> NonPunishmentRequest:
    """The request whose letter to the prosecutor is printed: the letter names the person (or their
    pseudonym), so only a reader of identity (T2) gets it (404 otherwise), and the read is recorded."""
    if Tier.IDENTITY not in view.tiers:
        raise Http404
    found = request_of(view.case, pk)
    shown(view, [found], Tier.IDENTITY, "justice_letter")
    return found


# --- the case page's section (T1 only) ---


@dataclass(frozen=True)
class Brief:
    proceedings: int = 0
    next_hearing: datetime.date | None = None
    risk_level: str = ""
    risk_review: datetime.date | None = None
    risk_overdue: bool = False
    unpaid_awards: int = 0
    detained: bool = False
    pending_requests: int = 0

    @property
    def risk_label(self) -> str:
        return str(RiskLevel(self.risk_level).label) if self.risk_level else ""


def _count(queryset: QuerySet[Any]) -> Any:
    """The rows of a per-case subquery, counted (0 when none)."""
    counted = queryset.order_by().values("case_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _brief_reads(parts: frozenset[JusticePart], case: Case) -> dict[str, Any]:
    """The section's per-case subqueries for the parts the viewer's duty opens, leaving out a kind the page
    already knows the case has no row of (palermo.cases.facts): what is left out reads as none."""
    here = OuterRef("pk")
    reads: dict[str, Any] = {}
    if JusticePart.PROCEEDINGS in parts and not has_none(case, ProceedingParty):
        upcoming = Hearing.objects.to_come().filter(summonses__party__case=here)
        reads["j_proceedings"] = _count(ProceedingParty.objects.filter(case=here))
        reads["j_next"] = Subquery(upcoming.order_by("held_on").values("held_on")[:1])
    if JusticePart.RISK in parts and not has_none(case, RiskAssessment):
        latest = RiskAssessment.objects.filter(case=here, completed_on__isnull=False).order_by(
            "-completed_on", "-id"
        )
        reads["j_level"] = Subquery(latest.values("overall_level")[:1])
        reads["j_review"] = Subquery(latest.values("review_on")[:1])
    if JusticePart.COMPENSATION in parts and not has_none(case, CompensationClaim):
        reads["j_unpaid"] = _count(
            CompensationClaim.objects.filter(case=here, awarded_amount__gt=F("paid_amount"))
        )
    if JusticePart.NON_PUNISHMENT in parts:
        if not has_none(case, Detention):
            reads["j_detained"] = Exists(Detention.objects.filter(case=here, ends_on__isnull=True))
        if not has_none(case, Offence):
            reads["j_pending"] = _count(
                NonPunishmentRequest.objects.filter(
                    offence__case=here, outcome=RequestOutcome.PENDING
                ).annotate(case_id=F("offence__case_id"))
            )
    return reads


def brief_of(case: Case, parts: frozenset[JusticePart]) -> Brief:
    """What the section says, at T1, of what the viewer's duty opens: one query, whatever the case holds,
    asking only of the parts it opens; none at all where the page knows the case has nothing of them."""
    reads = _brief_reads(parts, case)
    row: dict[str, Any] | None = {}
    if reads:
        row = Case.objects.filter(pk=case.pk).annotate(**reads).values(*reads).first()
    if row is None:
        return Brief()
    found: dict[str, Any] = {}
    if JusticePart.PROCEEDINGS in parts:
        found.update(proceedings=row.get("j_proceedings", 0), next_hearing=row.get("j_next"))
    if JusticePart.RISK in parts:
        level, review = row.get("j_level"), row.get("j_review")
        current = review is not None and review >= today()
        found.update(
            risk_level=level if current else "",
            risk_review=review if current else None,
            risk_overdue=level is not None and not current,
        )
    if JusticePart.COMPENSATION in parts:
        found["unpaid_awards"] = row.get("j_unpaid", 0)
    if JusticePart.NON_PUNISHMENT in parts:
        found.update(detained=row.get("j_detained", False), pending_requests=row.get("j_pending", 0))
    return Brief(**found)


# --- the person's dates (palermo.cases.dates) ---


def person_dates(case: Case) -> list[PersonDate]:
    """Hearings still to come and protection measures in place (until when)."""
    hearings = Hearing.objects.to_come().filter(summonses__party__case=case)
    dates = [
        PersonDate(DateKind.HEARING, on=held_on) for held_on in hearings.values_list("held_on", flat=True)
    ]
    measures = ProtectionMeasure.objects.filter(case=case, status=MeasureStatus.ACTIVE, ends_on__gte=today())
    dates += [
        PersonDate(DateKind.PROTECTION_ENDS, on=ends_on)
        for ends_on in measures.values_list("ends_on", flat=True)
    ]
    return dates


def chart_dates(case: Case, membership: Membership | None) -> list[PersonDate]:
    """For the legal-status chart (residence's, through palermo.cases.dates), as this reader's duty opens the
    area: every hearing the case's person is called to (a reader of proceedings) and the protection plan's
    measures not ended, from their start to their end (a reader of the risk part). Nothing at all for a
    reader the area is closed to, such as a residence decider: not a query is made. Days only (T1). One query
    each, none where the case page already knows the case has no such record."""
    parts = parts_readable(membership, case)
    dates: list[PersonDate] = []
    if JusticePart.PROCEEDINGS in parts and not has_none(case, ProceedingParty):
        days = (
            Hearing.objects.filter(summonses__party__case=case)
            .exclude(status=HearingStatus.CANCELLED)
            .order_by("held_on")
            .values_list("held_on", flat=True)
            .distinct()
        )
        dates += [PersonDate(DateKind.HEARING, on=day) for day in days]
    if JusticePart.RISK in parts and not has_none(case, ProtectionMeasure):
        measures = ProtectionMeasure.objects.filter(case=case).exclude(status=MeasureStatus.ENDED)
        dates += [
            PersonDate(DateKind.PROTECTION_ENDS, on=ends_on, since=starts_on)
            for starts_on, ends_on in measures.values_list("starts_on", "ends_on")
        ]
    return dates


def measures_in_place(case: Case) -> QuerySet[ProtectionMeasure]:
    return ProtectionMeasure.objects.filter(case=case, status=MeasureStatus.ACTIVE)
