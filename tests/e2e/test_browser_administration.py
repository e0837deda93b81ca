"""Administration in a real Chromium: an agency administrator invites someone, who follows the link in the
email, chooses a password, sets up their second factor and signs in (docs/decisions/0032); the password reset
pages; the system administrator installs an indicator list. Each page passes axe."""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING

from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from palermo.accounts.roles import Role
from tests.conftest import ready_for_next_code
from tests.worker import IMMEDIATE_TASKS

if TYPE_CHECKING:
    from pytest_django import Settings

    from .conftest import ConsoleLog, MakeStaff, Ui

HOME = re.compile(r"^http://[^/]+/$")


def no_violations(ui: Ui) -> None:
    violations = ui.axe_violations()
    assert violations == [], f"{ui.page.url}: {violations}"


def test_an_invited_person_sets_a_password_and_second_factor_then_signs_in(
    ui: Ui, make_staff: MakeStaff, settings: Settings, live_server: object
) -> None:
    settings.TASKS = IMMEDIATE_TASKS
    settings.PALERMO_SITE_URL = str(live_server)
    admin = make_staff(Role.AGENCY_ADMINISTRATOR)

    ui.enter(admin)  # the invited person, below, signs in through the login pages
    ui.page.get_by_role("link", name="Staff administration").first.click()
    expect(ui.page).to_have_url(re.compile(r"/accounts/administration/$"))
    expect(ui.page.get_by_role("link", name="Invite someone")).to_be_visible()
    no_violations(ui)
    ui.page.get_by_role("link", name="Invite someone").click()
    no_violations(ui)
    ui.submit_main_form()  # sent empty: the error summary, focused
    expect(ui.page.locator(".app-error-summary")).to_be_focused()
    no_violations(ui)
    ui.page.locator("#id_first_name").fill("Amal")
    ui.page.locator("#id_last_name").fill("Nasser")
    ui.page.locator("#id_email").fill("a.nasser@example.org")
    ui.page.locator("#id_role").select_option(Role.CASE_MANAGER.value)
    ui.submit_main_form()
    expect(ui.page.locator("main")).to_contain_text("The invitation has been sent")
    no_violations(ui)
    ui.sign_out()

    assert [message.to for message in mail.outbox] == [["a.nasser@example.org"]]
    link = re.search(r"http://\S+/accounts/invitation/\S+/", mail.outbox[0].body)
    assert link is not None
    ui.page.goto(link[0])
    expect(ui.page).to_have_url(re.compile(r"/accounts/invitation/password/$"))
    expect(ui.page.locator("main")).to_contain_text("a.nasser@example.org")
    no_violations(ui)
    password = "a long passphrase for Amal 2026"
    ui.page.locator("#id_new_password1").fill(password)
    ui.page.locator("#id_new_password2").fill(password)
    ui.submit_main_form()

    expect(ui.page).to_have_url(re.compile(r"/accounts/two-factor/enrol/$"))
    no_violations(ui)
    key = base64.b32decode(ui.page.locator("main code").inner_text().strip())
    ui.enter_code(str(totp(key)).zfill(6))
    expect(ui.page.locator("main .backup-codes li")).to_have_count(10)
    ui.page.locator("main a.btn-primary").click()
    expect(ui.page).to_have_url(HOME)
    expect(ui.page.locator("main h1")).to_have_text(str(Role.CASE_MANAGER.label))
    ui.sign_out()

    # The link worked once.
    ui.page.goto(link[0])
    expect(ui.page.locator("main h1")).to_have_text("This link no longer works")
    no_violations(ui)

    # And the person signs in as anyone does: their address, their password, their authenticator.
    device = ready_for_next_code(TOTPDevice.objects.get(user__email="a.nasser@example.org"))
    ui.open("/accounts/login/")
    ui.page.locator("#id_username").fill("a.nasser@example.org")
    ui.page.locator("#id_password").fill(password)
    ui.submit_main_form()
    ui.enter_code(str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(6))
    expect(ui.page).to_have_url(HOME)


def test_the_password_reset_pages(ui: Ui) -> None:
    ui.open("/accounts/login/")
    ui.page.get_by_role("link", name="Forgotten your password?").click()
    no_violations(ui)
    ui.page.locator("#id_email").fill("someone@example.org")
    ui.submit_main_form()
    expect(ui.page.locator("main h1")).to_have_text("Check your email")
    no_violations(ui)


def test_the_system_administrator_installs_an_indicator_list(
    ui: Ui, make_staff: MakeStaff, console: ConsoleLog
) -> None:
    """From the Indicator lists page: a bad file comes back with the error summary (focused) and every bad
    line; the corrected file installs the list and opens it."""
    header = "dimension,indicator,strength_adult,strength_child\n"
    ui.enter(make_staff(Role.SYSTEM_ADMINISTRATOR), "/identification/instruments/")
    page = ui.page
    page.get_by_role("link", name="Install an indicator list").click()
    page.fill("#id_name", "national-2026-begging")
    page.fill("#id_version", "2026-1")
    page.fill("#id_source", "National guidance, annex 3 (synthetic)")
    page.select_option("#id_exploitation_type", "general")
    bad = header + "exploitaton,made to beg for hours,strong,strong\n"
    page.set_input_files(
        "#id_file", files=[{"name": "list.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    violations = ui.axe_violations()
    good = header + "exploitation,made to beg for hours,strong,strong\n"
    page.set_input_files(
        "#id_file", files=[{"name": "list.csv", "mimeType": "text/csv", "buffer": good.encode()}]
    )
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/identification/instruments/\d+/$"))
    expect(page.locator("main")).to_contain_text("Indicator list installed")
    expect(page.locator("main")).to_contain_text("made to beg for hours")
    assert violations == [] and ui.axe_violations() == []
    assert console.csp_violations() == []
