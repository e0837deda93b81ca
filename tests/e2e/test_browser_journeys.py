"""The whole journey of a case through the roles, in a real Chromium, each role in a browser session of
its own: the first responder refers a person through the referral form; the identification authority finds
the case in "Decisions due" and takes a positive presumed victim decision; the agencies the routing rules name
(migration, NGO, legal aid) join the team and their members read a notice (the unread count in the header,
the notices page); the NGO's case manager records the consent and refers the person to a shelter's service;
the shelter's service provider opens the notice and accepts; the case manager is told; the migration officer
lodges and decides a residence application. And a child's journey: the guardianship service joins a child's
case and the guardian, told, opens it. A keyboard-only walk of the referral form and the decision form.

Run in English at 1280 px and in Arabic (right to left) at 390 px: the full language-by-width matrix would
double a run of about a minute for nothing the two pairs do not already cover. axe-core's WCAG 2.1 A/AA
rules on every page walked, with no violation of any impact. The set-up (agencies, staff, the shelter's
service) goes through the services; everything the roles do goes through the pages.

With PALERMO_GUIDE_SCREENSHOTS=1 (`make guide`), the English walk saves full-page pictures of its pages into
docs/guide/images/ under stable names, for the user guide (docs/guide/)."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from palermo.accounts import services
from palermo.accounts.models import Agency
from palermo.accounts.roles import AgencyType, Role
from palermo.assistance.models import ServiceKind
from palermo.assistance.services.directory import ServiceData, service_create
from palermo.cases.models import Case
from tests.worker import IMMEDIATE_TASKS

from .conftest import REPO_DIR, ConsoleLog, Member, Ui
from .test_browser_accessibility import check_page

if TYPE_CHECKING:
    from pytest_django import Settings

REGION = "North"
SCREENS = {"en": {"width": 1280, "height": 900}, "ar": {"width": 390, "height": 844}}
GUIDE_IMAGES = REPO_DIR / "docs" / "guide" / "images"
MAX_PICTURE = 200_000  # bytes: a picture larger than this is saved as a JPEG instead
REFERENCE = re.compile(r"/cases/(NRM-[0-9A-Z]{4}-[0-9A-Z]{4})/$")


def guide_pictures(language: str) -> bool:
    return language == "en" and os.environ.get("PALERMO_GUIDE_SCREENSHOTS", "") not in ("", "0")


@dataclass
class Cast:
    """The agencies of one region and one member of each role the journey needs."""

    responder: Member
    authority: Member
    manager: Member
    migration: Member
    lawyer: Member
    provider: Member
    guardian: Member
    service_id: int


def staff_of(agency: Agency, role: Role, faker: Faker) -> Member:
    """A member of `agency` in `role`, with an authenticator and an address."""
    password = secrets.token_urlsafe(18)
    user = services.user_create(
        username=faker.unique.user_name(),
        password=password,
        first_name=faker.first_name(),
        last_name=faker.last_name(),
        email=faker.unique.safe_email(),
    )
    services.membership_grant(user=user, agency=agency, role=role)
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return Member(user=user, password=password, device=device)


def cast(faker: Faker) -> Cast:
    def agency(kind: AgencyType) -> Agency:
        return services.agency_create(name=faker.unique.company(), type=kind, region=REGION)

    police, authority, ngo = (
        agency(AgencyType.POLICE),
        agency(AgencyType.SOCIAL_SERVICES),
        agency(AgencyType.NGO),
    )
    migration, legal_aid = agency(AgencyType.MIGRATION), agency(AgencyType.LEGAL_AID)
    shelter, guardianship = agency(AgencyType.SHELTER), agency(AgencyType.GUARDIANSHIP)
    provider = staff_of(shelter, Role.SERVICE_PROVIDER, faker)
    service = service_create(
        actor=provider.user,
        membership=provider.user.memberships.get(),
        agency=shelter,
        data=ServiceData(
            kind=ServiceKind.SAFE_ACCOMMODATION,
            name=f"{faker.city()} safe house",
            capacity=4,
            languages=["ara", "eng"],
            regions=[REGION],
            contact=faker.phone_number(),
        ),
    )
    return Cast(
        responder=staff_of(police, Role.FIRST_RESPONDER, faker),
        authority=staff_of(authority, Role.IDENTIFICATION_AUTHORITY, faker),
        manager=staff_of(ngo, Role.CASE_MANAGER, faker),
        migration=staff_of(migration, Role.MIGRATION_OFFICER, faker),
        lawyer=staff_of(legal_aid, Role.CASE_MANAGER, faker),
        provider=provider,
        guardian=staff_of(guardianship, Role.GUARDIAN, faker),
        service_id=service.pk,
    )


class Walk:
    """One language and one width: a session per role, each page checked with axe-core (every impact)."""

    def __init__(self, browser: Browser, base_url: str, axe_source: str, language: str) -> None:
        self.browser, self.base_url, self.axe_source, self.language = browser, base_url, axe_source, language
        self.found: dict[str, list[str]] = {}
        self.console = ConsoleLog()
        self.pictures = guide_pictures(language)
        self._contexts: list[BrowserContext] = []

    def session(self, member: Member, path: str = "/") -> Ui:
        """A browser profile of its own for `member`, signed in, in the walk's language (as the language
        switcher leaves it) and width, at `path`."""
        context = self.browser.new_context(
            base_url=self.base_url, locale="en-GB", viewport=SCREENS[self.language]
        )
        context.set_default_timeout(10_000)
        self._contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: self.console.messages.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.console.messages.append(f"pageerror: {error}"))
        ui = Ui(page=page, axe_source=self.axe_source, base_url=self.base_url)
        ui.enter(member, path, language=None if self.language == "en" else self.language)
        return ui

    def close(self) -> None:
        for context in self._contexts:
            context.close()

    def check(self, ui: Ui, name: str, picture: str = "") -> None:
        """The page's language, direction and stylesheet, every axe-core violation of any impact; and, for the
        guide, its picture."""
        expect(ui.page.locator("main h1")).to_have_count(1)
        check_page(ui, self.language, self.found, name, impacts=None)  # one axe run, every impact
        if picture and self.pictures:
            save_picture(ui.page, picture)

    def problems(self) -> list[str]:
        return [f"{name}: {problem}" for name, problems in self.found.items() for problem in problems]


def every_violation(ui: Ui) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations of every impact (minor and moderate too), one line each."""
    return ui.axe_violations(impacts=None)


def save_picture(page: Page, name: str) -> None:
    """A full-page PNG under a stable name; a JPEG, at the best quality that keeps it small, when the PNG
    would be too large (a long page)."""
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    png, jpeg = GUIDE_IMAGES / f"{name}.png", GUIDE_IMAGES / f"{name}.jpg"
    options = {"full_page": True, "animations": "disabled", "caret": "hide"}
    png.write_bytes(page.screenshot(type="png", **options))  # type: ignore[arg-type]
    if png.stat().st_size <= MAX_PICTURE:
        jpeg.unlink(missing_ok=True)
        return
    png.unlink()
    for quality in (70, 55, 40):
        picture = page.screenshot(type="jpeg", quality=quality, **options)  # type: ignore[arg-type]
        if len(picture) <= MAX_PICTURE:
            break
    else:  # a very long page: its top, as the reader first sees it
        picture = page.screenshot(type="jpeg", quality=70, animations="disabled", caret="hide")
    jpeg.write_bytes(picture)


@pytest.fixture
def walk(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: object,
    transactional_db: None,
    plain_static_urls: None,
    axe_source: str,
    settings: Settings,
) -> Iterator[Walk]:
    settings.TASKS = IMMEDIATE_TASKS  # notices are written as the change commits, as the worker would
    settings.PALERMO_SITE_URL = str(live_server)
    language = request.param
    journey = Walk(browser, str(live_server), axe_source, language)
    try:
        yield journey
    finally:
        journey.close()


def send(ui: Ui, button: Locator | None = None) -> None:
    """Press the form's button and wait for the page it leads to."""
    (button or ui.page.locator("main form button[type=submit]").first).click()
    ui.page.wait_for_load_state()


def choose(select: Locator, value: str) -> None:
    """A country or language chosen by its code: the type-ahead's words are the page's language, and what it
    sends is the list under it, which this sets as choosing from the type-ahead does."""
    select.evaluate(
        "(select, value) => { for (const o of select.options) { if (o.value === value) o.selected = true; }"
        " select.dispatchEvent(new Event('change', {bubbles: true})); }",
        value,
    )


def refer(ui: Ui, walk: Walk, *, child: bool, picture: str = "") -> str:
    """The first responder's referral form, filled in and sent: the new case's reference."""
    page = ui.page
    ui.open("/cases/intake/")
    walk.check(ui, f"referral form ({'child' if child else 'adult'})", picture)
    page.fill("#id_given_names", "Amira" if not child else "Yara")
    page.fill("#id_family_names", "Haddad" if not child else "Mansour")
    page.fill("#id_birth_year", "1998" if not child else "2014")
    page.select_option("#id_birth_month", "4")
    page.fill("#id_birth_day", "12")
    choose(page.locator("select[name=citizenships]"), "SYR")
    choose(page.locator("select[name=primary_language]"), "ara")
    page.select_option("#id_gender", index=1)
    page.select_option("#id_contact_channel", "hotline")
    page.check("#id_exploitation_forms_0")
    page.check("#id_consent_given")
    page.check("#id_consent_given_by_0")
    choose(page.locator("select[name=consent_language]"), "ara")
    send(ui, page.locator("button[value=submit]"))
    expect(page).to_have_url(REFERENCE)
    walk.check(ui, f"new case ({'child' if child else 'adult'})", picture and f"{picture}-sent")
    found = REFERENCE.search(page.url)
    assert found is not None
    return found[1]


def told(ui: Ui, walk: Walk, reference: str, name: str, picture: str = "", *, open_it: bool = True) -> None:
    """The header counts an unread notice; the notices page lists it, about the case; Open leads there."""
    page = ui.page
    ui.open("/")
    badge = page.locator("header a.app-notices .badge")
    expect(badge).to_be_visible()
    assert int(re.sub(r"\D", "", badge.inner_text().translate(ARABIC_DIGITS)) or 0) >= 1
    page.locator("header a.app-notices").click()
    page.wait_for_load_state()
    notice = page.locator("main li.list-group-item-info", has_text=reference).first
    expect(notice).to_be_visible()
    walk.check(ui, f"notices of {name}", picture)
    if open_it:
        send(ui, notice.locator("button[name=open]"))


ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@pytest.mark.parametrize("walk", ["en", "ar"], indirect=True)
def test_a_case_walked_through_every_role(walk: Walk, faker: Faker) -> None:
    people = cast(faker)

    # The first responder refers the person.
    responder = walk.session(people.responder)
    walk.check(responder, "first responder's home", "first-responder-home")
    reference = refer(responder, walk, child=False, picture="first-responder-referral")
    case = Case.objects.get(reference=reference)

    # The identification authority: told, and the case is in "Decisions due".
    authority = walk.session(people.authority)
    told(authority, walk, reference, "identification authority", open_it=False)
    authority.open("/")
    page = authority.page
    expect(page.locator("#panel-awaiting")).to_have_count(1)
    row = page.locator("main table", has_text=reference).first
    expect(row).to_be_visible()
    walk.check(authority, "identification authority's home", "identification-authority-home")
    row.locator(f"a[href*='{reference}/decisions/']").last.click()  # "Decide"
    page.wait_for_load_state()
    walk.check(authority, "decision form", "identification-authority-decision")
    form = page.locator("main form:has(button[type=submit]):has([name=outcome])").first
    form.locator("input[name=kind][value=presumed]").check()
    form.locator("input[name=outcome][value=positive]").check()
    form.locator("input[name=grounds]").first.check()
    form.locator("textarea[name=reasons]").fill("Indicators of forced labour confirmed at the interview.")
    send(authority, form.locator("button[type=submit]"))
    expect(page.locator("main .app-notification-banner")).to_be_visible()
    walk.check(authority, "decision recorded", "identification-authority-decided")

    # The agencies the routing rules name are on the team, and their members are told.
    joined = set(case.team_members.values_list("agency__type", flat=True))
    assert {AgencyType.MIGRATION, AgencyType.NGO, AgencyType.LEGAL_AID} <= joined, joined
    lawyer = walk.session(people.lawyer)
    told(lawyer, walk, reference, "legal aid")
    migration = walk.session(people.migration)
    told(migration, walk, reference, "migration officer", "migration-officer-notices")
    manager = walk.session(people.manager)
    walk.check(manager, "case manager's home", "case-manager-home")
    told(manager, walk, reference, "case manager", "case-manager-notices")
    expect(manager.page).to_have_url(REFERENCE)
    walk.check(manager, "case page", "case-manager-case")

    # The case manager records the person's consent to the shelter, then refers them to its service.
    page = manager.page
    shelter = people.provider.user.memberships.get().agency
    manager.open(f"/cases/{reference}/forms/consent/")
    walk.check(manager, "consent form")
    form = page.locator("main form:has([name$=purpose])")
    form.locator("[name$=purpose]").select_option("referral")
    form.locator("[name$=recipient_agency]").select_option(str(shelter.pk))
    form.locator("input[name$=given_by]").first.check()
    choose(form.locator("select[name$=language]"), "ara")
    send(manager, form.locator("button[type=submit]"))
    expect(page.locator("main .app-notification-banner")).to_be_visible()
    manager.open(f"/cases/{reference}/forms/assistance-referral/")
    walk.check(manager, "referral to a service", "case-manager-referral")
    form = page.locator("main form:has([name$=service])")
    form.locator("[name$=service]").select_option(str(people.service_id))
    send(manager, form.locator("button[type=submit]"))
    expect(page.locator("main .app-notification-banner")).to_be_visible()
    walk.check(manager, "referral sent")

    # The service provider is told, opens the referral and accepts it.
    provider = walk.session(people.provider)
    walk.check(provider, "service provider's home", "service-provider-home")
    told(provider, walk, reference, "service provider", "service-provider-notices")
    page = provider.page
    walk.check(provider, "the referral", "service-provider-referral")
    send(provider, page.locator("main form[action$='/accept/'] button[type=submit]"))
    expect(page.locator("main .app-notification-banner")).to_be_visible()
    walk.check(provider, "referral accepted", "service-provider-accepted")

    # The case manager is told of the acceptance.
    told(manager, walk, reference, "case manager, the answer")
    expect(manager.page).to_have_url(REFERENCE)

    # The migration officer lodges the residence application and decides it.
    page = migration.page
    walk.check(migration, "migration officer's case page")
    migration.open(f"/cases/{reference}/forms/residence-lodge/")
    walk.check(migration, "residence application form", "migration-officer-application")
    form = page.locator("main form:has([name$=authority])")
    form.locator("[name$=kind]").select_option("temporary")
    form.locator("[name$=authority]").fill("Immigration Office")
    send(migration, form.locator("button[type=submit]"))
    expect(page.locator("main .app-notification-banner")).to_be_visible()
    application = case.residence_applications.get()
    migration.open(f"/residence/{reference}/applications/{application.pk}/")
    for summary in page.locator("main details > summary").all():
        summary.click()
    walk.check(migration, "the application", "migration-officer-decision")
    form = page.locator("main form:has(input[name$=outcome])")
    form.locator("input[name$=outcome][value=granted]").check()
    form.locator("textarea[name$=reasons]").fill("Presumed victim; the reflection period is running.")
    send(migration, form.locator("button[type=submit]"))
    expect(page.locator("main .app-notification-banner")).to_be_visible()
    walk.check(migration, "application decided", "migration-officer-decided")
    application.refresh_from_db()
    assert application.status == "granted"

    problems = walk.problems()
    assert not problems, "axe-core found violations:\n" + "\n".join(problems)
    assert walk.console.csp_violations() == [] and walk.console.errors() == []


@pytest.mark.parametrize("walk", ["en", "ar"], indirect=True)
def test_a_child_s_case_brings_the_guardian(walk: Walk, faker: Faker) -> None:
    people = cast(faker)
    responder = walk.session(people.responder)
    reference = refer(responder, walk, child=True)
    case = Case.objects.get(reference=reference)
    assert case.is_child
    assert case.team_members.filter(agency__type=AgencyType.GUARDIANSHIP).exists()

    guardian = walk.session(people.guardian)
    walk.check(guardian, "guardian's home", "guardian-home")
    told(guardian, walk, reference, "guardian", "guardian-notices")
    expect(guardian.page).to_have_url(REFERENCE)
    walk.check(guardian, "the child's case", "guardian-case")

    problems = walk.problems()
    assert not problems, "axe-core found violations:\n" + "\n".join(problems)
    assert walk.console.csp_violations() == [] and walk.console.errors() == []


@pytest.mark.parametrize("walk", ["en", "ar"], indirect=True)
def test_the_roles_beside_the_cases(walk: Walk, faker: Faker) -> None:
    """The agency administrator, the data protection officer and the rapporteur: their home pages and the page
    each goes to next, after a case was referred (so there is something to count and to audit)."""
    people = cast(faker)
    responder = walk.session(people.responder)
    refer(responder, walk, child=False)
    ngo = people.manager.user.memberships.get().agency
    rapporteurs = services.agency_create(name=faker.unique.company(), type=AgencyType.RAPPORTEUR)

    admin = walk.session(staff_of(ngo, Role.AGENCY_ADMINISTRATOR, faker))
    walk.check(admin, "agency administrator's home", "agency-administrator-home")
    admin.open(f"/accounts/administration/agencies/{ngo.pk}/")
    expect(admin.page.locator("main")).to_contain_text(people.manager.user.last_name)
    walk.check(admin, "the agency's staff", "agency-administrator-staff")
    admin.open(f"/accounts/administration/agencies/{ngo.pk}/invite/")
    walk.check(admin, "an invitation", "agency-administrator-invite")

    officer = walk.session(staff_of(ngo, Role.DATA_PROTECTION_OFFICER, faker))
    walk.check(officer, "data protection officer's home", "data-protection-officer-home")
    officer.open("/audit/")
    expect(officer.page.locator("main table")).not_to_have_count(0)
    walk.check(officer, "the audit log", "data-protection-officer-audit")

    rapporteur = walk.session(staff_of(rapporteurs, Role.RAPPORTEUR, faker))
    walk.check(rapporteur, "rapporteur's home", "rapporteur-home")
    rapporteur.open("/assistance/quality/")
    walk.check(rapporteur, "quality of services", "rapporteur-quality")

    problems = walk.problems()
    assert not problems, "axe-core found violations:\n" + "\n".join(problems)
    assert walk.console.csp_violations() == [] and walk.console.errors() == []


# --- by keyboard alone ---

FOCUSED = "selector => !!document.activeElement && document.activeElement.matches(selector)"


def tab_to(page: Page, selector: str, *, back: bool = False, limit: int = 150) -> None:
    """Tab (or Shift+Tab) until the control `selector` has the focus, as a person moving through the page."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        if page.evaluate(FOCUSED, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {selector}")


def key_in(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def pick(page: Page, selector: str, text: str) -> None:
    """A type-ahead: type, go down to the first suggestion, take it."""
    key_in(page, selector, text)
    expect(page.locator(f"{selector}__listbox")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def test_the_referral_and_the_decision_by_keyboard_alone(
    ui: Ui, faker: Faker, console: ConsoleLog, settings: Settings
) -> None:
    """No click: Tab and Shift+Tab to move, typing into fields, arrow keys in lists and radios, Space to tick,
    Enter to follow a link or send a form. English, 1280 px."""
    settings.TASKS = IMMEDIATE_TASKS
    people = cast(faker)
    page = ui.page
    ui.enter(people.responder, "/cases/intake/")
    key_in(page, "#id_given_names", "Amira")
    key_in(page, "#id_family_names", "Haddad")
    key_in(page, "#id_birth_year", "1998")
    tab_to(page, "#id_birth_month")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_birth_month")).not_to_have_value("")
    key_in(page, "#id_birth_day", "12")
    pick(page, "#id_citizenships", "Syria")
    expect(page.locator("select[name=citizenships] option:checked")).to_have_count(1)
    pick(page, "#id_primary_language", "Arabic (ara)")
    expect(page.locator("select[name=primary_language]")).to_have_value("ara")
    tab_to(page, "#id_gender")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_gender")).not_to_have_value("")
    tab_to(page, "#id_contact_channel")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_contact_channel")).not_to_have_value("")
    tab_to(page, "#id_exploitation_forms_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_exploitation_forms_0")).to_be_checked()
    tab_to(page, "#id_consent_given")
    page.keyboard.press("Space")
    tab_to(page, "[name=consent_given_by]")
    page.keyboard.press("Space")
    expect(page.locator("#id_consent_given_by_0")).to_be_checked()
    pick(page, "#id_consent_language", "Arabic (ara)")
    # Back up to check the tick is still there, then on to the button.
    tab_to(page, "#id_consent_given", back=True)
    expect(page.locator("#id_consent_given")).to_be_checked()
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(REFERENCE)
    found = REFERENCE.search(page.url)
    assert found is not None
    reference = found[1]
    assert every_violation(ui) == []
    ui.page.context.clear_cookies()

    # The identification authority: from "Decisions due" to the decision, by keyboard.
    ui.enter(people.authority, "/")
    tab_to(page, f"main a.btn[href*='{reference}/decisions/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{reference}/decisions/$"))
    tab_to(page, "main input[name=kind]")
    if not page.locator("main input[name=kind][value=presumed]").is_checked():
        page.keyboard.press("Space")
    expect(page.locator("main input[name=kind][value=presumed]")).to_be_checked()
    tab_to(page, "main input[name=outcome]")
    page.keyboard.press("Space")  # the first outcome: positive
    expect(page.locator("main input[name=outcome][value=positive]")).to_be_checked()
    page.keyboard.press("ArrowDown")  # the arrow keys move within the group
    expect(page.locator("main input[name=outcome][value=negative]")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.locator("main input[name=outcome][value=positive]")).to_be_checked()
    tab_to(page, "main input[name=grounds]")
    page.keyboard.press("Space")
    key_in(page, "main textarea[name=reasons]", "Indicators of forced labour confirmed at the interview.")
    tab_to(page, "main form:has(input[name=outcome]) button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    banner = page.locator("main .app-notification-banner")
    expect(banner).to_be_visible()
    expect(banner).to_be_focused()
    assert Case.objects.get(reference=reference).team_members.filter(agency__type=AgencyType.NGO).exists()
    assert every_violation(ui) == []
    assert console.csp_violations() == [] and console.errors() == []
