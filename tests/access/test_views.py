"""The access screens: emergency access answers missing and refused alike, the DPO reviews grants, and the
case team page changes the team through the services."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from palermo.access.models import BreakGlassGrant, CaseTeamMember
from palermo.access.services import break_glass_open
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

REASON = "Child reported in danger by the hotline, location needed now"
NEUTRAL = "No case with that reference is available to you."


def without_tokens(html: str) -> str:
    """The page without what changes from request to request (CSRF tokens) or echoes the input."""
    html = re.sub(r'(csrfmiddlewaretoken" value=|data-csrf-token=)"[^"]*"', r"\1", html)
    return re.sub(r'name="reference"[^>]*>', 'name="reference">', html)


def test_the_emergency_form_opens_access_and_goes_to_the_case(team_case, make_member, client_for):
    case, _ = team_case()
    officer = make_member(Role.PROTECTION_OFFICER)
    client = client_for(officer)
    assert client.get(reverse("access:break_glass")).status_code == 200
    response = client.post(
        reverse("access:break_glass"), {"reference": case.reference.lower(), "reason": REASON}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    grant = BreakGlassGrant.objects.get()
    assert (grant.case, grant.membership, grant.reason) == (case, officer.membership, REASON)
    assert client.get(response["Location"]).status_code == 200


def test_missing_and_refused_answer_alike_and_are_both_recorded(team_case, make_member, client_for):
    adult_case, _ = team_case(is_child=False)
    client = client_for(make_member(Role.GUARDIAN))
    url = reverse("access:break_glass")
    refused = client.post(url, {"reference": adult_case.reference, "reason": REASON})
    missing = client.post(url, {"reference": "NRM-ZZZZ-ZZZZ", "reason": REASON})
    assert refused.status_code == missing.status_code == 200
    assert NEUTRAL in refused.content.decode()
    assert without_tokens(refused.content.decode()) == without_tokens(missing.content.decode())
    assert not BreakGlassGrant.objects.exists()
    refusals = AuditEvent.objects.filter(action="break_glass.refused").order_by("sequence")
    assert [e.reason for e in refusals] == [f"reference: {adult_case.reference}", "reference: NRM-ZZZZ-ZZZZ"]


def test_free_text_typed_as_a_reference_is_not_recorded(make_member, client_for):
    client = client_for(make_member(Role.INVESTIGATOR))
    client.post(reverse("access:break_glass"), {"reference": "Maria Someone", "reason": REASON})
    event = AuditEvent.objects.get(action="break_glass.refused")
    assert "Maria" not in event.reason.title() and event.reason == "reference: (not a case reference)"


def test_a_short_reason_is_refused_before_any_case_is_looked_up(team_case, make_member, client_for):
    case, _ = team_case()
    client = client_for(make_member(Role.INVESTIGATOR))
    response = client.post(reverse("access:break_glass"), {"reference": case.reference, "reason": "urgent"})
    assert response.status_code == 200 and NEUTRAL not in response.content.decode()
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="break_glass").exists()


@pytest.mark.parametrize("role", [Role.RAPPORTEUR, Role.SYSTEM_ADMINISTRATOR], ids=str)
def test_the_emergency_form_does_not_exist_for_the_rapporteur_and_the_administrator(
    role, make_member, client_for
):
    client = client_for(make_member(role))
    assert client.get(reverse("access:break_glass")).status_code == 404


def test_the_dpo_report_lists_and_marks_reviewed(team_case, make_member, client_for):
    case, _ = team_case()
    opener = make_member(Role.INVESTIGATOR, two_factor=False)
    grant = break_glass_open(actor=opener, membership=opener.membership, case=case, reason=REASON)
    dpo = make_member(Role.DATA_PROTECTION_OFFICER, agency=case.lead_agency)
    client = client_for(dpo)
    page = client.get(reverse("access:break_glass_report")).content.decode()
    assert case.reference in page and escape(opener.display_name) in page and REASON in page
    response = client.post(reverse("access:break_glass_review", args=[grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == dpo
    unreviewed = client.get(reverse("access:break_glass_report") + "?show=unreviewed").content.decode()
    assert case.reference not in unreviewed


def test_the_report_is_one_page_of_queries_whatever_the_number_of_grants(
    team_case, make_member, client_for, django_assert_max_num_queries
):
    dpo = make_member(Role.DATA_PROTECTION_OFFICER, AgencyType.RAPPORTEUR)
    client = client_for(dpo)
    counts = []
    for _ in range(2):
        for _ in range(5):
            case, _ = team_case()
            opener = make_member(Role.CASE_MANAGER, two_factor=False)
            break_glass_open(actor=opener, membership=opener.membership, case=case, reason=REASON)
        with django_assert_max_num_queries(30) as captured:
            assert client.get(reverse("access:break_glass_report")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_another_agencys_dpo_cannot_review_the_grant(team_case, make_member, client_for):
    case, _ = team_case()
    opener = make_member(Role.INVESTIGATOR, two_factor=False)
    grant = break_glass_open(actor=opener, membership=opener.membership, case=case, reason=REASON)
    client = client_for(make_member(Role.DATA_PROTECTION_OFFICER))
    assert client.post(reverse("access:break_glass_review", args=[grant.pk])).status_code == 404
    assert case.reference not in client.get(reverse("access:break_glass_report")).content.decode()


# --- the team page ---


def test_the_team_page_adds_and_removes(team_case, make_member, make_agency, client_for):
    case, manager = team_case(two_factor=True)
    client = client_for(manager)
    url = reverse("access:case_team", args=[case.reference])
    shelter = make_agency(AgencyType.SHELTER)
    response = client.post(url, {"action": "add", "agency": shelter.pk, "reason": "accommodation"})
    assert response.status_code == 302
    entry = CaseTeamMember.objects.get(case=case, agency=shelter, removed_at__isnull=True)
    page = client.get(url).content.decode()
    assert shelter.name in page
    response = client.post(url, {"action": "remove", "entry": entry.pk, "reason": "moved out"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.removed_at is not None


def test_one_person_is_added_by_name_never_by_sign_in_name(team_case, make_member, client_for):
    case, manager = team_case(two_factor=True)
    client = client_for(manager)
    url = reverse("access:case_team", args=[case.reference])
    lawyer = make_member(Role.INVESTIGATOR)
    agency = lawyer.memberships.get().agency
    form = client.get(url).content.decode()
    assert escape(lawyer.display_name) in form and lawyer.username not in form
    # Left empty, the whole agency goes on the team: the list's first choice says so.
    assert re.search(r'<option value="" selected>No one: the whole agency</option>', form)
    someone_else = make_member(Role.MIGRATION_OFFICER)  # works for another agency
    add = {"action": "add", "agency": agency.pk, "reason": "to testify"}
    refused = client.post(url, {**add, "person": someone_else.pk})
    assert refused.status_code == 400
    assert "This person does not work for that agency." in refused.content.decode()
    added = client.post(url, {**add, "person": lawyer.pk})
    assert added.status_code == 302
    assert CaseTeamMember.objects.get(case=case, agency=agency, user=lawyer, removed_at__isnull=True)


def test_the_team_page_is_missing_for_outsiders_and_read_only_for_non_managers(
    team_case, make_member, client_for
):
    case, _ = team_case()
    url = reverse("access:case_team", args=[case.reference])
    outsider = client_for(make_member(Role.CASE_MANAGER))
    assert outsider.get(url).status_code == 404
    assert outsider.get(reverse("access:case_team", args=["NRM-ZZZZ-ZZZZ"])).status_code == 404
    officer = make_member(Role.MIGRATION_OFFICER, agency=case.lead_agency)
    insider = client_for(officer)
    page = insider.get(url)
    assert page.status_code == 200 and 'value="add"' not in page.content.decode()
    attempt = {"action": "add", "agency": officer.membership.agency.pk, "reason": "x"}
    assert insider.post(url, attempt).status_code == 404


def test_a_case_you_may_not_see_looks_like_no_case_at_all(team_case, make_member, client_for):
    case, _ = team_case()
    client = client_for(make_member(Role.CASE_MANAGER))
    hidden = client.get(reverse("cases:detail", args=[case.reference]))
    missing = client.get(reverse("cases:detail", args=["NRM-ZZZZ-ZZZZ"]))
    assert hidden.status_code == missing.status_code == 404
    # The page echoes the path asked for (the language switch returns to it); apart from that, identical.
    hidden_page = without_tokens(hidden.content.decode()).replace(case.reference, "REF")
    missing_page = without_tokens(missing.content.decode()).replace("NRM-ZZZZ-ZZZZ", "REF")
    assert hidden_page == missing_page


def test_navigation_offers_emergency_access_to_case_workers_and_the_review_to_dpos(make_member, client_for):
    worker = client_for(make_member(Role.FIRST_RESPONDER)).get(reverse("core:home")).content.decode()
    assert reverse("access:break_glass") in worker and reverse("access:break_glass_report") not in worker
    dpo = client_for(make_member(Role.DATA_PROTECTION_OFFICER)).get(reverse("core:home")).content.decode()
    assert reverse("access:break_glass_report") in dpo
    admin = client_for(make_member(Role.SYSTEM_ADMINISTRATOR)).get(reverse("core:home")).content.decode()
    assert reverse("access:break_glass") not in admin


def test_the_emergency_page_says_what_the_role_opens_and_why(make_member, client_for):
    page = client_for(make_member(Role.MIGRATION_OFFICER)).get(reverse("access:break_glass")).content.decode()
    assert "Identity" in page and "Where the person is" not in page
    assert escape("The person's story") not in page
    assert "never location or narrative" in page


def test_the_dpo_report_shows_what_the_emergency_reader_opened(team_case, make_member, client_for):
    case, _ = team_case()
    PersonFactory(case=case)
    officer = make_member(Role.PROTECTION_OFFICER)
    reader = client_for(officer)
    reader.post(reverse("access:break_glass"), {"reference": case.reference, "reason": REASON})
    assert reader.get(reverse("cases:detail_full", args=[case.reference])).status_code == 200
    dpo = client_for(make_member(Role.DATA_PROTECTION_OFFICER, agency=case.lead_agency))
    page = dpo.get(reverse("access:break_glass_report")).content.decode()
    assert "person: Where the person is" in page
    assert escape("The person's story") not in page
