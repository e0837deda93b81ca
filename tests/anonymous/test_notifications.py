"""Anonymous notifications (issue 14, item 4): an adult who declines to be referred is still counted, with the
rights information given, and can come back: the notification becomes a referral, linked and audited.
Through the services, the pages and the API."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.anonymous.models import AnonymousNotification, NotificationStatus
from palermo.anonymous.selectors import figures
from palermo.anonymous.services import anonymous_notification_convert, anonymous_notification_record
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.cases.reference import ExploitationForm
from palermo.core.concurrency import StaleEdit
from tests.api.errors import api_error
from tests.cases.referrals import referral_for
from tests.cases.test_intake_api import referral_data

pytestmark = pytest.mark.django_db
IDENTIFYING = ("name", "birth", "phone", "email", "address", "contact", "note", "story")


@pytest.fixture
def ia_agency(authority):
    return authority.membership.agency


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def facts(**overrides):
    values = {
        "met_in": this_month(),
        "gender": "Feminine",
        "age_group": "21-23",
        "nationality": "NGA",
        "exploitation_form": ExploitationForm.FORCED_LABOUR,
        "exploitation_country": "ITA",
        "exploitation_region": "IT-82",
        "exploitation_month": datetime.date(2025, 11, 1),
        "rights_information_given": True,
        "leaflet": "Your rights as a possible victim (2026)",
        "leaflet_language": "eng",
    }
    values.update(overrides)
    return values


def record(user, **overrides):
    return anonymous_notification_record(actor=user, membership=user.membership, facts=facts(**overrides))


def test_nothing_on_the_record_can_identify_the_person():
    names = [field.name for field in AnonymousNotification._meta.get_fields()]
    assert not [name for name in names if any(word in name for word in IDENTIFYING)]


def test_a_refusal_is_recorded_with_the_rights_information(first_responder):
    notification = record(first_responder)
    assert notification.status == NotificationStatus.DECLINED and notification.case is None
    assert notification.agency_id == first_responder.membership.agency_id
    assert notification.leaflet_language == "eng"
    assert AuditEvent.objects.filter(action="anonymous.record", object_id=str(notification.pk)).exists()


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"exploitation_region": "FR-75C"}, "exploitation_region"),  # not in Italy
        ({"exploitation_region": "XX-99"}, "exploitation_region"),
        ({"leaflet": ""}, "leaflet"),  # information given: which leaflet
        ({"met_in": this_month() + datetime.timedelta(days=40)}, "met_in"),
        ({"nationality": "ZZZ"}, "nationality"),
        ({"exploitation_form": "Gardening"}, "exploitation_form"),
    ],
)
def test_bad_facts_are_refused(first_responder, bad, field):
    with pytest.raises(ValidationError) as refused:
        record(first_responder, **bad)
    assert field in refused.value.message_dict
    assert not AnonymousNotification.objects.exists()


def test_only_those_who_refer_record(migration_officer):
    with pytest.raises(PermissionDenied):
        record(migration_officer)


def test_the_person_comes_back_and_is_referred(first_responder, ia_agency):
    notification = record(first_responder)
    case = anonymous_notification_convert(
        actor=first_responder,
        membership=first_responder.membership,
        notification=notification,
        referral=referral_for(ia_agency),
        expected_version=notification.version,
    )
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.REFERRED and notification.case == case
    assert AuditEvent.objects.filter(action="anonymous.convert", case=case).exists()
    with pytest.raises(ValidationError):  # once
        anonymous_notification_convert(
            actor=first_responder,
            membership=first_responder.membership,
            notification=notification,
            referral=referral_for(ia_agency),
            expected_version=notification.version,
        )
    assert Case.objects.count() == 1


def test_a_conversion_is_all_or_nothing_and_guarded(first_responder, ia_agency, make_member):
    notification = record(first_responder)
    with pytest.raises(ValidationError):  # an adult who still does not consent
        anonymous_notification_convert(
            actor=first_responder,
            membership=first_responder.membership,
            notification=notification,
            referral=referral_for(ia_agency, consent_given=False),
            expected_version=notification.version,
        )
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.DECLINED and not Case.objects.exists()
    with pytest.raises(StaleEdit):
        anonymous_notification_convert(
            actor=first_responder,
            membership=first_responder.membership,
            notification=notification,
            referral=referral_for(ia_agency),
            expected_version=notification.version + 1,
        )
    other = make_member(Role.FIRST_RESPONDER)
    with pytest.raises(PermissionDenied):
        anonymous_notification_convert(
            actor=other,
            membership=other.membership,
            notification=notification,
            referral=referral_for(ia_agency),
            expected_version=notification.version,
        )
    assert not Case.objects.exists()


def test_the_figures_withhold_small_cells(first_responder, settings):
    settings.PALERMO_MINIMUM_CELL = 3
    for _ in range(3):
        record(first_responder)
    record(first_responder, exploitation_form=ExploitationForm.SEXUAL_EXPLOITATION)
    found = figures()
    assert found.declined.shown == 4
    rows = {row.form: row for row in found.by_form}
    assert rows[ExploitationForm.FORCED_LABOUR].declined.shown == 3
    assert rows[ExploitationForm.SEXUAL_EXPLOITATION].declined.withheld
    assert found.referred_later.shown == 0  # zero identifies nobody


# --- the pages ----------------------------------------------------------------------------------------------


def form_post(**overrides):
    data = {
        "met_in": f"{this_month():%Y-%m}",
        "gender": "Masculine",
        "age_group": "30-38",
        "nationality": "VNM",
        "exploitation_form": ExploitationForm.FORCED_LABOUR,
        "exploitation_country": "ITA",
        "exploitation_region": "IT-82",
        "exploitation_month": "2025-10",
        "rights_information_given": "yes",
        "leaflet": "Rights leaflet A",
        "leaflet_language": "vie",
    }
    data.update(overrides)
    return data


def test_the_form_shows_an_error_summary_then_records(client_for, first_responder):
    client = client_for(first_responder)
    refused = client.post(
        reverse("anonymous:new"), form_post(met_in="March", leaflet="", exploitation_region="ZZ")
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "There is a problem" in page and 'id="error-summary"' in page and "autofocus" in page
    # A region is chosen from the country's: one of another country is refused with the form's own checks.
    assert 'href="#id_met_in_month"' in page and 'href="#id_exploitation_region"' in page
    assert 'href="#id_leaflet"' not in page  # the service's checks come once the form's pass
    refused = client.post(reverse("anonymous:new"), form_post(leaflet="", exploitation_region="FR-75C"))
    page = refused.content.decode()
    assert 'href="#id_exploitation_region"' in page and 'href="#id_leaflet"' not in page
    refused = client.post(reverse("anonymous:new"), form_post(leaflet=""))
    assert 'href="#id_leaflet"' in refused.content.decode()
    assert not AnonymousNotification.objects.exists()
    done = client.post(reverse("anonymous:new"), form_post())
    notification = AnonymousNotification.objects.get()
    assert done.status_code == 302 and done.url == reverse("anonymous:detail", args=[notification.pk])
    listed = client.get(reverse("anonymous:list")).content.decode()
    assert reverse("anonymous:detail", args=[notification.pk]) in listed


def test_the_page_turns_a_notification_into_a_referral(client_for, first_responder, ia_agency, make_member):
    notification = record(first_responder)
    client = client_for(first_responder)
    url = reverse("anonymous:convert", args=[notification.pk])
    shown = client.get(url).content.decode()
    assert 'value="NGA" selected' in shown  # prefilled from the notification
    from tests.cases.test_intake_views import form_data

    done = client.post(url, {**form_data(ia_agency), "notification_version": notification.version})
    assert done.status_code == 302
    notification.refresh_from_db()
    assert done.url == reverse("cases:detail", args=[notification.case.reference])
    detail = client.get(reverse("anonymous:detail", args=[notification.pk])).content.decode()
    assert notification.case.reference in detail
    assert "Nigeria" in detail and ">NGA<" not in detail  # countries and languages by name (issue 16, item 6)
    assert "English" in detail and "(eng)" not in detail
    other = make_member(Role.FIRST_RESPONDER)
    assert client_for(other).get(reverse("anonymous:detail", args=[notification.pk])).status_code == 404


def test_the_figures_page_is_for_the_rapporteur_too(client_for, first_responder, make_member, settings):
    settings.PALERMO_MINIMUM_CELL = 2
    record(first_responder)
    rapporteur = make_member(Role.RAPPORTEUR)
    page = client_for(rapporteur).get(reverse("anonymous:figures")).content.decode()
    assert "withheld" in page
    assert (
        client_for(make_member(Role.MIGRATION_OFFICER)).get(reverse("anonymous:figures")).status_code == 404
    )


# --- the API ------------------------------------------------------------------------------------------------


def test_the_api_records_lists_and_refers(client_for, first_responder, ia_agency, make_member):
    client = client_for(first_responder)
    body = {
        "met_in": f"{this_month():%Y-%m}",
        "gender": "Feminine",
        "age_group": "24-26",
        "nationality": "ALB",
        "exploitation_form": ExploitationForm.FORCED_LABOUR,
        "exploitation_country": "ITA",
        "exploitation_region": "IT-82",
        "rights_information_given": False,
    }
    bad = client.post(
        reverse("api-anonymous-notifications"), {**body, "exploitation_region": "XX-1"}, "application/json"
    )
    assert "exploitation_region" in api_error(bad, 400, "invalid")["fields"]
    made = client.post(reverse("api-anonymous-notifications"), body, "application/json")
    assert made.status_code == 201, made.content
    created = made.json()
    assert created["status"] == "declined" and created["case_reference"] is None
    listed = client.get(reverse("api-anonymous-notifications")).json()
    assert [item["id"] for item in listed["results"]] == [created["id"]]
    outsider = client_for(make_member(Role.FIRST_RESPONDER))
    assert outsider.get(reverse("api-anonymous-notification", args=[created["id"]])).status_code == 404
    convert = reverse("api-anonymous-notification-convert", args=[created["id"]])
    stale = client.post(
        convert, {"expected_version": 9, "referral": referral_data(ia_agency)}, "application/json"
    )
    api_error(stale, 409, "stale")
    referred = client.post(
        convert,
        {"expected_version": created["version"], "referral": referral_data(ia_agency)},
        "application/json",
    )
    assert referred.status_code == 201, referred.content
    again = client.get(reverse("api-anonymous-notification", args=[created["id"]])).json()
    assert again["status"] == "referred" and again["case_reference"] == referred.json()["reference"]


def test_the_api_figures_name_what_is_withheld(client_for, first_responder, make_member, settings):
    settings.PALERMO_MINIMUM_CELL = 2
    record(first_responder)
    rapporteur = client_for(make_member(Role.RAPPORTEUR))
    answer = rapporteur.get(reverse("api-anonymous-figures")).json()
    assert answer["declined"] is None and "declined" in answer["withheld"]
    assert answer["referred_later"] == 0
