"""Duplicate detection across agencies (docs/decisions/0042): a run as a background task, the review queue's
decisions, merges and unmerges.

A run decrypts every person's names and birth date in this process's memory only, scores pairs with
`palermo.linkage.probabilistic` (Splink on an in-memory DuckDB, blocked on keyed digests) and writes out
nothing but the pairs' person ids and scores. Task arguments are ids only.

A merge never changes or removes either record: both cases keep their person, with everything recorded on
them; a `PersonMerge` links the two as one person, on both cases' timelines and in the audit log through the
one case-change write (`record_entry`). An unmerge ends the link, on both timelines too: what was there
before the merge is what is there after the unmerge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks import task

from palermo.access.policy import can_see_case
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.audit.services import audit_on_record
from palermo.cases.models import EventKind, Person, PersonCitizenship
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.linkage.models import (
    Candidate,
    CandidateStatus,
    LinkageRun,
    PersonMerge,
    RunStatus,
)
from palermo.linkage.probabilistic import THRESHOLD, LinkRecord, link

REVIEWERS = (Role.IDENTIFICATION_AUTHORITY,)
BATCH = 1000
MERGED = Entry(
    gettext_noop("Linked as the same person as on case %(other)s"),
    "linkage.merge",
    Tier.IDENTITY,
    EventKind.PERSON,
    "person_merge",
)
UNMERGED = Entry(
    gettext_noop("Link as the same person as on case %(other)s undone"),
    "linkage.unmerge",
    Tier.IDENTITY,
    EventKind.PERSON,
    "person_merge",
)


def require_reviewer(membership: Membership) -> None:
    if membership.role not in REVIEWERS:
        raise PermissionDenied


# --- the run ----------------------------------------------------------------------------------------------


def linkage_run_start(*, actor: User, membership: Membership) -> LinkageRun:
    """Queue a run over every person; the task starts once the transaction commits."""
    require_reviewer(membership)
    with transaction.atomic():
        if LinkageRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
            raise ValidationError(_("A run is already under way: wait for it to finish."), code="running")
        run = LinkageRun.objects.create(started_by=actor)
        audit_on_record(
            run,
            "linkage_run",
            "linkage.run_start",
            Tier.METADATA,
            actor=actor,
            membership=membership,
        )
        run_id = run.pk
        transaction.on_commit(lambda: linkage_run_task.enqueue(run_id))
    return run


def birth_text(person: Person) -> str:
    if person.birth_date is None:
        return ""
    day = person.birth_date
    if person.birth_date_precision in ("year", "estimated"):
        return f"{day.year:04d}"
    if person.birth_date_precision == "year_month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def link_records(persons: Iterable[Person], citizenships: dict[int, list[str]]) -> list[LinkRecord]:
    """The persons as the linkage reads them (in memory only): Latin names where recorded, else their own."""
    return [
        LinkRecord(
            uid=str(person.pk),
            given=person.given_names_latin or person.given_names,
            family=person.family_names_latin or person.family_names,
            birth=birth_text(person),
            sex=person.gender if person.gender != "unknown" else "",
            citizenship=" ".join(sorted(citizenships.get(person.pk, []))),
        )
        for person in persons
    ]


def _progress(run_id: int, percent: int, stage: str) -> None:
    LinkageRun.objects.filter(pk=run_id).update(progress=percent, stage=stage)


def linkage_run_execute(run_id: int, *, threshold: float = THRESHOLD) -> LinkageRun:
    """Score every pair of persons on different cases; pairs above `threshold` not yet decided go to the
    review queue."""
    LinkageRun.objects.filter(pk=run_id).update(status=RunStatus.RUNNING, progress=1, stage="read")
    try:
        citizenships: dict[int, list[str]] = defaultdict(list)
        for person_id, country in PersonCitizenship.objects.values_list("person_id", "country"):
            citizenships[person_id].append(country)
        persons = Person.objects.only(
            "pk",
            "case_id",
            "gender",
            "birth_date_precision",
            "given_names",
            "family_names",
            "given_names_latin",
            "family_names_latin",
            "birth_date",
        ).order_by("pk")
        case_of = dict(persons.values_list("pk", "case_id"))
        records = link_records(persons.iterator(chunk_size=BATCH), citizenships)
        result = link(records, threshold=threshold, progress=lambda p, s: _progress(run_id, p, s))
        found = _queue(run_id, result.pairs, case_of)
    except Exception:
        LinkageRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, finished_at=timezone.now())
        raise
    LinkageRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE,
        progress=100,
        stage="done",
        persons=len(records),
        candidates=found,
        seconds=result.seconds,
        finished_at=timezone.now(),
    )
    return LinkageRun.objects.get(pk=run_id)


def _queue(run_id: int, pairs: Iterable, case_of: dict[int, int]) -> int:
    known = set(Candidate.objects.values_list("left_id", "right_id"))
    new = []
    for pair in pairs:
        left, right = sorted((int(pair.left), int(pair.right)))
        if case_of.get(left) == case_of.get(right) or (left, right) in known:
            continue
        known.add((left, right))
        new.append(Candidate(run_id=run_id, left_id=left, right_id=right, probability=pair.probability))
    Candidate.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


@task()
def linkage_run_task(run_id: int) -> int:
    """The run in the background; its argument is an id only. Returns the number of new candidates."""
    return linkage_run_execute(run_id).candidates


# --- the review queue --------------------------------------------------------------------------------------


def _both_visible(membership: Membership, candidate: Candidate) -> None:
    require_reviewer(membership)
    if not (can_see_case(membership, candidate.left.case) and can_see_case(membership, candidate.right.case)):
        raise PermissionDenied


def _decide(candidate: Candidate, expected_version: int, status: str, actor: User | None) -> Candidate:
    """Lock the pair at the version read, still pending, and set its decision (None: pending again)."""
    locked = lock_for_edit(Candidate, pk=candidate.pk, expected_version=expected_version)
    if status != CandidateStatus.PENDING and locked.status != CandidateStatus.PENDING:
        raise ValidationError(_("This pair has already been decided."), code="decided")
    locked.status, locked.decided_by = status, actor
    locked.decided_at = timezone.now() if actor is not None else None
    bump_version(locked)
    locked.save(update_fields=["status", "decided_by", "decided_at", "version"])
    return locked


def candidate_reject(
    *, actor: User, membership: Membership, candidate: Candidate, expected_version: int
) -> Candidate:
    """Different persons: the pair leaves the queue and is not proposed again."""
    _both_visible(membership, candidate)
    with transaction.atomic():
        locked = _decide(candidate, expected_version, CandidateStatus.DISTINCT, actor)
        audit_on_record(
            locked,
            "linkage_candidate",
            "linkage.distinct",
            Tier.METADATA,
            actor=actor,
            membership=membership,
        )
    return locked


def _on_both_timelines(entry: Entry, merge: PersonMerge, *, actor: User, membership: Membership) -> None:
    cases = (merge.kept.case, merge.merged.case)
    for case, other in (cases, cases[::-1]):
        values = {"other": other.reference}
        record_entry(entry, merge, actor=actor, membership=membership, case=case, values=values)


def person_merge(
    *, actor: User, membership: Membership, candidate: Candidate, expected_version: int
) -> PersonMerge:
    """The same person: the pair is merged (linked as one person; neither record changes)."""
    _both_visible(membership, candidate)
    with transaction.atomic():
        if PersonMerge.objects.filter(merged_id=candidate.right_id, undone_at__isnull=True).exists():
            raise ValidationError(_("This person is already merged with another."), code="merged")
        locked = _decide(candidate, expected_version, CandidateStatus.MERGED, actor)
        merge = PersonMerge.objects.create(
            kept_id=locked.left_id, merged_id=locked.right_id, candidate=locked, merged_by=actor
        )
        merge = PersonMerge.objects.select_related("kept__case", "merged__case").get(pk=merge.pk)
        _on_both_timelines(MERGED, merge, actor=actor, membership=membership)
    return merge


def candidate_decide(
    *, actor: User, membership: Membership, candidate: Candidate, same: bool, expected_version: int
) -> Candidate | PersonMerge:
    """The reviewer's decision on a pair, at the version read: the same person (merged) or different
    persons."""
    decide = person_merge if same else candidate_reject
    return decide(actor=actor, membership=membership, candidate=candidate, expected_version=expected_version)


def person_unmerge(*, actor: User, membership: Membership, merge: PersonMerge) -> PersonMerge:
    """Undo a merge: the link ends and the pair is back in the queue; both records are as they were."""
    require_reviewer(membership)
    if not (can_see_case(membership, merge.kept.case) and can_see_case(membership, merge.merged.case)):
        raise PermissionDenied
    with transaction.atomic():
        locked = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if locked.undone_at is not None:
            return locked  # undone already: nothing more to do
        locked.undone_by, locked.undone_at = actor, timezone.now()
        locked.save(update_fields=["undone_by", "undone_at"])
        if locked.candidate is not None:
            _decide(locked.candidate, locked.candidate.version, CandidateStatus.PENDING, None)
        locked = PersonMerge.objects.select_related("kept__case", "merged__case").get(pk=locked.pk)
        _on_both_timelines(UNMERGED, locked, actor=actor, membership=membership)
    return locked
