"""Browser tests: one system Chromium for the session, a fresh context per test, synthetic staff members.

Playwright's sync API keeps an asyncio loop running on the main thread while the browser is open, which
Django takes for async code; the Playwright fixture therefore allows Django's synchronous ORM for its
lifetime, and the browser tests are moved to the end of the run so that this never overlaps ordinary tests.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Response,
    expect,
    sync_playwright,
)
from pytest_django import Settings

from palermo.accounts import services
from palermo.accounts.models import User
from palermo.accounts.roles import ROLE_INFO, Role
from palermo.cases.models import Case
from tests.cases.casework import team_case
from tests.sessions import verified_session

E2E_DIR = Path(__file__).resolve().parent
REPO_DIR = E2E_DIR.parents[1]
RESULTS_DIR = REPO_DIR / "test-results"
AXE_PATH = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--headless=new",
]
# Synthetic names in several scripts, so layouts meet Latin, Arabic and Cyrillic text.
FAKER_LOCALES = ["en_GB", "ar_AA", "ru_RU", "fr_FR"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_items = [item for item in items if E2E_DIR in Path(item.path).parents]
    if not browser_items:
        return
    for item in browser_items:
        item.add_marker(pytest.mark.e2e)
    others = [item for item in items if E2E_DIR not in Path(item.path).parents]
    items[:] = others + browser_items


def _missing(message: str) -> None:
    """A missing tool fails in CI, where it is installed on purpose, and skips on a developer's machine."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    path = Path(os.environ.get("PALERMO_CHROMIUM") or DEFAULT_CHROMIUM)
    if not (path.is_file() and os.access(path, os.X_OK)):
        _missing(f"Chromium not found at {path}; install Debian's chromium or set PALERMO_CHROMIUM")
    return path


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(chromium_path: Path, playwright_driver: Playwright) -> Iterator[Browser]:
    chromium = playwright_driver.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.is_file():
        _missing(f"axe-core not found at {AXE_PATH}; run `npm ci` (package.json pins it)")
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture
def plain_static_urls(settings: Settings) -> None:
    """The live server serves static files from their sources, which know no hashed (manifest) names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def results_dir() -> Path:
    """Screenshots for people to look at; git-ignored."""
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR


@pytest.fixture
def context(
    browser: Browser, live_server: object, transactional_db: None, plain_static_urls: None
) -> Iterator[BrowserContext]:
    """A new, empty browser profile per test: no cookies, English as the browser's language."""
    ctx = browser.new_context(
        base_url=str(live_server), locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    ctx.set_default_timeout(10_000)
    try:
        yield ctx
    finally:
        ctx.close()


@dataclass
class ConsoleLog:
    """Everything the page wrote to the console, the uncaught errors it raised, and the requests the server
    failed or that never got an answer (shown with a failing test's report)."""

    messages: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if "Content Security Policy" in m or "Content-Security-Policy" in m]

    def errors(self) -> list[str]:
        return [m for m in self.messages if m.startswith(("error:", "pageerror:"))]


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(context: BrowserContext, console: ConsoleLog) -> Page:
    tab = context.new_page()

    def record(message: ConsoleMessage) -> None:
        console.messages.append(f"{message.type}: {message.text}")

    def server_failed(response: Response) -> None:
        if response.status >= 500:
            console.messages.append(
                f"server: {response.status} {response.request.method} {_path(response.url)}"
            )

    tab.on("console", record)
    tab.on("pageerror", lambda error: console.messages.append(f"pageerror: {error}"))
    tab.on("response", server_failed)
    tab.on(
        "requestfailed",
        lambda request: console.messages.append(
            f"unanswered: {request.method} {_path(request.url)} {request.failure}"
        ),
    )
    return tab


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """A failing browser test's report shows what its page logged: a server error behind a missing answer."""
    report: pytest.TestReport = yield
    console = getattr(item, "funcargs", {}).get("console")
    if report.failed and isinstance(console, ConsoleLog) and console.messages:
        report.sections.append(("browser console", "\n".join(console.messages)))
    return report


@dataclass(frozen=True)
class Member:
    """A synthetic staff member: their sign-in secrets exist only in this test's memory."""

    user: User
    password: str
    device: TOTPDevice | None

    @property
    def username(self) -> str:
        return self.user.get_username()

    def code(self) -> str:
        """The authenticator app's current code."""
        assert self.device is not None, "this member has no authenticator"
        device = self.device
        value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        return str(value).zfill(device.digits)


MakeStaff = Callable[..., Member]


@pytest.fixture
def faker_locale() -> list[str]:
    """Read by Faker's pytest plugin: the `faker` fixture speaks these locales, seeded per test."""
    return FAKER_LOCALES


@pytest.fixture
def make_staff(transactional_db: None, faker_locale: list[str], faker: Faker) -> MakeStaff:
    """make_staff(Role.X, ..., enrolled=True): a user with one membership per role, each in its own agency."""

    def make(*roles: Role, enrolled: bool = True) -> Member:
        username = faker.unique.user_name()
        password = secrets.token_urlsafe(18)
        user = services.user_create(username=username, password=password)
        for role in roles:
            agency = services.agency_create(
                name=faker.unique.company(),
                type=ROLE_INFO[role].typical_agencies[0],
                region=faker.city(),
            )
            services.membership_grant(user=user, agency=agency, role=role)
        device = None
        if enrolled:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        return Member(user=user, password=password, device=device)

    return make


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@dataclass
class Ui:
    """What a person does in the shell, by element ids so the same steps work in every language."""

    page: Page
    axe_source: str
    base_url: str

    def open(self, path: str) -> None:
        self.page.goto(path)

    def submit_main_form(self) -> None:
        self.page.locator("main form button[type=submit]").first.click()
        self.page.wait_for_load_state()

    def switch_language(self, code: str) -> None:
        self.page.locator("#language-select").select_option(code)
        self.page.locator("form:has(#language-select) button[type=submit]").click()
        self.page.locator(f"html[lang='{code}']").wait_for(state="attached")
        self.page.wait_for_load_state()

    def enter_password(self, member: Member) -> None:
        self.page.locator("#id_username").fill(member.username)
        self.page.locator("#id_password").fill(member.password)
        self.submit_main_form()

    def enter_code(self, code: str) -> None:
        self.page.locator("#id_token").fill(code)
        self.submit_main_form()

    def sign_in(self, member: Member) -> None:
        """Password, then the authenticator's code when the member's roles ask for one."""
        self.open("/accounts/login/")
        self.enter_password(member)
        if member.user.needs_two_factor:
            self.enter_code(member.code())

    def enter(self, member: Member, path: str = "/", language: str | None = None) -> None:
        """Signed in without the login pages, then at `path`: the browser gets the cookie of a session in the
        state the real sign-in leaves it, the second factor verified (tests/sessions.py). For every test that
        is not about signing in; test_browser_sign_in.py signs in through the real pages. With `language`,
        also the cookie the language switcher leaves (the switcher itself: switch_language, walked in
        test_browser_accessibility.py, test_browser_casework.py and others), and the page is in it."""
        session_key = verified_session(member.user).session_key
        assert session_key is not None
        names = {django_settings.SESSION_COOKIE_NAME: session_key}
        if language is not None:
            names[django_settings.LANGUAGE_COOKIE_NAME] = language
        self.page.context.add_cookies(
            [{"name": name, "value": value, "url": self.base_url} for name, value in names.items()]
        )
        self.open(path)
        if language is not None:
            expect(self.page.locator("html")).to_have_attribute("lang", language)

    def sign_out(self) -> None:
        self.page.locator("header form[action$='/logout/'] button[type=submit]").click()
        self.page.wait_for_load_state()

    def wait_for_sections(self) -> None:
        """Every section of a case page fetched and in place (a section that failed stays pending)."""
        expect(self.page.locator("[data-section-pending]")).to_have_count(0)

    def open_case_form(self, case: Case, section: str) -> Locator:
        """As the case manager: the case page, its sections in place, and the first form of `section` (the
        note, in the notes) unfolded by keyboard; the form."""
        self.open(f"/cases/{case.reference}/")
        self.wait_for_sections()
        summary = self.page.locator(f"#section-{section} details.case-form summary").first
        summary.focus()
        summary.press("Enter")
        form = self.page.locator(f"#section-{section} form[aria-label]").first
        expect(form).to_be_visible()
        return form

    def heading(self) -> str:
        return self.page.locator("main h1").inner_text().strip()

    def axe_violations(self, impacts: set[str] | None = BLOCKING_IMPACTS) -> list[str]:
        """Serious and critical WCAG 2.1 A/AA violations (of every impact with `impacts=None`), one line each
        ('' when there are none)."""
        self.wait_for_sections()
        self.page.wait_for_load_state("load")  # stylesheets applied: colour contrast reads the real colours
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            # Only into a page that is checked: an init script would make every page of the profile parse
            # the half-megabyte script as it starts, and the journeys open many pages they do not check.
            self.page.evaluate(self.axe_source)
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        return [
            f"{violation['id']} ({violation['impact']}): "
            + "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
            for violation in result["violations"]
            if impacts is None or violation["impact"] in impacts
        ]


def notes_of_a_team_case(ui: Ui, make_staff: MakeStaff) -> Locator:
    """A case manager signed in, on a case of their agency's team, with the note form unfolded."""
    manager = make_staff(Role.CASE_MANAGER)
    manager.user.membership = manager.user.memberships.get()  # type: ignore[attr-defined]
    case = team_case(manager.user)
    ui.enter(manager, "/")
    return ui.open_case_form(case, "notes")


@pytest.fixture
def ui(page: Page, axe_source: str, live_server: object) -> Ui:
    return Ui(page=page, axe_source=axe_source, base_url=str(live_server))
