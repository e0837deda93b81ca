"""First sign-in without an authenticator: enrol with a QR code, get backup codes once, use each once."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.roles import Role
from palermo.accounts.two_factor import BACKUP_CODE_COUNT

pytestmark = pytest.mark.django_db

ENROL = reverse("accounts:enrol")
TWO_FACTOR = reverse("accounts:two_factor")
SVG_DATA_URI = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def password_only(user) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": user.raw_password}
    )
    assert response["Location"] == TWO_FACTOR
    return client


@pytest.fixture
def newcomer(make_member):
    """A case manager who has never set up an authenticator."""
    return make_member(Role.CASE_MANAGER, two_factor=False)


def enrol(client: Client, user) -> list[str]:
    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"token": totp_code_of(device)})
    assert response.status_code == 200
    return list(response.context["codes"])


def totp_code_of(device: TOTPDevice) -> str:
    """What the freshly scanned authenticator app shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_without_a_device_the_second_factor_step_sends_to_enrolment(newcomer):
    client = password_only(newcomer)
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302
    assert response["Location"] == ENROL


def test_enrolment_page_shows_a_qr_code_as_an_svg_data_uri_and_the_key(newcomer):
    client = password_only(newcomer)
    response = client.get(ENROL)
    html = response.content.decode()
    match = SVG_DATA_URI.search(html)
    assert match, "no SVG data URI image on the enrolment page"
    svg = base64.b64decode(match.group(1)).decode()
    assert "<svg" in svg
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    assert base64.b32encode(device.bin_key).decode() in html
    # Reloading the page keeps the same pending secret: the app already scanned stays valid.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_confirming_with_a_code_shows_ten_backup_codes_once(newcomer):
    client = password_only(newcomer)
    codes = enrol(client, newcomer)
    assert len(codes) == BACKUP_CODE_COUNT == 10
    assert len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    # Enrolment also passed the second factor: the role's home opens.
    assert client.get(reverse("core:home")).status_code == 200
    # The codes page later shows only how many remain, never the codes.
    later = client.get(reverse("accounts:backup_codes")).content.decode()
    assert "10 unused backup codes" in later
    assert not any(code in later for code in codes)


def test_a_wrong_enrolment_code_is_refused(newcomer):
    client = password_only(newcomer)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=newcomer)
    right = totp_code_of(device)
    response = client.post(ENROL, {"token": f"{(int(right) + 3) % 1_000_000:06d}"})
    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_enrolment_is_closed_once_a_device_is_confirmed(case_manager):
    client = password_only(case_manager)
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR


def test_a_backup_code_works_once_and_only_once(newcomer):
    codes = enrol(password_only(newcomer), newcomer)
    code = codes[3]

    first = password_only(newcomer)
    response = first.post(TWO_FACTOR, {"token": code.upper()})  # as typed from paper, any case
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert StaticToken.objects.filter(device__user=newcomer).count() == 9

    second = password_only(newcomer)
    response = second.post(TWO_FACTOR, {"token": code})
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert second.get(reverse("core:home"))["Location"] == TWO_FACTOR


def test_replacing_backup_codes_invalidates_the_old_ones(newcomer):
    client = password_only(newcomer)
    old = enrol(client, newcomer)
    response = client.post(reverse("accounts:backup_codes"))
    new = list(response.context["codes"])
    assert len(new) == 10
    assert not set(old) & set(new)
    stranger = password_only(newcomer)
    assert stranger.post(TWO_FACTOR, {"token": old[0]}).status_code == 200
    StaticDevice.objects.get(user=newcomer).throttle_reset()  # instead of waiting out the wrong code's delay
    assert password_only(newcomer).post(TWO_FACTOR, {"token": new[0]}).status_code == 302
