"""The returns pages: the case section (T3/T4 only for their readers), its forms through the services with
each refusal shown, the inbox of received packages, the partner keys page, and 404 for outsiders."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.returns.models import PackageStatus, PartnerKey, ReturnStatus, VoluntaryReturn
from palermo.returns.services.packages import package_send
from tests.cases.casework import htmx, put_on_team
from tests.returns.conftest import Instance, assess_risk, consent_abroad, partner_in, register, text
from tests.returns.test_return import partner_says, request

pytestmark = pytest.mark.django_db


def page(client, case):
    return client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()


def action(case, slug, pk=None):
    if pk is None:
        return reverse("returns:action", args=[case.reference, slug])
    return reverse("returns:action_on", args=[case.reference, slug, pk])


def test_request_then_refusals_named_then_cleared(client_for, manager, protector, adult_case):
    client = client_for(manager)
    assert 'id="section-returns"' in page(client, adult_case)
    today = timezone.localdate().isoformat()
    answer = client.post(
        action(adult_case, "return"),
        {
            "country": "ALB",
            "requested_on": today,
            "request_language": "sqi",
            "informed_on": today,
            "request": text(),
        },
    )
    assert answer.status_code == 302
    record = VoluntaryReturn.objects.get(case=adult_case)
    shown = page(client, adult_case)
    assert "There is no current risk assessment" in shown and "No receiving partner" in shown
    refused = client.post(action(adult_case, "return-clear", record.pk), {"version": record.version})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "There is no current risk assessment" in body and "No receiving partner" in body
    assess_risk(protector, adult_case, "low")
    record = partner_says(manager, record)
    answer = client.post(action(adult_case, "return-clear", record.pk), {"version": record.version}, **htmx())
    assert answer.status_code == 200 and 'id="section-returns"' in answer.content.decode()
    record.refresh_from_db()
    assert record.status == ReturnStatus.CLEARED


def test_location_and_narrative_hidden_below_their_tiers(client_for, make_member, manager, adult_case):
    request(manager, adult_case)
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(adult_case, migration)
    whole = page(client_for(migration), adult_case)
    shown = whole[whole.index('id="section-returns"') :]
    shown = shown[: shown.index("</section>")]
    assert "Requested by the person" in shown
    assert "Albania " not in shown and "Albania<" not in shown
    assert "The person&#x27;s request" not in shown and "The person's request" not in shown


def test_outsiders_get_404(client_for, make_member, manager, adult_case):
    record = request(manager, adult_case)
    outsider = client_for(make_member(Role.CASE_MANAGER))
    for url in (
        reverse("returns:section", args=[adult_case.reference]),
        action(adult_case, "return-plan", record.pk),
        action(adult_case, "resettlement"),
    ):
        assert outsider.get(url).status_code == 404, url


def test_send_download_receive_accept(client_for, manager, responder, authority, admin, adult_case):
    here, abroad = Instance(), Instance()
    with here.active():
        partner = register(admin, manager, abroad)
        consent_abroad(manager, adult_case)
        client = client_for(manager)
        form = client.get(action(adult_case, "package")).content.decode()
        assert partner.partner.name in form
        answer = client.post(
            action(adult_case, "package"),
            {"partner": partner.partner_id, "purpose": "reception", "checked": "on"},
        )
        assert answer.status_code == 302, answer.content.decode()[:2000]
        sent = adult_case.packages.get()
        file = client.get(reverse("returns:package_token", args=[adult_case.reference, sent.pk]))
        token = b"".join(file.streaming_content if file.streaming else [file.content]).decode()
        assert token == sent.token
    with abroad.active():
        register(admin, manager, here, country="GBR")
        inbox = client_for(responder)
        tampered = inbox.post(reverse("returns:inbox"), {"token": token[:-4] + "AAAA"})
        assert tampered.status_code == 400
        opened = inbox.post(reverse("returns:inbox"), {"token": token})
        assert opened.status_code == 302
        received = opened["Location"]
        shown = inbox.get(received).content.decode()
        fields = json.loads(sent.content)
        assert "Signature verified" in shown and fields["prs_FirstName"] in shown
        accepted = inbox.post(received, {"identification_agency": authority.membership.agency.pk})
        assert accepted.status_code == 302
    assert adult_case.packages.get().status == PackageStatus.READY
    assert sent.__class__.objects.get(direction="received").status == PackageStatus.ACCEPTED


def test_partner_keys_page_checks_the_fingerprint(client_for, admin, manager):
    abroad = Instance()
    partner = partner_in(manager)
    client = client_for(admin)
    with abroad.active():
        shown = client.get(reverse("returns:partner_keys")).content.decode()
        assert abroad.keys.fingerprint in shown
    values = {"partner": partner.pk, "public_keys": abroad.keys.public_set()}
    wrong = client.post(reverse("returns:partner_keys"), {**values, "fingerprint": "0000 " * 16})
    assert wrong.status_code == 400 and not PartnerKey.objects.exists()
    right = client.post(reverse("returns:partner_keys"), {**values, "fingerprint": abroad.keys.fingerprint})
    assert right.status_code == 302 and PartnerKey.objects.get().partner == partner
    assert client_for(manager).get(reverse("returns:partner_keys")).status_code in (403, 404)


def test_package_form_refuses_without_consent(client_for, manager, admin, adult_case):
    here, abroad = Instance(), Instance()
    with here.active():
        partner = register(admin, manager, abroad)
        client = client_for(manager)
        answer = client.post(
            action(adult_case, "package"),
            {"partner": partner.partner_id, "purpose": "reception", "checked": "on"},
        )
        assert answer.status_code == 400
        assert not adult_case.packages.exists()
    assert package_send  # the one write path the page calls


def test_a_childs_case_offers_the_return_with_the_child_rules(client_for, manager):
    from tests.cases.casework import make_case

    case = make_case(manager.membership.agency, is_child=True)
    put_on_team(case, manager)
    shown = page(client_for(manager), case)
    assert "the child protection rules apply on top" in shown
    assert reverse("returns:action", args=[case.reference, "return"]) in shown
    # A child's relocation stays the children area's durable solution.
    assert reverse("returns:action", args=[case.reference, "resettlement"]) not in shown


def test_an_expired_partner_assessment_is_named_on_the_page(client_for, manager, protector, adult_case):
    from palermo.core.rulebooks import rulebook
    from tests.returns.test_return import expire_partner_assessment

    valid = rulebook().returns.partner_assessment_valid_days
    assess_risk(protector, adult_case, "low")
    record = expire_partner_assessment(partner_says(manager, request(manager, adult_case)))
    client = client_for(manager)
    assert "assessment is out of date" in page(client, adult_case)
    refused = client.post(action(adult_case, "return-clear", record.pk), {"version": record.version})
    assert refused.status_code == 400 and f"for {valid} days" in refused.content.decode()


def test_the_return_is_closed_through_the_page_after_its_followups(
    client_for, manager, protector, adult_case
):
    from palermo.returns.services.returns import return_followup_record
    from tests.returns.test_return import arrived, who

    record = arrived(manager, protector, adult_case)
    client = client_for(manager)
    close = action(adult_case, "return-close", record.pk)
    assert close not in page(client, adult_case)  # follow-ups still to be made: not offered
    today = timezone.localdate()
    refused = client.post(close, {"version": record.version, "closed_on": today.isoformat()})
    assert refused.status_code == 400 and "still to be made" in refused.content.decode()
    for followup in record.followups.all():
        return_followup_record(**who(manager), followup=followup, contacted_on=today, situation=text())
    assert close in page(client, adult_case)
    answer = client.post(close, {"version": record.version, "closed_on": today.isoformat()}, **htmx())
    assert answer.status_code == 200 and "Return closed" in answer.content.decode()
    record.refresh_from_db()
    assert record.status == ReturnStatus.CLOSED and record.closed_on == today


def test_a_stale_edit_shows_the_kernels_conflict_screen(client_for, manager, adult_case):
    from palermo.returns.services.returns import return_plan
    from tests.returns.test_return import who

    record = request(manager, adult_case)
    read_at = record.version
    return_plan(
        **who(manager),
        voluntary_return=record,
        travel_on=None,
        expected_version=read_at,
        travel_plan="Bus on Tuesday (synthetic)",
    )
    client = client_for(manager)
    plan = action(adult_case, "return-plan", record.pk)
    sent = {"version": read_at, "travel_plan": "Train on Friday (synthetic)"}
    answer = client.post(plan, sent)
    text_shown = answer.content.decode()
    assert answer.status_code == 409 and "app-conflict" in text_shown
    assert "Bus on Tuesday" in text_shown and "Train on Friday" in text_shown
    again = client.post(plan, {**sent, "version": read_at + 1})
    assert again.status_code == 302
    record.refresh_from_db()
    assert record.travel_plan == "Train on Friday (synthetic)"
