"""A child's return through the returns machinery, the children area's rules on top (docs/decisions/0050):
each child rule refused alone through the service, the page and the API, in its own plain words; the latest
determination counts; a police escort refused; the clearance announced to the guardian; follow-ups at the
children area's intervals; withdrawal stops it."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from faker import Faker

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.children.models import Answer, GuardianNotice, SolutionKind
from palermo.core.rulebooks import rulebook
from palermo.deadlines.models import Deadline
from palermo.returns.models import ReturnStatus, VoluntaryReturn
from palermo.returns.services.returns import (
    FOLLOWUP_KIND,
    MISSING,
    missing_for,
    return_arrived,
    return_plan,
    return_views_record,
    return_withdraw,
)
from tests.api.errors import api_error
from tests.cases.casework import make_case, put_on_team
from tests.children.conftest import VIEWS, appoint, assess_family, determine
from tests.returns.conftest import assess_risk, text
from tests.returns.test_return import clear, partner_says, refused, request, who

pytestmark = pytest.mark.django_db
fake = Faker(["sq_AL", "uk_UA", "ar_EG"])
# The children area's rules, each of which can be the only one missing.
CHILD_RULES = ["best_interest", "family_assessment", "child_views", "guardian_view", "escort"]


@pytest.fixture
def child_case(manager: User, make_member: Any) -> Case:
    """A child's case on the manager's team whose current risk assessment is low (the returns rules met but
    for the request and the partner, which `prepared` adds)."""
    case = make_case(manager.membership.agency, is_child=True)  # type: ignore[attr-defined]
    put_on_team(case, manager)
    protector = make_member(Role.PROTECTION_OFFICER, "police")
    put_on_team(case, protector)
    assess_risk(protector, case, "low")
    return case


def prepared(manager: User, case: Case, skip: frozenset[str] = frozenset()) -> VoluntaryReturn:
    """A child's return meeting every rule but those in `skip`, each recorded through its service."""
    if "best_interest" not in skip:
        determine(manager, case, recommends=SolutionKind.RETURN)
    if "family_assessment" not in skip:
        assess_family(manager, case)
    record = partner_says(manager, request(manager, case))
    views: dict[str, Any] = {}
    if "child_views" not in skip:
        views.update(VIEWS)
    if "guardian_view" not in skip:
        views["guardian_view"] = text()
    if views:
        record = return_views_record(
            **who(manager), voluntary_return=record, expected_version=record.version, **views
        )
    if "escort" not in skip:
        record = return_plan(
            **who(manager),
            voluntary_return=record,
            travel_on=None,
            escort_role="social_worker",
            escort_name=fake.name(),
            travel_plan=text(),
            expected_version=record.version,
        )
    return record


# --- through the services ----------


@pytest.mark.parametrize("rule", CHILD_RULES)
def test_each_child_rule_is_named_alone(manager: User, child_case: Case, rule: str) -> None:
    record = prepared(manager, child_case, frozenset({rule}))
    assert refused(manager, record) == [rule]
    record.refresh_from_db()
    assert record.status == ReturnStatus.REQUESTED


def test_all_child_rules_are_named_together_after_the_returns_own(manager: User, child_case: Case) -> None:
    record = request(manager, child_case)
    assert refused(manager, record) == ["partner", *CHILD_RULES]


def test_only_the_latest_determination_counts(manager: User, child_case: Case) -> None:
    record = prepared(manager, child_case, frozenset({"best_interest"}))
    determine(manager, child_case, recommends=SolutionKind.INTEGRATION)
    assert missing_for(record) == ["best_interest"]
    determine(manager, child_case, recommends=SolutionKind.RETURN)
    assert missing_for(record) == []
    determine(manager, child_case)  # a later one that says nothing of a return
    assert missing_for(record) == ["best_interest"]


def test_an_unfavourable_family_assessment_is_named(manager: User, child_case: Case) -> None:
    record = prepared(manager, child_case)
    assess_family(manager, child_case, family_involved=Answer.YES)
    assert refused(manager, record) == ["family_unfavourable"]
    assert "not involved in the trafficking" in str(MISSING["family_unfavourable"])


def test_a_police_escort_is_refused(manager: User, child_case: Case) -> None:
    record = request(manager, child_case)
    with pytest.raises(ValidationError) as refusal:
        return_plan(
            **who(manager),
            voluntary_return=record,
            travel_on=None,
            escort_role="police",
            escort_name=fake.name(),
            expected_version=record.version,
        )
    assert "escort_role" in refusal.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database holds the line too
        VoluntaryReturn.objects.filter(pk=record.pk).update(escort_role="police")


def test_views_and_escort_belong_to_a_childs_case(manager: User, adult_case: Case) -> None:
    record = request(manager, adult_case)
    with pytest.raises(ValidationError):
        return_views_record(
            **who(manager), voluntary_return=record, expected_version=record.version, guardian_view=text()
        )
    with pytest.raises(ValidationError):
        return_plan(
            **who(manager),
            voluntary_return=record,
            travel_on=None,
            escort_role="social_worker",
            escort_name=fake.name(),
            expected_version=record.version,
        )


def test_views_given_one_at_a_time_each_checked(manager: User, child_case: Case) -> None:
    record = request(manager, child_case)
    with pytest.raises(ValidationError) as refusal:  # nothing given
        return_views_record(**who(manager), voluntary_return=record, expected_version=record.version)
    assert "guardian_view" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:  # the views without the child's age
        return_views_record(
            **who(manager), voluntary_return=record, expected_version=record.version, child_views=text()
        )
    assert "child_age_when_heard" in refusal.value.message_dict
    guardian_said = text()
    record = return_views_record(
        **who(manager), voluntary_return=record, expected_version=record.version, guardian_view=guardian_said
    )
    record = return_views_record(
        **who(manager), voluntary_return=record, expected_version=record.version, **VIEWS
    )
    record.refresh_from_db()
    assert record.guardian_view == guardian_said.strip() and record.child_views == VIEWS["child_views"]


def test_cleared_announced_to_the_guardian_then_follow_ups_at_the_childrens_intervals(
    manager: User, guardian: User, child_case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    appoint(manager, child_case, guardian)
    record = prepared(manager, child_case)
    with django_capture_on_commit_callbacks(execute=True):
        record = clear(manager, record)
    assert record.status == ReturnStatus.CLEARED
    assert GuardianNotice.objects.filter(case=child_case, object_type="returns.voluntaryreturn").exists()
    record = return_arrived(
        **who(manager),
        voluntary_return=record,
        returned_on=timezone.localdate(),
        expected_version=record.version,
    )
    schedule = [int(days) for days in rulebook().children.return_followup_days]
    assert [(f.due_on - record.returned_on).days for f in record.followups.all()] == schedule
    assert Deadline.objects.filter(case=child_case, kind=FOLLOWUP_KIND).count() == len(schedule)


def test_withdrawal_stops_a_childs_return(manager: User, child_case: Case) -> None:
    record = prepared(manager, child_case)
    record = return_withdraw(
        **who(manager),
        voluntary_return=record,
        withdrawn_on=timezone.localdate(),
        expected_version=record.version,
    )
    assert record.status == ReturnStatus.WITHDRAWN
    assert missing_for(record) == ["request"]


# --- through the page ----------


def action(case: Case, slug: str, pk: int) -> str:
    return reverse("returns:action_on", args=[case.reference, slug, pk])


def section(client: Any, case: Case) -> str:
    return client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()


@pytest.mark.parametrize("rule", CHILD_RULES)
def test_the_page_names_each_child_rule(client_for: Any, manager: User, child_case: Case, rule: str) -> None:
    record = prepared(manager, child_case, frozenset({rule}))
    client = client_for(manager)
    words = html.escape(str(MISSING[rule]))
    assert words in section(client, child_case)
    answer = client.post(action(child_case, "return-clear", record.pk), {"version": record.version})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert words in body
    assert all(html.escape(str(MISSING[other])) not in body for other in CHILD_RULES if other != rule)


def test_the_page_records_views_and_an_accompanied_plan(
    client_for: Any, manager: User, child_case: Case
) -> None:
    record = request(manager, child_case)
    client = client_for(manager)
    form = client.get(action(child_case, "return-plan", record.pk)).content.decode()
    assert 'name="escort_name"' in form and 'value="police"' not in form
    refused_plan = client.post(
        action(child_case, "return-plan", record.pk),
        {"version": record.version, "escort_role": "police", "escort_name": fake.name()},
    )
    assert refused_plan.status_code == 400
    saved = client.post(
        action(child_case, "return-views", record.pk),
        {"version": record.version, "guardian_view": text(), **VIEWS},
    )
    assert saved.status_code == 302, saved.content.decode()[:500]
    record.refresh_from_db()
    planned = client.post(
        action(child_case, "return-plan", record.pk),
        {"version": record.version, "escort_role": "guardian", "escort_name": fake.name()},
    )
    assert planned.status_code == 302
    shown = section(client, child_case)
    assert "Accompanied by" in shown and html.escape(str(MISSING["escort"])) not in shown
    assert html.escape(str(MISSING["guardian_view"])) not in shown


def test_an_adults_plan_form_names_no_escort(client_for: Any, manager: User, adult_case: Case) -> None:
    record = request(manager, adult_case)
    form = client_for(manager).get(action(adult_case, "return-plan", record.pk)).content.decode()
    assert 'name="escort_name"' not in form


# --- through the API ----------


def post(client: Any, name: str, data: dict[str, Any], *args: Any) -> Any:
    return client.post(reverse(name, args=list(args)), data, content_type="application/json")


@pytest.mark.parametrize("rule", CHILD_RULES)
def test_the_api_names_each_child_rule(client_for: Any, manager: User, child_case: Case, rule: str) -> None:
    record = prepared(manager, child_case, frozenset({rule}))
    answer = post(
        client_for(manager),
        "api-returns-clear",
        {"expected_version": record.version},
        child_case.reference,
        record.pk,
    )
    error = api_error(answer, 400)
    assert list(error["fields"]) == [rule]
    assert error["fields"][rule] == [str(MISSING[rule])]


def test_the_api_records_views_and_escort_then_clears(
    client_for: Any, manager: User, child_case: Case
) -> None:
    determine(manager, child_case, recommends=SolutionKind.RETURN)
    assess_family(manager, child_case)
    record = partner_says(manager, request(manager, child_case))
    client, ref = client_for(manager), child_case.reference
    police = post(
        client,
        "api-returns-plan",
        {"escort_role": "police", "escort_name": fake.name(), "expected_version": record.version},
        ref,
        record.pk,
    )
    assert "escort_role" in api_error(police, 400)["fields"]
    planned = post(
        client,
        "api-returns-plan",
        {"escort_role": "ngo_worker", "escort_name": fake.name(), "expected_version": record.version},
        ref,
        record.pk,
    )
    assert planned.status_code == 200 and planned.json()["escort_role"] == "ngo_worker"
    viewed = post(
        client,
        "api-returns-views",
        {"guardian_view": text(), **VIEWS, "expected_version": planned.json()["version"]},
        ref,
        record.pk,
    )
    assert viewed.status_code == 200, viewed.content
    assert viewed.json()["child_views"] == VIEWS["child_views"] and viewed.json()["guardian_view"]
    cleared = post(
        client, "api-returns-clear", {"expected_version": viewed.json()["version"]}, ref, record.pk
    )
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
