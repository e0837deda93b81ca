"""The public portal in a real Chromium, in every public language (issue 22, items 2, 4 and 5): the quick exit
(the Esc key and the button, with script; the plain link without) replaces the page so that Back lands where
the person was before; no request leaves the site while reading; axe-core finds no violation of any impact on
any page; the accessibility tree reads skip link, quick exit, site name, pages, the page's heading and
content, then the languages."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.conftest import Ui

LANGUAGES = settings.PUBLIC_LANGUAGES
PAGES = ["", "rights/", "check/", "next/", "services/", "contact/"]
EXIT_URL = "https://www.bbc.com/weather"
BEFORE = "https://news.example/"  # where the person was before opening the portal (synthetic)


def _offsite(route: Route) -> None:
    route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>Elsewhere</title><p>Elsewhere"
    )


@pytest.fixture
def elsewhere(context: BrowserContext) -> list[str]:
    """Pages off the site answer locally (the machine has no network); every off-site request is listed."""
    asked: list[str] = []
    context.route(re.compile(r"^https://"), lambda route: (asked.append(route.request.url), _offsite(route)))
    return asked


def _same_site(url: str, base: str) -> bool:
    return urlparse(url).netloc == urlparse(base).netloc


def test_quick_exit_by_key_and_button_leaves_back_landing_elsewhere(ui: Ui, page: Page, elsewhere):
    """In every public language in turn, in one browser profile (the exit's script is the same in each; what
    differs is the page around it): the Esc key and the button each replace the page, Back lands where the
    person was before; nothing but the exit leaves the site, and the portal leaves no cookie."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for lang in LANGUAGES:
        requests.clear()
        page.goto(BEFORE)
        ui.open(f"/help/{lang}/rights/")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("#exit-hint")).to_be_visible()  # the hint of the key, shown by the script
        page.keyboard.press("Escape")
        page.wait_for_url(EXIT_URL)
        page.go_back()
        page.wait_for_url(BEFORE)  # Back does not return to the portal
        ui.open(f"/help/{lang}/check/")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.locator("#quick-exit").click()
        page.wait_for_url(EXIT_URL)
        page.go_back()
        page.wait_for_url(BEFORE)
        read = requests[requests.index(f"{ui.base_url}/help/{lang}/rights/") :]
        off_site = [url for url in read if not _same_site(url, ui.base_url) and url not in {EXIT_URL, BEFORE}]
        assert off_site == [], lang
        assert page.context.cookies([ui.base_url]) == [], lang


def test_without_script_the_pages_read_and_the_exit_is_a_plain_link(
    browser: Browser, live_server: object, transactional_db: None, plain_static_urls: None
):
    context = browser.new_context(base_url=str(live_server), java_script_enabled=False)
    context.route(re.compile(r"^https://"), _offsite)
    try:
        page = context.new_page()
        page.goto("/help/fa/check/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("#exit-hint")).to_be_hidden()
        page.locator("input[value=papers]").check()
        page.locator("main form button[type=submit]").click()
        expect(page.locator("#answer")).to_be_visible()
        page.locator("#quick-exit").click()
        page.wait_for_url(EXIT_URL)
    finally:
        context.close()


def _order(snapshot: str, lang: str) -> list[int]:
    """Where the landmarks and the page's parts come in the accessibility tree, in reading order."""
    parts = [
        r"- banner",
        r'- link "[^"]+":\n\s+- /url: "?#main',  # skip link
        r'- link "[^"]+":\n\s+- /url: "?https://www\.bbc\.com/weather',  # quick exit
        r"- navigation",
        r"- main",
        r"- heading .*\[level=1\]",
        r"- contentinfo",
        rf'- link "[^"]+":\n\s+- /url: "?/help/{lang}/',
    ]
    found = []
    for part in parts:
        match = re.search(part, snapshot[found[-1] if found else 0 :])
        assert match, f"{part} not found in order:\n{snapshot}"
        found.append((found[-1] if found else 0) + match.start())
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_has_no_axe_violation_and_reads_in_order(ui: Ui, page: Page, lang: str, elsewhere):
    for path in PAGES:
        ui.open(f"/help/{lang}/{path}")
        assert ui.axe_violations(impacts=None) == [], f"/help/{lang}/{path}"
        snapshot = page.locator("body").aria_snapshot()
        order = _order(snapshot, lang)
        assert order == sorted(order)
    # The answers of the self-check and a form sent back with its errors, too.
    ui.open(f"/help/{lang}/check/")
    page.locator("input[name=s]").first.check()
    ui.submit_main_form()
    assert ui.axe_violations(impacts=None) == []
    ui.open(f"/help/{lang}/contact/")
    ui.submit_main_form()
    expect(page.locator(".error-summary")).to_be_visible()
    assert ui.axe_violations(impacts=None) == []
    assert elsewhere == []


def test_on_a_phone_the_quick_exit_stays_in_reach_right_to_left(ui: Ui, page: Page, elsewhere):
    page.set_viewport_size({"width": 390, "height": 740})
    ui.open("/help/ar/rights/")
    page.mouse.wheel(0, 2000)
    page.wait_for_function("window.scrollY > 100")
    box = page.locator("#quick-exit").bounding_box()
    assert box is not None and box["y"] < 740 and box["x"] < 390 / 2  # top, on the start side (left in RTL)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_a_duty_worker_picks_up_a_request_left_on_the_portal(ui: Ui, page: Page, make_staff, elsewhere):
    from palermo.accounts.roles import Role

    worker = make_staff(Role.CASE_MANAGER)
    agency = worker.user.memberships.get().agency
    ui.open("/help/uk/contact/")
    page.locator("#id_channel").check()
    page.locator("#id_contact").fill("+00 555 0111 (synthetic)")
    if agency.region:
        page.locator("#id_region").select_option(agency.region)
    ui.submit_main_form()
    expect(page.locator("main h1")).to_have_text("Ваш запит надіслано")
    ui.enter(worker, "/portal/")
    assert ui.axe_violations() == []
    page.locator("main table a").first.click()
    expect(page).to_have_url(re.compile(r"/portal/\d+/$"))  # the request's page, not the list still leaving
    expect(page.locator("main")).not_to_contain_text("+00 555 0111")
    assert ui.axe_violations() == []
    ui.submit_main_form()
    expect(page.locator("main")).to_contain_text("+00 555 0111 (synthetic)")
    assert ui.axe_violations() == []
