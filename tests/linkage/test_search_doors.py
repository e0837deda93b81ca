"""The person search's page and API: ranked results with reasons, only cases whose identity the searcher may
read, nothing of the question in a URL or the audit record, a bad question refused by the error contract."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.audit.models import AuditEvent
from palermo.cases.models import Person
from palermo.linkage.models import PersonMerge

pytestmark = pytest.mark.django_db
JSON = "application/json"
BORN = datetime.date(1994, 5, 7)


@pytest.fixture
def two_cases(make_person: Callable[..., Person], manager, make_case) -> tuple[Person, Person]:
    mine = make_person(
        "Амира", "Хаддад", latin=("Amira", "Haddad"), born=BORN, case=make_case(team=(manager,))
    )
    elsewhere = make_person("Amira", "Haddad", born=BORN)  # a case of another agency
    return mine, elsewhere


def test_page_ranks_and_says_why(two_cases, manager, client_for) -> None:
    mine, _ = two_cases
    client = client_for(manager)
    assert client.get(reverse("linkage:search")).status_code == 200
    response = client.post(
        reverse("linkage:search"), {"name": "haddad amirah", "birth_year": "1994", "birth_month": "5"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.case.reference in page
    assert "is in the name in Latin letters" in page or "is in the name in the person" in page
    assert "one letter away" in page
    assert "1 person found" in page
    event = AuditEvent.objects.filter(action="case.search_name").latest("pk")
    assert mine.case.reference in event.reason and "haddad" not in event.reason.lower()


def test_page_refuses_an_impossible_date(manager, client_for) -> None:
    client = client_for(manager)
    response = client.post(
        reverse("linkage:search"),
        {"name": "Amira", "birth_year": "1994", "birth_month": "2", "birth_day": "30"},
    )
    assert response.status_code == 400
    assert "This day does not exist" in response.content.decode()


def test_api_answers_the_same(two_cases, manager, client_for) -> None:
    mine, elsewhere = two_cases
    client = client_for(manager)
    response = client.post(
        reverse("api-linkage-search"), {"name": "Хаддад", "birth_year": 1994}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["reference"] for row in body] == [mine.case.reference]
    assert body[0]["words"][0] == {"word": "хаддад", "grade": "exact", "source": "name"}
    assert body[0]["birth"] == "year"
    assert body[0]["reasons"]
    assert elsewhere.case.reference not in response.content.decode()


def test_a_merged_person_is_shown_once_with_both_cases(
    make_person: Callable[..., Person], make_case, manager, client_for, django_assert_max_num_queries
) -> None:
    first = make_person("Amira", "Haddad", born=BORN, case=make_case(team=(manager,)))
    second = make_person("Amirah", "Hadad", born=BORN, case=make_case(team=(manager,)))
    hidden = make_person("Amira", "Hadad", born=BORN)  # merged too, on a case the searcher may not read
    merge = PersonMerge.objects.create(kept=first, merged=second, merged_by=manager)
    PersonMerge.objects.create(kept=second, merged=hidden, merged_by=manager)
    client = client_for(manager)
    question = {"name": "amira haddad", "birth_year": 1994}
    with django_assert_max_num_queries(40):
        body = client.post(reverse("api-linkage-search"), question, content_type=JSON).json()
    assert len(body) == 1
    assert {body[0]["reference"], *body[0]["other_cases"]} == {first.case.reference, second.case.reference}
    assert hidden.case.reference not in str(body)
    page = client.post(reverse("linkage:search"), question).content.decode()
    assert "1 person found" in page and "also on" in page and second.case.reference in page
    event = AuditEvent.objects.filter(action="case.search_name").latest("pk")
    assert first.case.reference in event.reason and second.case.reference in event.reason
    merge.undone_at = timezone.now()  # unmerged: two persons again
    merge.save(update_fields=["undone_at"])
    body = client.post(reverse("api-linkage-search"), question, content_type=JSON).json()
    assert sorted(row["reference"] for row in body) == sorted([first.case.reference, second.case.reference])
    assert all(row["other_cases"] == [] for row in body)


def test_api_error_contract(manager, client_for) -> None:
    client = client_for(manager)
    response = client.post(reverse("api-linkage-search"), {"name": "A", "birth_day": 3}, content_type=JSON)
    assert response.status_code == 400
    assert "birth_year" in response.content.decode()


def test_roles_without_case_work_are_refused(rapporteur, client_for) -> None:
    client = client_for(rapporteur)
    assert client.get(reverse("linkage:search")).status_code == 404
    assert client.post(reverse("api-linkage-search"), {"name": "A"}, content_type=JSON).status_code == 404


def test_intake_warning_uses_the_tolerant_matching(two_cases, manager, client_for) -> None:
    from palermo.cases.selectors import possible_duplicates

    mine, _elsewhere = two_cases
    membership = manager.memberships.get()
    found = possible_duplicates(membership, names=["Amirah Hadad"], birth_date=BORN)
    assert found.visible == (mine.case.reference,)
    assert found.others_exist
