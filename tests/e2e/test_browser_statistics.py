"""The rapporteur's dashboard in a real Chromium, left to right and right to left: axe-core's WCAG 2.1 A/AA
rules, the charts mirrored in Arabic, a filter change as one page load, the downloads, the law against the
position paper with another rulebook chosen to compare, and no CSP violation.
Screenshots for docs/statistics.md go to the results folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from palermo.accounts.roles import Role
from tests.statistics.statistics_data import populate

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_dashboard_reads_in_each_direction(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, results_dir: Path, language: str
) -> None:
    populate(60)
    rapporteur = make_staff(Role.RAPPORTEUR)
    ui.enter(rapporteur, "/statistics/")
    if language != "en":
        ui.switch_language(language)
    page = ui.page
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    charts = page.locator("main svg.statistics-chart")
    expect(charts.first).to_have_attribute("direction", "rtl" if language == "ar" else "ltr")
    violations = {"dashboard": ui.axe_violations()}

    page.select_option("#statistics-year", "2024")
    with page.expect_navigation():
        page.locator("main form[method=get] button[type=submit]").click()
    assert "year=2024" in page.url
    expect(page.locator("#statistics-year")).to_have_value("2024")
    violations["filtered"] = ui.axe_violations()
    page.screenshot(path=str(results_dir / f"statistics-dashboard-{language}.png"), full_page=False)

    with page.expect_download() as download:
        page.locator("main a[href*='/statistics/tables/referred-sex.csv']").click()
    assert download.value.suggested_filename == "referred-sex.csv"

    ui.open("/statistics/compliance/")
    violations["compliance"] = ui.axe_violations()
    # The law in force against the paper, and another rulebook chosen to compare with it.
    with page.expect_navigation():
        page.locator("main a[href='/statistics/law/']").click()
    expect(page.locator("main table tbody tr")).to_have_count(11)
    page.select_option("#id_rulebook", "coe-cets197")
    with page.expect_navigation():
        page.locator("main form[method=get] button[type=submit]").click()
    assert "rulebook=coe-cets197" in page.url
    short = "Falls short" if language == "en" else "يقصر عنها"
    expect(page.locator("main table tbody strong", has_text=short).first).to_be_visible()
    violations["law"] = ui.axe_violations()
    ui.open("/statistics/releases/")
    violations["releases"] = ui.axe_violations()

    # At phone width the bars give way to their tables, whose figures read from the line's start under
    # their heading: the right in Arabic, the left in English.
    page.set_viewport_size({"width": 390, "height": 800})
    ui.open("/statistics/law/?rulebook=coe-cets197")
    violations["law on a phone"] = ui.axe_violations()
    ui.open("/statistics/")
    expect(page.locator("main svg.statistics-chart").first).to_be_hidden()
    figure = page.locator("main table td.text-end").first
    expect(figure).to_have_css("text-align", "start")
    heading_side = page.locator("main table th[scope=row]").first.bounding_box()
    figure_side = figure.bounding_box()
    assert heading_side is not None and figure_side is not None
    assert abs(figure_side["x"] - heading_side["x"]) < 2 and figure_side["width"] == heading_side["width"]
    violations["phone"] = ui.axe_violations()

    report = [f"{name}: {problem}" for name, problems in violations.items() for problem in problems]
    assert not report, "axe-core found blocking violations:\n" + "\n".join(report)
    assert console.csp_violations() == []
    assert console.errors() == []
