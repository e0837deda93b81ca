"""Demo identification: every demo case gets its decision deadlines, and a case past identification gets the
positive presumed victim decision that took it there, taken by the demo identification authority where it is
on the case team; a case that went on to assistance, also the identified victim decision (`take_identified`);
most referrals that stayed in identification for weeks, a negative presumed victim decision
(`decide_negative`).

Each referral is screened with the indicator list the demo installs (ILO 2009) within days (`screen`, a
draft of the recruitment questions), by whoever on its team answers screenings; the screening is completed
before the decision it informs: with the answers of a victim, and the legal elements recorded, before a
positive presumed victim decision (`assess`); with answers that do not show trafficking before a negative
one. The rest of the referrals still in identification keep their draft, as work in progress. Where a
person's age was only estimated, a multidisciplinary age assessment follows within weeks (`assess_age`): it
confirms what the referral believed (a child, or an adult), or leaves the doubt, which keeps a child's case a
child's (the presumption of minority).

Through the same services as real work, with synthetic reasons. Idempotent: a case with a presumed victim
decision is left as it is, and writing the deadlines again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case, Phase
from palermo.cases.reference import ExploitationForm
from palermo.demo.common import PAST_IDENTIFICATION, demo_member, done_by
from palermo.identification.deadlines import write_decision_deadlines
from palermo.identification.models import (
    Act,
    AgeConclusion,
    AgeMethod,
    AnswerChoice,
    DecisionKind,
    DecisionOutcome,
    Differentiation,
    Ground,
    IdentificationDecision,
    Indicator,
    InformationSource,
    Instrument,
    LegalElements,
    Means,
    Purpose,
    Screening,
    ScreeningStatus,
    Situation,
)
from palermo.identification.services.decisions import DecisionInput, decision_take, may_decide
from palermo.identification.services.legal import (
    age_assessment_record,
    differentiation_record,
    legal_elements_set,
    may_assess,
)
from palermo.identification.services.screenings import (
    AnswerInput,
    may_answer,
    screening_answer_set,
    screening_complete,
    screening_start,
)

DEMO_AUTHORITY = "demo.identification"
GROUNDS = [Ground.INDICATORS, Ground.ACCOUNT]
REASONS = (
    "Demo record. The indicators of deceptive recruitment and of coercion at destination are met and the "
    "account is consistent with them: there are reasonable grounds to believe this person is a victim."
)
IDENTIFIED_REASONS = (
    "Demo record. The person's account, the documents and the reflection period's findings establish the "
    "recruitment, the means and the purpose of exploitation: the person is identified as a victim."
)
NEGATIVE_REASONS = (
    "Demo record. The account and the screening do not show the means of trafficking; the person was told of "
    "the reasons, of the right to ask for a reconsideration with new information, and of other support."
)
AGE_ASSESSOR = "Demo multidisciplinary age assessment team (synthetic)"
AGE_FINDINGS = {
    AgeConclusion.CHILD: "Demo record. Interview with the guardian present and the school records from the "
    "country of origin: the person is under 18.",
    AgeConclusion.ADULT: "Demo record. The interview, the person's account of their schooling and work, and "
    "a birth certificate obtained through the embassy: the person is over 18.",
    AgeConclusion.INCONCLUSIVE: "Demo record. No documents; the interview could not settle the age. The "
    "benefit of the doubt applies.",
}
NOT_HEARD = "Demo record: the child was heard by the guardian before the decision; see the guardian's note."


# Who on a case's team answers its screening and records its legal elements, the first who may.
SCREENERS = (("demo.responder", Role.FIRST_RESPONDER), ("demo.casemanager", Role.CASE_MANAGER))
DEMO_INSTRUMENT = "ilo-2009-labour"
# A victim's screening: these dimensions answered "yes" on their strongest indicators (a recruitment, the
# exploitation and a destination dimension: what the rule asks of an adult; a child needs the first two).
VICTIM_DIMENSIONS = ("deceptive_recruitment", "exploitation", "coercion_at_destination")
# What the person said most often, by the form of exploitation the case names (the legal elements' purpose).
PURPOSE_OF_FORM: dict[str, str] = {
    ExploitationForm.FORCED_LABOUR: Purpose.FORCED_LABOUR,
    ExploitationForm.CHILD_LABOUR: Purpose.FORCED_LABOUR,
    ExploitationForm.SEXUAL_EXPLOITATION: Purpose.SEXUAL_EXPLOITATION,
    ExploitationForm.SERVITUDE: Purpose.SERVITUDE,
    ExploitationForm.FORCED_MARRIAGE: Purpose.FORCED_MARRIAGE,
    ExploitationForm.ORGAN_REMOVAL: Purpose.ORGAN_REMOVAL,
    ExploitationForm.FORCED_BEGGING: Purpose.FORCED_BEGGING,
    ExploitationForm.FORCED_ADOPTION: Purpose.ILLEGAL_ADOPTION,
    ExploitationForm.SURROGACY: Purpose.SURROGACY,
    ExploitationForm.FORCED_CRIMINALITY: Purpose.FORCED_CRIMINALITY,
}
LEGAL_NOTE = (
    "Demo record. Recruited through an acquaintance with a false job offer, transported and housed by the "
    "employer's people; documents kept, wages withheld against a debt."
)


def _authority() -> Membership | None:
    return demo_member(DEMO_AUTHORITY, Role.IDENTIFICATION_AUTHORITY)


def _team_member(case: Case, may: Callable[[Membership, Case], bool]) -> Membership | None:
    """The first demo screener (else the demo identification authority) who may do this on the case."""
    candidates = [demo_member(name, role) for name, role in SCREENERS] + [_authority()]
    return next((found for found in candidates if found is not None and may(found, case)), None)


def _screening(case: Case) -> Screening | None:
    return (
        Screening.objects.filter(case=case, status=ScreeningStatus.DRAFT).select_related("instrument").first()
    )


def screen(cases: list[Case], first: int = 0) -> None:
    """A draft screening of each referral, its recruitment questions answered first (as a screener does in
    a first interview); left as it is on a case that has one."""
    instrument = Instrument.objects.filter(name=DEMO_INSTRUMENT).first()
    for case in cases:
        membership = _team_member(case, may_answer)
        if instrument is None or membership is None or Screening.objects.filter(case=case).exists():
            continue
        if case.phase != Phase.IDENTIFICATION:  # decided before the screening's day: screened with it
            continue
        screening = screening_start(
            actor=membership.user, membership=membership, case=case, instrument=instrument
        )
        answers = [
            AnswerInput(pk, AnswerChoice.UNKNOWN) for pk in _indicators(screening, "deceptive_recruitment")
        ]
        screening_answer_set(
            **done_by(membership),
            screening=screening,
            expected_version=1,
            answers=answers,
        )


def _weight(screening: Screening, indicator: Indicator) -> str | None:
    return indicator.child_weight if screening.child else indicator.adult_weight


def _indicators(screening: Screening, dimension: str) -> list[int]:
    """The dimension's indicators on this screening's list, strongest first."""
    order = {"strong": 0, "medium": 1, "weak": 2}
    found = [
        indicator
        for indicator in Indicator.objects.filter(
            dimension__instrument_id=screening.instrument_id, dimension__key=dimension
        )
        if _weight(screening, indicator) is not None
    ]
    found.sort(key=lambda indicator: (order[str(_weight(screening, indicator))], indicator.position))
    return [indicator.pk for indicator in found]


def _answer(dimension: str, number: int, *, victim: bool) -> str:
    """The answer to a dimension's `number`th strongest indicator on a victim's screening, or on that of
    someone whose account does not show trafficking."""
    if victim and dimension in VICTIM_DIMENSIONS and number < 2:
        return AnswerChoice.YES
    if not victim and dimension == "exploitation" and number == 2:
        return AnswerChoice.YES
    return AnswerChoice.UNKNOWN if number % 5 == 4 else AnswerChoice.NO


def _complete(case: Case, *, victim: bool) -> None:
    """The case's draft screening, answered throughout and completed: the answers of a victim (two of the
    strongest indicators "yes" in each of VICTIM_DIMENSIONS, the rest "no"), or of someone whose account does
    not show trafficking (one exploitation indicator "yes", some not known, the rest "no")."""
    if not Screening.objects.filter(case=case).exists():
        screen([case])
    screening, membership = _screening(case), _team_member(case, may_answer)
    if screening is None or membership is None:
        return
    answers = [
        AnswerInput(pk, answer, source=InformationSource.PERSON if answer == AnswerChoice.YES else "")
        for dimension in screening.instrument.dimensions.values_list("key", flat=True)
        for number, pk in enumerate(_indicators(screening, dimension))
        for answer in [_answer(dimension, number, victim=victim)]
    ]
    answered = screening_answer_set(
        **done_by(membership),
        screening=screening,
        expected_version=screening.version,
        answers=answers,
    )
    screening_complete(
        actor=membership.user, membership=membership, screening=answered, expected_version=answered.version
    )


def _record_legal_elements(case: Case) -> None:
    membership = _team_member(case, may_assess)
    if membership is None or LegalElements.objects.filter(case=case).exists():
        return
    forms = case.exploitation_forms.values_list("form", flat=True)
    purposes = [PURPOSE_OF_FORM[form] for form in forms if form in PURPOSE_OF_FORM] or [Purpose.FORCED_LABOUR]
    legal_elements_set(
        **done_by(membership),
        case=case,
        acts=[Act.RECRUITMENT, Act.TRANSPORT, Act.HARBOURING],
        means=[Means.DECEPTION, Means.ABUSE_OF_VULNERABILITY],
        purposes=purposes,
        note=LEGAL_NOTE,
        expected_version=None,
    )


def assess(cases: list[Case], first: int = 0) -> None:
    """Before the positive presumed victim decision: the screening completed with a victim's answers, and
    the act, means and purpose recorded."""
    for case in cases:
        _complete(case, victim=True)
        _record_legal_elements(case)


def _decide(
    membership: Membership, case: Case, kind: str, outcome: str, grounds: Sequence[str], reasons: str
) -> None:
    """A first decision of the demo identification authority, through the decision service."""
    data = DecisionInput(
        outcome, list(grounds), reasons, child_not_heard_reason=NOT_HEARD if case.is_child else ""
    )
    decision_take(actor=membership.user, membership=membership, case=case, kind=kind, data=data)


def load_demo(cases: list[Case], first: int = 0) -> None:
    membership = _authority()
    decided = set(
        IdentificationDecision.objects.filter(kind=DecisionKind.PRESUMED).values_list("case_id", flat=True)
    )
    for case in cases:
        past = case.phase in PAST_IDENTIFICATION and case.pk not in decided
        if past and membership is not None and may_decide(membership, case):
            _decide(membership, case, DecisionKind.PRESUMED, DecisionOutcome.POSITIVE, GROUNDS, REASONS)
        else:
            with transaction.atomic():
                write_decision_deadlines(case)


def take_identified(cases: list[Case], first: int = 0) -> None:
    """The identified victim decision that ends the reflection period, positive, taken by the demo
    identification authority on a case with a positive presumed victim decision and none yet."""
    membership = _authority()
    if membership is None:
        return
    for case in cases:
        decided = IdentificationDecision.objects.filter(case=case, outcome=DecisionOutcome.POSITIVE)
        presumed = decided.filter(kind=DecisionKind.PRESUMED).exists()
        if not presumed or decided.filter(kind=DecisionKind.IDENTIFIED).exists():
            continue
        if not may_decide(membership, case):
            continue
        try:
            _decide(
                membership,
                case,
                DecisionKind.IDENTIFIED,
                DecisionOutcome.POSITIVE,
                GROUNDS,
                IDENTIFIED_REASONS,
            )
        except ValidationError:  # a rule of the decision refuses it on this case: left undecided
            continue


# What a negative decision found instead of trafficking, in turn, with the reasons recorded for it.
NOT_TRAFFICKING = (
    (
        Situation.SMUGGLING,
        "Demo record. The person paid for the crossing and was free on arrival; no exploitation or control "
        "after the border.",
    ),
    (
        Situation.OTHER_EXPLOITATION,
        "Demo record. Underpaid and long hours at a farm, but free to leave and documents kept: a labour "
        "rights case, referred to the labour inspectorate.",
    ),
    (
        Situation.IRREGULAR_MIGRATION,
        "Demo record. Overstayed a visa and worked informally; no recruitment by deception, no control.",
    ),
)


def _differentiate(case: Case, index: int) -> None:
    """The differentiation that informs a negative decision: what the situation was, if not trafficking."""
    membership = _team_member(case, may_assess)
    if membership is None or Differentiation.objects.filter(case=case).exists():
        return
    situation, reasons = NOT_TRAFFICKING[index % len(NOT_TRAFFICKING)]
    differentiation_record(**done_by(membership), case=case, situation=situation, reasons=reasons)


def decide_negative(cases: list[Case], first: int = 0) -> None:
    """A referral that stayed in identification for weeks did not wait that long undecided: the demo
    identification authority took a negative presumed victim decision on three in four (the fourth is the
    backlog the worklists show)."""
    membership = _authority()
    if membership is None:
        return
    for index, case in enumerate(cases, start=first):
        if index % 4 == 0 or case.phase != Phase.IDENTIFICATION or not may_decide(membership, case):
            continue
        if IdentificationDecision.objects.filter(case=case, kind=DecisionKind.PRESUMED).exists():
            continue
        _complete(case, victim=False)
        _differentiate(case, index)
        try:
            _decide(
                membership,
                case,
                DecisionKind.PRESUMED,
                DecisionOutcome.NEGATIVE,
                [Ground.ELEMENTS_NOT_MET],
                NEGATIVE_REASONS,
            )
        except ValidationError:  # a rule of the decision refuses it on this case: it keeps waiting
            continue


def assess_age(cases: list[Case], first: int = 0) -> None:
    """Where the referral only estimated a person's age, a holistic assessment: one in four leaves the doubt
    on a child's case (the presumption of minority keeps it a child's); the others confirm the belief."""
    for index, case in enumerate(cases, start=first):
        if not case.persons.filter(age_uncertain=True).exists() or case.age_assessments.exists():
            continue
        membership = _team_member(case, may_assess)
        if membership is None:
            continue
        if case.is_child:
            conclusion = AgeConclusion.INCONCLUSIVE if index % 4 == 0 else AgeConclusion.CHILD
        else:
            conclusion = AgeConclusion.ADULT
        age_assessment_record(
            **done_by(membership),
            case=case,
            method=AgeMethod.HOLISTIC,
            conclusion=conclusion,
            assessed_on=timezone.localdate(),
            assessor=AGE_ASSESSOR,
            findings=AGE_FINDINGS[conclusion],
        )
