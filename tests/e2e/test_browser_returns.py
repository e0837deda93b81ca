"""The returns pages in a real Chromium, in English and Arabic: the returns section's request form and the
refusal that names what is missing, the inbox of packages from abroad, and the partner keys page; on each,
the language and direction, axe-core's WCAG 2.1 A/AA rules, no CSP violation and no console error but the
refusals' own 400."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from palermo.access.models import CaseTeamMember
from palermo.accounts.roles import Role
from palermo.returns.services.returns import return_request
from tests.cases.casework import add_person, make_case

from .test_browser_accessibility import check_page

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui


@pytest.mark.parametrize("language", ["en", "ar"])
def test_returns_pages_pass_axe(ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str) -> None:
    manager = make_staff(Role.CASE_MANAGER)
    membership = manager.user.memberships.get()
    case = make_case(membership.agency, is_child=False)
    add_person(case)
    now = timezone.now()
    CaseTeamMember.objects.create(case=case, agency=membership.agency, reason="set-up", added_at=now)
    today = timezone.localdate()
    record = return_request(
        actor=manager.user,
        membership=membership,
        case=case,
        country="ALB",
        requested_on=today,
        request_language="sqi",
        informed_on=today,
        request="Synthetic: wants to go home.",
    )
    found: dict[str, list[str]] = {}

    ui.enter(manager, "/")
    if language != "en":
        ui.switch_language(language)
    ui.open(f"/returns/{case.reference}/return/")
    check_page(ui, language, found, "return request form")
    ui.open(f"/returns/{case.reference}/return-clear/{record.pk}/")
    ui.submit_main_form()
    expect(ui.page.locator("main .alert-danger, main .app-error-summary").first).to_be_visible()
    check_page(ui, language, found, "refused clearing")
    ui.open(f"/returns/{case.reference}/")
    ui.wait_for_sections()
    expect(ui.page.locator("#section-returns")).to_be_visible()
    check_page(ui, language, found, "case page with returns")
    ui.sign_out()

    responder = make_staff(Role.FIRST_RESPONDER)
    ui.enter(responder, "/returns/packages/")
    check_page(ui, language, found, "packages from abroad")
    ui.page.locator("main form button[type=submit]").first.click()
    ui.page.wait_for_load_state()
    check_page(ui, language, found, "packages: nothing given")
    ui.sign_out()

    admin = make_staff(Role.SYSTEM_ADMINISTRATOR)
    ui.enter(admin, "/returns/partner-keys/")
    check_page(ui, language, found, "partner keys")

    report = [f"{page}: {problem}" for page, problems in found.items() for problem in problems]
    assert not report, "axe-core found blocking violations:\n" + "\n".join(report)
    assert console.csp_violations() == []
    # The refused forms answer 400 on purpose (the error contract): the browser logs those, nothing else.
    assert [e for e in console.errors() if "status of 400" not in e] == []
