"""The referral form on a phone-sized screen in a real Chromium: no sideways scrolling, the duplicate warning
arriving through HTMX as names and birth date are typed, a draft saved and resumed, the submission opening
the case page; axe-core's WCAG 2.1 A/AA rules on each page, and no CSP violation."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from playwright.sync_api import Page, Route, expect

from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.cases.reference import Gender
from tests.cases.referrals import open_case

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui

PHONE = {"width": 390, "height": 844}
DUPLICATE_CHECK = "**/cases/intake/duplicates/"
# The year, month and day of birth filled in at once, as a browser's autofill does, before any change is sent.
BIRTH_DATE_AT_ONCE = """([year, month, day]) => {
  document.getElementById("id_birth_year").value = year;
  document.getElementById("id_birth_month").value = month;
  document.getElementById("id_birth_day").value = day;
}"""


def fits_the_screen(ui: Ui) -> bool:
    return bool(ui.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def type_ahead(page: Page, field: str, choice: str) -> None:
    """A country or language chosen as a person does: typed into the type-ahead, picked from its list."""
    page.locator(field).fill(choice)
    page.locator(f"{field}__listbox li", has_text=choice).first.click()


def test_a_referral_on_a_phone(ui: Ui, make_staff: MakeStaff, console: ConsoleLog) -> None:
    responder = make_staff(Role.FIRST_RESPONDER)
    responder.user.membership = responder.user.memberships.get()  # type: ignore[attr-defined]
    # The one identification authority, so the form preselects it.
    authority_agency = make_staff(Role.IDENTIFICATION_AUTHORITY).user.memberships.get().agency
    existing = open_case(
        responder.user,
        authority_agency,
        given_names="Илона",
        family_names="Ковальчук",
        given_names_latin="Ilona",
        family_names_latin="Kovalchuk",
        birth_date=datetime.date(1996, 4, 12),
    )
    ui.page.set_viewport_size(PHONE)
    ui.enter(responder, "/cases/intake/")
    expect(ui.page.locator("main h1")).to_have_count(1)
    assert fits_the_screen(ui)
    violations = {"form": ui.axe_violations()}

    page = ui.page
    page.fill("#id_given_names", "Илона")
    page.fill("#id_family_names", "Ковальчук")
    page.fill("#id_birth_year", "1996")
    page.select_option("#id_birth_month", "4")
    page.fill("#id_birth_day", "12")
    page.locator("#id_birth_day").blur()
    warning = page.locator("#duplicate-warning")
    # The form's checks go one at a time (intake.html): on a loaded machine the last can take some seconds.
    expect(warning).to_contain_text(existing.reference, timeout=20_000)
    violations["form with warning"] = ui.axe_violations()

    type_ahead(page, "#id_citizenships", "Ukraine (UKR)")
    type_ahead(page, "#id_primary_language", "Ukrainian (ukr)")
    page.select_option("#id_gender", Gender.UNKNOWN.value)  # nothing is chosen for the person
    page.select_option("#id_contact_channel", "hotline")
    page.check("#id_exploitation_forms_0")
    page.check("#id_consent_given")
    page.check("#id_consent_given_by_0")
    type_ahead(page, "#id_consent_language", "Ukrainian (ukr)")
    page.locator("button[value=save]").click()
    expect(page).to_have_url(re.compile(r"/cases/intake/drafts/\d+/$"))
    expect(page.locator("#id_given_names")).to_have_value("Илона")
    assert "Илона" not in page.url
    violations["draft"] = ui.axe_violations()

    page.locator("button[value=submit]").click()
    expect(page).to_have_url(re.compile(r"/cases/NRM-[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    expect(page.locator("#section-person")).to_contain_text("Ковальчук")
    expect(page.locator("#section-consent")).to_contain_text("Referral")
    assert fits_the_screen(ui)
    violations["case page"] = ui.axe_violations()

    report = [f"{name}: {problem}" for name, problems in violations.items() for problem in problems]
    assert not report, "axe-core found blocking violations:\n" + "\n".join(report)
    assert console.csp_violations() == []
    assert console.errors() == []


def form_of_a_known_person(ui: Ui, make_staff: MakeStaff) -> tuple[Page, Case]:
    """A responder's empty referral form, and the case they opened earlier for Mariam, born 3 July 1990."""
    responder = make_staff(Role.FIRST_RESPONDER)
    responder.user.membership = responder.user.memberships.get()  # type: ignore[attr-defined]
    authority_agency = make_staff(Role.IDENTIFICATION_AUTHORITY).user.memberships.get().agency
    existing = open_case(
        responder.user, authority_agency, given_names="Mariam", birth_date=datetime.date(1990, 7, 3)
    )
    ui.enter(responder, "/cases/intake/")
    return ui.page, existing


def test_the_duplicate_warning_answers_the_last_change(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog
) -> None:
    """The check of the name alone is still on its way when the birth date is given: the check of name and
    date answers after it, and its warning stays (it is not lost behind the earlier answer)."""
    page, existing = form_of_a_known_person(ui, make_staff)
    held: list[Route] = []
    page.route(DUPLICATE_CHECK, lambda route: held.append(route))
    page.fill("#id_given_names", "Mariam")
    with page.expect_request(DUPLICATE_CHECK):
        page.locator("#id_given_names").blur()  # the check of the name alone
    page.evaluate(BIRTH_DATE_AT_ONCE, ["1990", "7", "3"])
    page.locator("#id_birth_day").dispatch_event("change")  # the check of name and birth date
    page.wait_for_timeout(300)

    with page.expect_request_finished(lambda request: request == held[0].request):
        held[0].continue_()  # the earlier check answers first
    page.wait_for_timeout(300)
    for later in held[1:]:
        later.continue_()
    page.unroute(DUPLICATE_CHECK)
    expect(page.locator("#duplicate-warning")).to_contain_text(existing.reference)
    assert console.errors() == []


def test_a_failed_duplicate_check_says_so(ui: Ui, make_staff: MakeStaff, console: ConsoleLog) -> None:
    """A check whose answer does not come (here the server fails it) is not silent: the responder reads that
    no check was made, and a later change checks again."""
    page, existing = form_of_a_known_person(ui, make_staff)
    page.route(DUPLICATE_CHECK, lambda route: route.fulfill(status=500, body="Server Error"))
    page.fill("#id_given_names", "Mariam")
    page.fill("#id_birth_year", "1990")
    page.select_option("#id_birth_month", "7")
    page.fill("#id_birth_day", "3")
    page.locator("#id_birth_day").blur()
    warning = page.locator("#duplicate-warning")
    expect(warning.get_by_role("status")).to_contain_text("could not be made just now")
    assert ui.axe_violations() == []

    page.unroute(DUPLICATE_CHECK)
    page.fill("#id_birth_day", "03")
    page.locator("#id_birth_day").blur()
    expect(warning).to_contain_text(existing.reference)
    assert console.csp_violations() == []
