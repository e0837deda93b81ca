"""Signing in, the second factor, choosing an agency and signing out, as a person does in Chromium."""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING

import pytest
from django_otp.oath import totp
from playwright.sync_api import Browser, expect

from palermo.accounts.roles import Role

if TYPE_CHECKING:
    from .conftest import MakeStaff, Ui

HOME = re.compile(r"^http://[^/]+/$")
ROLES_SIGNING_IN = [
    Role.FIRST_RESPONDER,
    Role.CASE_MANAGER,
    Role.MIGRATION_OFFICER,
    Role.RAPPORTEUR,
    Role.SYSTEM_ADMINISTRATOR,
]


@pytest.mark.parametrize("role", ROLES_SIGNING_IN, ids=[role.value for role in ROLES_SIGNING_IN])
def test_member_signs_in_and_reaches_the_home_of_their_role(
    ui: Ui, make_staff: MakeStaff, role: Role
) -> None:
    member = make_staff(role)

    ui.open("/accounts/login/")
    ui.enter_password(member)
    # Every role, the rapporteur's included, passes a second factor (docs/decisions/0022).
    expect(ui.page).to_have_url(re.compile(r"/accounts/two-factor/$"))
    ui.enter_code(member.code())

    expect(ui.page).to_have_url(HOME)
    expect(ui.page.locator("main h1")).to_have_text(str(role.label))


def test_a_wrong_code_keeps_the_member_out(ui: Ui, make_staff: MakeStaff) -> None:
    member = make_staff(Role.CASE_MANAGER)
    wrong = str((int(member.code()) + 1) % 1_000_000).zfill(6)

    ui.open("/accounts/login/")
    ui.enter_password(member)
    ui.enter_code(wrong)

    expect(ui.page).to_have_url(re.compile(r"/accounts/two-factor/$"))
    token = ui.page.locator("#id_token")
    expect(token).to_have_attribute("aria-invalid", "true")
    ui.open("/")
    expect(ui.page).to_have_url(re.compile(r"/accounts/two-factor/$"))


def test_enrolment_shows_a_qr_code_and_accepts_the_code_from_the_key(ui: Ui, make_staff: MakeStaff) -> None:
    member = make_staff(Role.FIRST_RESPONDER, enrolled=False)

    ui.open("/accounts/login/")
    ui.enter_password(member)

    expect(ui.page).to_have_url(re.compile(r"/accounts/two-factor/enrol/$"))
    qr_code = ui.page.locator("main img.qr-code")
    expect(qr_code).to_be_visible()
    expect(qr_code).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;base64,"))
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0"), "the QR code did not render"
    # A person who cannot scan types the key into their app; the app then shows the code.
    key = base64.b32decode(ui.page.locator("main code").inner_text().strip())
    ui.enter_code(str(totp(key)).zfill(6))

    expect(ui.page.locator("main .backup-codes li")).to_have_count(10)
    ui.page.locator("main a.btn-primary").click()
    expect(ui.page).to_have_url(HOME)
    expect(ui.page.locator("main h1")).to_have_text(str(Role.FIRST_RESPONDER.label))


def test_member_of_two_agencies_chooses_who_they_act_as(ui: Ui, make_staff: MakeStaff) -> None:
    member = make_staff(Role.CASE_MANAGER, Role.GUARDIAN)

    ui.sign_in(member)

    expect(ui.page).to_have_url(re.compile(r"/accounts/act-as/$"))
    ui.page.get_by_label(re.compile(f"^{re.escape(str(Role.GUARDIAN.label))} · ")).check()
    ui.submit_main_form()
    expect(ui.page).to_have_url(HOME)
    expect(ui.page.locator("main h1")).to_have_text(str(Role.GUARDIAN.label))


def test_sign_out_ends_the_session_on_the_server(ui: Ui, make_staff: MakeStaff, browser: Browser) -> None:
    member = make_staff(Role.MIGRATION_OFFICER)
    ui.sign_in(member)
    expect(ui.page.locator("main h1")).to_have_text(str(Role.MIGRATION_OFFICER.label))
    cookies = ui.page.context.cookies()
    session_cookie = next(cookie for cookie in cookies if cookie["name"] == "sessionid")

    ui.sign_out()

    expect(ui.page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(ui.page.locator("main [role=status]")).to_have_count(1)
    ui.open("/")
    expect(ui.page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    # Replaying the old cookie in another browser gets nowhere: the server has forgotten that session.
    replay = browser.new_context(base_url=ui.page.url.split("/accounts/")[0])
    try:
        replay.add_cookies([session_cookie])
        other = replay.new_page()
        other.goto("/")
        expect(other).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    finally:
        replay.close()


def test_after_enrolling_a_member_of_two_agencies_is_asked_who_they_act_as(
    ui: Ui, make_staff: MakeStaff
) -> None:
    member = make_staff(Role.CASE_MANAGER, Role.GUARDIAN, enrolled=False)
    ui.open("/accounts/login/")
    ui.enter_password(member)
    key = base64.b32decode(ui.page.locator("main code").inner_text().strip())
    ui.enter_code(str(totp(key)).zfill(6))

    ui.page.locator("main a.btn-primary").click()

    expect(ui.page).to_have_url(re.compile(r"/accounts/act-as/$"))
    expect(ui.page.locator("main input[type=radio]")).to_have_count(2)
