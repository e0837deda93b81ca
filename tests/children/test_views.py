"""The children section of the case page and its forms: shown on a child's case only, 404 for outsiders,
narrative only for T4 readers, HTMX forms that refuse what the services refuse, and constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.access.tiers import Tier
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.children.models import BestInterestProcedure, CareArrangement, CareType, Guardianship
from palermo.children.services.care import care_arrange, care_review
from palermo.children.services.solutions import return_record
from palermo.children.services.tracing import family_contact_record, tracing_request, tracing_result
from tests.cases.casework import htmx, put_on_team, section_alone
from tests.children.conftest import (
    VIEWS,
    appoint,
    assess_family,
    decide_return,
    determine,
    give_consent,
    status_decide,
    text,
)
from tests.queries import Queries, assert_same_queries

pytestmark = pytest.mark.django_db


def page(client, case):
    return client.get(reverse("cases:detail_full", args=[case.reference]))


def test_the_section_is_on_a_childs_case_only(client_for, manager, child_case, adult_case):
    client = client_for(manager)
    assert 'id="section-children"' in page(client, child_case).content.decode()
    assert 'id="section-children"' not in page(client, adult_case).content.decode()
    assert client.get(reverse("children:action", args=[adult_case.reference, "care"])).status_code == 404


def test_outsiders_get_404_everywhere(client_for, make_member, manager, child_case):
    determine(manager, child_case)
    outsider = client_for(make_member(Role.CASE_MANAGER))
    urls = [
        reverse("children:section", args=[child_case.reference]),
        reverse("children:action", args=[child_case.reference, "best-interest"]),
        reverse("api-children-best-interest", args=[child_case.reference]),
        reverse("api-children-guardianship", args=[child_case.reference]),
    ]
    for url in urls:
        assert outsider.get(url).status_code == 404, url


def test_narrative_only_for_t4_readers(client_for, make_member, manager, child_case):
    determine(manager, child_case)
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(child_case, migration)
    officer_page = page(client_for(migration), child_case).content.decode()
    assert "Best-interest determination" in officer_page
    assert "Wants to stay in school here." not in officer_page
    manager_page = page(client_for(manager), child_case).content.decode()
    assert "Wants to stay in school here." in manager_page


def bip_form():
    return {
        "kind": "determination",
        "decided_on": timezone.localdate().isoformat(),
        "participant_roles": [Role.GUARDIAN, Role.CASE_MANAGER],
        "information_considered": "School reports and the medical file.",
        "options_considered": "Foster family; return to the grandmother.",
        "decision": "Foster family near the school.",
        "reasons": "Continuity of schooling and safety.",
        "child_views": "Wants to stay.",
        "child_age_when_heard": "14",
        "child_interpreter": "",
    }


def test_recording_a_determination_through_the_htmx_form(client_for, manager, child_case):
    client = client_for(manager)
    url = reverse("children:action", args=[child_case.reference, "best-interest"])
    form = client.get(url, **htmx())
    assert form.status_code == 200 and 'name="participant_roles"' in form.content.decode()
    missing_views = {**bip_form(), "child_views": ""}
    refused = client.post(url, missing_views, **htmx())
    assert refused.status_code == 200 and refused["HX-Retarget"] == "#children-action"
    assert not BestInterestProcedure.objects.exists()
    done = client.post(url, bip_form(), **htmx())
    assert done.status_code == 200 and done["HX-Trigger"] == "case-changed"
    assert "Foster family near the school." in done.content.decode()
    assert BestInterestProcedure.objects.get().child_views == "Wants to stay."


def test_a_blocked_decision_is_a_form_error_and_changes_nothing(client_for, manager, child_case):
    client = client_for(manager)
    data = {
        "type": "foster",
        "starts_on": timezone.localdate().isoformat(),
        "reasons": "Close to school.",
        "child_views": "Fine with it.",
        "child_age_when_heard": "14",
    }
    response = client.post(reverse("children:action", args=[child_case.reference, "care"]), data)
    assert response.status_code == 400
    assert "best-interest determination" in response.content.decode()
    assert not CareArrangement.objects.exists()


def test_appointing_the_guardian_from_the_page(client_for, manager, guardian, child_case):
    client = client_for(manager)
    url = reverse("children:action", args=[child_case.reference, "guardian"])
    assert client.post(url, {"guardian": guardian.membership.pk}).status_code == 302
    assert Guardianship.objects.get(case=child_case).guardian == guardian
    guardian_page = page(client_for(guardian), child_case)
    assert guardian_page.status_code == 200 and "Child protection" in guardian_page.content.decode()
    # The guardian sees the section, not the forms that manage the team.
    appoint_link = f'/children/{child_case.reference}/guardian/"'
    assert appoint_link not in guardian_page.content.decode()
    assert appoint_link in page(client, child_case).content.decode()


def fill(manager, case, times):
    for _ in range(times):
        determine(manager, case)
        assess_family(manager, case)


def test_the_case_page_queries_do_not_grow_with_child_records(client_for, manager, child_case):
    client = client_for(manager)
    fill(manager, child_case, 1)
    page(client, child_case)
    with Queries() as few:
        assert page(client, child_case).status_code == 200
    fill(manager, child_case, 4)
    with Queries() as many:
        assert page(client, child_case).status_code == 200
    assert_same_queries(few, many)


def record_one_of_each(manager, guardian, case):
    """A guardian (and a consent they gave), then one record of every kind the section lists."""
    appoint(manager, case, guardian)
    give_consent(guardian, case)
    determine(manager, case)
    who, today = {"actor": manager, "membership": manager.membership}, timezone.localdate()
    tracing = tracing_request(**who, case=case, requested_on=today, details=text(), country="VNM")
    tracing_result(**who, tracing=tracing, status="found", result_on=today, result=text(), expected_version=1)
    family_contact_record(**who, case=case, contacted_on=today, mode="phone", summary=text(), tracing=tracing)
    family = assess_family(manager, case)
    care = care_arrange(**who, case=case, type=CareType.FOSTER, starts_on=today, reasons=text(), **VIEWS)
    care_review(**who, arrangement=care, reviewed_on=today, quality="good", findings=text())
    status_decide(manager, case)
    solution = decide_return(manager, case, family_assessment=family)
    return_record(**who, solution=solution, returned_on=today, expected_version=solution.version)


def test_the_section_reads_only_the_kinds_of_record_the_case_has(
    manager, guardian, child_case, make_member, django_assert_num_queries, django_capture_on_commit_callbacks
):
    officer = make_member(Role.MIGRATION_OFFICER)  # reads T1 and T2: no recorded read to count
    put_on_team(child_case, officer)
    # One query says which kinds of record the case has (none), and counts the guardian's consents.
    empty = section_alone(officer, child_case, "children", 1, django_assert_num_queries)
    assert "No guardian has been appointed yet." in empty and "0 consents given by the guardian" in empty
    assert "No care arrangement on record." in empty
    with django_capture_on_commit_callbacks(execute=True):  # the guardian is told of decisions after commit
        record_one_of_each(manager, guardian, child_case)
    # That query, then one a kind: guardianships, the guardian's notices, best-interest procedures (with the
    # roles and agencies that took part), tracing requests, family contacts, family assessments, care
    # arrangements (with their reviews), legal status decisions, durable solutions (with their follow-ups).
    full = section_alone(officer, child_case, "children", 14, django_assert_num_queries)
    assert "1 consent given by the guardian" in full and "Decisions the guardian was told of" in full
    for shown in ("Best-interest determination", "Family found", "Contacts with the family", "Telephone"):
        assert shown in full
    for shown in ("Family assessments", "Foster family", "Meets the child", "Temporary residence"):
        assert shown in full
    assert "Follow-up contacts after return" in full


def test_the_section_records_its_reads_of_narrative_and_location(
    client_for,
    manager,
    guardian,
    child_case,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    reads = AuditEvent.objects.filter(case=child_case, action="children.read")
    section_alone(manager, child_case, "children", 1, django_assert_num_queries)
    assert not reads.exists()  # nothing shown, nothing recorded
    with django_capture_on_commit_callbacks(execute=True):
        record_one_of_each(manager, guardian, child_case)
    section = reverse("cases:section", args=[child_case.reference, "children"])
    shown = client_for(manager).get(section, **htmx())
    assert shown.status_code == 200
    assert list(reads.values_list("tier", flat=True)) == [Tier.NARRATIVE]  # once, at the highest tier shown
    assert "<td>Vietnam</td>" in shown.content.decode()  # where the family is sought, by the country's name


def test_views_fields_are_on_decision_forms(client_for, manager, child_case):
    determine(manager, child_case)
    body = client_for(manager).get(reverse("children:action", args=[child_case.reference, "care"])).content
    for name in VIEWS:
        assert f'name="{name}"'.encode() in body


def test_a_stale_tracing_result_shows_both_versions(client_for, manager, child_case):
    from palermo.children.models import TracingRequest
    from palermo.children.services.tracing import tracing_request, tracing_result

    tracing = tracing_request(
        actor=manager,
        membership=manager.membership,
        case=child_case,
        requested_on=timezone.localdate(),
        details="Mother and two brothers.",
    )
    client = client_for(manager)
    url = reverse("children:action_on", args=[child_case.reference, "tracing-result", tracing.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    tracing_result(
        actor=manager,
        membership=manager.membership,
        tracing=tracing,
        status="not_found",
        result_on=timezone.localdate(),
        result="No trace in the home district.",
        expected_version=1,
    )
    mine = {
        "status": "found",
        "result_on": timezone.localdate().isoformat(),
        "result": "Found in the capital.",
        "version": "1",
    }
    response = client.post(url, mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Found in the capital." in html and "No trace in the home district." in html
    assert TracingRequest.objects.get().result == "No trace in the home district."
