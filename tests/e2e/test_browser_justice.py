"""Protection in proceedings in a real Chromium: the protection officer records a risk assessment, the
prosecutor records proceedings under identity non-disclosure, schedules a hearing, asks for a protective
measure and records the court putting the hearing off to another day, the case manager records the person's
informed choices and sees the checklist; the migration officer on the same team is answered "not found".
axe-core's WCAG 2.1 A/AA rules on every page walked (English at 1280 px; the area page again in Arabic at
390 px), with no serious or critical violation."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from palermo.accounts.roles import Role
from tests.cases.casework import put_on_team, team_case

from .conftest import ConsoleLog, MakeStaff, Ui


def _open_form(ui: Ui, label: str) -> None:
    summary = ui.page.locator("details > summary", has_text=label).first
    summary.focus()
    summary.press("Enter")


def _submit(ui: Ui, label: str) -> None:
    ui.page.locator(f'form[aria-label="{label}"] button[type=submit]').click()
    ui.page.wait_for_load_state()


def test_protection_in_proceedings_journey(ui: Ui, make_staff: MakeStaff, console: ConsoleLog) -> None:
    manager = make_staff(Role.CASE_MANAGER)
    prosecutor = make_staff(Role.INVESTIGATOR)
    protector = make_staff(Role.PROTECTION_OFFICER)
    officer = make_staff(Role.MIGRATION_OFFICER)
    for member in (manager, prosecutor, protector, officer):
        member.user.membership = member.user.memberships.get()  # type: ignore[attr-defined]
    case = team_case(manager.user)
    for member in (prosecutor, protector, officer):
        put_on_team(case, member.user)
    area = f"/justice/{case.reference}/"
    found: dict[str, list[str]] = {}

    ui.enter(protector, "/")
    ui.open(area)
    _open_form(ui, "Record a risk assessment")
    ui.page.locator("#id_risk_trigger").select_option("initial")
    ui.page.locator("#id_risk_overall_level_2").check()
    ui.page.locator("#id_risk_retaliation_level").select_option("high")
    ui.page.locator("#id_risk_retaliation_reasons").fill("Threats relayed by a cousin")
    _submit(ui, "Record a risk assessment")
    expect(ui.page.locator("#risk")).to_contain_text("High")
    found["risk"] = ui.axe_violations()

    ui.page.context.clear_cookies()
    ui.enter(prosecutor, area)
    _open_form(ui, "Record proceedings")
    ui.page.locator("#id_proceeding_kind").select_option("criminal")
    ui.page.locator("#id_proceeding_authority").fill("Court of Examplia")
    ui.page.locator("#id_proceeding_role").select_option("witness")
    ui.page.locator("#id_proceeding_charges_0").check()
    ui.page.locator("#id_proceeding_identity_withheld").check()
    ui.page.locator("#id_proceeding_pseudonym").fill("Witness K")
    _submit(ui, "Record proceedings")
    ui.page.locator("#proceedings table a").first.click()
    ui.page.wait_for_load_state()
    _open_form(ui, "Schedule a hearing")
    day = timezone.localdate() + datetime.timedelta(days=21)
    ui.page.locator("#id_hearing_held_on").fill(day.isoformat())
    ui.page.locator("#id_hearing_court").fill("Room 4")
    _submit(ui, "Schedule a hearing")
    _open_form(ui, "Ask for a protective measure")
    ui.page.locator("form[aria-label='Ask for a protective measure'] select").select_option("video_link")
    _submit(ui, "Ask for a protective measure")
    expect(ui.page.locator("main")).to_contain_text("Testimony by audio-video link")
    # The court puts the hearing off: the new day and why, the measure asked staying with it.
    _open_form(ui, "The hearing was put off to another day")
    later = day + datetime.timedelta(days=35)
    ui.page.locator("[id^=id_adjourn][id$=_to_day]").fill(later.isoformat())
    ui.page.locator("[id^=id_adjourn][id$=_reason]").select_option("interpreter")
    _submit(ui, "The hearing was put off to another day")
    expect(ui.page.locator("main")).to_contain_text("Hearing put off to its new day")
    expect(ui.page.locator("main article")).to_contain_text("No interpreter was available")
    expect(ui.page.locator(f"main article time[datetime='{later.isoformat()}']")).to_be_visible()
    expect(ui.page.locator("main article")).to_contain_text("Testimony by audio-video link")
    found["proceeding"] = ui.axe_violations()

    ui.page.context.clear_cookies()
    ui.enter(manager, area)
    _open_form(ui, "Record the person's choices")
    # The language picked from the type-ahead, as a person does (its open list would cover the boxes below).
    ui.page.locator("#id_choices_language").fill("Romanian")
    ui.page.locator("#id_choices_language__listbox li", has_text="Romanian (ron)").first.click()
    ui.page.locator("#id_choices_legal_information_given").check()
    ui.page.locator("#id_choices_cooperates").select_option("undecided")
    ui.page.locator("#id_choices_claims_compensation").select_option("yes")
    ui.page.locator("#id_choices_testifies").select_option("no")
    _submit(ui, "Record the person's choices")
    expect(ui.page.locator("#choices")).to_contain_text("Not decided yet")
    expect(ui.page.locator("#choices")).to_contain_text("(Romanian)")
    expect(ui.page.locator("#proceedings")).to_contain_text("identity not disclosed")
    found["area"] = ui.axe_violations()

    ui.page.set_viewport_size({"width": 390, "height": 844})
    ui.switch_language("ar")
    found["area-ar"] = ui.axe_violations()

    ui.page.context.clear_cookies()
    ui.enter(officer, "/")
    refused = ui.page.goto(area)
    assert refused is not None and refused.status == 404
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert console.csp_violations() == []
