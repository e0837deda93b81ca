"""The case page's forms, walked through their registry (cases:form) by the tests of every form's error path
and of every form's confirmation: a case with the case manager, the authority and the responder on its team,
and the URL of each form the case manager can open on it."""

from __future__ import annotations

from collections.abc import Iterator

from django.test import Client
from django.urls import reverse

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.cases.views.case_forms import FORMS
from palermo.cases.web import _CASE_FORMS
from tests.cases.casework import add_person, make_case, put_on_team

# The case page's forms a case manager cannot open on a case as it starts: each needs a record first.
NEEDS_A_RECORD = {"assistance-plan-service", "assistance-feedback", "assistance-placement-end"}


def forms_case(manager: User, *others: User) -> Case:
    """A case led by the manager's agency, with the manager's and the others' agencies on its team, and a
    person on it."""
    case = make_case(manager.membership.agency)  # type: ignore[attr-defined]
    for member in (manager, *others):
        put_on_team(case, member)
    add_person(case)
    return case


def case_page_forms(client: Client, case: Case) -> Iterator[tuple[str, str]]:
    """Each registered form of the case page the client can open, by name, with its URL (for the case's
    person where the form is about one); a form it cannot open must be one that needs a record first."""
    person = case.persons.get()
    for name in [*FORMS, *_CASE_FORMS]:
        url = reverse("cases:form_for", args=[case.reference, name, person.pk])
        if client.get(url).status_code == 404:
            url = reverse("cases:form", args=[case.reference, name])
        if client.get(url).status_code == 404:
            assert name in NEEDS_A_RECORD, f"the case manager cannot open {name}"
            continue
        yield name, url
