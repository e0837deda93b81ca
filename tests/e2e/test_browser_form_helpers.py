"""What every form does for the person filling it in, in a real Chromium, in English and in Arabic (right to
left), on a desktop and a phone: a text with a limit counts its characters (GOV.UK character count); leaving a
form with input not yet sent asks first; the referral saves its draft as it is typed; countries and languages
are chosen by keyboard from the accessible type-ahead; and no checkbox, radio or field lies under another
element (each takes a click where it is drawn). axe-core's WCAG 2.1 A/AA rules on each page, and no CSP
violation or script error."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from playwright.sync_api import Dialog, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from palermo.accounts.roles import Role
from palermo.cases.models import IntakeDraft
from palermo.core.iso import country_names, language_names
from palermo.residence.services.applications import ApplicationInput, application_lodge
from tests.cases.casework import team_case
from tests.residence.conftest import backdate

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Member, Ui

SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LANGUAGES = ["en", "ar"]
# app.js saves a referral this long after the last change when the form names no other pause
# (data-autosave-after); the tests that do not measure the shipped pause set a shorter one.
AUTOSAVE_PAUSE_MS = 2000
SHORT_AUTOSAVE_PAUSE_MS = 400
everywhere = pytest.mark.parametrize(
    ("language", "screen"), [(language, screen) for language in LANGUAGES for screen in SCREENS]
)

# Every visible control of the page's main part must be the element found at its own centre (or its label,
# or something inside either): otherwise another element covers it and takes its clicks.
COVERED_CONTROLS = """
() => {
  const problems = [];
  const controls = document.querySelectorAll(
    "main input:not([type=hidden]), main select, main textarea, main button"
  );
  for (const control of controls) {
    const box = control.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(control).visibility === "hidden") continue;
    control.scrollIntoView({block: "center", inline: "center", behavior: "instant"});
    const moved = control.getBoundingClientRect();
    const x = moved.left + moved.width / 2;
    const y = moved.top + moved.height / 2;
    const hit = document.elementFromPoint(x, y);
    const labels = [...(control.labels || [])];
    const fine = hit && (hit === control || control.contains(hit) || hit.contains(control)
      || labels.some((label) => label === hit || label.contains(hit)));
    if (!fine) {
      const what = hit ? `${hit.tagName.toLowerCase()}#${hit.id}.${hit.className}` : "nothing";
      problems.push((control.id || control.name || control.tagName) + " is under " + what);
    }
  }
  return problems;
}
"""


def start(ui: Ui, member: Member, language: str, screen: str, path: str = "/") -> Page:
    """Signed in at `path`, in `language` (as the switcher leaves it), on `screen`: the login pages and the
    switcher have tests of their own (test_browser_sign_in.py, test_browser_accessibility.py)."""
    ui.page.set_viewport_size(SCREENS[screen])
    ui.enter(member, path, language=None if language == "en" else language)
    return ui.page


def referral_form(ui: Ui, member: Member, language: str, screen: str) -> Page:
    return start(ui, member, language, screen, "/cases/intake/")


def responder(make_staff: MakeStaff) -> Member:
    member = make_staff(Role.FIRST_RESPONDER)
    make_staff(Role.IDENTIFICATION_AUTHORITY)  # somebody to refer to
    return member


def words(page: Page, selector: str, key: str) -> str:
    """A sentence of the page's language, as the template gave it to the script."""
    return str(page.locator(selector).first.get_attribute(f"data-{key}"))


def number(page: Page, value: int) -> str:
    """A number as the page's language writes it."""
    return str(page.evaluate("n => n.toLocaleString(document.documentElement.lang)", value))


def clean(console: ConsoleLog) -> None:
    assert console.csp_violations() == []
    assert console.errors() == []


@everywhere
def test_a_text_with_a_limit_counts_its_characters(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str, screen: str
) -> None:
    page = referral_form(ui, responder(make_staff), language, screen)
    field = page.locator("#id_contact_details")
    hint = page.locator("#id_contact_details_count")
    shown = page.locator("#id_contact_details_count ~ .app-character-count-message")
    told = page.locator("#id_contact_details_count_status")
    assert "id_contact_details_count" in str(field.get_attribute("aria-describedby"))
    assert field.get_attribute("maxlength") is None  # typing past the limit shows by how much
    many = words(page, "#id_contact_details_count", "remaining-many")
    expect(shown).to_have_text(many.replace("{n}", number(page, 5000)))
    field.click()
    page.keyboard.type("Seen at the port")
    left = 5000 - len("Seen at the port")
    english = f"You have {left:,} characters remaining"
    if language == "en":
        expect(shown).to_have_text(english)
    expect(told).to_have_attribute("aria-live", "polite")
    expect(told).not_to_be_empty()  # said to screen readers once the typing pauses
    assert told.inner_text() == shown.inner_text()
    assert hint.is_hidden() or "visually-hidden" in str(hint.get_attribute("class"))
    field.fill("x" * 5002)
    field.dispatch_event("input")
    expect(shown).to_have_text(
        words(page, "#id_contact_details_count", "over-many").replace("{n}", number(page, 2))
    )
    expect(field).to_have_class(re.compile(r"\bis-invalid\b"))
    field.fill("x" * 4000)
    field.dispatch_event("input")
    assert covered(page) == []
    assert ui.axe_violations() == []
    page.locator("button[value=save]").click()  # sending the form is not leaving it
    expect(page).to_have_url(re.compile(r"/cases/intake/drafts/\d+/$"))
    clean(console)


@everywhere
def test_leaving_a_form_with_input_not_sent_asks_first(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str, screen: str
) -> None:
    page = referral_form(ui, responder(make_staff), language, screen)
    # The draft would save itself and leaving would then be safe: here it waits.
    page.locator("form[data-autosave-status]").evaluate("form => { form.dataset.autosaveAfter = '600000'; }")
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    # Untouched: leaving asks nothing.
    page.reload()
    assert asked == []
    page.locator("#id_given_names").click()
    page.keyboard.type("Amira")
    with pytest.raises(PlaywrightError):  # the reader stays: the navigation does not happen
        page.goto("/cases/intake/drafts/", timeout=3000)
    assert asked == ["beforeunload"]
    expect(page.locator("#id_given_names")).to_have_value("Amira")
    page.remove_listener("dialog", answer)
    # Sending the form is no leaving.
    page.on("dialog", answer)
    page.locator("button[value=save]").click()
    expect(page).to_have_url(re.compile(r"/cases/intake/drafts/\d+/$"))
    assert asked == ["beforeunload"]
    assert ui.axe_violations() == []
    clean(console)


@everywhere
def test_the_referral_saves_its_draft_as_it_is_typed(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str, screen: str
) -> None:
    member = responder(make_staff)
    page = referral_form(ui, member, language, screen)
    form = page.locator("form[data-autosave-status]")
    # The pause app.js ships with in one variant; a shorter one, set as a form may set it, in the others.
    pause = AUTOSAVE_PAUSE_MS if (language, screen) == ("en", "desktop") else SHORT_AUTOSAVE_PAUSE_MS
    if pause != AUTOSAVE_PAUSE_MS:
        form.evaluate("(form, pause) => { form.dataset.autosaveAfter = String(pause); }", pause)
    assert form.get_attribute("data-autosave-after") in (None, str(pause))
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("aria-live", "polite")
    page.wait_for_timeout(pause + 500)  # an untouched form is not saved, well past the pause
    assert not IntakeDraft.objects.filter(created_by=member.user).exists()
    expect(status).to_be_empty()
    typing = time.monotonic()
    page.locator("#id_given_names").click()
    page.keyboard.type("Amira")
    page.locator("#id_family_names").click()  # the change is complete
    expect(status).not_to_be_empty(timeout=8000)
    # Not at once: a save waits for the pause after the last change.
    assert (time.monotonic() - typing) * 1000 >= pause
    draft = IntakeDraft.objects.get(created_by=member.user)
    saved = timezone.localtime(draft.updated_at).strftime("%H:%M")
    if language == "en":
        expect(status).to_have_text(f"Draft saved at {saved}")
    expect(page).to_have_url(re.compile(rf"/cases/intake/drafts/{draft.pk}/$"))
    first_version = draft.version
    page.keyboard.type("Haddad")
    page.locator("#id_phone").click()
    page.wait_for_function(
        f"() => document.querySelector('input[name=version]').value !== '{first_version}'", timeout=8000
    )
    draft.refresh_from_db()
    assert draft.version > first_version
    assert IntakeDraft.objects.filter(created_by=member.user).count() == 1
    # Saved: leaving asks nothing any more.
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    ui.open("/cases/intake/drafts/")
    assert asked == []
    page.go_back()
    expect(page.locator("#id_family_names")).to_have_value("Haddad")
    assert ui.axe_violations() == []
    clean(console)


def test_saving_the_draft_while_it_saves_itself_keeps_one_draft(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog
) -> None:
    """The responder presses Save draft while the form is still saving itself: the button waits for that
    save and goes on from the draft it made, so there is one draft and no conflict with one's own save."""
    member = responder(make_staff)
    page = referral_form(ui, member, "en", "desktop")
    form = page.locator("form[data-autosave-status]")
    form.evaluate("(form, pause) => { form.dataset.autosaveAfter = String(pause); }", SHORT_AUTOSAVE_PAUSE_MS)
    held: list[Route] = []  # the form's own save is slow to answer

    def hold_the_first_autosave(route: Route) -> None:
        own_save = route.request.headers.get("accept") == "application/json"
        if own_save and not held:
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r"/cases/intake/"), hold_the_first_autosave)
    page.locator("#id_given_names").fill("Amira")
    with page.expect_request(lambda request: request.headers.get("accept") == "application/json"):
        page.locator("#id_family_names").click()
    page.locator("button[value=save]").click()
    page.wait_for_timeout(300)
    assert page.url.endswith("/cases/intake/")  # the button waits for the save on its way
    held[0].continue_()

    expect(page).to_have_url(re.compile(r"/cases/intake/drafts/\d+/$"))
    expect(page.locator("#id_given_names")).to_have_value("Amira")
    draft = IntakeDraft.objects.get(created_by=member.user)
    assert page.url.endswith(f"/cases/intake/drafts/{draft.pk}/")
    assert draft.version > 1  # made by the form's own save, then saved by the button
    clean(console)


@everywhere
def test_countries_and_languages_are_chosen_by_keyboard(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str, screen: str
) -> None:
    page = referral_form(ui, responder(make_staff), language, screen)
    names = country_names(language)  # as the reader reads them
    ukraine, nigeria = names["UKR"], names["NGA"]
    ukrainian = language_names(language)["ukr"]
    # One language: the list becomes a type-ahead with the field's label; the list is what is sent.
    page.locator("label[for=id_primary_language]").click()
    expect(page.locator("#id_primary_language")).to_be_focused()
    page.keyboard.type(ukrainian[:6])
    expect(page.locator("#id_primary_language__listbox")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_primary_language-select").input_value() == "ukr"
    # Several countries: each added from the type-ahead, shown in a list with its Remove button.
    page.locator("#id_citizenships").focus()
    page.keyboard.type(ukraine[:5])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    chosen = page.locator("#id_citizenships-select + .app-type-ahead-multiple .app-chosen li")
    expect(chosen).to_have_count(1)
    expect(chosen.first).to_contain_text(ukraine)
    page.keyboard.type(nigeria)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(chosen).to_have_count(2)
    selected = page.locator("#id_citizenships-select").evaluate(
        "select => [...select.selectedOptions].map(option => option.value)"
    )
    assert sorted(selected) == ["NGA", "UKR"]
    for _step in range(4):  # back through the Remove buttons to the first country's
        page.keyboard.press("Shift+Tab")
        if ukraine in page.evaluate("document.activeElement.textContent"):
            break
    assert ukraine in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    expect(chosen).to_have_count(1)
    selected = page.locator("#id_citizenships-select").evaluate(
        "select => [...select.selectedOptions].map(option => option.value)"
    )
    assert selected == ["NGA"]
    assert ui.axe_violations() == []
    page.locator("button[value=save]").click()
    expect(page).to_have_url(re.compile(r"/cases/intake/drafts/\d+/$"))
    expect(chosen).to_have_count(1)
    expect(page.locator("#id_primary_language")).to_have_value(
        re.compile("Ukrainian|الأوكرانية|Українська|ukr")
    )
    clean(console)


def click_every_choice(page: Page, root: str) -> int:
    """Clicks each checkbox and radio where it is drawn (not through its label), as a person would; each
    must then be checked. Returns how many there were."""
    boxes = page.locator(f"{root} input[type=checkbox]:visible, {root} input[type=radio]:visible")
    count = boxes.count()
    for index in range(count):
        box = boxes.nth(index)
        box.scroll_into_view_if_needed()
        area = box.bounding_box()
        assert area is not None
        page.mouse.click(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
        assert box.is_checked(), f"{box.get_attribute('id')} did not take the click"
    return count


def covered(page: Page) -> list[str]:
    return list(page.evaluate(COVERED_CONTROLS))


@everywhere
def test_the_best_interest_roles_take_a_click(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str, screen: str
) -> None:
    manager = make_staff(Role.CASE_MANAGER)
    manager.user.membership = manager.user.memberships.get()  # type: ignore[attr-defined]
    case = team_case(manager.user, is_child=True)
    page = start(ui, manager, language, screen, f"/children/{case.reference}/best-interest/")
    form = "main form"
    expect(page.locator(form).first).to_be_visible()
    assert click_every_choice(page, form) >= 4
    assert covered(page) == []
    assert ui.axe_violations() == []
    clean(console)


@everywhere
def test_the_residence_decision_s_radios_take_a_click(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str, screen: str
) -> None:
    manager = make_staff(Role.CASE_MANAGER)
    manager.user.membership = manager.user.memberships.get()  # type: ignore[attr-defined]
    case = backdate(team_case(manager.user))
    application = application_lodge(
        actor=manager.user,
        membership=manager.user.membership,  # type: ignore[attr-defined]
        case=case,
        data=ApplicationInput(kind="temporary", authority="Immigration Office"),
    )
    page = start(ui, manager, language, screen, f"/residence/{case.reference}/applications/{application.pk}/")
    for summary in page.locator("main details > summary").all():
        summary.click()
    form = "main form:has(input[name$=outcome])"
    expect(page.locator(form)).to_be_visible()
    assert click_every_choice(page, form) >= 2
    assert covered(page) == []
    assert ui.axe_violations() == []
    clean(console)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_no_field_of_the_forms_lies_under_another_element(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, screen: str
) -> None:
    """The generic check, over the pages with forms a case manager uses: the case page with each of its forms
    unfolded, the areas' own pages of forms (the referral form is checked with its character count)."""
    manager = make_staff(Role.CASE_MANAGER)
    manager.user.membership = manager.user.memberships.get()  # type: ignore[attr-defined]
    case = backdate(team_case(manager.user, is_child=True))
    page = start(ui, manager, "en", screen, f"/cases/{case.reference}/")
    problems: dict[str, list[str]] = {}
    ui.wait_for_sections()
    for summary in page.locator("main details > summary").all():
        if summary.is_visible():
            summary.click()
    problems["case page"] = covered(page)
    for slug in ("best-interest",):
        ui.open(f"/children/{case.reference}/{slug}/")
        problems[slug] = covered(page)
    ui.open("/cases/search/")
    problems["search"] = covered(page)
    found = {name: items for name, items in problems.items() if items}
    assert not found, found
    clean(console)
