"""Every save confirmed, in a real Chromium, by keyboard only: the success banner takes focus where the person
was, in a case-page section HTMX swapped in (a note added) and on the page a save leads to; and a screening
walked from its start to its completion, step by step, in English and in Arabic (right to left), with
axe-core's WCAG 2.1 A/AA rules on every page of the walk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, expect

from palermo.accounts.roles import Role
from palermo.identification.loading import load_shipped
from palermo.identification.models import Dimension, Indicator, Instrument
from tests.cases.casework import team_case

from .conftest import notes_of_a_team_case

if TYPE_CHECKING:
    from .conftest import ConsoleLog, MakeStaff, Ui


def press(target: Locator, key: str = "Enter") -> None:
    """The keyboard only: focus the control (as Tab would), then press the key."""
    target.focus()
    expect(target).to_be_focused()
    target.press(key)


def test_a_note_added_in_its_section_is_confirmed_there(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog
) -> None:
    form = notes_of_a_team_case(ui, make_staff)
    page = ui.page
    section = page.locator("#section-notes")
    body = form.locator("textarea").first
    body.focus()
    page.keyboard.type("Called back; the person is safe.")
    press(form.locator("button[type=submit]"))
    banner = page.locator("#section-notes .app-notification-banner")
    expect(banner).to_be_visible()
    expect(banner).to_be_focused()  # not lost to <body>: the reader is still in the notes
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_contain_text("Note added")
    expect(section.locator(".note-body")).to_contain_text("Called back; the person is safe.")
    assert ui.axe_violations() == []
    assert console.csp_violations() == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_screening_walked_by_keyboard(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog, language: str
) -> None:
    load_shipped(Instrument, Dimension, Indicator)  # the live server's database is emptied between tests
    responder = make_staff(Role.FIRST_RESPONDER)
    responder.user.membership = responder.user.memberships.get()  # type: ignore[attr-defined]
    case = team_case(responder.user)
    ui.enter(responder, reverse("identification:screenings", args=[case.reference]))
    if language != "en":
        ui.switch_language(language)
    page = ui.page
    report: dict[str, list[str]] = {}
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    instrument = page.locator("#id_instrument")
    press(instrument, "ArrowDown")
    expect(instrument).not_to_have_value("")
    report["start"] = ui.axe_violations()
    press(page.locator("main form button[type=submit]").first)
    page.wait_for_load_state()

    # A page save: the next page's banner has focus.
    steps = 0
    while True:
        banner = page.locator("main .app-notification-banner")
        expect(banner).to_be_focused()
        caption = page.locator("#step-caption")
        if caption.count() == 0:
            break
        steps += 1
        expect(page.locator("progress")).to_have_attribute("value", str(steps))
        report[f"step {steps}"] = ui.axe_violations() if steps in (1, 6) else []
        if steps == 1:  # answer the first indicator: yes
            press(page.locator("main fieldset input[type=radio][value=yes]").first, "Space")
            expect(page.locator("main fieldset input[type=radio][value=yes]").first).to_be_checked()
        press(page.locator("main form button[type=submit]"))
        page.wait_for_load_state()
    assert steps == 6
    # Check your answers: completing with most unanswered asks first.
    expect(page.locator("main h1")).to_be_visible()
    report["check"] = ui.axe_violations()
    press(page.locator("main form button[type=submit]"))
    page.wait_for_load_state()
    warning = page.locator("#unanswered-warning")
    expect(warning).to_be_visible()
    expect(warning).to_be_focused()
    report["asked"] = ui.axe_violations()
    press(warning.locator("button[type=submit]"))
    page.wait_for_load_state()
    done = page.locator("main .app-notification-banner")
    expect(done).to_be_focused()
    expect(page.locator("main .list-group-item")).to_have_count(0)  # complete: read only
    report["complete"] = ui.axe_violations()
    problems = [f"{name}: {line}" for name, lines in report.items() for line in lines]
    assert not problems, "axe-core found blocking violations:\n" + "\n".join(problems)
    assert console.csp_violations() == []
