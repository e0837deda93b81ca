"""The linkage demo: a few persons referred twice, by a labour inspection and by an NGO, under another
spelling, script or birth date (palermo.demo.near_duplicates), each search key built by the intake's hook;
then a duplicate-detection run, so that the identification authority's queue has pairs to review; the
likeliest of them the authority has already found to be one person and merged, so the merged person's two
cases show it, and the rest wait in the queue."""

from __future__ import annotations

from palermo.access.policy import can_see_case
from palermo.accounts.models import Membership
from palermo.cases.models import Case, ConsentGiver
from palermo.cases.reference import ExploitationForm
from palermo.cases.services.intake import Referral, intake_submit
from palermo.demo.cases import demo_cast, demo_persons
from palermo.demo.common import done_by
from palermo.demo.near_duplicates import Recorded, population
from palermo.linkage.models import Candidate, CandidateStatus, LinkageRun, PersonMerge
from palermo.linkage.services.duplicates import linkage_run_execute, person_merge

PAIRS = 6  # one person a script
SEED = 2026


def _referral(person: Recorded, identification: object) -> Referral:
    return Referral(
        given_names=person.given,
        family_names=person.family,
        birth_date=person.born,
        birth_date_precision=person.precision,
        identification_agency=identification,  # type: ignore[arg-type]
        consent_given=True,
        consent_given_by=ConsentGiver.PERSON,
        consent_language="eng",
        contact_channel="outreach",
        exploitation_forms=[ExploitationForm.FORCED_LABOUR],
    )


def load_demo(cases: list[Case]) -> None:
    cast = demo_cast()
    if cast is None:
        return
    for first, second in population(PAIRS, seed=SEED):
        if demo_persons().matching_name(f"{first.given} {first.family}").exists():
            continue  # loaded already
        for who, person in ((cast.responder, first), (cast.case_manager, second)):
            intake_submit(
                actor=who.user, membership=who, referral=_referral(person, cast.identification.agency)
            )
    run = LinkageRun.objects.create(started_by=cast.identification.user)
    linkage_run_execute(run.pk)
    _merge_the_likeliest(cast.identification)


def _merge_the_likeliest(reviewer: Membership) -> None:
    if PersonMerge.objects.exists():
        return
    pending = Candidate.objects.filter(status=CandidateStatus.PENDING).order_by("-probability", "pk")
    for candidate in pending:
        if can_see_case(reviewer, candidate.left.case) and can_see_case(reviewer, candidate.right.case):
            person_merge(**done_by(reviewer), candidate=candidate, expected_version=candidate.version)
            return
