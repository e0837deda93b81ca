"""Demo protection in proceedings: on demo cases whose team has the demo prosecutor, proceedings at every
stage (investigation, prosecution, trial, appeal, closed with a conviction), a hearing with protective
measures asked and decided (one in four put off once first, the accused not appearing), statements in the
log, and two victims of one group in the same proceedings; where the demo protection officer is on the team,
a risk assessment and a protection plan; and on the person's side, recorded by the demo case manager,
informed choices, compensation claimed, awarded and partly paid, and an offence with a request not to
prosecute. One person in DETAINED_EVERY was in immigration detention when referred, recorded by the case
manager that day and released days later (`detain`, `release`).

Through the same services as real work, with synthetic authorities only. Idempotent: a case with any
proceedings or risk assessment is left as it is; a write another area's rule refuses is skipped.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from palermo.access.matrix import JusticePart
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.demo.common import demo_member, done_by
from palermo.justice.models import Detention, Proceeding, ProceedingParty, RiskAssessment, Stage
from palermo.justice.services import person, proceedings, risk
from palermo.justice.services.common import may_write_part

DEMO_MANAGER = "demo.casemanager"
DEMO_INVESTIGATOR = "demo.investigator"
DEMO_PROTECTION = "demo.protection"
COURT = "Regional Criminal Court (demo)"
LABOUR_COURT = "Labour Tribunal (demo)"
PROSECUTOR = "Public Prosecution Office (demo)"
DETAINED_EVERY = 10
DETAINING = "Border Police, immigration detention centre (demo)"
# The stage each demo proceeding is moved to, in turn.
STAGE_PATHS: tuple[tuple[str, ...], ...] = (
    (),
    (Stage.PROSECUTION,),
    (Stage.PROSECUTION, Stage.TRIAL),
    (Stage.PROSECUTION, Stage.TRIAL, Stage.APPEAL),
    (Stage.PROSECUTION, Stage.TRIAL, Stage.CLOSED),
)


def _quietly(write: Callable[..., object], *args: object) -> object | None:
    try:
        return write(*args)
    except (ValidationError, PermissionDenied):
        return None


def _proceedings(prosecutor: Membership, case: Case, index: int, shared: list[Proceeding]) -> None:
    who = done_by(prosecutor)
    if shared and index % 6 == 5:  # a second victim of the same group
        _quietly(
            lambda: proceedings.proceeding_join(
                **who,
                case=case,
                proceeding=shared[0],
                role="witness",
                identity_withheld=True,
                pseudonym=f"Witness {chr(65 + index % 26)}",
            )
        )
        return
    referred = timezone.localdate(case.opened_at)
    proceeding = proceedings.proceeding_open(
        **who,
        case=case,
        kind="criminal",
        authority=COURT,
        language="en",
        role="injured_party",
        charges=["trafficking", "forced_labour" if index % 2 else "sexual_exploitation"],
        file_number=f"RG {1000 + index}/{referred.year}",
        opened_on=referred,
        identity_withheld=index % 3 == 0,
        pseudonym=f"Witness {chr(65 + index % 26)}" if index % 3 == 0 else "",
    )
    if not shared:
        shared.append(proceeding)
    today = timezone.localdate()
    held_on = max(referred, today - datetime.timedelta(days=20))
    put_off = index % 4 == 2 and referred < held_on  # the first day set was lost: the accused did not appear
    past = proceedings.hearing_schedule(
        **who,
        case=case,
        proceeding=proceeding,
        held_on=max(referred, held_on - datetime.timedelta(days=28)) if put_off else held_on,
        court=COURT,
        purpose="Hearing of the injured party",
    )
    if put_off:
        past = proceedings.hearing_adjourn(
            **who,
            case=case,
            hearing=past,
            to_day=held_on,
            reason="accused_absent",
            expected_version=past.version,
        )
    ask = proceedings.hearing_measure_request(**who, case=case, hearing=past, kind="video_link")
    proceedings.hearing_measure_decide(
        **who,
        case=case,
        measure=ask,
        decision="granted",
        honoured=index % 4 != 0,
        expected_version=ask.version,
    )
    proceedings.hearing_held(**who, case=case, hearing=past, expected_version=past.version)
    proceedings.statement_record(
        **who,
        case=case,
        proceeding=proceeding,
        kind="police_interview",
        taken_on=referred,
        taken_by="Anti-Trafficking Police Unit (demo)",
        video_recorded=True,
    )
    proceedings.statement_record(
        **who,
        case=case,
        proceeding=proceeding,
        kind="recorded_reused",
        taken_on=max(referred, today - datetime.timedelta(days=20)),
        taken_by=COURT,
        hearing=past,
    )
    for stage in STAGE_PATHS[index % len(STAGE_PATHS)]:
        proceeding.refresh_from_db()
        outcome = "convicted" if stage == Stage.CLOSED else "pending"
        proceedings.proceeding_update(
            **who,
            case=case,
            proceeding=proceeding,
            stage=stage,
            outcome=outcome,
            sentence="6 years' imprisonment" if stage == Stage.CLOSED else "",
            expected_version=proceeding.version,
        )
    proceeding.refresh_from_db()
    if proceeding.stage != Stage.CLOSED:
        upcoming = proceedings.hearing_schedule(
            **who,
            case=case,
            proceeding=proceeding,
            held_on=today + datetime.timedelta(days=10 + index % 30),
            court=COURT,
            purpose="Trial hearing",
        )
        for kind in ("no_confrontation", "separate_waiting", "support_person"):
            proceedings.hearing_measure_request(**who, case=case, hearing=upcoming, kind=kind)


def _protection(protector: Membership, case: Case, index: int) -> None:
    who = done_by(protector)
    level = ("high", "medium", "low")[index % 3]
    risk.risk_assessment_record(
        **who,
        case=case,
        overall_level=level,
        trigger="initial",
        ratings=[
            {
                "factor": "retaliation",
                "level": level,
                "reasons": "Threats relayed by a relative (demo)",
                "sources": "Police intelligence (demo)",
            },
            {"factor": "re_trafficking", "level": "medium", "reasons": "", "sources": ""},
        ],
        assessed_on=max(
            timezone.localdate(case.opened_at),
            timezone.localdate() - datetime.timedelta(days=10 + (index % 4) * 40),
        ),
    )
    risk.protection_measure_add(
        **who,
        case=case,
        kind="safe_accommodation",
        carried_out_by="Witness Protection Unit (demo)",
        starts_on=timezone.localdate(case.opened_at),
        where="Secret address (demo)",
        status="active",
        ends_on=timezone.localdate() + datetime.timedelta(days=90),
    )


def _person_side(manager: Membership, case: Case, index: int, proceeding: Proceeding | None) -> None:
    who = done_by(manager)
    person.choices_record(
        **who,
        case=case,
        language="eng",
        legal_information_given=True,
        lawyer_assigned=True,
        lawyer_free=True,
        lawyer_name="Legal Aid Lawyer (demo)",
        cooperates=("yes", "undecided", "no")[index % 3],
        claims_compensation="yes",
        testifies=("yes", "no", "undecided")[index % 3],
    )
    claim = person.claim_record(
        **who,
        case=case,
        route=("offender_criminal", "state_fund", "back_wages")[index % 3],
        currency="EUR",
        claimed_amount=str(5000 + 1000 * (index % 5)),
        claimed_on=timezone.localdate(case.opened_at),
        proceeding=proceeding if index % 3 == 0 else None,
    )
    if index % 2 == 0:
        claim = person.claim_award(
            **who, claim=claim, awarded_amount=str(3000 + 500 * (index % 4)), expected_version=claim.version
        )
        person.claim_payment(**who, claim=claim, amount="1000", expected_version=claim.version)
    if index % 3 == 1:
        offence = person.offence_record(
            **who,
            case=case,
            kind=("false_documents", "forced_criminality", "irregular_entry")[index % 3],
            status="charged",
            link="Committed under the control of the traffickers (demo).",
        )
        person.non_punishment_request(**who, offence=offence, prosecutor=PROSECUTOR, language="en")


def load_demo(cases: list[Case], first: int = 0) -> None:
    manager = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    prosecutor = demo_member(DEMO_INVESTIGATOR, Role.INVESTIGATOR)
    protector = demo_member(DEMO_PROTECTION, Role.PROTECTION_OFFICER)
    done = set(ProceedingParty.objects.values_list("case_id", flat=True)) | set(
        RiskAssessment.objects.values_list("case_id", flat=True)
    )
    # The first proceedings of the demo, which some later victims of the same group join.
    shared = list(Proceeding.objects.order_by("pk")[:1])
    for index, case in enumerate(cases, start=first):
        if case.pk in done:
            continue
        if prosecutor is not None and may_write_part(prosecutor, case, JusticePart.PROCEEDINGS):
            _quietly(_proceedings, prosecutor, case, index, shared)
        if protector is not None and may_write_part(protector, case, JusticePart.RISK):
            _quietly(_protection, protector, case, index)
        if (
            manager is not None
            and may_write_part(manager, case, JusticePart.CHOICES)
            and (prosecutor is None or may_write_part(prosecutor, case, JusticePart.PROCEEDINGS))
        ):
            party = ProceedingParty.objects.filter(case=case).select_related("proceeding").first()
            _quietly(_person_side, manager, case, index, party.proceeding if party else None)


def detain(cases: list[Case], first: int = 0) -> None:
    """One person in DETAINED_EVERY was held in immigration detention on the day of the referral."""
    manager = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    for index, case in enumerate(cases, start=first):
        if index % DETAINED_EVERY != 3 or manager is None or Detention.objects.filter(case=case).exists():
            continue
        if may_write_part(manager, case, JusticePart.NON_PUNISHMENT):
            day = timezone.localdate(case.opened_at)
            person.detention_record(**done_by(manager), case=case, authority=DETAINING, starts_on=day)


def release(cases: list[Case], first: int = 0) -> None:
    """Days later, the person released (a presumed victim should not be detained)."""
    manager = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    if manager is None:
        return
    for detention in Detention.objects.filter(case__in=cases, ends_on__isnull=True).select_related("case"):
        if may_write_part(manager, detention.case, JusticePart.NON_PUNISHMENT):
            person.detention_end(**done_by(manager), detention=detention, expected_version=detention.version)
