"""TOTP enrolment and backup codes, on django-otp's devices."""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.models import User

BACKUP_CODE_COUNT = 10


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of one second-factor attempt: the device that accepted the code, or how long to wait."""

    device: Device | None = None
    retry_after: int = 0  # seconds; set when earlier wrong codes throttle the device


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled; one per user, reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def qr_code_data_uri(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def totp_confirm(device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def backup_codes_regenerate(user: User) -> list[str]:
    """Replace every backup code with a new set; each code works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes_remaining(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _device_for_code(user: User, token: str) -> Device | None:
    """Six digits go to the authenticator, anything else to the backup codes: a wrong code then throttles
    only the device it was meant for. Rows are locked so one code cannot pass twice in parallel."""
    totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if totp is not None and token.isdigit() and len(token) == totp.digits:
        return totp
    return StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()


@transaction.atomic
def second_factor_verify(user: User, token: str) -> CodeCheck:
    """Check a code from the authenticator app or a backup code; a backup code is used up by this."""
    device = _device_for_code(user, token)
    if device is None:
        return CodeCheck()
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until") or timezone.now()
        return CodeCheck(retry_after=max(1, math.ceil((locked_until - timezone.now()).total_seconds())))
    code = token if isinstance(device, TOTPDevice) else token.lower()  # backup codes are lower case
    return CodeCheck(device=device if device.verify_token(code) else None)
