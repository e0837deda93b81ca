"""Demo cases: synthetic people referred, put on case teams and moved along their lifecycle by the demo users,
through the same services as real work (intake, identity documents, case teams, lifecycle).

The cases are the synthetic generator's (`palermo.demo.synthetic`), opened over the three years up to the day
the demo is loaded, and each case's life is replayed at its own moments (`palermo.demo.history`): referred on
its day, its team the same day, moved on over the weeks and months after, closed on its day. Who does what:

- the labour inspectorate's first responder refers cases of labour exploitation, the NGO's case manager the
  others, each to the identification authority of the municipal social services;
- the identification authority puts the other agencies on the team as a case of that shape would need them
  (the NGO's case management, guardianship for a child, migration for a foreign national, the prosecution,
  police protection, a shelter once assistance has begun) and moves the case to its generated phase.

The history has the shape of the reference scale (most cases still open, some closed; the recent ones still
in identification), ending the day it is loaded. Idempotent: a person whose name is already on a demo case
(found through the blind indexes, as intake's duplicate warning finds it) is not referred again, so a second
load adds nothing, on any day.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

from palermo.access.models import CaseTeamMember
from palermo.access.services import case_team_add
from palermo.accounts.models import Agency, Membership
from palermo.accounts.roles import Role
from palermo.cases.age import is_child
from palermo.cases.models import Case, ConsentGiver, ContactRoute, Person, PersonQuerySet, Phase
from palermo.cases.reference import CaseStatus, ExploitationForm
from palermo.cases.services.contact import case_contact_channel_set
from palermo.cases.services.intake import Referral, intake_submit
from palermo.cases.services.lifecycle import case_transition
from palermo.cases.services.person import identity_document_add, today
from palermo.demo.accounts import DEMO_AGENCIES, DEMO_USERS
from palermo.demo.common import done_by
from palermo.demo.history import CaseMoments, CaseWork, Step, replay, spread
from palermo.demo.synthetic import SyntheticCase, generate_cases

DEMO_CASES = 200
DEMO_SEED = 2000  # the year of the Palermo Protocol
DEMO_YEARS = 3
LABOUR_FORMS = frozenset({ExploitationForm.FORCED_LABOUR, ExploitationForm.CHILD_LABOUR})
# The transitions that lead from identification to each phase (the lifecycle table's usual path).
PATH_TO: dict[str, tuple[str, ...]] = {
    Phase.IDENTIFICATION: (),
    Phase.REFLECTION: ("start_reflection",),
    Phase.ASSISTANCE: ("start_reflection", "start_assistance"),
    Phase.LONG_TERM: ("start_reflection", "start_assistance", "start_long_term"),
}
# How people come to the NGO's case managers (intake's ContactChannel values).
NGO_CHANNELS = ("outreach", "hotline", "self_referral", "health_social", "third_party")
# The phase each move along the usual path enters; the moves that close a case.
ENTERS = {
    "start_reflection": Phase.REFLECTION,
    "start_assistance": Phase.ASSISTANCE,
    "start_long_term": Phase.LONG_TERM,
}
CLOSINGS = frozenset({"close", "close_referred"})
# The identification authority puts the agencies on the team within hours of the referral.
TEAM_AFTER = datetime.timedelta(hours=2)
CLOSING_REASON = "Closed in the demo's synthetic history."
TEAM_REASON = "Added in the demo's synthetic history."
# The agencies whose demo officer a case's team names (named_officer); the referrers and the identification
# authority come onto the team with the referral.
NAMED_OFFICERS = (Role.MIGRATION_OFFICER, Role.INVESTIGATOR, Role.PROTECTION_OFFICER, Role.SERVICE_PROVIDER)


@dataclass(frozen=True)
class DemoCast:
    """The demo memberships that refer, decide and manage teams, the demo agencies by name, and the demo
    officers a case's team may name (by role)."""

    responder: Membership
    case_manager: Membership
    identification: Membership
    agencies: dict[str, Agency]
    officers: dict[Role, Membership] = field(default_factory=dict)

    def agency(self, role: Role) -> Agency:
        """The demo agency of the demo user in `role`."""
        return self.agencies[next(agency for _, r, agency in DEMO_USERS if r == role)]


def demo_cast() -> DemoCast | None:
    """The demo's memberships, or None when the demo accounts are not loaded."""
    wanted = {Role.FIRST_RESPONDER, Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY}
    found: dict[Role, Membership] = {}
    for username, role, agency in DEMO_USERS:
        if role in wanted or role in NAMED_OFFICERS:
            membership = (
                Membership.objects.filter(
                    user__username=username, role=role, agency__name=agency, is_active=True
                )
                .select_related("user", "agency")
                .first()
            )
            if membership is not None:
                found[role] = membership
    if not wanted <= found.keys():
        return None
    agencies = {
        agency.name: agency for agency in Agency.objects.filter(name__in=[n for n, _ in DEMO_AGENCIES])
    }
    officers = {role: found[role] for role in NAMED_OFFICERS if role in found}
    return DemoCast(
        found[Role.FIRST_RESPONDER],
        found[Role.CASE_MANAGER],
        found[Role.IDENTIFICATION_AUTHORITY],
        agencies,
        officers,
    )


def demo_persons() -> PersonQuerySet:
    return Person.objects.filter(case__lead_agency__name__in=[name for name, _ in DEMO_AGENCIES])


def already_referred(spec: SyntheticCase) -> bool:
    """Whether a person of this name is on a demo case already (exact match through the blind indexes).
    The name alone: the birth date moves with the day the history is loaded up to."""
    return demo_persons().matching_name(spec.person.full_name).exists()


def _referrer(cast: DemoCast, spec: SyntheticCase) -> Membership:
    return cast.responder if spec.exploitation_forms[0] in LABOUR_FORMS else cast.case_manager


def _contact_channel(spec: SyntheticCase, referrer: Membership, cast: DemoCast) -> str:
    if referrer == cast.responder:
        return "labour_inspection"
    return NGO_CHANNELS[int(spec.team_draws[0] * len(NGO_CHANNELS))]


def refer(cast: DemoCast, spec: SyntheticCase) -> tuple[Case, Membership]:
    """Refer the person through the intake service, with their identity documents, on the day the case
    opened; returns the case and the membership that referred."""
    person = spec.person
    birth_date = person.birth_date
    child = is_child(
        birth_date=birth_date,
        precision=person.birth_date_precision,
        age_uncertain=person.age_uncertain,
        believed_child=person.believed_child,
        on=spec.opened_at.date(),
    )
    referrer = _referrer(cast, spec)
    referral = Referral(
        given_names=person.given_names,
        family_names=person.family_names,
        given_names_latin=person.given_names_latin,
        family_names_latin=person.family_names_latin,
        aliases=list(person.aliases),
        birth_date=birth_date,
        birth_date_precision=person.birth_date_precision,
        age_uncertain=person.age_uncertain,
        believed_child=person.believed_child,
        gender=person.gender,
        citizenships=list(person.citizenships),
        languages=list(person.languages),
        phone=person.phone,
        current_location=person.current_address,
        contact_channel=_contact_channel(spec, referrer, cast),
        contact_details=person.note,
        exploitation_forms=list(spec.exploitation_forms),
        identification_agency=cast.identification.agency,
        # A child is referred with no one's consent (no guardian exists yet): the temporary representative's
        # follows within the hour (palermo.demo.representation).
        consent_given=not child,
        consent_given_by=ConsentGiver.PERSON,
        consent_language=person.languages[0][0],
    )
    case = intake_submit(actor=referrer.user, membership=referrer, referral=referral)
    case = case_contact_channel_set(
        **done_by(referrer),
        case=case,
        channel=_safe_route(spec, child),
        expected_version=case.version,
    )
    saved = case.persons.get()
    for document in person.documents:
        identity_document_add(
            **done_by(referrer),
            person=saved,
            type=document.type,
            number=document.number,
            issuing_country=document.issuing_country,
            held_by=document.held_by,
        )
    return case, referrer


# How the demo's people may be reached: a child only through the case worker, adults mostly through the NGO.
ADULT_ROUTES = (ContactRoute.THROUGH_NGO, ContactRoute.THROUGH_NGO, ContactRoute.PHONE, ContactRoute.NONE)


def _safe_route(spec: SyntheticCase, child: bool) -> str:
    if child:
        return ContactRoute.CASE_WORKER
    return ADULT_ROUTES[int(spec.team_draws[0] * len(ADULT_ROUTES)) % len(ADULT_ROUTES)]


def team_for(cast: DemoCast, spec: SyntheticCase, case: Case, referrer: Membership) -> list[Agency]:
    """The agencies a case of this shape would have on its team besides the referrer and the authority."""
    draws = spec.team_draws
    assisted = (spec.phase_before_closing or spec.phase) in {Phase.ASSISTANCE, Phase.LONG_TERM}
    wanted: list[tuple[Role, bool]] = [
        (Role.CASE_MANAGER, referrer != cast.case_manager),
        (Role.GUARDIAN, case.is_child),
        (Role.MIGRATION_OFFICER, "GBR" not in spec.person.citizenships and draws[1] < 0.7),
        (Role.INVESTIGATOR, draws[2] < 0.35),
        (Role.PROTECTION_OFFICER, draws[3] < 0.2),
        (Role.SERVICE_PROVIDER, assisted and draws[1] < 0.6),
    ]
    return [cast.agency(role) for role, needed in wanted if needed]


def _transitions(spec: SyntheticCase) -> list[tuple[str, str]]:
    """(transition, closure reason) from identification to the generated phase and status."""
    if spec.phase == Phase.CLOSED:
        path = [(name, "") for name in PATH_TO[spec.phase_before_closing]]
        closing = "close_referred" if spec.status == CaseStatus.CLOSED_REFERRED else "close"
        return [*path, (closing, spec.closure_reason)]
    path = [(name, "") for name in PATH_TO[spec.phase]]
    if spec.status == CaseStatus.FOLLOW_UP:
        path.append(("follow_up", ""))
    return path


def build_team(cast: DemoCast, case: Case, spec: SyntheticCase, referrer: Membership) -> None:
    """The identification authority puts the other agencies on the team (those the routing rules have not
    brought already: a child's case has its guardianship service from the referral)."""
    authority = cast.identification
    routed = set(
        CaseTeamMember.objects.filter(case=case, removed_at__isnull=True).values_list("agency_id", flat=True)
    )
    for agency in team_for(cast, spec, case, referrer):
        if agency.pk in routed:
            continue
        officer = named_officer(cast, agency, case)
        case_team_add(
            **done_by(authority),
            case=case,
            agency=agency,
            user=officer.user if officer else None,
            reason=TEAM_REASON,
        )


def named_officer(cast: DemoCast, agency: Agency, case: Case) -> Membership | None:
    """The demo officer of `agency` who holds the case alone, on three cases in four (the rest have the whole
    agency on their team). An officer named on a case has its shared deadlines on their own lists (home,
    "Due and overdue"), as a real agency's officers each hold some of its cases. Drawn from the reference, so
    the synthetic cases' own random draws stay as they were."""
    officer = next((m for m in cast.officers.values() if m.agency_id == agency.pk), None)
    if officer is None or int(hashlib.sha256(case.reference.encode()).hexdigest(), 16) % 4 == 0:
        return None
    return officer


def move(cast: DemoCast, case: Case, name: str, closure_reason: str) -> None:
    """The identification authority moves the case on (or closes it) through the lifecycle service."""
    authority = cast.identification
    case_transition(
        **done_by(authority),
        case=case,
        name=name,
        expected_version=case.version,
        reason=CLOSING_REASON if name in CLOSINGS else "",
        closure_reason=closure_reason,
    )


def timed_moves(
    spec: SyntheticCase, end: datetime.datetime
) -> tuple[CaseMoments, list[tuple[datetime.datetime, str, str]]]:
    """When the case entered each phase, and each move (time, transition, closure reason): the moves along
    the usual path spread from the referral to the generated moment the case reached its phase (the first
    within three weeks), a follow-up half-way from there to the history's end, the closing at its moment."""
    moves = _transitions(spec)
    path = [(name, reason) for name, reason in moves if name in ENTERS]
    reached = spec.moved_at or spec.opened_at
    first_within = datetime.timedelta(days=3 + int(18 * spec.team_draws[2]))
    times = spread(spec.opened_at, reached, len(path), first_within)
    timed = [(at, name, reason) for at, (name, reason) in zip(times, path, strict=True)]
    entered: dict[str, datetime.datetime] = {Phase.IDENTIFICATION: spec.opened_at}
    entered |= {ENTERS[name]: at for at, name, _ in timed}
    for name, reason in moves:
        if name == "follow_up":
            timed.append((reached + (max(end, reached) - reached) / 2, name, reason))
        elif name in CLOSINGS:
            timed.append((spec.closed_at or reached, name, reason))
    closed = spec.closed_at if spec.phase == Phase.CLOSED else None
    return CaseMoments(entered, closed, draw=spec.team_draws[3]), timed


def history_start(on: datetime.date | None = None) -> datetime.datetime:
    """The day before the first demo case can have been referred (the DEMO_YEARS before `on`, today): when
    the demo's agencies and people began to use the system."""
    first = (on or today()) - datetime.timedelta(days=365 * DEMO_YEARS + 1)
    return datetime.datetime.combine(first, datetime.time(9), tzinfo=datetime.UTC)


# What happened in the demo's years about no case (anonymous notifications): (start, end, years, numbers) ->
# its steps, numbered from the one sequence.
DemoEvents = Callable[[datetime.datetime, datetime.datetime, int, Iterator[int]], list[Step]]


@dataclass(frozen=True)
class DemoCasesResult:
    referred: int
    already_there: int


class CaseLife:
    """One synthetic case's steps in the demo's history: referred, put on its team, worked on by each area
    once it reached that area's phase, moved along and closed, each at its own moment."""

    def __init__(
        self, cast: DemoCast, spec: SyntheticCase, end: datetime.datetime, referred: Callable[[], None]
    ) -> None:
        self.cast, self.spec, self.end, self.referred = cast, spec, end, referred
        self.case_pk: int | None = None
        self.referrer: Membership | None = None

    def case(self) -> Case:
        assert self.case_pk is not None  # noqa: S101  (the referral is the case's first step)
        return Case.objects.get(pk=self.case_pk)

    def refer(self) -> None:
        case, self.referrer = refer(self.cast, self.spec)
        self.case_pk = case.pk
        self.referred()

    def team(self) -> None:
        assert self.referrer is not None  # noqa: S101  (the referral is the case's first step)
        build_team(self.cast, self.case(), self.spec, self.referrer)

    def steps(self, work: Sequence[CaseWork], numbers: Iterator[int]) -> list[Step]:
        moments, moves = timed_moves(self.spec, self.end)
        opened = self.spec.opened_at
        steps = [
            Step(opened, next(numbers), self.refer),
            Step(opened + TEAM_AFTER, next(numbers), self.team),
        ]
        for at, name, reason in moves:
            steps.append(Step(at, next(numbers), partial(self._move, name, reason)))
        for area in work:
            for at in moments.work_times(area):
                steps.append(Step(at, next(numbers), partial(self._work, area.load)))
        return steps

    def _move(self, name: str, closure_reason: str) -> None:
        move(self.cast, self.case(), name, closure_reason)

    def _work(self, load: Callable[[list[Case], int], None]) -> None:
        load([self.case()], self.spec.number)


def load_demo_cases(
    count: int = DEMO_CASES,
    *,
    seed: int = DEMO_SEED,
    on: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
    work: Sequence[CaseWork] = (),
    events: Sequence[DemoEvents] = (),
) -> DemoCasesResult | None:
    """Refer `count` synthetic cases through the services, each at its own moments of the DEMO_YEARS up to
    `on` (today), with the areas' `work` on each (palermo.demo.history), and the `events` that are about no
    case in the same time order; None when the demo accounts are missing."""
    cast = demo_cast()
    if cast is None:
        return None
    referred = present = 0

    def one_more() -> None:
        nonlocal referred
        referred += 1
        if progress is not None:
            progress(referred)

    until = on or today()
    end = datetime.datetime.combine(until, datetime.time(), tzinfo=datetime.UTC)
    steps: list[Step] = []
    numbers = itertools.count()
    names: set[str] = set()
    for spec in generate_cases(count, seed=seed, until=until, years=DEMO_YEARS):
        if spec.person.full_name in names or already_referred(spec):
            present += 1
            continue
        names.add(spec.person.full_name)
        steps += CaseLife(cast, spec, end, one_more).steps(work, numbers)
    for more in events:
        steps += more(history_start(until), end, DEMO_YEARS, numbers)
    replay(steps)
    return DemoCasesResult(referred, present)
