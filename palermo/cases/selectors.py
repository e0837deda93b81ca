"""Every read of the case record, through the access policy. Views and API views read only through here.

Forbidden and missing look the same: a record outside what the acting membership may see raises Http404.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.query import ModelIterable
from django.http import Http404
from django.utils import timezone

from palermo.access.policy import ANNOTATED_TEAM, tiers_allowed
from palermo.access.selectors import case_team_entries, cases_readable_at, cases_visible_to
from palermo.access.tiered import Tiered, note_read, note_records_read, redact, redact_all, shown_tier
from palermo.access.tiers import Tier, parse_tier
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.proxies import with_agency_tiers
from palermo.audit.services import audit_record
from palermo.cases.facts import has_none, nothing, preloaded
from palermo.cases.identity import person_matcher
from palermo.cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseExploitation,
    CaseNote,
    Consent,
    ConsentGiver,
    IdentityDocument,
    IntakeDraft,
    Person,
    PersonAlias,
    PersonCitizenship,
    PersonLanguage,
    Phase,
)
from palermo.cases.services.intake import draft_for

# ---------------------------------------------------------------------------------------------------------
# Cases, their lists and search (T1 metadata)
# ---------------------------------------------------------------------------------------------------------

CASE_TIERS = (1, 2, 3, 4)


def readable_tiers(membership: Membership, case: Case) -> frozenset[int]:
    """The tiers of case data (T1-T4) this membership may read on this case; empty when none."""
    return frozenset(int(tier) for tier in tiers_allowed(membership, case) if int(tier) in CASE_TIERS)


def case_list_queryset(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a list row shows, joined or prefetched once per page whatever the page size."""
    return cases.select_related("lead_agency").prefetch_related(
        Prefetch("exploitation_forms", queryset=CaseExploitation.objects.order_by("form"))
    )


def my_cases(membership: Membership) -> QuerySet[Case]:
    """Cases this user, or their agency, works on: on the case team (the policy's own team fact, annotated by
    `cases_visible_to`), or led by their agency."""
    on_team = Q(**{ANNOTATED_TEAM: True})
    mine = cases_visible_to(membership).filter(on_team | Q(lead_agency_id=membership.agency_id))
    return case_list_queryset(mine).order_by("-opened_at", "-pk")


def new_cases(membership: Membership, days: int) -> QuerySet[Case]:
    """My cases opened in the last `days` days and not closed since, newest first: the home page's new work (a
    case closed already asks nothing of anyone)."""
    since = timezone.now() - datetime.timedelta(days=days)
    return my_cases(membership).filter(opened_at__gte=since).exclude(phase=Phase.CLOSED)


def names_shown(membership: Membership | None, case_ids: Iterable[int]) -> dict[int, str]:
    """For a worklist: the name of each case's first person, by case id, on the cases whose identity (T2)
    this membership may read; the other cases are absent (the row shows its reference alone). At most two
    queries whatever the number of cases (which are readable, and their persons); each name shown is a read
    of identity, recorded through the read ledger like any other (one event per case)."""
    ids = sorted(set(case_ids))
    if membership is None or not ids:
        return {}
    by_id = {case.pk: case for case in cases_readable_at(membership, Tier.IDENTITY).filter(pk__in=ids)}
    persons = Person.objects.filter(case_id__in=list(by_id)).only(
        "id", "case_id", "row_key", "given_names", "family_names"
    )
    first: dict[int, Person] = {}
    for person in persons.order_by("case_id", "pk"):
        first.setdefault(person.case_id, person)
    names = {}
    for case_id, person in first.items():
        shown = redact(
            person,
            tiers=(Tier.METADATA, Tier.IDENTITY),
            membership=membership,
            case=by_id[case_id],
            action="person.read",
        )
        names[case_id] = f"{shown.given_names} {shown.family_names}".strip()
    return names


def cases_matching_person(*, name: str, birth_date: str | None = None) -> QuerySet[Case]:
    """Cases with a person whose name (and birth date, when given) match exactly through blind indexes."""
    persons = Person.objects.matching_name(name)
    if birth_date:
        persons = persons.matching_birth_date(birth_date)
    return Case.objects.filter(pk__in=persons.values("case_id"))


class _NameSearchRows(ModelIterable):  # type: ignore[type-arg]
    """A name search's rows, recorded as that search (the references found) once they are read."""

    def __iter__(self) -> Iterator[Case]:
        rows = list(super().__iter__())
        searcher = self.queryset.searcher  # type: ignore[attr-defined]
        found = [row.reference for row in rows]
        audit_name_search(actor=searcher.user, membership=searcher, references=found)
        return iter(rows)


class NameSearchResults(QuerySet[Case]):
    """The cases a search by name found. Its rows are read as cases only, so that each read is recorded:
    `values()` and `values_list()` would name the cases found past the record, and refuse."""

    searcher: Membership

    def _clone(self) -> NameSearchResults:
        clone: NameSearchResults = super()._clone()  # type: ignore[misc]
        clone.searcher = self.searcher
        return clone

    def values(self, *fields: Any, **expressions: Any) -> QuerySet[Any]:
        raise TypeError("a name search's cases are read as cases, so that the read is recorded")

    def values_list(self, *fields: Any, flat: bool = False, named: bool = False) -> QuerySet[Any]:
        raise TypeError("a name search's cases are read as cases, so that the read is recorded")


def recorded_as_name_search(queryset: QuerySet[Case], *, searcher: Membership) -> NameSearchResults:
    """The cases a search by name found, recorded as that search when their rows are read (a page of
    results, whoever reads it: a page, the API, a clone ordered or sliced later), so no view has to
    remember it. Counting them records nothing: a count names no case."""
    recorded = NameSearchResults(model=Case, query=queryset.query.chain(), using=queryset.db)
    recorded.searcher = searcher
    recorded._iterable_class = _NameSearchRows  # carried by every clone (filter, order_by, a page's slice)
    return recorded


def audit_name_search(*, actor: User, membership: Membership, references: Iterable[str]) -> None:
    """A search by name tells the searcher that a person is on these cases: a T2 read, recorded with the
    references found (never the name searched for)."""
    found = ",".join(references)
    with transaction.atomic():
        audit_record(
            actor=actor,
            membership=membership,
            action="case.search_name",
            tier=2,
            object_type="case",
            reason=f"found: {found or 'none'}",
        )


# ---------------------------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------------------------


def case_timeline(
    case: Case, tiers: Iterable[int], hidden_kinds: frozenset[str] = frozenset()
) -> QuerySet[CaseEvent]:
    """Every event of the case in time order, without those above the viewer's tiers (omitted, not masked)
    and without the kinds the viewer's duty does not open (`palermo.cases.duties`)."""
    events = (
        CaseEvent.objects.filter(case=case, tier__in=sorted(set(tiers)))
        .exclude(kind__in=sorted(hidden_kinds))
        .select_related("actor", "agency")
        .annotate(case_lead_agency_id=F("case__lead_agency_id"))
        .order_by("occurred_at", "pk")
    )
    return with_agency_tiers(events, "agency_id")  # who wrote each entry may be a proxy (decision 0020)


# ---------------------------------------------------------------------------------------------------------
# Notes and documents
# ---------------------------------------------------------------------------------------------------------


Written = TypeVar("Written", CaseNote, CaseDocument)


def _written(model: type[Written], case: Case, tiers: Iterable[int], writer: str) -> QuerySet[Written]:
    """The case's notes or documents at the viewer's tiers, newest first. Who wrote each (`writer`) may be a
    proxy (decision 0020): the rule's answers come with the rows (`with_agency_tiers`, the lead agency). None
    of them on the case: an empty answer, compiled never (`nothing`)."""
    if has_none(case, model):
        return nothing(model.objects.all())
    rows = (
        model.objects.filter(case=case, tier__in=sorted(set(tiers)))
        .select_related(writer, "agency")
        .annotate(case_lead_agency_id=F("case__lead_agency_id"))
        .order_by("-created_at", "-pk")
    )
    return with_agency_tiers(rows, "agency_id")


def _written_one(readable: QuerySet[Written], case: Case, pk: int) -> Written:
    """One of the case's notes or documents the reader may read (404 otherwise)."""
    record = readable.filter(pk=pk).first()
    if record is None:
        raise Http404
    record.case = case  # already read through the policy; spares a query
    return record


def case_notes(case: Case, tiers: Iterable[int]) -> QuerySet[CaseNote]:
    """The case's notes at the viewer's tiers, newest first."""
    return _written(CaseNote, case, tiers, "author")


def case_note_for(membership: Membership, case: Case, note_id: int) -> CaseNote:
    return _written_one(case_notes(case, readable_tiers(membership, case)), case, note_id)


def _written_read(
    case: Case,
    membership: Membership,
    records: Iterable[CaseNote] | Iterable[CaseDocument],
    tiers: Iterable[int],
    *,
    content_tier: Callable[[Any], int],
    action: str,
    object_type: str,
) -> list[Any]:
    """Notes or documents as the reader may see who wrote them (a safe house's or a health service's worker
    withheld from a reader without T3/T4), their showing recorded once per request at the highest tier shown:
    the content's tier, or the writer's when the reader is shown a proxy."""
    shown = [Tiered(record, tiers, row_only=True) for record in records]
    read = {
        item.record.pk: tier
        for item in shown
        if (tier := max(content_tier(item.record), int(item.row_tier_shown))) > Tier.METADATA
    }
    if read:
        note_read(
            membership=membership,
            case=case,
            tier=max(read.values()),
            action=action,
            object_type=object_type,
            object_ids=list(read),
        )
    return shown


def notes_shown(
    case: Case, membership: Membership, notes: Iterable[CaseNote], tiers: Iterable[int]
) -> list[Tiered[CaseNote]]:
    """The notes a page or answer shows (each already read at a tier the reader may read); showing those
    above T1, or naming a writer at T3/T4, is recorded once per request, at the highest tier shown."""
    return _written_read(
        case,
        membership,
        notes,
        tiers,
        content_tier=lambda note: note.tier,
        action="note.read",
        object_type="case_note",
    )


def case_documents(case: Case, tiers: Iterable[int]) -> QuerySet[CaseDocument]:
    """The case's documents at the viewer's tiers, newest first (metadata only; content is downloaded)."""
    return _written(CaseDocument, case, tiers, "uploaded_by")


def case_document_for(membership: Membership, case: Case, document_id: int) -> CaseDocument:
    return _written_one(case_documents(case, readable_tiers(membership, case)), case, document_id)


def documents_shown(
    case: Case, membership: Membership, documents: Iterable[CaseDocument], tiers: Iterable[int]
) -> list[Tiered[CaseDocument]]:
    """The documents a page or answer lists, who uploaded them withheld as for notes. Their file names are T2:
    listing them to a reader of T2 is recorded once per request, and so is naming an uploader at T3/T4."""
    names = Tier.IDENTITY if Tier.IDENTITY in {parse_tier(tier) for tier in tiers} else Tier.METADATA
    return _written_read(
        case,
        membership,
        documents,
        tiers,
        content_tier=lambda _document: names,
        action="document.list",
        object_type="case_document",
    )


# ---------------------------------------------------------------------------------------------------------
# Persons (T1 facts, T2 identity, T3 whereabouts, T4 note: each shown only at the viewer's tiers)
# ---------------------------------------------------------------------------------------------------------


def case_persons(case: Case) -> QuerySet[Person]:
    """The case's persons with everything the person section shows, in a fixed number of queries (on the
    page that renders every section, read with the page's other reads: palermo.cases.facts)."""
    return preloaded(case, "cases.persons", lambda: _case_persons(case))


def _case_persons(case: Case) -> QuerySet[Person]:
    if has_none(case, Person):
        return nothing(Person.objects.all())
    return (
        Person.objects.filter(case=case)
        .prefetch_related(
            Prefetch("aliases", queryset=PersonAlias.objects.order_by("pk")),
            Prefetch("citizenships", queryset=PersonCitizenship.objects.order_by("pk")),
            Prefetch("languages", queryset=PersonLanguage.objects.order_by("pk")),
            Prefetch("identity_documents", queryset=IdentityDocument.objects.order_by("pk")),
        )
        .order_by("pk")
    )


def case_person_for(case: Case, person_id: int) -> Person:
    """One person of a case the caller may already see; 404 for a person of another case."""
    person = Person.objects.filter(case=case, pk=person_id).first()
    if person is None:
        raise Http404
    person.case = case  # already read through the policy; spares a query
    return person


def person_part_for(
    model: type[PersonAlias] | type[PersonCitizenship] | type[PersonLanguage] | type[IdentityDocument],
    case: Case,
    part_id: int,
) -> Any:
    """An alias, citizenship, language or identity document of one of the case's persons; 404 otherwise."""
    part = model.objects.select_related("person").filter(person__case=case, pk=part_id).first()
    if part is None:
        raise Http404
    part.person.case = case
    return part


def persons_shown(case: Case, membership: Membership, tiers: Iterable[int]) -> list[Tiered[Person]]:
    """The case's persons as this reader may see them (fields above its tiers hidden, never decrypted);
    showing identity, whereabouts or the note is recorded once per request, at the highest tier shown."""
    return redact_all(case_persons(case), tiers=tiers, membership=membership, case=case, action="person.read")


def person_shown(case: Case, membership: Membership, tiers: Iterable[int], person_id: int) -> Tiered[Person]:
    """One person of the case, with its aliases, citizenships, languages and documents, as the reader may
    see it (see `persons_shown`); 404 for a person of another case."""
    person = case_persons(case).filter(pk=person_id).first()
    if person is None:
        raise Http404
    person.case = case  # already read through the policy; spares a query
    return redact(person, tiers=tiers, membership=membership, case=case, action="person.read")


def person_for_form(case: Case, membership: Membership, tiers: Iterable[int], person: Person) -> Person:
    """A person whose fields at `tiers` (those the reader may write) fill an edit form: the read is recorded
    like any other, at the highest of those tiers."""
    allowed = frozenset(parse_tier(tier) for tier in tiers)
    note_records_read([person], "person.read", shown_tier(Person, allowed), membership=membership, case=case)
    return person


# ---------------------------------------------------------------------------------------------------------
# Intake drafts and the duplicate check
# ---------------------------------------------------------------------------------------------------------

# What the audit log names a draft by.
DRAFT = "intake_draft"


def draft_shown(membership: Membership, draft_id: int) -> IntakeDraft:
    """One of the user's own drafts, opened: everything typed into it is shown, a read at the tier its
    content is kept at (T4), recorded once per request."""
    draft = draft_for(membership, draft_id)
    note_records_read(
        [draft], "intake.draft_read", Tier.NARRATIVE, membership=membership, case=None, object_type=DRAFT
    )
    return draft


def drafts_listed(membership: Membership, drafts: Iterable[IntakeDraft]) -> list[IntakeDraft]:
    """The drafts a page lists by the names typed into them (T2); recorded once per request, the ids
    summarised to fit the audit column however long the page."""
    listed = list(drafts)
    note_records_read(
        listed, "intake.draft_list", Tier.IDENTITY, membership=membership, case=None, object_type=DRAFT
    )
    return listed


def duplicates_checked(
    membership: Membership, *, names: Iterable[str], birth_date: datetime.date
) -> PossibleDuplicates:
    """`possible_duplicates`, recorded (T2): it tells the responder that a person is, or is not, on cases
    they may see; the audit keeps the references."""
    found = possible_duplicates(membership, names=names, birth_date=birth_date)
    with transaction.atomic():
        audit_record(
            actor=membership.user,
            membership=membership,
            action="intake.duplicate_check",
            tier=Tier.IDENTITY,
            object_type="case",
            reason=f"visible: {','.join(found.visible) or 'none'}; others: {found.others_exist}",
        )
    return found


@dataclass(frozen=True)
class PossibleDuplicates:
    """What an intake may be told about existing records of the same person: references of the cases whose
    identity (T2) the user may read, and only THAT others exist (never which, nor whether the user may see
    them otherwise)."""

    visible: tuple[str, ...] = ()
    others_exist: bool = False
    limited: bool = False  # not checked: past the rate of the duplicate check (palermo.access.limits)

    def __bool__(self) -> bool:
        return bool(self.visible) or self.others_exist or self.limited


def possible_duplicates(
    membership: Membership, *, names: Iterable[str], birth_date: datetime.date | None
) -> PossibleDuplicates:
    """Cases with a person whose name (original script or Latin letters) AND birth date match, through the
    keyed indexes: exactly on the blind indexes, and tolerantly through the matcher a higher layer provides
    (palermo.cases.identity). Without a birth date there is no match: a name alone is too common to warn
    about.
    Only cases where the user may read the identity (T2) are named: a case seen at T1 only (a colleague's
    case in the lead agency) would otherwise tell who it is about; those count among "others exist"."""
    names = [name for name in names if name and name.strip()]
    if birth_date is None or not names:
        return PossibleDuplicates()
    persons = Person.objects.none()
    for name in names:
        persons = persons | Person.objects.matching_name(name).matching_birth_date(birth_date)
    matching = Case.objects.filter(pk__in=persons.values("case_id"))
    matcher = person_matcher()
    if matcher is not None:  # and the tolerant matching of the search (palermo.linkage, decision 0042)
        matching = matching | Case.objects.filter(pk__in=sorted(matcher(names, birth_date)))
    visible = list(
        cases_readable_at(membership, Tier.IDENTITY)
        .filter(pk__in=matching.values("pk"))
        .order_by("reference")
        .values_list("reference", flat=True)
    )
    others = matching.exclude(reference__in=visible).exists()
    return PossibleDuplicates(visible=tuple(visible), others_exist=others)


# ---------------------------------------------------------------------------------------------------------
# Consent
# ---------------------------------------------------------------------------------------------------------


def case_consents(case: Case) -> QuerySet[Consent]:
    """Every consent of the case, withdrawn ones included (they are part of the record), newest first."""
    return preloaded(case, "cases.consents", lambda: _case_consents(case))


def _case_consents(case: Case) -> QuerySet[Consent]:
    if has_none(case, Consent):
        return nothing(Consent.objects.all())
    consents = (
        Consent.objects.filter(case=case)
        .select_related("recipient_agency", "recorded_by", "withdrawn_by")
        .order_by("-given_at", "-pk")
    )
    return with_agency_tiers(consents, "recipient_agency_id")  # what the recipient says, in the same query


def case_consent_for(case: Case, consent_id: int) -> Consent:
    """One consent of a case the caller may already see; 404 for another case's."""
    consent = Consent.objects.filter(case=case, pk=consent_id).first()
    if consent is None:
        raise Http404
    consent.case = case
    return consent


def consent_valid(case: Case, purpose: str, recipient_agency: Agency | int | None = None) -> bool:
    """Whether the case holds a consent for `purpose` that has not been withdrawn: call it before acting.

    - `purpose` is a `ConsentPurpose` value (referral, sharing, transnational, statistics).
    - With `recipient_agency` (an Agency or its id), only a consent naming that agency counts: consent to
      share with one agency is not consent to share with another. Without it, any consent for the purpose
      counts (statistics; a referral to a named service outside the system).
    - On a child's case only consent given by the guardian or legal representative (or, before one is
      appointed, the temporary representative) counts, even if the person gave consent before the case was
      known to be a child's.
    - A withdrawn consent never counts; a later, new consent does.

    One query; `case.is_child` is read from the instance passed in.
    """
    consents = Consent.objects.filter(case=case, purpose=purpose, withdrawn_at__isnull=True)
    if recipient_agency is not None:
        agency_id = recipient_agency.pk if isinstance(recipient_agency, Agency) else recipient_agency
        consents = consents.filter(recipient_agency_id=agency_id)
    if case.is_child:
        consents = consents.filter(given_by__in=[ConsentGiver.GUARDIAN, ConsentGiver.TEMPORARY])
    return consents.exists()


def page_reads(case: Case, tiers: frozenset[int]) -> dict[str, QuerySet[Any]]:
    """What the case page's own sections read (persons, consents, the team, the forms of exploitation), for
    the page's one statement (palermo.cases.facts.register_case_reads)."""
    return {
        "cases.persons": _case_persons(case),
        "cases.consents": _case_consents(case),
        "cases.team": case_team_entries(case),
        "cases.exploitation": case.exploitation_forms.order_by("form"),
    }


def contact_channel_read(membership: Membership | None, case: Case) -> str:
    """How to reach the person safely (contact data, T2: the caller has checked the reader holds it); the read
    is noted like any other read of identity."""
    note_records_read([case], "case.contact_channel.read", Tier.IDENTITY, membership=membership, case=case)
    return case.contact_channel
