"""The child's views in residence decisions (art. 12 CRC): the migration officer on the team of a child's case
decides a pending application, stating the child's views or why the child was not heard, through the service,
the screen and the API. What the officer states is stored encrypted at T4 and recorded as a T4 write; the
officer reads it back on the decisions they recorded and on no other (a read recorded at T4), and never sees
the case's other narrative (other decisions' views, the humanitarian assessment, grounds of appeal). Outsiders
still get 404; an adult's case still takes no child's views from someone who may not write T4."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.residence.models import ApplicationStatus, Decision
from tests.residence.conftest import REASONS, appeal_refusal, assess, decide, lodge

pytestmark = pytest.mark.django_db

JSON = "application/json"
VIEWS = "She wants to stay and finish the school year with her friends."
NOT_HEARD = "Too distressed to be heard this week; heard through her guardian instead."
OTHER_VIEWS = "He wants to live with his aunt."
NOTES = "Threats against the family by phone."
GROUNDS = "The risk of retaliation was not weighed."


@pytest.fixture(autouse=True)
def _no_other_guards(monkeypatch):
    # The children area's best-interest guard is tested there; here only the child's views are at stake.
    monkeypatch.setattr("palermo.core.decisions._guards", [])


@pytest.fixture
def child_case(make_case, manager, officer):
    return make_case(team=(manager, officer), is_child=True)


def page_url(case, application):
    return reverse("residence:application", args=[case.reference, application.pk])


def decide_url(case, application):
    return reverse("residence:decide", args=[case.reference, application.pk])


def api_url(case, application, name="decision"):
    return reverse(f"api-residence-{name}", args=[case.reference, application.pk])


def stored(decision, column):
    """The value as the database holds it, without the model's decryption."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM residence_decision WHERE id = %s", [decision.pk])  # noqa: S608
        return cursor.fetchone()[0]


def audited(case, action, actor):
    events = AuditEvent.objects.filter(case=case, action=action, actor=actor).order_by("pk")
    return list(events.values_list("tier", flat=True))


def test_the_officer_decides_a_child_s_application_with_the_child_s_views(child_case, officer):
    application = lodge(officer, child_case)
    views = {"child_views": VIEWS, "child_age_when_heard": 15, "child_interpreter": "Tigrinya, court service"}
    decision = decide(officer, application, child_views=views)
    assert (decision.decided_by, decision.child_views, decision.child_age_when_heard) == (officer, VIEWS, 15)
    assert VIEWS not in str(stored(decision, "child_views"))  # encrypted at rest
    assert audited(child_case, "residence.decide", officer) == [4]  # a T4 write, on the record


def test_the_officer_may_record_why_the_child_was_not_heard(child_case, officer):
    decision = decide(
        officer,
        lodge(officer, child_case),
        "refused",
        refusal_ground="not_eligible",
        child_views={"child_not_heard_reason": NOT_HEARD},
    )
    assert decision.child_not_heard_reason == NOT_HEARD and decision.child_views == ""


def test_the_child_s_views_are_still_required_of_the_officer(child_case, officer):
    application = lodge(officer, child_case)
    with pytest.raises(ValidationError) as missing:
        decide(officer, application)
    assert "child_views" in missing.value.message_dict
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING and not Decision.objects.exists()


def test_on_an_adult_s_case_narrative_still_needs_t4(team_case, officer):
    with pytest.raises(PermissionDenied):
        decide(officer, lodge(officer, team_case), child_views={"child_views": VIEWS})


def test_the_officer_decides_through_the_page(child_case, manager, officer, client_for):
    application = lodge(manager, child_case)
    client = client_for(officer)
    page = client.get(page_url(child_case, application)).content.decode()
    assert "Record the decision" in page and "The child&#x27;s views" in page
    data = {"outcome": "granted", "reasons": REASONS, "version": 1}
    missing = client.post(decide_url(child_case, application), data)
    assert missing.status_code == 400 and "record the child" in missing.content.decode()
    granted = client.post(
        decide_url(child_case, application), {**data, "child_views": VIEWS, "child_age_when_heard": 15}
    )
    assert granted.status_code == 302
    decision = Decision.objects.get(application=application)
    assert (decision.decided_by, decision.child_views) == (officer, VIEWS)
    page = client.get(page_url(child_case, application)).content.decode()
    assert VIEWS in page and REASONS in page  # their own decision, as they recorded it
    assert audited(child_case, "residence.decide", officer) == [4]
    assert audited(child_case, "residence.read", officer) == [4]  # reading it back is on the record too


def test_the_officer_decides_through_the_api(child_case, manager, officer, client_for):
    application = lodge(manager, child_case)
    client = client_for(officer)
    body = {"outcome": "granted", "reasons": REASONS, "expected_version": 1}
    missing = client.post(api_url(child_case, application), body, content_type=JSON)
    assert missing.status_code == 400
    decided = client.post(
        api_url(child_case, application),
        {**body, "child_not_heard_reason": NOT_HEARD},
        content_type=JSON,
    )
    assert decided.status_code == 200 and decided.json()["status"] == "granted"
    decision = decided.json()["decisions"][0]
    assert (decision["decided_by"], decision["child_not_heard_reason"]) == (officer.pk, NOT_HEARD)
    again = client.get(api_url(child_case, application, "application")).json()
    assert again["decisions"][0]["child_not_heard_reason"] == NOT_HEARD
    assert audited(child_case, "residence.decide", officer) == [4]
    assert audited(child_case, "residence.read", officer) == [4, 4]


def _narrative_by_the_manager(manager, officer, case):
    """A humanitarian application on a child's case: assessed by the case manager, refused by the officer,
    appealed by the case manager with grounds; and a second application the case manager decided."""
    humanitarian = lodge(manager, case, "humanitarian")
    assess(manager, humanitarian, {"retaliation_risk": "present"}, NOTES)
    decide(
        officer,
        humanitarian,
        "refused",
        refusal_ground="safe_return",
        child_views={"child_views": VIEWS, "child_age_when_heard": 15},
    )
    appeal_refusal(manager, humanitarian, grounds=GROUNDS)
    decided = decide(
        manager, lodge(manager, case), child_views={"child_views": OTHER_VIEWS, "child_age_when_heard": 15}
    )
    return humanitarian, decided.application


def test_the_officer_reads_back_only_their_own_decision(
    child_case, manager, officer, make_member, client_for
):
    humanitarian, other = _narrative_by_the_manager(manager, officer, child_case)
    client = client_for(officer)
    page = client.get(page_url(child_case, humanitarian)).content.decode()
    assert VIEWS in page
    for hidden in (NOTES, GROUNDS, OTHER_VIEWS):
        assert hidden not in page
    assert "Record the decision" in page  # the appeal awaits the authority's decision
    other_page = client.get(page_url(child_case, other)).content.decode()
    assert OTHER_VIEWS not in other_page and REASONS in other_page
    listed = client.get(reverse("api-residence-applications", args=[child_case.reference])).json()
    views = [decision["child_views"] for row in listed for decision in row["decisions"]]
    assert views == [VIEWS, None]
    assert all(row["assessment"] is None for row in listed)
    assert all(appeal["grounds"] is None for row in listed for appeal in row["appeals"])
    # The case manager, who may read T4, sees every decision's views.
    mine = client_for(manager).get(reverse("api-residence-applications", args=[child_case.reference]))
    assert [d["child_views"] for row in mine.json() for d in row["decisions"]] == [VIEWS, OTHER_VIEWS]


def test_a_colleague_on_the_team_does_not_read_the_officer_s_views(
    make_case, manager, officer, make_member, client_for
):
    colleague = make_member(Role.MIGRATION_OFFICER, agency=officer.membership.agency)
    case = make_case(team=(manager, officer), is_child=True)
    application = lodge(officer, case)
    decide(officer, application, child_views={"child_views": VIEWS, "child_age_when_heard": 15})
    page = client_for(colleague).get(page_url(case, application)).content.decode()
    assert REASONS in page and VIEWS not in page
    assert audited(case, "residence.read", colleague) == [2]


@pytest.mark.parametrize("role", [Role.MIGRATION_OFFICER, Role.CASE_MANAGER])
def test_outsiders_still_get_404_on_a_child_s_case(child_case, manager, make_member, client_for, role):
    application = lodge(manager, child_case)
    client = client_for(make_member(role))
    assert client.get(page_url(child_case, application)).status_code == 404
    data = {"outcome": "granted", "reasons": REASONS, "child_views": VIEWS, "child_age_when_heard": 15}
    assert client.post(decide_url(child_case, application), {**data, "version": 1}).status_code == 404
    response = client.post(
        api_url(child_case, application), {**data, "expected_version": 1}, content_type=JSON
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()
