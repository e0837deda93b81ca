"""Finding a person and reviewing a possible duplicate in a real Chromium, with axe-core's WCAG 2.1 A/AA
rules, in English and in Arabic (right to left)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from palermo.accounts.roles import Role
from palermo.cases.models import Person
from palermo.linkage.models import Candidate, LinkageRun
from palermo.linkage.services.keys import person_keys_refresh
from tests.cases.casework import team_case

from .test_browser_accessibility import check_page

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui


def _person(case, given: str, family: str) -> Person:
    person = Person.objects.create(
        case=case, given_names=given, family_names=family, birth_date=datetime.date(1990, 3, 4)
    )
    person_keys_refresh([person.pk])
    return person


@pytest.mark.parametrize("language", ["en", "ar"])
def test_search_and_review_pass_axe(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str
) -> None:
    authority = make_staff(Role.IDENTIFICATION_AUTHORITY)
    authority.user.membership = authority.user.memberships.get()  # type: ignore[attr-defined]
    left = _person(team_case(authority.user), "Юлия", "Петрова")
    right = _person(team_case(authority.user), "Yulia", "Petrowa")
    run = LinkageRun.objects.create(started_by=authority.user, status="done", progress=100)
    candidate = Candidate.objects.create(run=run, left=left, right=right, probability=0.97)
    found: dict[str, list[str]] = {}

    ui.enter(authority, "/linkage/search/")
    if language != "en":
        ui.switch_language(language)
    check_page(ui, language, found, "person search")
    ui.page.locator("#id_name").fill("petrova iulia")
    ui.page.locator("#id_birth_year").fill("1990")
    ui.submit_main_form()
    expect(ui.page.locator("#search-results > li")).to_have_count(2)
    check_page(ui, language, found, "person search results")

    ui.open("/linkage/duplicates/")
    check_page(ui, language, found, "duplicate queue")
    ui.page.locator(f"a[href$='/linkage/duplicates/{candidate.pk}/']").click()
    expect(ui.page.locator("main section")).to_have_count(2)
    check_page(ui, language, found, "duplicate review")
    ui.page.locator("input[name=decision][value=same]").check()
    ui.page.locator("main form button[type=submit]").click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator("main form[action$='/undo/']")).to_have_count(1)
    check_page(ui, language, found, "duplicate queue after a merge")

    ui.open("/linkage/partners/")
    check_page(ui, language, found, "matching across borders")
    assert not {name: issues for name, issues in found.items() if issues}
    assert not console.errors()
