"""The home pages as worklists in a real Chromium: the case manager's and the identification authority's,
on the demo's synthetic cases, in English and in Arabic (right to left), on a desktop and on a phone 390 px
wide (the tables stack: no sideways scrolling); axe-core's WCAG 2.1 A/AA rules, no console error."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from palermo.demo.accounts import load_demo_accounts
from palermo.demo.cases import load_demo_cases

from .test_browser_accessibility import check_page
from .test_browser_casework import demo_member

if TYPE_CHECKING:
    from .conftest import ConsoleLog, Ui

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_two_roles_home_pages_lead_to_their_work(ui: Ui, console: ConsoleLog, language: str) -> None:
    password = secrets.token_urlsafe(18)
    load_demo_accounts(password)
    load_demo_cases(12)
    found: dict[str, list[str]] = {}
    page = ui.page
    for username, panel in (("demo.casemanager", "#panel-due"), ("demo.identification", "#panel-awaiting")):
        page.set_viewport_size(DESKTOP)
        ui.enter(demo_member(username, password))  # the login pages: test_browser_sign_in.py
        if language != "en":
            ui.switch_language(language)
        expect(page.locator(panel)).to_have_count(1)
        expect(page.locator("main table.table-stack").first).to_be_visible()
        check_page(ui, language, found, f"{username} home")

        page.set_viewport_size(PHONE)
        page.reload()
        expect(page.locator(panel)).to_have_count(1)
        # The rows stack: the page is no wider than the phone, and a cell starts with its column's name.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        label = page.locator("main table.table-stack td[data-label]").first
        assert label.evaluate("cell => getComputedStyle(cell, '::before').content") not in ("none", "normal")
        check_page(ui, language, found, f"{username} home on a phone")
        if username == "demo.casemanager":
            follow_my_cases_to_a_next_deadline(ui, language, found)
        ui.sign_out()

    assert not any(found.values()), found
    assert not console.errors(), console.errors()


def follow_my_cases_to_a_next_deadline(ui: Ui, language: str, found: dict[str, list[str]]) -> None:
    """My cases says what is due next on each case, and sorts by it (the soonest first); its link leads to
    where that is done."""
    page = ui.page
    page.set_viewport_size(DESKTOP)
    page.locator(f"nav a[href='{reverse('cases:mine')}']").first.click()
    expect(page.locator("main table.case-table a.next-deadline").first).to_be_visible()
    # Sorted by the soonest next deadline, by keyboard: the first row's deadline is the most urgent.
    page.locator("#case-order").select_option("next_deadline")
    page.locator("#case-order").press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**order=next_deadline**")
    expect(page.locator("#case-order")).to_have_value("next_deadline")
    link = page.locator("main table.case-table a.next-deadline").first
    expect(link).to_be_visible()
    first_row = page.locator("main table.case-table tbody tr").first
    expect(first_row.locator("a.next-deadline")).to_have_count(1)
    check_page(ui, language, found, "My cases")
    href = link.get_attribute("href")
    assert href is not None
    link.click()
    page.wait_for_url(f"**{href}")
    expect(page.locator("main h1")).to_be_visible()
