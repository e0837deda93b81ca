"""No place and no health through a proxy, for every role and relation of the access matrix (decision 0020).

One child's case holds everything that names a place or a health service: a referral to a safe house and its
stay, a referral to a psycho-social service, a plan with medical care, a family tracing request (country and
tracing agency), a residential care arrangement (its provider) and a return (its country). Each role in each
relation (on the team, a colleague of the lead agency, another agency, break-glass) then reads the case page
with every section and the case's API answers: a reader without T3 is never shown which house, where it is,
who runs it or where the child's family or return is; a reader without T4 is never shown a health service's
kind, name or provider. Readers with the tier are shown it (so the markers are really on the case).
"""

from __future__ import annotations

import datetime
import re
from html import escape

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from palermo.access.matrix import Relation
from palermo.access.tiers import Tier
from palermo.accounts.roles import AgencyType, Role
from palermo.assistance.models import ServiceKind
from palermo.assistance.services.placements import placement_start
from palermo.assistance.services.plans import plan_create
from palermo.assistance.services.referrals import referral_accept, referral_send
from palermo.cases.models import ConsentGiver
from palermo.cases.services.documents import case_document_add
from palermo.cases.services.notes import case_note_add
from palermo.children.models import CareType
from palermo.children.services.care import care_arrange
from palermo.children.services.tracing import tracing_request
from tests.access.conftest import grant_row, membership_of
from tests.access.test_matrix import expected_reads
from tests.assistance.conftest import add_service, consent_to, person_on
from tests.cases.casework import make_case, put_on_team
from tests.children.conftest import VIEWS, assess_family, decide_return, determine
from tests.factories import AgencyFactory, PersonaFactory, typical_agency_type
from tests.module_data import fast_passwords, kept_for_the_module

PERSONAS = [(role, relation) for role in Role for relation in Relation]

HOUSE, HOUSE_REGION, HOUSE_PHONE = "Casa Lumina Nord", "Valea Ascunsa", "+40 21 999 0000"
CLINIC = "Centrul Aurora pentru trauma"
TRACED_IN, RETURN_TO = "ISL", "MNG"


def new_member(role, agency_type=None, *, agency=None, two_factor=True):
    """As the `make_member` fixture makes one (tests/conftest.py), for the module's build."""
    if agency is None:
        agency = AgencyFactory(type=AgencyType(agency_type or typical_agency_type(role)))
    return PersonaFactory(role=Role(role), agency=agency, user=None, two_factor=two_factor)


def new_agency(agency_type=None, **fields):
    """As the `make_agency` fixture makes one (tests/conftest.py), for the module's build."""
    return AgencyFactory(type=AgencyType(agency_type or AgencyType.NGO), **fields)


@pytest.fixture(scope="module")
def child_case(django_db_setup, django_db_blocker, tmp_path_factory):
    """The case, built once for the module's 44 readers (tests/module_data.py: what each reader's test
    writes, its persona and what reading audits, is rolled back after it)."""
    with kept_for_the_module(django_db_blocker):
        with (
            django_db_blocker.unblock(),
            fast_passwords(),
            override_settings(DOCUMENT_STORE=tmp_path_factory.mktemp("documents")),
        ):
            built = the_child_case(new_member, new_agency)
        yield built


def the_child_case(make_member, make_agency):
    """The case, written through the services by its manager and the child's guardian (both named on the
    team, so that colleagues of the lead agency stand in the same-agency relation); the providers' workers
    each write a note and a document (`writers`: their user names, by the tier naming them reads at)."""
    manager = make_member(Role.CASE_MANAGER, two_factor=False)
    guardian = make_member(Role.GUARDIAN, two_factor=False)
    case = make_case(membership_of(manager).agency, is_child=True)
    for member in (manager, guardian):
        put_on_team(case, member, whole_agency=False)
    person_on(case)
    house_worker = make_member(Role.SERVICE_PROVIDER, AgencyType.SHELTER, two_factor=False)
    clinic_worker = make_member(Role.SERVICE_PROVIDER, AgencyType.HEALTH, two_factor=False)
    house = add_service(
        house_worker, name=HOUSE, regions=[HOUSE_REGION], contact=HOUSE_PHONE, serves_children=True
    )
    clinic = add_service(
        clinic_worker, ServiceKind.PSYCHOSOCIAL_CARE, name=CLINIC, serves_children=True, contact="+40 1"
    )
    for service, worker in ((house, house_worker), (clinic, clinic_worker)):
        put_on_team(case, worker, whole_agency=False)  # the providers work on the case too
        consent_to(guardian, case, service.agency, given_by=ConsentGiver.GUARDIAN)
        referral = referral_send(actor=manager, membership=manager.membership, case=case, service=service)
        referral_accept(
            actor=worker, membership=worker.membership, referral=referral, expected_version=referral.version
        )
    for worker in (house_worker, clinic_worker):  # who wrote a note or a document names the provider
        case_note_add(actor=worker, membership=worker.membership, case=case, body="arrived", tier=1)
        case_document_add(
            actor=worker,
            membership=worker.membership,
            case=case,
            content=b"%PDF-1.4 x",
            filename="a.pdf",
            kind="other",
            tier=1,
        )
    placement_start(actor=manager, membership=manager.membership, case=case, service=house, address="")
    today = timezone.localdate()
    plan_create(
        actor=manager,
        membership=manager.membership,
        case=case,
        goals="Safety first",
        review_on=today + datetime.timedelta(days=30),
        services=[ServiceKind.MEDICAL_CARE, ServiceKind.PSYCHOSOCIAL_CARE, ServiceKind.EDUCATION],
    )
    tracer = make_agency(AgencyType.NGO, name="Tracing desk of the northern island")
    tracing_request(
        actor=manager,
        membership=manager.membership,
        case=case,
        requested_on=today,
        details="the child's aunt",
        country=TRACED_IN,
        tracing_agency=tracer,
    )
    determine(manager, case)
    home = make_agency(AgencyType.SHELTER, name="Children's home on Ostrov street")
    care_arrange(
        actor=manager,
        membership=manager.membership,
        case=case,
        type=CareType.RESIDENTIAL,
        starts_on=today,
        reasons="no family placement yet",
        residential_reason="siblings stay together",
        provider=home,
        **VIEWS,
    )
    decide_return(manager, case, country=RETURN_TO, family_assessment=assess_family(manager, case))
    markers = {
        Tier.LOCATION: [
            HOUSE,
            HOUSE_REGION,
            HOUSE_PHONE,
            house.agency.name,
            house_worker.username,
            tracer.name,
            home.name,
        ],
        Tier.NARRATIVE: [
            CLINIC,
            clinic.agency.name,
            clinic_worker.username,
            "Medical care",
            "Psycho-social care",
            "psychosocial_care",
        ],
    }
    codes = {Tier.LOCATION: [TRACED_IN, RETURN_TO], Tier.NARRATIVE: ["medical_care"]}
    writers = {Tier.LOCATION: house_worker.username, Tier.NARRATIVE: clinic_worker.username}
    return case, markers, codes, writers


def persona(make_member, make_agency, case, role, relation):
    if relation == Relation.SAME_AGENCY:
        return make_member(role, agency=case.lead_agency)
    member = make_member(role)
    if relation == Relation.TEAM:
        put_on_team(case, member, whole_agency=False)
    elif relation == Relation.BREAK_GLASS:
        grant_row(case, membership_of(member))
    return member


def answers(client, case):
    """Every page and API answer of the case a reader may ask for (refusals included, as they come)."""
    ref = case.reference
    urls = [
        reverse("cases:detail", args=[ref]),
        reverse("cases:detail_full", args=[ref]),
        reverse("api-case-notes", args=[ref]),
        reverse("api-case-documents", args=[ref]),
        reverse("assistance:case", args=[ref]),
        reverse("api-case", args=[ref]),
        reverse("api-case-timeline", args=[ref]),
        reverse("api-case-consents", args=[ref]),
        reverse("api-case-team", args=[ref]),
        reverse("api-children-guardianship", args=[ref]),
        reverse("api-assistance-case", args=[ref]),
        reverse("api-children-tracing", args=[ref]),
        reverse("api-children-care", args=[ref]),
        reverse("api-children-solutions", args=[ref]),
    ]
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        texts[url] = (response.status_code, response.content.decode())
    return texts


def leak(role, relation, tier, name, url, text) -> str:
    at = text.find(name) if name in text else text.find(escape(name))
    before = text[max(at - 200, 0) : at]
    return f"{role}/{relation} without {tier.code} is shown {name!r} at {url}: ...{before}"


def shows(text: str, name: str) -> bool:
    return name in text or escape(name) in text


def shows_code(text: str, code: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(code)}(?![A-Za-z0-9_])", text) is not None


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relation"), PERSONAS, ids=lambda value: str(value))
def test_no_place_and_no_health_through_a_proxy(
    role, relation, child_case, make_member, make_agency, client_for
):
    case, markers, codes, writers = child_case
    reader = persona(make_member, make_agency, case, role, relation)
    tiers = expected_reads(role, relation)
    texts = answers(client_for(reader), case)
    for tier in (Tier.LOCATION, Tier.NARRATIVE):
        if tier in tiers:
            continue
        for url, (_status, text) in texts.items():
            for name in markers[tier]:
                assert not shows(text, name), leak(role, relation, tier, name, url, text)
            for code in codes[tier]:
                assert not shows_code(text, code), leak(role, relation, tier, code, url, text)
    # A reader of the tier is shown it: the markers are really on the case (the test can fail).
    status, assistance = texts[reverse("api-assistance-case", args=[case.reference])]
    if status == 200 and Tier.LOCATION in tiers:
        assert HOUSE in assistance
    if status == 200 and Tier.NARRATIVE in tiers:
        assert CLINIC in assistance and "medical_care" in assistance
    for url in ("api-case-notes", "api-case-documents"):  # and so is who wrote a note or a document
        status, text = texts[reverse(url, args=[case.reference])]
        for tier, writer in writers.items():
            if status == 200 and tier in tiers and Tier.METADATA in tiers:
                assert shows(text, writer), (role, relation, url, writer)
