"""Location and health never through a proxy (decision 0020): which safe house a person is referred to or
stays in reads at T3, and that a service is medical or psycho-social care reads at T4, on the case page, in
the API, on the timeline and in the printed summary; readers without the tier see that something is
withheld, never what. A reader with the tier sees it, and that read is recorded at its tier."""

from __future__ import annotations

import datetime
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import AgencyType, Role
from palermo.assistance.models import ServiceKind
from palermo.assistance.services.placements import placement_start
from palermo.assistance.services.plans import plan_create
from palermo.assistance.services.referrals import referral_accept, referral_send
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, EventKind
from tests.assistance.conftest import add_service, consent_to, person_on
from tests.cases.casework import htmx, make_case, put_on_team

pytestmark = pytest.mark.django_db

HOUSE = "Casa Lumina Nord"
HOUSE_REGION = "Valea Ascunsa"
CLINIC = "Centrul Aurora pentru trauma"
WITHHELD_HOUSE = "Safe accommodation (location withheld)"
WITHHELD_KIND = "A service (kind withheld)"
HEALTH_LABELS = ("Medical care", "Psycho-social care")


@pytest.fixture
def house_worker(make_member):
    return make_member(Role.SERVICE_PROVIDER, AgencyType.SHELTER)


@pytest.fixture
def clinic_worker(make_member):
    return make_member(Role.SERVICE_PROVIDER, AgencyType.HEALTH)


@pytest.fixture
def case(manager):
    """A case led by the manager's agency with the manager alone on its team: their colleagues stand in the
    matrix's same-agency relation (T0, T1)."""
    case = make_case(manager.membership.agency)
    put_on_team(case, manager, whole_agency=False)
    person_on(case)
    return case


@pytest.fixture
def assisted(manager, case, house_worker, clinic_worker):
    """A case referred to a safe house and to a psycho-social service (both accepted), placed in the house,
    with a plan holding medical care."""
    house = add_service(house_worker, name=HOUSE, regions=[HOUSE_REGION], contact="+40 21 999 0000")
    clinic = add_service(clinic_worker, ServiceKind.PSYCHOSOCIAL_CARE, name=CLINIC)
    for service, worker in ((house, house_worker), (clinic, clinic_worker)):
        consent_to(manager, case, service.agency)
        referral = referral_send(actor=manager, membership=manager.membership, case=case, service=service)
        referral_accept(
            actor=worker, membership=worker.membership, referral=referral, expected_version=referral.version
        )
    placement_start(actor=manager, membership=manager.membership, case=case, service=house, address="")
    plan_create(
        actor=manager,
        membership=manager.membership,
        case=case,
        goals="Safety first",
        review_on=timezone.localdate() + datetime.timedelta(days=30),
        services=[ServiceKind.MEDICAL_CARE, ServiceKind.EDUCATION],
    )
    return case, house, clinic


def shows(text, name):
    """The name is in the page or answer (as typed, or as the template escapes it)."""
    return name in text or escape(name) in text


def reader(make_member, case, role, *, team=True, agency=None):
    member = make_member(role, agency=agency)
    if team:
        put_on_team(case, member)
    return member


def seen(client_for, member, case):
    """The case page, its assistance section and the assistance API as the member gets them."""
    client = client_for(member)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    section = client.get(reverse("assistance:case", args=[case.reference]), **htmx()).content.decode()
    api = client.get(reverse("api-assistance-case", args=[case.reference]))
    assert api.status_code == 200
    return page + section, api.json()


def names_of(house, clinic):
    return {
        "house": (HOUSE, HOUSE_REGION, house.agency.name),
        "clinic": (CLINIC, clinic.agency.name, *HEALTH_LABELS),
    }


def test_a_colleague_without_location_or_health_sees_neither(make_member, client_for, manager, assisted):
    case, house, clinic = assisted
    colleague = reader(make_member, case, Role.CASE_MANAGER, team=False, agency=manager.membership.agency)
    text, api = seen(client_for, colleague, case)
    for name in (*names_of(house, clinic)["house"], *names_of(house, clinic)["clinic"]):
        assert not shows(text, name) and not shows(str(api), name), name
    assert WITHHELD_HOUSE in text and WITHHELD_KIND in text
    by_withheld = {item["service_withheld"]: item for item in api["referrals"]}
    assert set(by_withheld) == {"T3", "T4"}
    for item in api["referrals"]:
        assert item["service"] is item["service_name"] is item["provider"] is item["provider_name"] is None
        assert item["service_kind"] is None
    assert api["placements"][0]["service"] is None and api["placements"][0]["service_withheld"] == "T3"
    kinds = {item["kind"] for item in api["plan"]["services"]}
    assert kinds == {None, ServiceKind.EDUCATION}  # the plan's medical care reads at T4
    assert {item["kind_withheld"] for item in api["plan"]["services"]} == {None, "T4"}


def test_location_without_health_and_health_without_location(make_member, client_for, assisted):
    case, house, clinic = assisted
    names = names_of(house, clinic)
    protection = reader(make_member, case, Role.PROTECTION_OFFICER)  # T1-T3
    text, api = seen(client_for, protection, case)
    assert shows(text, HOUSE) and shows(text, house.agency.name) and HOUSE in str(api)
    for name in names["clinic"]:
        assert not shows(text, name) and not shows(str(api), name), name
    investigator = reader(make_member, case, Role.INVESTIGATOR)  # T1, T2, T4
    text, api = seen(client_for, investigator, case)
    assert shows(text, CLINIC) and shows(text, clinic.agency.name) and "Psycho-social care" in text
    assert ServiceKind.MEDICAL_CARE in {item["kind"] for item in api["plan"]["services"]}
    for name in names["house"]:
        assert not shows(text, name) and not shows(str(api), name), name


def test_the_whole_team_sees_both(client_for, manager, assisted):
    case, house, clinic = assisted
    text, api = seen(client_for, manager, case)
    assert shows(text, house.agency.name) and shows(text, clinic.agency.name)
    assert HOUSE in text and CLINIC in text and WITHHELD_HOUSE not in text and WITHHELD_KIND not in text
    assert {item["service_withheld"] for item in api["referrals"]} == {None}


def test_naming_the_house_to_a_reader_of_location_is_a_recorded_read(make_member, client_for, assisted):
    case, _house, _clinic = assisted
    protection = reader(make_member, case, Role.PROTECTION_OFFICER)
    before = AuditEvent.objects.filter(action="assistance.read", tier=3).count()
    client_for(protection).get(reverse("api-assistance-case", args=[case.reference]))
    assert AuditEvent.objects.filter(action="assistance.read", tier=3).count() == before + 1


def test_the_providers_answers_on_the_timeline_read_at_the_services_tier(
    make_member, client_for, manager, assisted
):
    case, house, clinic = assisted
    tiers = set(CaseEvent.objects.filter(case=case, kind=EventKind.REFERRAL).values_list("tier", flat=True))
    assert tiers == {3, 4}
    colleague = reader(make_member, case, Role.CASE_MANAGER, team=False, agency=manager.membership.agency)
    timeline = client_for(colleague).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert not shows(timeline, house.agency.name) and not shows(timeline, clinic.agency.name)


def test_the_printed_summary_withholds_the_house_from_a_reader_without_location(
    make_member, client_for, manager, assisted, monkeypatch
):
    """Printing needs T4; an investigator (T4 without T3) printing it does not learn the house."""
    from palermo.assistance import summary as summary_module

    def as_html(case, language, tiers):
        return summary_module.render_summary_html(case, language, tiers).encode()

    monkeypatch.setattr(summary_module, "render_summary_pdf", as_html)
    case, house, clinic = assisted
    investigator = reader(make_member, case, Role.INVESTIGATOR)
    url = reverse("assistance:summary", args=[case.reference]) + "?lang=en"
    printed = client_for(investigator).get(url).content.decode()
    assert not shows(printed, house.agency.name) and HOUSE not in printed and house.contact not in printed
    assert WITHHELD_HOUSE in printed and shows(printed, clinic.agency.name)
    full = client_for(manager).get(url).content.decode()
    assert shows(full, house.agency.name) and house.contact in full
