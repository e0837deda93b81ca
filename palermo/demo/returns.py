"""Demo records of the returns area, for adults' cases past identification: one return only asked for
(the section shows what is missing before it may proceed), one cleared with a low risk and a receiving
partner, one returned today with its follow-up contacts booked (each return cites the sample country
information on the risk on return, as its clearance rests on it), and one resettlement to a third country
with its steps. On a child's case, a return asked for and planned with the child's and the guardian's views
and an accompanying adult, which the section shows waiting for the children area's rules it does not meet
yet (decision 0050).
A sample partner abroad (marked as sample) gets keys, so a package can be sent on a case whose person
consented, and one package from it waits in the inbox, when this installation has its transnational key pair.

Synthetic and through the same services as real work. Idempotent: a case with a return or a resettlement is
left as it is; the sample partner and its keys are made once.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case as Choose
from django.db.models import When
from django.utils import timezone, translation

from palermo.access.matrix import JusticePart
from palermo.access.services import case_team_add
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.child import case_is_child
from palermo.cases.models import Case, ConsentGiver, ConsentPurpose, PersonCitizenship
from palermo.cases.services.consent import consent_record
from palermo.core import iso
from palermo.core.secrets import make_transnational_keys
from palermo.demo.common import PAST_IDENTIFICATION, demo_member, done_by
from palermo.demo.origin import cite
from palermo.justice.services.common import may_write_part
from palermo.justice.services.risk import risk_assessment_record
from palermo.origin.models import CountryEntry, EntryStatus, Partner, Topic
from palermo.origin.services.partners import PartnerData, partner_create
from palermo.returns import jose
from palermo.returns.citing import RETURN_KIND
from palermo.returns.models import (
    PartnerConclusion,
    PartnerKey,
    Resettlement,
    TransnationalPackage,
    VoluntaryReturn,
)
from palermo.returns.services.packages import (
    package_fields,
    package_receive,
    package_send,
    partner_key_register,
)
from palermo.returns.services.resettlement import resettlement_move, resettlement_start, resettlement_step
from palermo.returns.services.returns import (
    may_work_on_return,
    return_arrived,
    return_clear,
    return_partner_assess,
    return_plan,
    return_request,
    return_views_record,
)

SAMPLE = "Synthetic demo record"
DEFAULT_COUNTRY = "NGA"


def _country(case: Case) -> str:
    code = PersonCitizenship.objects.filter(person__case=case).values_list("country", flat=True).first()
    return code or DEFAULT_COUNTRY


def _english_name(country: str) -> str:
    """A sample partner's name says its country as a person would write it (stored data: not translated)."""
    with translation.override("en"):
        return iso.country_name(country)


def _partner(country: str) -> Partner:
    found = Partner.objects.filter(country=country, is_active=True).first()
    if found is not None:
        return found
    data = PartnerData(
        name=f"Sample reintegration partner, {_english_name(country)}",
        kind="ngo",
        country=country,
        description="Sample, not a real organisation: shows how a receiving partner is used.",
        services=["reception", "housing", "follow_up", "referral"],
        languages=["eng"],
    )
    return partner_create(actor=None, membership=None, data=data, is_sample=True)  # type: ignore[arg-type]


def _assessable(protector: Membership | None, case: Case) -> bool:
    return protector is not None and may_write_part(protector, case, JusticePart.RISK)


def _with_the_police(manager: Membership, protector: Membership | None, case: Case) -> None:
    """The police's protection unit put on the team to assess the risk on return, where it is not on it."""
    if protector is None or _assessable(protector, case):
        return
    with contextlib.suppress(PermissionDenied, ValidationError):  # the manager may not manage this team
        case_team_add(
            **done_by(manager),
            case=case,
            agency=protector.agency,
            reason=f"{SAMPLE}: to assess the risk on return before the return is cleared.",
        )


def _ask(manager: Membership, case: Case, day: datetime.date) -> VoluntaryReturn:
    return return_request(
        **done_by(manager),
        case=case,
        country=_country(case),
        requested_on=day,
        request_language="eng",
        informed_on=day,
        request=f"{SAMPLE}: I want to go home to my family, with help to start again.",
    )


def _prepare(
    manager: Membership,
    protector: Membership | None,
    case: Case,
    record: VoluntaryReturn,
    escort: tuple[str, str] = ("", ""),
) -> VoluntaryReturn:
    if protector is not None:
        risk_assessment_record(actor=protector.user, membership=protector, case=case, overall_level="low")
    record = return_partner_assess(
        **done_by(manager),
        voluntary_return=record,
        partner=_partner(record.country),
        assessed_on=record.requested_on,
        conclusion=PartnerConclusion.SAFE,
        assessment=f"{SAMPLE}: the family is supportive; no contact with the recruiters since.",
        expected_version=record.version,
    )
    return return_plan(
        **done_by(manager),
        voluntary_return=record,
        travel_on=record.requested_on,
        expected_version=record.version,
        escort_role=escort[0],
        escort_name=escort[1],
        travel_plan=f"{SAMPLE}: accompanied flight, met at the airport.",
        reception=f"{SAMPLE}: the partner's reception centre for the first week.",
        housing=f"{SAMPLE}: rent paid for six months.",
        income=f"{SAMPLE}: vocational training and a small business grant.",
        medical=f"{SAMPLE}: check-up booked at the district clinic.",
        education="",
        legal=f"{SAMPLE}: the partner's lawyer for documents.",
    )


def _child_return(manager: Membership, protector: Membership | None, case: Case, day: datetime.date) -> None:
    """A child's return asked for and planned, accompanied, with the child's and the guardian's views; the
    children area's rules it does not meet yet (a determination recommending it, the family assessment) are
    what the section then shows missing."""
    record = _ask(manager, case, day)
    try:  # the demo protection officer may not be on this case's team: then the risk stays unassessed
        record = _prepare(
            manager, protector, case, record, ("social_worker", "Demo social worker (synthetic)")
        )
    except (PermissionDenied, ValidationError):
        record = _prepare(manager, None, case, record, ("social_worker", "Demo social worker (synthetic)"))
    return_views_record(
        **done_by(manager),
        voluntary_return=record,
        expected_version=record.version,
        guardian_view=f"{SAMPLE}: the guardian supports the return once the family is assessed.",
        child_not_heard_reason=f"{SAMPLE}: to be heard with an interpreter next week.",
    )


def _resettle(manager: Membership, case: Case, day: datetime.date) -> None:
    record = resettlement_start(
        **done_by(manager),
        case=case,
        ground="return_unsafe",
        grounds=f"{SAMPLE}: return is not safe and a permit here was refused.",
        receiving_country="CAN",
        channel="unhcr",
        programme="Sample programme",
        started_on=day,
    )
    resettlement_step(actor=manager.user, membership=manager, resettlement=record, kind="referral", on=day)
    resettlement_step(actor=manager.user, membership=manager, resettlement=record, kind="interview", on=day)
    resettlement_move(
        **done_by(manager),
        resettlement=record,
        status="submitted",
        on=day,
        expected_version=record.version,
    )


def _keys(admin: Membership | None, partner: Partner) -> jose.KeyPair | None:
    """The sample partner's key pair (made in memory; its public part registered once)."""
    if admin is None or PartnerKey.objects.filter(partner=partner, revoked_at__isnull=True).exists():
        return None
    pair = jose.key_pair(make_transnational_keys(), private=True)
    partner_key_register(
        **done_by(admin),
        partner=partner,
        public_keys=pair.public_set(),
        fingerprint=pair.fingerprint,
    )
    return pair


def _packages(
    manager: Membership, responder: Membership | None, admin: Membership | None, case: Case
) -> None:
    try:
        ours = jose.own_keys()
    except jose.KeyProblem:
        return  # no key pair configured: the demo shows no packages
    partner = _partner(_country(case))
    pair = _keys(admin, partner)
    if pair is None or TransnationalPackage.objects.exists():
        return
    consent_record(
        **done_by(manager),
        case=case,
        purpose=ConsentPurpose.TRANSNATIONAL,
        given_by=ConsentGiver.PERSON,
        language="eng",
        recipient_country=partner.country,
    )
    package_send(actor=manager.user, membership=manager, case=case, partner=partner, purpose="reception")
    if responder is None:
        return
    # What the partner would send back about another person: sealed with its key, to ours.
    fields = package_fields(case, "assistance") | {
        "prs_FirstName": "Sample",
        "prs_SecondName": "Person",
        "prs_Birthdate": "1990-01-01",
    }
    payload = {
        "format": jose.FORMAT,
        "package_id": str(uuid.uuid4()),
        "sent_at": timezone.now().isoformat(),
        "purpose": "assistance",
        "sender": {"org_Name": partner.name, "fingerprint": pair.fingerprint},
        "fields": fields,
    }
    token = jose.seal(payload, sender=pair, recipient=jose.key_pair(ours.public_set(), private=False))
    package_receive(actor=responder.user, membership=responder, token=token)


def _cite(manager: Membership, record: VoluntaryReturn) -> None:
    """The return (its clearance) cites the sample country information on the risk on return, if any."""
    entry = (
        CountryEntry.objects.filter(is_sample=True, status=EntryStatus.CURRENT, topic=Topic.RISK_ON_RETURN)
        .order_by(Choose(When(country=record.country, then=0), default=1), "pk")
        .first()
    )
    if entry is not None:
        cite(manager, RETURN_KIND, record.pk, entry)


def load_demo(cases: list[Case]) -> None:
    manager = demo_member("demo.casemanager", Role.CASE_MANAGER)
    if manager is None:
        return
    protector = demo_member("demo.protection", Role.PROTECTION_OFFICER)
    responder = demo_member("demo.responder", Role.FIRST_RESPONDER)
    admin = demo_member("demo.admin", Role.SYSTEM_ADMINISTRATOR)
    # The cases given a return or a resettlement by an earlier load, in the order they were given one.
    given = [
        *VoluntaryReturn.objects.order_by("pk").values_list("case_id", flat=True),
        *Resettlement.objects.order_by("pk").values_list("case_id", flat=True),
    ]
    busy = {case_id: turn for turn, case_id in reversed(list(enumerate(given)))}
    # Adults' cases the demo case manager works on: those of an earlier load first (a second load finds the
    # same ones), then those past identification, and among them those whose risk on return the demo
    # protection officer may assess already (a return is cleared on that assessment; elsewhere the manager
    # puts the police's protection unit on the team for it).
    adults = sorted(
        (case for case in cases if not case_is_child(case) and may_work_on_return(manager, case)),
        key=lambda case: (
            busy.get(case.pk, len(busy)),
            case.phase not in PAST_IDENTIFICATION,
            not _assessable(protector, case),
        ),
    )
    day = timezone.localdate()
    for index, case in enumerate(adults[:4]):
        if case.pk in busy:
            continue
        if index == 3:
            _resettle(manager, case, day)
            continue
        record = _ask(manager, case, day)
        _cite(manager, record)
        if index == 0 or protector is None:
            continue
        _with_the_police(manager, protector, case)
        try:  # the demo protection officer may not be on this case's team: then it stays asked for
            record = _prepare(manager, protector, case, record)
            record = return_clear(
                **done_by(manager),
                voluntary_return=record,
                expected_version=record.version,
            )
        except (PermissionDenied, ValidationError):
            continue
        if index == 2:
            return_arrived(
                **done_by(manager),
                voluntary_return=record,
                returned_on=day,
                expected_version=record.version,
            )
    child = next(
        (
            case
            for case in cases
            if case_is_child(case) and case.pk not in busy and may_work_on_return(manager, case)
        ),
        None,
    )
    if child is not None:
        # Should a step be refused, the return stays as far as it got: the section says what is missing.
        with contextlib.suppress(PermissionDenied, ValidationError):
            _child_return(manager, protector, child, day)
    if adults:
        _packages(manager, responder, admin, adults[0])
