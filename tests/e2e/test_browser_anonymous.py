"""The anonymous notification's form in a real Chromium: a bad submission shows the error summary, which takes
focus and links each problem to its field; a good one records the notification. The region's list follows the
country chosen: a short one stays a list, a long one is a type-ahead. axe-core's WCAG 2.1 A/AA rules on each
page, and no CSP violation."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from playwright.sync_api import Page, expect

from palermo.accounts.roles import Role
from palermo.cases.reference import Gender

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui


def test_a_refusal_recorded_anonymously(ui: Ui, make_staff: MakeStaff, console: ConsoleLog) -> None:
    responder = make_staff(Role.FIRST_RESPONDER)
    ui.enter(responder, "/anonymous/new/")
    violations = {"form": ui.axe_violations()}
    page = ui.page
    page.select_option("#id_met_in_month", "03")  # a month, by its name
    page.fill("#id_met_in_year", "24")  # a year not written out
    page.check("#id_rights_information_given_0")  # yes, but no leaflet named
    page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#id_met_in_month"]')).to_have_count(1)
    expect(summary).to_contain_text("Give the year as four digits")
    violations["errors"] = ui.axe_violations()

    today = datetime.date.today()  # noqa: DTZ011
    page.select_option("#id_met_in_month", f"{today.month:02d}")
    page.fill("#id_met_in_year", str(today.year))
    page.select_option("#id_age_group", "24-26")
    page.select_option("#id_gender", Gender.UNKNOWN.value)  # nothing is chosen for the person
    page.fill("#id_leaflet", "Rights leaflet A")
    page.locator("#id_leaflet_language").fill("English (eng)")
    page.locator("#id_leaflet_language__listbox li", has_text="English (eng)").first.click()
    choose_in_type_ahead(page, "exploitation_country", "Nigeria (NGA)")
    region = page.locator("select#id_exploitation_region")  # Nigeria's 37 states: a list
    expect(region.locator("option", has_text="Edo (NG-ED)")).to_have_count(1)
    violations["regions"] = ui.axe_violations()
    choose_in_type_ahead(page, "exploitation_country", "Italy (ITA)")
    expect(region.locator("option", has_text="Edo (NG-ED)")).to_have_count(0)
    choose_in_type_ahead(page, "exploitation_region", "Lombardia (IT-25)")  # 126: a type-ahead again
    assert page.locator("#id_exploitation_region-select").input_value() == "IT-25"
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/anonymous/\d+/$"))
    expect(page.locator("main")).to_contain_text("Rights leaflet A")
    expect(page.locator("main")).to_contain_text("Italy (Lombardia)")
    violations["recorded"] = ui.axe_violations()

    report = [f"{name}: {problem}" for name, problems in violations.items() for problem in problems]
    assert not report, "axe-core found blocking violations:\n" + "\n".join(report)
    assert console.csp_violations() == []


def choose_in_type_ahead(page: Page, name: str, option: str) -> None:
    page.locator(f"#id_{name}").fill(option)
    page.locator(f"#id_{name}__listbox li", has_text=option).first.click()
