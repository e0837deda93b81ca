"""The case lifecycle: transitions from the table, version checks, closure and re-opening, who may do it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.audit.notes import open_note
from palermo.cases.lifecycle import IllegalTransition
from palermo.cases.models import Case, CaseEvent, EventKind, Phase
from palermo.cases.reference import CaseStatus, ClosureReason, ExploitationForm
from palermo.cases.services.exploitation_period import case_exploitation_period_set
from palermo.cases.services.lifecycle import case_exploitation_set, case_transition, transitions_for
from palermo.core.concurrency import StaleEdit
from tests.api.errors import api_error
from tests.cases.casework import htmx, make_case, put_on_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(manager):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager, whole_agency=False)
    return case


def transition(user, case, name, **kwargs):
    kwargs.setdefault("expected_version", case.version)
    return case_transition(actor=user, membership=user.membership, case=case, name=name, **kwargs)


def test_a_phase_move_sets_phase_status_version_timeline_and_audit(manager, case):
    moved = transition(manager, case, "start_reflection")
    moved.refresh_from_db()
    assert (moved.phase, moved.status, moved.version) == (Phase.REFLECTION, CaseStatus.ACTIVE, 2)
    event = CaseEvent.objects.get(case=case, kind=EventKind.STATUS)
    assert event.tier == 1 and event.actor == manager and "Reflection" in event.summary
    audit = AuditEvent.objects.filter(case=case, action="case.start_reflection").get()
    assert audit.actor == manager and audit.tier == 1


def test_follow_up_sets_the_status_only(manager, case):
    case = transition(manager, case, "start_assistance")
    case = transition(manager, case, "start_long_term")
    case = transition(manager, case, "follow_up")
    assert (case.phase, case.status) == (Phase.LONG_TERM, CaseStatus.FOLLOW_UP)


@pytest.mark.parametrize("name", ["start_long_term", "follow_up", "reopen", "no_such_thing"])
def test_illegal_transitions_are_refused_and_change_nothing(manager, case, name):
    with pytest.raises(IllegalTransition):
        transition(manager, case, name, reason="why not")
    case.refresh_from_db()
    assert (case.phase, case.version) == (Phase.IDENTIFICATION, 1)
    assert not CaseEvent.objects.filter(case=case).exists()


def test_closing_needs_a_closure_reason_and_a_reason(manager, case):
    with pytest.raises(ValidationError) as missing_reason:
        transition(manager, case, "close", closure_reason=ClosureReason.DECLINED)
    assert missing_reason.value.code == "reason_required"
    with pytest.raises(ValidationError) as missing_closure:
        transition(manager, case, "close", reason="The person left the programme.")
    assert missing_closure.value.code == "closure_reason_required"
    case.refresh_from_db()
    assert case.phase == Phase.IDENTIFICATION and case.version == 1


def test_closing_then_reopening_returns_to_the_phase_before(manager, case):
    case = transition(manager, case, "start_assistance")
    closed = transition(
        manager,
        case,
        "close_referred",
        reason="Moved abroad.",
        closure_reason=ClosureReason.REFERRED_ELSEWHERE,
    )
    assert (closed.phase, closed.status) == (Phase.CLOSED, CaseStatus.CLOSED_REFERRED)
    assert closed.phase_before_closing == Phase.ASSISTANCE and closed.closed_at is not None
    with pytest.raises(ValidationError):
        transition(manager, closed, "reopen")
    reopened = transition(manager, closed, "reopen", reason="Came back and asked for help.")
    reopened.refresh_from_db()
    assert (reopened.phase, reopened.status) == (Phase.ASSISTANCE, CaseStatus.ACTIVE)
    assert (reopened.phase_before_closing, reopened.closure_reason, reopened.closed_at) == ("", "", None)
    # Typed by a person: sealed in the event's note, never in its reason (issue 15, item 5).
    event = AuditEvent.objects.get(case=case, action="case.reopen")
    assert event.reason == "" and "Came back" not in event.note
    assert open_note(event.note, sequence=event.sequence) == "Came back and asked for help."


def test_a_stale_version_is_refused_and_nothing_changes(manager, case):
    transition(manager, case, "start_reflection")
    with pytest.raises(StaleEdit) as stale:
        transition(manager, case, "start_assistance", expected_version=1)
    assert stale.value.current.version == 2
    case.refresh_from_db()
    assert (case.phase, case.version) == (Phase.REFLECTION, 2)


def test_who_may_transition(make_member, manager, case):
    authority = make_member(Role.IDENTIFICATION_AUTHORITY)
    shelter_manager = make_member(Role.CASE_MANAGER)
    migration = make_member(Role.MIGRATION_OFFICER)
    colleague = make_member(Role.CASE_MANAGER, agency=manager.membership.agency)  # same agency, not on team
    for member in (authority, shelter_manager, migration):
        put_on_team(case, member)
    # A colleague not on the team only sees the case; a migration officer grants permits, not phases.
    assert transitions_for(colleague.membership, case) == []
    assert transitions_for(migration.membership, case) == []
    with pytest.raises(PermissionDenied):
        transition(migration, case, "start_reflection")
    # Closing ends everyone's work: the identification authority, or the lead agency's case manager.
    names = {t.name for t in transitions_for(shelter_manager.membership, case)}
    assert "start_reflection" in names and "close" not in names
    with pytest.raises(PermissionDenied):
        transition(shelter_manager, case, "close", reason="r", closure_reason=ClosureReason.DECLINED)
    assert "close" in {t.name for t in transitions_for(authority.membership, case)}
    assert "close" in {t.name for t in transitions_for(manager.membership, case)}
    closed = transition(
        authority, case, "close", reason="Negative.", closure_reason=ClosureReason.NEGATIVE_DECISION
    )
    assert closed.phase == Phase.CLOSED


def test_exploitation_forms_are_replaced_with_a_version_check(manager, case):
    updated = case_exploitation_set(
        actor=manager,
        membership=manager.membership,
        case=case,
        forms=[ExploitationForm.FORCED_LABOUR, ExploitationForm.FORCED_CRIMINALITY],
        expected_version=1,
    )
    assert updated.version == 2
    assert set(case.exploitation_forms.values_list("form", flat=True)) == {
        "ForcedLabour",
        "ForcedCriminality",
    }
    case_exploitation_set(
        actor=manager, membership=manager.membership, case=case, forms=["ForcedBegging"], expected_version=2
    )
    assert list(case.exploitation_forms.values_list("form", flat=True)) == ["ForcedBegging"]
    with pytest.raises(StaleEdit):
        case_exploitation_set(
            actor=manager, membership=manager.membership, case=case, forms=[], expected_version=2
        )
    with pytest.raises(ValidationError):
        case_exploitation_set(
            actor=manager, membership=manager.membership, case=case, forms=["Nonsense"], expected_version=3
        )
    assert AuditEvent.objects.filter(case=case, action="case.exploitation_set").count() == 2


# --- the screen -----------------------------------------------------------------------------------------


def test_the_case_page_offers_the_members_transitions_and_applies_one(client_for, manager, case):
    client = client_for(manager)
    page = client.get(reverse("cases:form", args=[case.reference, "transition"]), **htmx()).content.decode()
    assert 'value="start_reflection"' in page and 'value="reopen"' not in page
    response = client.post(
        reverse("cases:transition", args=[case.reference]),
        {"transition": "start_reflection", "version": case.version, "reason": "", "closure_reason": ""},
        **htmx(),
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "case-changed"
    html = response.content.decode()
    assert 'id="section-lifecycle"' in html and 'hx-swap-oob="true"' in html
    case.refresh_from_db()
    assert case.phase == Phase.REFLECTION


def test_an_illegal_or_incomplete_transition_is_a_form_error(client_for, manager, case):
    client = client_for(manager)
    url = reverse("cases:transition", args=[case.reference])
    illegal = client.post(url, {"transition": "follow_up", "version": 1})
    assert illegal.status_code == 400
    assert "not possible from the case" in illegal.content.decode()
    unexplained = client.post(url, {"transition": "close", "version": 1, "closure_reason": "declined"})
    assert unexplained.status_code == 400
    assert "Give a reason" in unexplained.content.decode()
    case.refresh_from_db()
    assert case.version == 1


def test_a_stale_transition_shows_both_versions_and_changes_nothing(client_for, manager, case):
    transition(manager, case, "start_assistance")
    response = client_for(manager).post(
        reverse("cases:transition", args=[case.reference]),
        {"transition": "start_reflection", "version": 1, "reason": "", "closure_reason": ""},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Start the reflection and recovery period" in html and "Assistance" in html
    assert 'name="version" value="2"' in html
    case.refresh_from_db()
    assert (case.phase, case.version) == (Phase.ASSISTANCE, 2)


def test_exploitation_forms_edit_on_the_page(client_for, manager, case):
    response = client_for(manager).post(
        reverse("cases:exploitation", args=[case.reference]),
        {"exploitation_forms": ["ForcedLabour", "SexualExploitation"], "version": 1},
    )
    assert response.status_code == 302
    assert set(case.exploitation_forms.values_list("form", flat=True)) == {
        "ForcedLabour",
        "SexualExploitation",
    }


def test_the_section_says_when_and_where_the_exploitation_happened(client_for, manager, case):
    url = reverse("cases:section", args=[case.reference, "lifecycle"])
    before = client_for(manager).get(url, **htmx()).content.decode()
    assert "When the exploitation happened" in before and "Not recorded" in before
    case_exploitation_period_set(
        actor=manager,
        membership=manager.membership,
        case=case,
        began=datetime.date(2024, 3, 1),
        ended=datetime.date(2024, 6, 1),
        country="ITA",
        expected_version=case.version,
    )
    page = client_for(manager).get(url, **htmx()).content.decode()
    assert "Began March 2024 · ended June 2024" in page and "Italy" in page


# --- the API -----------------------------------------------------------------------------------------------


def test_api_transition_with_version_and_409_on_stale(client_for, manager, case):
    client = client_for(manager)
    url = reverse("api-case-transition", args=[case.reference])
    ok = client.post(
        url, {"transition": "start_reflection", "expected_version": 1}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["phase"] == "reflection" and ok.json()["version"] == 2
    stale = client.post(
        url, {"transition": "start_assistance", "expected_version": 1}, content_type="application/json"
    )
    current = api_error(stale, 409, "stale")["current"]
    assert current["version"] == 2 and current["record"]["phase"] == "reflection"
    illegal = client.post(
        url, {"transition": "reopen", "expected_version": 2}, content_type="application/json"
    )
    assert "cannot become" in api_error(illegal, 400, "invalid")["message"]
    bad = client.post(url, {"transition": "start_assistance"}, content_type="application/json")
    assert "expected_version" in api_error(bad, 400, "invalid")["fields"]
    assert Case.objects.get(pk=case.pk).phase == Phase.REFLECTION


def test_api_transition_refused_to_a_role_without_the_duty(client_for, make_member, case):
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(case, migration)
    response = client_for(migration).post(
        reverse("api-case-transition", args=[case.reference]),
        {"transition": "start_reflection", "expected_version": 1},
        content_type="application/json",
    )
    # Not allowed looks like missing, as on the pages.
    api_error(response, 404, "not_found")


def test_a_stale_exploitation_edit_offers_to_reapply_every_chosen_form(client_for, manager, case):
    case_exploitation_set(
        actor=manager, membership=manager.membership, case=case, forms=["ForcedBegging"], expected_version=1
    )
    response = client_for(manager).post(
        reverse("cases:exploitation", args=[case.reference]),
        {"exploitation_forms": ["ForcedLabour", "SexualExploitation"], "version": 1},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'name="exploitation_forms" value="ForcedLabour"' in html
    assert 'name="exploitation_forms" value="SexualExploitation"' in html
    assert 'name="version" value="2"' in html and "Forced begging" in html
    assert list(case.exploitation_forms.values_list("form", flat=True)) == ["ForcedBegging"]


def case_state(client, case):
    """The phase and status badges of the case page's header, as a reader (and a screen reader) gets them."""
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    start = page.index('id="case-state"')
    return page[start : page.index("</h1>", start)]


def test_the_header_names_the_status_only_when_it_says_more_than_the_phase(client_for, manager, case):
    client = client_for(manager)
    active = case_state(client, case)
    assert "Phase: </span>Identification" in active and "Status: </span>Active" in active
    reason = ClosureReason.values[0]
    closed = transition(manager, case, "close", reason="Synthetic closure.", closure_reason=reason)
    shown = case_state(client, closed)
    assert "Phase: </span>Closed" in shown and "Status:" not in shown  # not "Closed Closed"
    reopened = transition(manager, closed, "reopen", reason="Synthetic re-opening.")
    referred = transition(
        manager, reopened, "close_referred", reason="Synthetic closure.", closure_reason=reason
    )
    assert "Status: </span>Closed, referred elsewhere" in case_state(client, referred)
