"""A whole case at phone width (390 px) and right to left: nothing scrolls sideways, tables become stacked
rows each cell led by its heading, the legal-status chart is drawn for the width with its lanes' names whole
(mirrored in Arabic); and the person's summary page, where its language is chosen. axe-core on each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import expect

from .test_browser_accessibility import check_page
from .test_browser_casework import CaseWork, build_case_work

if TYPE_CHECKING:
    from .conftest import ConsoleLog, Ui

PHONE = {"width": 390, "height": 844}

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Visible captions narrower than half their table (each word on a line of its own).
NARROW_CAPTIONS = """() => [...document.querySelectorAll("main table > caption")]
  .filter(c => c.offsetParent !== null && !c.classList.contains("visually-hidden"))
  .filter(c => c.getBoundingClientRect().width < c.parentElement.getBoundingClientRect().width / 2)
  .map(c => c.textContent.trim().slice(0, 40))"""

# Every lane name of the visible chart inside its drawing, and the size it is drawn at, in CSS pixels.
LANE_NAMES = """
() => {
  const figure = [...document.querySelectorAll("figure[class*=residence-chart-]")]
    .find((each) => getComputedStyle(each).display !== "none");
  const svg = figure.querySelector("svg").getBoundingClientRect();
  return [...figure.querySelectorAll("text.residence-chart-lane")].map((text) => {
    const box = text.getBoundingClientRect();
    return {
      size: box.height,
      inside: box.left >= svg.left - 0.5 && box.right <= svg.right + 0.5,
      figure: figure.className,
    };
  });
}
"""

# Where a written text's closing full stop is drawn, against the letter before it: the first text a person
# wrote that ends with a Latin letter and a full stop (an English sentence of the demo's records).
FULL_STOP = """
() => {
  const written = [...document.querySelectorAll(".app-written")]
    .find((each) => /[A-Za-z][.]$/.test(each.textContent.trim()));
  if (!written) return null;
  const walker = document.createTreeWalker(written, NodeFilter.SHOW_TEXT);
  let last = null;
  while (walker.nextNode()) if (walker.currentNode.textContent.trim()) last = walker.currentNode;
  const end = last.textContent.trimEnd().length;
  const box = (start) => {
    const range = document.createRange();
    range.setStart(last, start);
    range.setEnd(last, start + 1);
    return range.getBoundingClientRect();
  };
  return {stop: box(end - 1).left, letter: box(end - 2).left, text: last.textContent.trim().slice(-30)};
}
"""


def test_a_whole_case_fits_a_phone_in_each_language(ui: Ui, console: ConsoleLog) -> None:
    """English, then Arabic, on one set of demo records (the loaders take longer than either look)."""
    work = build_case_work()
    found: dict[str, list[str]] = {}
    for language in ("en", "ar"):
        ui.page.context.clear_cookies()  # each language a person of its own
        look_on_a_phone(ui, work, language, found)

    report = [f"{name}: {problem}" for name, problems in found.items() for problem in problems]
    assert not report, "axe-core found violations:\n" + "\n".join(report)
    assert console.csp_violations() == [] and console.errors() == []


def look_on_a_phone(ui: Ui, work: CaseWork, language: str, found: dict[str, list[str]]) -> None:
    page = ui.page
    page.set_viewport_size(PHONE)
    ui.enter(work.case_manager, f"/cases/{work.adult.reference}/all/")  # login pages: test_browser_sign_in.py
    if language != "en":
        ui.switch_language(language)
    expect(page.locator("#section-residence svg").first).to_be_attached()
    check_page(ui, language, found, f"whole case at 390 px ({language})")
    assert page.evaluate(SIDEWAYS) <= 0, f"the page scrolls sideways at 390 px ({language})"

    names = page.evaluate(LANE_NAMES)
    assert names and all(name["figure"].endswith("narrow") for name in names)
    assert all(name["inside"] for name in names), f"a lane's name runs out of the chart: {names}"
    assert min(name["size"] for name in names) >= 11, "the chart's text is too small to read"

    # An English sentence a person wrote ends with its full stop, on an Arabic page too (not before it).
    sentence = page.evaluate(FULL_STOP)
    assert sentence and sentence["stop"] > sentence["letter"], (
        f"a full stop drawn before its text: {sentence}"
    )

    # Tables are stacked rows: each cell is a block of its own, with its column's heading.
    cell = page.locator("main table tbody td[data-label]").first
    expect(cell).to_be_visible()
    assert cell.evaluate("cell => getComputedStyle(cell).display") == "block"
    # A visible caption spans the stacked table, not a column a word wide.
    narrow = page.evaluate(NARROW_CAPTIONS)
    assert narrow == [], f"captions squeezed at 390 px ({language}): {narrow}"

    page.set_viewport_size({"width": 1280, "height": 800})
    names = page.evaluate(LANE_NAMES)
    assert all(name["figure"].endswith("wide") and name["inside"] for name in names)

    page.set_viewport_size(PHONE)
    page.goto(f"/assistance/cases/{work.adult.reference}/summary/")
    expect(page.locator("input[name=lang]:checked")).to_have_count(1)
    check_page(ui, language, found, f"the person's summary page at 390 px ({language})")
    assert page.evaluate(SIDEWAYS) <= 0
