"""The shell in a real Chromium: axe-core's WCAG 2.1 A/AA rules, Arabic right to left, keyboard, CSP."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from palermo.accounts.roles import Role

from .conftest import BLOCKING_IMPACTS

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui


def check_page(
    ui: Ui, language: str, found: dict[str, list[str]], name: str, impacts: set[str] | None = BLOCKING_IMPACTS
) -> None:
    """Check the page's language, direction and Bootstrap build; record its axe violations of `impacts`
    (the blocking ones unless told; every impact with None)."""
    html = ui.page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    ui.page.wait_for_load_state("load")  # the stylesheets are in document.styleSheets once loaded
    sheets = ui.page.evaluate("[...document.styleSheets].map(sheet => sheet.href || '')")
    bootstrap = [href.rsplit("/", 1)[-1] for href in sheets if "/vendor/bootstrap/" in href]
    expected = "bootstrap.rtl.min.css" if language == "ar" else "bootstrap.min.css"
    assert bootstrap == [expected], f"{name}: loads {bootstrap}, expected {expected}"
    found[name] = ui.axe_violations(impacts)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_shell_pages_pass_axe_in_each_language(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str
) -> None:
    newcomer = make_staff(Role.CASE_MANAGER, enrolled=False)
    responder = make_staff(Role.FIRST_RESPONDER)
    found: dict[str, list[str]] = {}

    ui.open("/accounts/login/")
    if language != "en":
        ui.switch_language(language)  # through the switcher on the page, as a person would
    check_page(ui, language, found, "login")

    ui.enter_password(newcomer)
    expect(ui.page).to_have_url(re.compile(r"/accounts/two-factor/enrol/$"))
    check_page(ui, language, found, "enrolment")
    key = base64.b32decode(ui.page.locator("main code").inner_text().strip())
    ui.enter_code(str(totp(key)).zfill(6))
    expect(ui.page.locator("main .backup-codes li")).to_have_count(10)
    check_page(ui, language, found, "backup codes")
    ui.page.locator("main a.btn-primary").click()
    expect(ui.page.locator("main h1")).to_have_count(1)
    check_page(ui, language, found, "home (case manager)")
    ui.sign_out()

    ui.enter_password(responder)
    expect(ui.page).to_have_url(re.compile(r"/accounts/two-factor/$"))
    check_page(ui, language, found, "two-factor verification")
    ui.enter_code(responder.code())
    expect(ui.page.locator("main h1")).to_have_count(1)
    check_page(ui, language, found, "home (first responder)")

    report = [f"{page}: {problem}" for page, problems in found.items() for problem in problems]
    assert not report, "axe-core found blocking violations:\n" + "\n".join(report)
    assert console.csp_violations() == []
    assert console.errors() == []


def test_arabic_home_is_right_to_left_and_translated(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, results_dir: Path
) -> None:
    admin = make_staff(Role.SYSTEM_ADMINISTRATOR)
    ui.open("/accounts/login/")
    ui.switch_language("ar")
    expect(ui.page.locator("main h1")).to_have_text("تسجيل الدخول")

    ui.enter_password(admin)
    ui.enter_code(admin.code())

    expect(ui.page.locator("main h1")).to_have_text("مسؤول النظام")
    expect(ui.page.locator("html")).to_have_attribute("dir", "rtl")
    # Right to left: the brand sits at the right edge and the sign-out button at the left.
    brand = ui.page.locator(".navbar-brand").bounding_box()
    sign_out = ui.page.locator("header form[action$='/logout/'] button").bounding_box()
    assert brand is not None and sign_out is not None
    assert brand["x"] > sign_out["x"]
    # Kept for a person to look at (test-results/ is git-ignored).
    ui.page.screenshot(path=results_dir / "arabic-home.png", full_page=True)
    assert console.csp_violations() == []
    assert console.errors() == []


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(ui: Ui, make_staff: MakeStaff) -> None:
    ui.enter(make_staff(Role.RAPPORTEUR))
    expect(ui.page.locator("main h1")).to_have_count(1)

    ui.page.keyboard.press("Tab")
    skip_link = ui.page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    ui.page.keyboard.press("Enter")
    expect(ui.page.locator("main#main")).to_be_focused()
