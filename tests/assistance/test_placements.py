"""Placements in safe accommodation: against capacity (refused when full, also under concurrent writers on
PostgreSQL), one stay at a time, the address encrypted and shown only with location (T3)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.assistance.models import Placement, PlacementEnd
from palermo.assistance.services.directory import ServiceData, service_update
from palermo.assistance.services.placements import AccommodationFull, placement_end, placement_start
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, EventKind
from palermo.deadlines.models import Deadline
from tests.api.errors import api_error, error_text
from tests.assistance.conftest import add_service, current, person_on
from tests.cases.casework import htmx, make_case, put_on_team

pytestmark = pytest.mark.django_db

ADDRESS = "Strada Secretă 7, ap. 3"


def new_case(manager):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    person_on(case)
    return case


def place(manager, case, shelter, address=ADDRESS):
    return placement_start(
        actor=manager, membership=manager.membership, case=case, service=shelter, address=address
    )


def test_placements_fill_the_places_and_the_next_is_refused(manager, shelter):
    first, second, third = (new_case(manager) for _ in range(3))
    place(manager, first, shelter)
    place(manager, second, shelter)
    with pytest.raises(AccommodationFull):
        place(manager, third, shelter)
    assert Placement.objects.filter(service=shelter, ended_at__isnull=True).count() == 2


def test_ending_a_stay_frees_its_place(manager, shelter):
    first, second, third = (new_case(manager) for _ in range(3))
    stay = place(manager, first, shelter)
    place(manager, second, shelter)
    placement_end(
        actor=manager,
        membership=manager.membership,
        placement=stay,
        reason=PlacementEnd.MOVED_ON,
        expected_version=current(stay),
    )
    assert place(manager, third, shelter).pk


def test_one_stay_at_a_time(manager, shelter, shelter_worker):
    case = new_case(manager)
    stay = place(manager, case, shelter)
    assert place(manager, case, shelter) == stay  # the same stay sent twice: started already
    other = add_service(shelter_worker, name="Another safe house")
    with pytest.raises(ValidationError):
        place(manager, case, other)
    assert Placement.objects.filter(case=case).count() == 1


def test_places_cannot_go_below_those_taken(manager, shelter_worker, shelter):
    place(manager, new_case(manager), shelter)
    place(manager, new_case(manager), shelter)
    data = ServiceData(kind=shelter.kind, name=shelter.name, capacity=1)
    with pytest.raises(ValidationError):
        service_update(
            actor=shelter_worker,
            membership=shelter_worker.membership,
            service=shelter,
            data=data,
            expected_version=1,
        )


def test_the_address_is_encrypted_recorded_at_t3_and_the_timeline_says_only_that(manager, case, shelter):
    stay = place(manager, case, shelter)
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM assistance_placement WHERE id = %s", [stay.pk])
        stored = cursor.fetchone()[0]
    assert "Secretă" not in stored
    assert Placement.objects.get(pk=stay.pk).address == ADDRESS
    event = CaseEvent.objects.get(case=case, kind=EventKind.ACCOMMODATION)
    assert event.tier == 1 and "Secret" not in event.summary
    assert AuditEvent.objects.get(action="placement.start").tier == 3


def test_only_members_who_write_location_place(manager, make_member, case, shelter):
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(case, migration)
    with pytest.raises(PermissionDenied):
        place(migration, case, shelter)


def test_the_address_shows_only_to_readers_of_location(manager, make_member, case, shelter, client_for):
    place(manager, case, shelter)
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(case, migration)
    url = reverse("assistance:case", args=[case.reference])
    assert ADDRESS in client_for(manager).get(url, **htmx()).content.decode()
    page = client_for(migration).get(url, **htmx()).content.decode()
    # Which safe house is location too: the stay shows, the house does not (decision 0020).
    assert "Safe accommodation (location withheld)" in page
    assert shelter.name not in page and ADDRESS not in page
    api = client_for(migration).get(reverse("api-assistance-case", args=[case.reference])).json()
    assert api["placements"][0]["address"] is None  # hidden reads null in every area
    assert api["placements"][0]["service"] is None and api["placements"][0]["service_withheld"] == "T3"
    assert ADDRESS not in str(api) and shelter.name not in str(api)


def test_placing_through_the_page_and_a_full_house_is_a_form_error(manager, shelter, client_for):
    client = client_for(manager)
    cases = [new_case(manager) for _ in range(3)]
    for case in cases[:2]:
        response = client.post(
            reverse("assistance:placement_add", args=[case.reference]),
            {"service": shelter.pk, "address": ADDRESS},
        )
        assert response.status_code == 302
    full = client.post(
        reverse("assistance:placement_add", args=[cases[2].reference]),
        {"service": shelter.pk, "address": ADDRESS},
    )
    assert full.status_code == 400
    assert not Placement.objects.filter(case=cases[2]).exists()
    api = client.post(
        reverse("api-assistance-placements", args=[cases[2].reference]),
        {"service": shelter.pk},
        content_type="application/json",
    )
    assert "taken" in error_text(api_error(api, 400, "invalid"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises writers"
)
def test_concurrent_placements_never_overfill(manager, shelter):
    cases = [new_case(manager) for _ in range(6)]
    barrier = threading.Barrier(len(cases))
    outcomes: list[str] = []

    def attempt(case):
        from django.db import connections

        try:
            barrier.wait()
            place(manager, case, shelter)
            outcomes.append("placed")
        except AccommodationFull:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("placed") == 2 and outcomes.count("full") == 4
    assert Placement.objects.filter(service=shelter, ended_at__isnull=True).count() == 2


def test_a_stay_begun_marks_the_safe_accommodation_entitlement_provided(manager, shelter):
    from palermo.reflection.services.periods import period_request

    case = new_case(manager)
    period = period_request(actor=manager, membership=manager.membership, case=case)
    place(manager, case, shelter)
    accommodation = period.entitlements.get(kind="safe_accommodation")
    assert accommodation.status == "provided" and accommodation.status_on is not None
    assert not Deadline.objects.filter(
        case=case, kind="reflection.entitlement.safe_accommodation", done_at__isnull=True
    ).exists()
    assert period.entitlements.get(kind="legal_information").status == "due"  # only what was given
