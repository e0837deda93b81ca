"""A form sent with problems, in a real Chromium: the error summary takes keyboard focus, links each problem
to its field and the page's title starts with "Error:"; on a whole page (the referral form, in English and in
Arabic, right to left) and in a case-page section swapped in by HTMX (a note sent empty)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from palermo.accounts.roles import Role
from tests.cases.casework import put_on_team, team_case

from .conftest import notes_of_a_team_case

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui


def focused_id(ui: Ui) -> str:
    return str(ui.page.evaluate("document.activeElement && document.activeElement.id"))


def title_prefix(ui: Ui) -> str:
    return str(ui.page.evaluate("document.body.dataset.errorTitlePrefix"))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_referral_form_sent_empty(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str
) -> None:
    responder = make_staff(Role.FIRST_RESPONDER)
    ui.enter(responder)
    if language != "en":
        ui.switch_language(language)
    ui.open("/cases/intake/")
    page = ui.page
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    page.locator("main form button[name=action][value=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert focused_id(ui) == "error-summary"
    assert page.title().startswith(title_prefix(ui)) and title_prefix(ui).strip()
    links = summary.locator("a[href^='#']")
    assert links.count() >= 1
    for href in links.evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        expect(page.locator(href)).to_have_count(1)
    links.first.click()  # the link takes the reader to the field
    assert f"#{focused_id(ui)}" == links.first.get_attribute("href")
    assert console.csp_violations() == []


def test_a_note_sent_empty_in_its_section(ui: Ui, make_staff: MakeStaff, console: ConsoleLog) -> None:
    form = notes_of_a_team_case(ui, make_staff)
    page = ui.page
    before = page.title()
    form.locator("button[type=submit]").click()
    summary = page.locator("#section-notes .app-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("a[href^='#']")).not_to_have_count(0)
    expect(page).to_have_title(title_prefix(ui) + before)
    assert console.csp_violations() == []


def test_a_summary_far_down_a_page_is_scrolled_to_on_a_phone(ui: Ui, make_staff: MakeStaff) -> None:
    """The case team page's add form comes after the team: sent without a reason on a phone, the page opens
    at its error summary, not at its top with the focus out of sight."""
    manager = make_staff(Role.CASE_MANAGER)
    manager.user.membership = manager.user.memberships.get()  # type: ignore[attr-defined]
    case = team_case(manager.user)
    for _ in range(3):  # a longer team, so the form is well below the first screen
        provider = make_staff(Role.SERVICE_PROVIDER).user
        provider.membership = provider.memberships.get()  # type: ignore[attr-defined]
        put_on_team(case, provider)
    page = ui.page
    page.set_viewport_size({"width": 390, "height": 700})
    ui.enter(manager, f"/access/cases/{case.reference}/team/")
    page.locator("form:has(select[name=person]) button[type=submit]").click()
    page.wait_for_load_state("load")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    # Its top in the upper half of the screen once the page has settled, not at the screen's bottom edge.
    page.wait_for_timeout(1000)  # the stylesheet scrolls smoothly
    assert summary.evaluate("element => element.getBoundingClientRect().top") < 350
