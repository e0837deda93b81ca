"""Anonymous contact requests (issue 22, item 3): left on the public form with nothing but how to reach the
person, they reach the duty agency's case workers who refer, and nobody else; picked up once, read by the one
who picked it up, erased when they lapse. Through the service, the pages and the API."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.models import Notice
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.portal.forms import form_token
from palermo.portal.models import ContactRequest, ContactStatus
from palermo.portal.services import contact_request_lapse
from tests.api.errors import api_error

pytestmark = pytest.mark.django_db
PHONE = "+00 555 0199 (synthetic)"


@pytest.fixture
def world(make_agency, make_member):
    """The NGO of Sicilia (two duty workers, a service provider and a data protection officer), a national
    NGO, the NGO of another region, and a police unit in Sicilia."""
    sicilia = make_agency("ngo", region="Sicilia")
    national = make_agency("ngo", region="")
    other = make_agency("ngo", region="Lazio")
    police = make_agency("police", region="Sicilia")
    return SimpleNamespace(
        sicilia=sicilia,
        duty=make_member(Role.CASE_MANAGER, agency=sicilia),
        responder=make_member(Role.FIRST_RESPONDER, agency=sicilia),
        provider=make_member(Role.SERVICE_PROVIDER, agency=sicilia),
        dpo=make_member(Role.DATA_PROTECTION_OFFICER, agency=sicilia),
        national=make_member(Role.CASE_MANAGER, agency=national),
        other=make_member(Role.CASE_MANAGER, agency=other),
        police=make_member(Role.FIRST_RESPONDER, agency=police),
    )


def leave(client, lang="en", **fields):
    data = {"channel": "phone", "contact": PHONE, "meeting": "", "region": "Sicilia", "language": "ti"}
    data["token"] = form_token()
    data.update(fields)
    return client.post(reverse("portal:contact", args=[lang]), data)


def test_a_request_reaches_the_duty_workers_of_the_region_and_nobody_else(client, world, client_for):
    response = leave(client, lang="ti")
    assert response.status_code == 200 and "ተላኢኹ" in response.content.decode()
    assert not response.cookies
    request = ContactRequest.objects.get()
    assert (request.agency, request.language, request.region) == (world.sicilia, "ti", "Sicilia")
    assert request.status == ContactStatus.WAITING
    told = set(Notice.objects.values_list("user_id", flat=True))
    assert told == {world.duty.pk, world.responder.pk}
    list_url = reverse("portal_staff:list")
    detail_url = reverse("portal_staff:detail", args=[request.pk])
    api_list = reverse("api-portal-contact-requests")
    api_detail = reverse("api-portal-contact-request", args=[request.pk])
    for member in (world.duty, world.responder):
        staff = client_for(member)
        listed = staff.get(list_url).content.decode()
        assert f'href="{detail_url}"' in listed and "<td>Tigrinya</td>" in listed  # the language in words
        detail = staff.get(detail_url)
        assert detail.status_code == 200 and ">Tigrinya<" in detail.content.decode()
        assert [row["id"] for row in staff.get(api_list).json()["results"]] == [request.pk]
        assert staff.get(api_detail).json()["reach"] is None  # not picked up yet: no contact shown
    for member in (world.national, world.other, world.police):
        staff = client_for(member)
        assert f'href="{detail_url}"' not in staff.get(list_url).content.decode()
        assert staff.get(detail_url).status_code == 404
        assert staff.get(api_list).json()["results"] == []
        api_error(staff.get(api_detail), 404)
    for member in (world.provider, world.dpo):  # roles without the duty: no door at all
        staff = client_for(member)
        assert staff.get(list_url).status_code == 404
        assert staff.get(detail_url).status_code == 404
        api_error(staff.get(api_list), 404)


def test_the_contact_is_encrypted_at_rest_and_nothing_else_about_the_person_is_kept(client, world):
    leave(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact, meeting FROM portal_contactrequest")
        stored = cursor.fetchone()
    # Not the number, nor its digits run together (three digits alone turn up in base64 by chance).
    assert PHONE not in str(stored) and "5550199" not in str(stored)
    fields = {field.name for field in ContactRequest._meta.concrete_fields}
    assert not fields & {"name", "birth_date", "address", "ip", "story", "nationality", "gender"}
    assert not AuditEvent.objects.filter(reason__contains="555").exists()


def test_the_worker_who_picks_it_up_sees_the_contact_and_it_leaves_the_others_list(client, world, client_for):
    leave(client)
    request = ContactRequest.objects.get()
    duty, responder = client_for(world.duty), client_for(world.responder)
    picked = duty.post(
        reverse("api-portal-contact-request-pick-up", args=[request.pk]), {"expected_version": 1}
    )
    assert picked.status_code == 200
    assert picked.json()["reach"] == {"contact": PHONE, "meeting": ""}
    assert AuditEvent.objects.filter(action="portal.contact_request.read", tier=2).exists()
    stale = responder.post(reverse("portal_staff:detail", args=[request.pk]), {"version": 1})
    assert stale.status_code == 404  # taken: gone from a colleague's duty
    assert responder.get(reverse("api-portal-contact-requests")).json()["results"] == []
    page = duty.get(reverse("portal_staff:detail", args=[request.pk])).content.decode()
    assert PHONE in page


def test_a_stale_pick_up_is_409_with_the_request_now(client, world, client_for):
    leave(client)
    request = ContactRequest.objects.get()
    url = reverse("api-portal-contact-request-pick-up", args=[request.pk])
    ContactRequest.objects.filter(pk=request.pk).update(version=2)
    error = api_error(client_for(world.responder).post(url, {"expected_version": 1}), 409)
    assert error["current"]["record"]["status"] == "waiting"


def test_picking_up_on_the_page_is_a_confirmed_post(client, world, client_for):
    leave(client, channel="meeting", contact="", meeting="Central station, Tuesday 10:00 (synthetic)")
    request = ContactRequest.objects.get()
    staff = client_for(world.responder)
    url = reverse("portal_staff:detail", args=[request.pk])
    assert "Central station" not in staff.get(url).content.decode()
    done = staff.post(url, {"version": request.version})
    assert done.status_code == 302
    assert "Central station" in staff.get(url).content.decode()
    assert AuditEvent.objects.filter(action="portal.contact_request.read", tier=3).exists()


def test_a_request_lapses_when_no_one_picks_it_up_and_its_contact_is_erased(client, world, client_for):
    leave(client)
    request = ContactRequest.objects.get()
    waits = request.expires_at - request.created_at  # the rulebook's period
    assert abs(waits - datetime.timedelta(days=7)) < datetime.timedelta(seconds=5)
    assert contact_request_lapse.call(request.pk) == 0  # not due yet
    ContactRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client_for(world.duty).get(reverse("api-portal-contact-requests")).json()["results"] == []
    assert contact_request_lapse.call(request.pk) == 1
    request.refresh_from_db()
    assert (request.status, request.contact, request.meeting) == (ContactStatus.EXPIRED, "", "")
    assert contact_request_lapse.call(request.pk) == 0


def test_the_lapse_is_queued_for_its_time(client, world, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        leave(client)
    queued = DBTaskResult.objects.get(task_path__endswith="contact_request_lapse")
    assert queued.run_after == ContactRequest.objects.get().expires_at
    assert queued.args_kwargs["args"] == [ContactRequest.objects.get().pk]


def test_without_a_region_a_national_agency_takes_it_and_without_one_the_person_is_told_to_call(
    client, world, make_agency
):
    leave(client, region="")
    assert ContactRequest.objects.get().agency.region == ""
    from palermo.accounts.models import Agency

    Agency.objects.filter(type="ngo").update(is_active=False)
    refused = leave(client)
    assert refused.status_code == 400
    assert "Please call one of the services listed" in refused.content.decode()
    assert ContactRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": ""}, "channel"),
        ({"channel": "phone", "contact": ""}, "contact"),
        ({"channel": "message", "contact": "  "}, "contact"),
        ({"channel": "meeting", "meeting": ""}, "meeting"),
    ],
)
def test_what_the_channel_needs_is_asked_for_in_the_persons_language(client, world, fields, field):
    response = leave(client, lang="fa", **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and f'href="#id_{field}"' in html
    assert "There is a problem" not in html  # in Persian
    assert ContactRequest.objects.count() == 0


def test_a_form_not_served_by_the_site_is_refused(client, world):
    assert leave(client, token="forged").status_code == 400
    assert ContactRequest.objects.count() == 0


def test_the_limiter_stops_a_flood_from_one_address(client, world):
    for _ in range(3):
        assert leave(client).status_code == 200
    refused = leave(client)
    assert refused.status_code == 400 and "cannot be sent at the moment" in refused.content.decode()
    assert ContactRequest.objects.count() == 3
    assert AuditEvent.objects.filter(action="limits.refused", reason__contains="contact_request").exists()


def test_the_list_reads_in_a_fixed_number_of_queries(
    client, world, client_for, django_assert_max_num_queries
):
    for _ in range(3):
        leave(client)
    staff = client_for(world.duty)
    url = reverse("api-portal-contact-requests")
    staff.get(url)
    with django_assert_max_num_queries(12):
        assert len(staff.get(url).json()["results"]) == 3


def test_the_demo_leaves_requests_for_the_demo_case_manager():
    from django.core.management import call_command

    from palermo.accounts.models import User

    call_command("seed_demo", "--cases", "1", stdout=__import__("io").StringIO())
    manager = User.objects.get(username="demo.casemanager")
    assert ContactRequest.objects.filter(status=ContactStatus.WAITING).count() == 3
    assert ContactRequest.objects.get(status=ContactStatus.PICKED_UP).picked_up_by == manager
