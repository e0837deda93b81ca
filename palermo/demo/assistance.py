"""Demo assistance: the demo agencies' services in the directory, and on demo cases the demo case manager
works on, a needs assessment, a plan with the person's choices, referrals (with the person's consent) and
some stays in the demo shelter, answered by the demo provider.

Through the same services as real work, with fixed synthetic wording (no personal data). Idempotent: a
service that exists by name is left as it is, and so is a case that already has a plan.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from palermo.accounts.models import Agency, Membership
from palermo.accounts.roles import Role
from palermo.assistance.models import AssistancePlan, PersonChoice, ProviderService, ServiceKind
from palermo.assistance.services.directory import ServiceData, service_create
from palermo.assistance.services.placements import placement_start
from palermo.assistance.services.plans import assessment_record, may_plan, plan_create, plan_service_choice
from palermo.assistance.services.referrals import referral_accept, referral_send
from palermo.cases.models import Case, ConsentGiver, ConsentPurpose
from palermo.cases.selectors import consent_valid
from palermo.cases.services.consent import consent_record
from palermo.demo.accounts import DEMO_REGION
from palermo.demo.common import demo_member, done_by

DEMO_ADMIN = "demo.admin"
DEMO_MANAGER = "demo.casemanager"
DEMO_PROVIDER = "demo.provider"
MAX_CASES = 24

# (agency name, service kind, service name, places, languages, contact)
DEMO_SERVICES = [
    (
        "Demo Shelter Network",
        ServiceKind.SAFE_ACCOMMODATION,
        "Demo Safe House",
        12,
        ["eng", "ron", "rus", "ara"],
        "24h line +00 100 000 100",
    ),
    (
        "Demo Shelter Network",
        ServiceKind.INTERPRETATION,
        "Demo Interpreter Pool",
        None,
        ["ara", "sqi", "vie", "tir", "ukr"],
        "+00 100 000 101",
    ),
    (
        "Demo Legal Aid Centre",
        ServiceKind.LEGAL_INFORMATION,
        "Demo Rights Desk",
        None,
        ["eng", "fra", "spa"],
        "Mon-Fri 9-17, +00 100 000 200",
    ),
    (
        "Demo Legal Aid Centre",
        ServiceKind.LEGAL_ASSISTANCE,
        "Demo Victims' Lawyers",
        None,
        ["eng", "ron", "sqi"],
        "+00 100 000 201",
    ),
    (
        "Demo Safe Harbour NGO",
        ServiceKind.PSYCHOSOCIAL_CARE,
        "Demo Counselling",
        None,
        ["eng", "rus", "ukr"],
        "+00 100 000 300",
    ),
    (
        "Demo Safe Harbour NGO",
        ServiceKind.MATERIAL_ASSISTANCE,
        "Demo Basic Needs Fund",
        None,
        ["eng"],
        "+00 100 000 301",
    ),
    (
        "Demo Safe Harbour NGO",
        ServiceKind.VOCATIONAL_TRAINING,
        "Demo Skills Workshop",
        None,
        ["eng", "spa"],
        "+00 100 000 302",
    ),
    (
        "Demo Municipal Social Services",
        ServiceKind.MEDICAL_CARE,
        "Demo Health Clinic",
        None,
        ["eng", "fra", "ara"],
        "+00 100 000 400",
    ),
]
DEMO_NEEDS = ["safe_accommodation", "medical_care", "legal_assistance", "psychosocial_care"]


def load_services() -> None:
    admin = demo_member(DEMO_ADMIN, Role.SYSTEM_ADMINISTRATOR)
    if admin is None:
        return
    for agency_name, kind, name, places, languages, contact in DEMO_SERVICES:
        agency = Agency.objects.filter(name=agency_name).first()
        if agency is None or ProviderService.objects.filter(agency=agency, name=name).exists():
            continue
        data = ServiceData(
            kind=kind,
            name=name,
            contact=contact,
            languages=languages,
            regions=[DEMO_REGION],
            serves_children=kind != ServiceKind.SAFE_ACCOMMODATION,
            capacity=places,
        )
        service_create(actor=admin.user, membership=admin, agency=agency, data=data)


def _service(kind: str) -> ProviderService | None:
    return (
        ProviderService.objects.filter(kind=kind, name__startswith="Demo ").select_related("agency").first()
    )


def _consent(manager: Membership, case: Case, agency: Agency) -> None:
    if consent_valid(case, ConsentPurpose.REFERRAL, agency):
        return
    consent_record(
        **done_by(manager),
        case=case,
        purpose=ConsentPurpose.REFERRAL,
        given_by=ConsentGiver.GUARDIAN if case.is_child else ConsentGiver.PERSON,
        language="eng",
        recipient_agency=agency,
    )


def _assist(manager: Membership, provider: Membership | None, case: Case, index: int) -> None:
    user = manager.user
    assessment = assessment_record(
        actor=user,
        membership=manager,
        case=case,
        needs=DEMO_NEEDS,
        urgent=DEMO_NEEDS[:1],
        summary="Demo assessment: needs rest, a safe place to stay and advice on their rights.",
    )
    plan = plan_create(
        actor=user,
        membership=manager,
        case=case,
        goals="Safety and recovery first; then legal clarity and a plan for work or study.",
        person_view="Demo: wants to rest first and to talk to a lawyer before deciding anything else.",
        review_on=timezone.localdate() + datetime.timedelta(days=14 + index % 30),
        services=DEMO_NEEDS,
        assessment=assessment,
    )
    agreed = set()
    for item in plan.services.all():
        choice = PersonChoice.REFUSED if (index + len(item.kind)) % 7 == 0 else PersonChoice.AGREED
        plan_service_choice(actor=user, membership=manager, item=item, choice=choice)
        if choice == PersonChoice.AGREED:
            agreed.add(item.kind)
    legal = _service(ServiceKind.LEGAL_ASSISTANCE)
    if legal is not None and index % 2 == 0 and legal.kind in agreed:
        _consent(manager, case, legal.agency)
        referral_send(actor=user, membership=manager, case=case, service=legal)
    shelter = _service(ServiceKind.SAFE_ACCOMMODATION)
    if shelter is not None and not case.is_child and index % 3 == 0 and shelter.kind in agreed:
        _consent(manager, case, shelter.agency)
        referral = referral_send(actor=user, membership=manager, case=case, service=shelter)
        if provider is not None and provider.agency_id == shelter.agency_id:
            referral_accept(
                **done_by(provider),
                referral=referral,
                appointment_at=timezone.now() + datetime.timedelta(days=1 + index % 5),
                expected_version=referral.version,
            )
            placement_start(actor=user, membership=manager, case=case, service=shelter, referral=referral)


def load_demo(cases: list[Case], first: int = 0) -> None:
    load_services()
    manager = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    if manager is None:
        return
    provider = demo_member(DEMO_PROVIDER, Role.SERVICE_PROVIDER)
    planned = set(AssistancePlan.objects.values_list("case_id", flat=True))
    done = len(planned)
    for index, case in enumerate(cases, start=first):
        if done >= MAX_CASES:
            break
        if case.pk in planned or not may_plan(manager, case) or not case.persons.exists():
            continue
        try:
            with transaction.atomic():  # all of a case's demo assistance, or none of it
                _assist(manager, provider, case, index)
        except (ValidationError, PermissionDenied):  # a full shelter, a service the person refused
            continue
        done += 1
