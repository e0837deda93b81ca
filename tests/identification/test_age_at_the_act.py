"""Age at the time of the act (issue 14, item 5): the child rules apply when the person was under 18
when the exploitation began, not only today; the period is recorded to the month, and the legal-elements check
says which age it used. Through the services, the legal elements page and the API."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.child import (
    ChildRulesBasis,
    case_is_child,
    child_rules_apply,
    child_rules_basis,
    child_rules_explained,
)
from palermo.cases.models import BirthDatePrecision, Person
from palermo.cases.services.exploitation_period import case_exploitation_period_set
from palermo.cases.services.person import person_update
from palermo.core.concurrency import StaleEdit
from palermo.identification.services.screenings import screening_start
from tests.api.errors import api_error

pytestmark = pytest.mark.django_db


def years_ago(years: int, month: int = 6) -> datetime.date:
    today = timezone.localdate()
    return datetime.date(today.year - years, month, 15)


def adult_exploited_young(
    make_case, responder, *, born_years_ago: int = 25, precision=BirthDatePrecision.EXACT
):
    """A case of an adult today (born `born_years_ago` years ago, in June), set up directly."""
    case = make_case(team=(responder,), is_child=False)
    Person(
        case=case,
        given_names="Testperson",
        birth_date=years_ago(born_years_ago),
        birth_date_precision=precision,
    ).save()
    return case


def set_period(user, case, began, ended=None, version=None):
    return case_exploitation_period_set(
        actor=user,
        membership=user.membership,
        case=case,
        began=began,
        ended=ended,
        expected_version=case.version if version is None else version,
    )


def test_an_adult_exploited_as_a_child_gets_the_child_rules(make_case, responder):
    case = adult_exploited_young(make_case, responder)
    assert child_rules_basis(case) is ChildRulesBasis.ADULT_PERIOD_UNKNOWN
    assert "not recorded" in child_rules_explained(case)
    began = years_ago(10, month=3).replace(day=1)  # aged 14 or 15 then
    set_period(responder, case, began, years_ago(8, month=1))
    case.refresh_from_db()
    assert not case_is_child(case)  # an adult today: guardianship and the like do not follow
    assert child_rules_apply(case)
    explained = child_rules_explained(case)
    assert f"Under 18 when the exploitation began in {date_format(began, 'YEAR_MONTH_FORMAT')}" in explained
    assert AuditEvent.objects.filter(case=case, action="case.child_when_exploited").exists()
    assert AuditEvent.objects.filter(case=case, action="case.exploitation_period").exists()
    # A later start, when already an adult: the adult rules, and the check says so.
    set_period(responder, case, years_ago(3, month=2))
    case.refresh_from_db()
    assert child_rules_basis(case) is ChildRulesBasis.ADULT_WHEN_EXPLOITED
    assert "18 or over when the exploitation began" in child_rules_explained(case)


def test_the_youngest_possible_age_decides_for_a_partial_birth_date(make_case, responder):
    # Born "in" a year: on 1 March of the year they turn 18, they could still be 17.
    case = adult_exploited_young(make_case, responder, born_years_ago=30, precision=BirthDatePrecision.YEAR)
    born = Person.objects.get(case=case).birth_date
    set_period(responder, case, datetime.date(born.year + 18, 3, 1))
    case.refresh_from_db()
    assert child_rules_apply(case)
    set_period(responder, case, datetime.date(born.year + 19, 1, 1))
    case.refresh_from_db()
    assert not child_rules_apply(case)


def test_a_corrected_birth_date_moves_the_age_at_the_act(make_case, responder):
    case = adult_exploited_young(make_case, responder, born_years_ago=40)
    set_period(responder, case, years_ago(20, month=1))
    case.refresh_from_db()
    assert not child_rules_apply(case)
    person = Person.objects.get(case=case)
    person_update(
        actor=responder,
        membership=responder.membership,
        person=person,
        changes={"birth_date": years_ago(25)},
        expected_version=person.version,
    )
    case.refresh_from_db()
    assert child_rules_apply(case) and not case_is_child(case)


def test_the_period_is_checked_and_versioned(make_case, responder, make_member):
    case = adult_exploited_young(make_case, responder)
    future = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    with pytest.raises(ValidationError) as refused:
        set_period(responder, case, future)
    assert "exploitation_began" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        set_period(responder, case, years_ago(3), years_ago(5))
    assert "exploitation_ended" in refused.value.message_dict
    with pytest.raises(StaleEdit):
        set_period(responder, case, years_ago(3), version=case.version + 1)
    outsider = make_member(Role.CASE_MANAGER)
    with pytest.raises(PermissionDenied):
        set_period(outsider, case, years_ago(3))


def test_a_screening_takes_the_child_rule_from_the_age_at_the_act(make_case, responder, ilo):
    case = adult_exploited_young(make_case, responder)
    set_period(responder, case, years_ago(10, month=3))
    case.refresh_from_db()
    screening = screening_start(actor=responder, membership=responder.membership, case=case, instrument=ilo)
    assert screening.child


def test_the_legal_page_records_the_period_and_says_which_age_it_used(client_for, make_case, responder):
    case = adult_exploited_young(make_case, responder)
    client = client_for(responder)
    url = reverse("identification:legal", args=[case.reference])
    page = client.get(url).content.decode()
    assert "the exploitation began is not recorded" in page
    refused = client.post(
        url,
        {
            "form": "period",
            "exploitation_began_month": "03",
            "exploitation_began_year": "19",
            "version": case.version,
        },
    )
    assert refused.status_code in (200, 400)
    assert "Give the year as four digits, for example 2019." in refused.content.decode()
    began = years_ago(10, month=3)
    saved = client.post(
        url, {"form": "period", "exploitation_began": f"{began:%Y-%m}", "version": case.version}
    )
    assert saved.status_code == 302
    # Act and purpose only: met under the child rules.
    elements = client.post(
        url, {"form": "elements", "acts": ["recruitment"], "purposes": ["forced_labour"], "note": ""}
    )
    assert elements.status_code == 302
    shown = client.get(url).content.decode()
    assert f"Under 18 when the exploitation began in {date_format(began, 'YEAR_MONTH_FORMAT')}" in shown
    assert "The elements recorded meet the definition." in shown


def test_the_api_records_the_period_and_the_check_explains_the_age(client_for, make_case, responder):
    case = adult_exploited_young(make_case, responder)
    client = client_for(responder)
    ref = case.reference
    legal = reverse("api-identification-legal-elements", args=[ref])
    period = reverse("api-identification-exploitation-period", args=[ref])
    before = client.get(legal).json()
    assert before["child_rules"] is False and before["age_used"] == "adult_period_unknown"
    body = {"acts": ["recruitment"], "means": [], "purposes": ["forced_labour"]}
    assert client.put(legal, body, content_type="application/json").json()["missing"] == ["means"]
    bad = client.put(
        period,
        {"exploitation_began": "2019-13", "expected_version": before["case_version"]},
        "application/json",
    )
    assert "exploitation_began" in api_error(bad, 400, "invalid")["fields"]
    began = f"{years_ago(10, month=3):%Y-%m}"
    done = client.put(
        period, {"exploitation_began": began, "expected_version": before["case_version"]}, "application/json"
    )
    assert done.status_code == 200, done.content
    answer = done.json()
    assert answer["child_rules"] is True and answer["treated_as_child"] is False
    assert answer["age_used"] == "child_when_exploited"
    assert f"{years_ago(10, month=3):%B %Y}" in answer["age_explained"]  # the month in words
    assert answer["elements_met"] is True and answer["exploitation_began"] == began
    stale = client.put(
        period, {"exploitation_began": began, "expected_version": before["case_version"]}, "application/json"
    )
    api_error(stale, 409, "stale")
