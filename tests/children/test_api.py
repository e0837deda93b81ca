"""The children API: the same services as the page; 404 on an adult's case and for outsiders, 409 while a
decision waits for the best-interest determination, 400 for a return escorted by the police, narrative null
below T4."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.children.models import DurableSolution, FollowUpContact
from palermo.core.rulebooks import rulebook
from tests.api.errors import api_error
from tests.cases.casework import put_on_team
from tests.children.conftest import VIEWS, assess_family, decide_return, determine

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def post(client, name, case, data, *args):
    return client.post(reverse(name, args=[case.reference, *args]), data, content_type="application/json")


def test_best_interest_then_care_through_the_api(client_for, manager, child_case, adult_case):
    client = client_for(manager)
    care = {"type": "foster", "starts_on": TODAY().isoformat(), "reasons": "Near school.", **VIEWS}
    blocked = post(client, "api-children-care", child_case, care)
    assert "best-interest" in api_error(blocked, 409, "blocked")["message"]
    bip = {
        "kind": "determination",
        "decided_on": TODAY().isoformat(),
        "participant_roles": ["guardian", "case_manager"],
        "information_considered": "Reports.",
        "options_considered": "Foster or return.",
        "decision": "Foster care.",
        "reasons": "Safety.",
        "child_views": "",
    }
    missing = post(client, "api-children-best-interest", child_case, bip)
    assert "child_views" in api_error(missing, 400, "invalid")["fields"]
    created = post(client, "api-children-best-interest", child_case, {**bip, **VIEWS})
    assert created.status_code == 201 and created.json()["participant_roles"] == ["case_manager", "guardian"]
    arranged = post(client, "api-children-care", child_case, care)
    assert arranged.status_code == 201
    review = post(
        client,
        "api-children-care-review",
        child_case,
        {"reviewed_on": TODAY().isoformat(), "quality": "good", "findings": "Settled."},
        arranged.json()["id"],
    )
    assert review.status_code == 200
    listed = client.get(reverse("api-children-care", args=[child_case.reference])).json()
    assert listed[0]["reviews"][0]["findings"] == "Settled."
    assert client.get(reverse("api-children-care", args=[adult_case.reference])).status_code == 404


def test_a_return_is_refused_here_and_one_decided_before_still_schedules_follow_ups(
    client_for, manager, child_case
):
    """A child's return goes through the returns API now (docs/decisions/0050): `kind` return is refused
    with words saying where; a return decided here before keeps its arrival and follow-ups."""
    determine(manager, child_case)
    family = assess_family(manager, child_case)
    client = client_for(manager)
    data = {
        "kind": "return",
        "country": "ALB",
        "decided_on": TODAY().isoformat(),
        "reasons": "Grandmother able and willing.",
        "family_assessment": family.pk,
        "escort_role": "social_worker",
        "escort_name": "Social worker on duty",
        **VIEWS,
    }
    refused = post(client, "api-children-solutions", child_case, data)
    assert "return section" in api_error(refused, 400, "invalid")["fields"]["kind"][0]
    assert not DurableSolution.objects.exists()
    legacy = decide_return(manager, child_case, family_assessment=family)
    listed = client.get(reverse("api-children-solutions", args=[child_case.reference])).json()
    assert [item["id"] for item in listed] == [legacy.pk]
    solution = {"id": legacy.pk, "version": legacy.version}
    returned = post(
        client,
        "api-children-return",
        child_case,
        {"returned_on": TODAY().isoformat(), "expected_version": solution["version"]},
        solution["id"],
    )
    assert returned.status_code == 200
    assert len(returned.json()["followups"]) == len(rulebook().children.return_followup_days)
    stale = post(
        client,
        "api-children-return",
        child_case,
        {"returned_on": TODAY().isoformat(), "expected_version": solution["version"]},
        solution["id"],
    )
    current = api_error(stale, 409, "stale")["current"]
    assert current["version"] == current["record"]["version"] == solution["version"] + 1
    followup = FollowUpContact.objects.first()
    done = post(
        client,
        "api-children-followup",
        child_case,
        {"contacted_on": TODAY().isoformat(), "wellbeing": "Back at school."},
        followup.pk,
    )
    assert done.status_code == 200 and done.json()["contacted_on"] == TODAY().isoformat()


def test_narrative_is_null_below_t4(client_for, make_member, manager, child_case):
    determine(manager, child_case)
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(child_case, migration)
    officer = client_for(migration).get(reverse("api-children-best-interest", args=[child_case.reference]))
    assert officer.status_code == 200
    record = officer.json()[0]
    assert record["kind"] == "determination" and record["reasons"] is None and record["child_views"] is None
    mine = client_for(manager).get(reverse("api-children-best-interest", args=[child_case.reference]))
    assert mine.json()[0]["child_views"] == VIEWS["child_views"]


def test_appointing_through_the_api(client_for, manager, guardian, child_case):
    client = client_for(manager)
    appointed = post(
        client,
        "api-children-guardianship",
        child_case,
        {"guardian": guardian.pk, "agency": guardian.membership.agency_id},
    )
    assert appointed.status_code == 201
    overview = client.get(reverse("api-children-guardianship", args=[child_case.reference])).json()
    assert overview["current"]["guardian"] == guardian.pk
    ended = post(
        client,
        "api-children-guardianship-end",
        child_case,
        {"ended_because": "other"},
        appointed.json()["id"],
    )
    assert ended.status_code == 200 and ended.json()["ended_because"] == "other"
    wrong = post(client, "api-children-guardianship", child_case, {"guardian": manager.pk, "agency": 2**40})
    assert wrong.status_code == 400
