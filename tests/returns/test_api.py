"""The returns API: the same services as the pages. Each refusal of a return named in `fields`, 409 on a stale
version, location and narrative null below their tiers, resettlement steps, and a package sent, opened and
accepted through the API alone, a tampered one refused."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.origin.models import Partner
from tests.api.errors import api_error
from tests.cases.casework import put_on_team
from tests.returns.conftest import Instance, assess_risk, consent_abroad, partner_in, register, text

pytestmark = pytest.mark.django_db
TODAY = lambda: timezone.localdate().isoformat()  # noqa: E731


def post(client, name, data, *args):
    return client.post(reverse(name, args=list(args)), data, content_type="application/json")


def test_return_refused_one_by_one_then_cleared(client_for, manager, protector, adult_case):
    client = client_for(manager)
    ref = adult_case.reference
    made = post(
        client,
        "api-returns",
        {
            "country": "ALB",
            "requested_on": TODAY(),
            "request_language": "sqi",
            "informed_on": TODAY(),
            "request": text(),
        },
        ref,
    )
    assert made.status_code == 201, made.content
    record = made.json()

    def clear(version: int):
        return post(client, "api-returns-clear", {"expected_version": version}, ref, record["id"])

    error = api_error(clear(record["version"]), 400)
    assert set(error["fields"]) == {"risk_assessment", "partner"}
    assess_risk(protector, adult_case, "high")
    assert set(api_error(clear(record["version"]), 400)["fields"]) == {"risk_high", "partner"}
    assess_risk(protector, adult_case, "low")
    assert set(api_error(clear(record["version"]), 400)["fields"]) == {"partner"}
    partner = partner_in(manager, "ALB", kind="ngo")
    assessed = post(
        client,
        "api-returns-partner",
        {
            "partner": partner.pk,
            "assessed_on": TODAY(),
            "conclusion": "safe",
            "assessment": text(),
            "expected_version": record["version"],
        },
        ref,
        record["id"],
    )
    assert assessed.status_code == 200, assessed.content
    api_error(clear(record["version"]), 409, "stale")
    cleared = clear(assessed.json()["version"])
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
    arrived = post(
        client,
        "api-returns-arrived",
        {"returned_on": TODAY(), "expected_version": cleared.json()["version"]},
        ref,
        record["id"],
    )
    assert arrived.status_code == 200 and len(arrived.json()["followups"]) == 4
    withdrawn = post(
        client,
        "api-returns-withdraw",
        {"withdrawn_on": TODAY(), "expected_version": arrived.json()["version"]},
        ref,
        record["id"],
    )
    api_error(withdrawn, 400)  # once arrived, there is nothing to withdraw


def test_location_and_narrative_null_below_their_tiers(client_for, make_member, manager, adult_case):
    client = client_for(manager)
    data = {
        "country": "ALB",
        "requested_on": TODAY(),
        "request_language": "sqi",
        "informed_on": TODAY(),
        "request": text(),
    }
    assert post(client, "api-returns", data, adult_case.reference).status_code == 201
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(adult_case, migration)
    listed = client_for(migration).get(reverse("api-returns", args=[adult_case.reference])).json()
    assert listed[0]["status"] == "requested"
    assert listed[0]["country"] is None and listed[0]["request"] is None
    outsider = client_for(make_member(Role.CASE_MANAGER))
    api_error(outsider.get(reverse("api-returns", args=[adult_case.reference])), 404)


def test_resettlement_through_the_api(client_for, manager, adult_case):
    client = client_for(manager)
    ref = adult_case.reference
    made = post(
        client,
        "api-returns-resettlements",
        {
            "ground": "return_unsafe",
            "grounds": text(),
            "receiving_country": "CAN",
            "channel": "unhcr",
            "started_on": TODAY(),
        },
        ref,
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    step = post(client, "api-returns-steps", {"kind": "interview", "on": TODAY(), "note": ""}, ref, pk)
    assert step.status_code == 201 or step.status_code == 200, step.content
    moved = post(
        client, "api-returns-move", {"status": "submitted", "on": TODAY(), "expected_version": 1}, ref, pk
    )
    assert moved.status_code == 200 and moved.json()["status"] == "submitted"
    api_error(
        post(
            client, "api-returns-move", {"status": "departed", "on": TODAY(), "expected_version": 2}, ref, pk
        ),
        400,
    )


def test_package_round_trip_through_the_api(client_for, manager, responder, authority, admin, adult_case):
    here, abroad = Instance(), Instance()
    partner_abroad = partner_in(manager, "ALB")
    admin_client = client_for(admin)
    with here.active():
        ours = admin_client.get(reverse("api-returns-own-keys")).json()
    assert ours["fingerprint"] == here.keys.fingerprint
    registered = post(
        admin_client,
        "api-returns-partner-keys",
        {
            "partner": partner_abroad.pk,
            "public_keys": abroad.keys.public_set(),
            "fingerprint": abroad.keys.fingerprint,
        },
    )
    assert registered.status_code == 201, registered.content
    client = client_for(manager)
    with here.active():
        api_error(
            post(
                client,
                "api-returns-packages",
                {"partner": partner_abroad.pk, "purpose": "reception"},
                adult_case.reference,
            ),
            400,
        )
        consent_abroad(manager, adult_case)
        sent = post(
            client,
            "api-returns-packages",
            {"partner": partner_abroad.pk, "purpose": "reception"},
            adult_case.reference,
        )
        assert sent.status_code == 201, sent.content
        token = sent.json()["token"]
    with abroad.active():
        register(admin, manager, here, country="GBR")
        inbox = client_for(responder)
        api_error(post(inbox, "api-returns-received", {"token": token[:-3] + "xyz"}), 400)
        opened = post(inbox, "api-returns-received", {"token": token})
        assert opened.status_code == 201, opened.content
        body = opened.json()
        assert body["status"] == "awaiting" and body["carried"]["prs_Citizenship"] == ["ALB"]
        accepted = post(
            inbox, "api-returns-accept", {"identification_agency": authority.membership.agency.pk}, body["id"]
        )
        assert accepted.status_code == 200 and accepted.json()["case_reference"]
    assert Partner.objects.filter(pk=partner_abroad.pk).exists()


def test_return_closed_through_the_api_after_its_followups(client_for, manager, protector, adult_case):
    from palermo.returns.services.returns import return_followup_record
    from tests.returns.test_return import arrived, who

    record = arrived(manager, protector, adult_case)
    client = client_for(manager)

    def close(version: int):
        return post(
            client,
            "api-returns-close",
            {"closed_on": TODAY(), "expected_version": version},
            adult_case.reference,
            record.pk,
        )

    assert "still to be made" in api_error(close(record.version), 400)["message"]
    for followup in record.followups.all():
        return_followup_record(
            **who(manager), followup=followup, contacted_on=timezone.localdate(), situation=text()
        )
    api_error(close(record.version - 1), 409, "stale")
    closed = close(record.version)
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed" and closed.json()["closed_on"] == TODAY()


def test_an_expired_partner_assessment_is_named_in_fields(client_for, manager, protector, adult_case):
    from tests.returns.test_return import expire_partner_assessment, partner_says, request

    assess_risk(protector, adult_case, "low")
    record = expire_partner_assessment(partner_says(manager, request(manager, adult_case)))
    error = api_error(
        post(
            client_for(manager),
            "api-returns-clear",
            {"expected_version": record.version},
            adult_case.reference,
            record.pk,
        ),
        400,
    )
    assert set(error["fields"]) == {"partner_expired"}
