"""Demo cases: synthetic people referred, put on case teams and moved along their lifecycle by the demo users,
through the same services as real work (intake, identity documents, case teams, lifecycle).

The cases are the synthetic generator's (`palermo.demo.synthetic`), replayed today: the services stamp the
current time, so each person's birth date moves forward by the years between the generated opening and today
and they are referred at the age they had. Who does what:

- the labour inspectorate's first responder refers cases of labour exploitation, the NGO's case manager the
  others, each to the identification authority of the municipal social services;
- the identification authority puts the other agencies on the team as a case of that shape would need them
  (the NGO's case management, guardianship for a child, migration for a foreign national, the prosecution,
  police protection, a shelter once assistance has begun) and moves the case to its generated phase.

The demo's history is the three years of the reference scale up to the end of 2023 (most cases still open,
some closed), the same whatever day it is loaded. Idempotent: a person whose name is already on a demo case
(found through the blind indexes, as intake's duplicate warning finds it) is not referred again, so a second
load adds nothing, on any day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

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
from palermo.demo.synthetic import SyntheticCase, generate_cases

DEMO_CASES = 200
DEMO_SEED = 2000  # the year of the Palermo Protocol
DEMO_YEARS = 3
DEMO_UNTIL = datetime.date(2024, 1, 1)
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
CLOSING_REASON = "Closed in the demo's synthetic history."
TEAM_REASON = "Added in the demo's synthetic history."


@dataclass(frozen=True)
class DemoCast:
    """The demo memberships that refer, decide and manage teams, and the demo agencies by name."""

    responder: Membership
    case_manager: Membership
    identification: Membership
    agencies: dict[str, Agency]

    def agency(self, role: Role) -> Agency:
        """The demo agency of the demo user in `role`."""
        return self.agencies[next(agency for _, r, agency in DEMO_USERS if r == role)]


def demo_cast() -> DemoCast | None:
    """The demo's memberships, or None when the demo accounts are not loaded."""
    wanted = {Role.FIRST_RESPONDER, Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY}
    found: dict[Role, Membership] = {}
    for username, role, agency in DEMO_USERS:
        if role in wanted:
            membership = (
                Membership.objects.filter(
                    user__username=username, role=role, agency__name=agency, is_active=True
                )
                .select_related("user", "agency")
                .first()
            )
            if membership is None:
                return None
            found[role] = membership
    agencies = {
        agency.name: agency for agency in Agency.objects.filter(name__in=[n for n, _ in DEMO_AGENCIES])
    }
    return DemoCast(
        found[Role.FIRST_RESPONDER], found[Role.CASE_MANAGER], found[Role.IDENTIFICATION_AUTHORITY], agencies
    )


def replay_birth_date(spec: SyntheticCase, on: datetime.date) -> datetime.date | None:
    """The birth date moved forward by the years between the generated opening and `on`, so the person is
    referred on `on` at the age they had (month and day kept, so a partial date stays partial)."""
    birth = spec.person.birth_date
    if birth is None:
        return None
    years = on.year - spec.opened_at.year
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February into a year without one
        return birth.replace(year=birth.year + years, day=28)


def demo_persons() -> PersonQuerySet:
    return Person.objects.filter(case__lead_agency__name__in=[name for name, _ in DEMO_AGENCIES])


def already_referred(spec: SyntheticCase) -> bool:
    """Whether a person of this name is on a demo case already (exact match through the blind indexes).
    The name alone: the birth date moves with the day of loading."""
    return demo_persons().matching_name(spec.person.full_name).exists()


def _referrer(cast: DemoCast, spec: SyntheticCase) -> Membership:
    return cast.responder if spec.exploitation_forms[0] in LABOUR_FORMS else cast.case_manager


def _contact_channel(spec: SyntheticCase, referrer: Membership, cast: DemoCast) -> str:
    if referrer == cast.responder:
        return "labour_inspection"
    return NGO_CHANNELS[int(spec.team_draws[0] * len(NGO_CHANNELS))]


def refer(cast: DemoCast, spec: SyntheticCase, on: datetime.date) -> tuple[Case, Membership]:
    """Refer the person through the intake service, with their identity documents; returns the case and
    the membership that referred."""
    person = spec.person
    birth_date = replay_birth_date(spec, on)
    child = is_child(
        birth_date=birth_date,
        precision=person.birth_date_precision,
        age_uncertain=person.age_uncertain,
        believed_child=person.believed_child,
        on=on,
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
        consent_given=True,
        consent_given_by=ConsentGiver.GUARDIAN if child else ConsentGiver.PERSON,
        consent_language=person.languages[0][0],
    )
    case = intake_submit(actor=referrer.user, membership=referrer, referral=referral)
    case = case_contact_channel_set(
        actor=referrer.user,
        membership=referrer,
        case=case,
        channel=_safe_route(spec, child),
        expected_version=case.version,
    )
    saved = case.persons.get()
    for document in person.documents:
        identity_document_add(
            actor=referrer.user,
            membership=referrer,
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


def build_team_and_history(cast: DemoCast, case: Case, spec: SyntheticCase, referrer: Membership) -> None:
    """The identification authority puts the other agencies on the team (those the routing rules have not
    brought already: a child's case has its guardianship service from the referral) and moves the case on."""
    authority = cast.identification
    routed = set(
        CaseTeamMember.objects.filter(case=case, removed_at__isnull=True).values_list("agency_id", flat=True)
    )
    for agency in team_for(cast, spec, case, referrer):
        if agency.pk in routed:
            continue
        case_team_add(
            actor=authority.user, membership=authority, case=case, agency=agency, reason=TEAM_REASON
        )
    for name, closure_reason in _transitions(spec):
        needs_reason = name in {"close", "close_referred"}
        case = case_transition(
            actor=authority.user,
            membership=authority,
            case=case,
            name=name,
            expected_version=case.version,
            reason=CLOSING_REASON if needs_reason else "",
            closure_reason=closure_reason,
        )


@dataclass(frozen=True)
class DemoCasesResult:
    referred: int
    already_there: int


def load_demo_cases(
    count: int = DEMO_CASES,
    *,
    seed: int = DEMO_SEED,
    on: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoCasesResult | None:
    """Refer `count` synthetic cases through the services (None when the demo accounts are missing)."""
    cast = demo_cast()
    if cast is None:
        return None
    on = on or today()
    referred = present = 0
    for spec in generate_cases(count, seed=seed, until=DEMO_UNTIL, years=DEMO_YEARS):
        if already_referred(spec):
            present += 1
            continue
        case, referrer = refer(cast, spec, on)
        build_team_and_history(cast, case, spec, referrer)
        referred += 1
        if progress is not None:
            progress(referred)
    return DemoCasesResult(referred, present)
