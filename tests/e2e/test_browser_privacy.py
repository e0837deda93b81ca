"""The data protection officer's pages in a real Chromium, in English and Arabic: the overview (a case due
for anonymisation soon, leading to its screen; the holds in force), the case's retention screen (export,
legal hold, erasure), a refused hold with its error summary, and the screen under a hold; on each, the
language and direction, axe-core's WCAG 2.1 A/AA rules, no CSP violation and no console error but the
refusal's own 400. On a phone, the heading's case reference stays on one line."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.cases.reference import CaseStatus
from tests.cases.casework import add_person, make_case

from .test_browser_accessibility import check_page

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui


@pytest.mark.parametrize("language", ["en", "ar"])
def test_privacy_pages_pass_axe(ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str) -> None:
    officer = make_staff(Role.DATA_PROTECTION_OFFICER)
    case = make_case(officer.user.memberships.get().agency, is_child=False)
    add_person(case)
    closed_at = timezone.now() - datetime.timedelta(days=720)  # closed and referred: kept 24 months
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED_REFERRED, closed_at=closed_at)
    found: dict[str, list[str]] = {}

    ui.enter(officer, "/")
    if language != "en":
        ui.switch_language(language)
    ui.open("/privacy/")
    check_page(ui, language, found, "overview")
    ui.page.locator("#due-heading ~ table tbody a.btn").click()  # the case due soonest, to keep or let go
    ui.page.wait_for_url(f"**/privacy/cases/{case.reference}/")
    check_page(ui, language, found, "retention screen")
    reference_stays_whole_on_a_phone(ui)
    ui.page.locator("main textarea").fill("   ")  # passes the browser's `required`, not the server's
    ui.page.locator("main form button.btn-primary").click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator("main .alert-danger, main .app-error-summary").first).to_be_visible()
    check_page(ui, language, found, "refused hold")
    ui.page.locator("main textarea").fill("Synthetic: a complaint is open.")
    ui.page.locator("main form button.btn-primary").click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator("main form button.btn-outline-danger")).to_be_visible()
    check_page(ui, language, found, "under a legal hold")
    ui.open("/privacy/")
    expect(ui.page.locator("#holds-heading ~ ul a")).to_have_count(1)
    check_page(ui, language, found, "overview with a hold")

    report = [f"{page}: {problem}" for page, problems in found.items() for problem in problems]
    assert not report, "axe-core found blocking violations:\n" + "\n".join(report)
    assert console.csp_violations() == []
    assert [e for e in console.errors() if "status of 400" not in e] == []


def reference_stays_whole_on_a_phone(ui: Ui) -> None:
    """At 390 px the heading wraps, but never inside the case reference (in Arabic its parts would come on two
    lines, right to left, and read out of order)."""
    ui.page.set_viewport_size({"width": 390, "height": 844})
    try:
        reference = ui.page.locator("main h1 .app-reference")
        expect(reference).to_be_visible()
        assert reference.evaluate("element => element.getClientRects().length") == 1
    finally:
        ui.page.set_viewport_size({"width": 1280, "height": 800})
