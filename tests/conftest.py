"""Personas shared by the whole suite: synthetic staff users, built through the account services.

Factories (function-scoped fixtures returning callables):

- ``make_agency(agency_type=None, **fields)`` — an Agency through ``services.agency_create``.
- ``make_user(**fields)`` — a User through ``services.user_create`` with a synthetic name (Faker, many locales
  and scripts) and a strong random password, kept on ``user.raw_password`` for signing in.
- ``make_member(role, agency_type=None, *, agency=None, user=None, two_factor=True)`` — a user with an active
  membership in ``role`` (agency of ``agency_type``, or the role's first typical agency type) and, unless
  ``two_factor=False``, a confirmed TOTP device on ``user.totp_device``. Pass ``user=`` to add a second
  membership to the same person.
- ``signed_in_client(user, *, act_as=None, next_url=None)`` — a fresh test Client signed in through the real
  login view, then the real two-factor view with the current TOTP code; for a user with several memberships
  ``act_as=`` (a Membership) is chosen through the real choose page. The client has ``client.user``.
- ``verified_client(role, agency_type=None)`` — ``signed_in_client(make_member(role, agency_type))``.

Ready-made personas: one fixture per role, named after the role value (``first_responder``, ``case_manager``,
``identification_authority``, ``migration_officer``, ``investigator``, ``protection_officer``, ``guardian``,
``service_provider``, ``rapporteur``, ``data_protection_officer``, ``system_administrator``), each a user
with a membership in that role, in an agency of the role's first typical type, and a confirmed authenticator.

- ``totp_code(user, *, fresh=True)`` — the code the user's authenticator app shows now; ``fresh`` first clears
  the replay guard and throttle left by earlier codes (pass ``fresh=False`` to test those guards).
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from unidecode import unidecode

from palermo.accounts import services
from palermo.accounts import two_factor as enrolment
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import ROLE_INFO, AgencyType, Role

# Names in several scripts: Latin, Arabic, Cyrillic, Greek, Georgian, Thai, Devanagari, Han, Vietnamese.
PERSONA_LOCALES = ["en_GB", "ar_EG", "ru_RU", "el_GR", "ka_GE", "th_TH", "hi_IN", "zh_CN", "vi_VN", "ro_RO"]

_fake = Faker(PERSONA_LOCALES)
_serial = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise warns on every request of a checkout where static files were never collected.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """On SQLite, a test database in a file (WAL and a busy timeout, as in production) rather than in shared
    memory, where a write that meets another fails at once ("table is locked") instead of waiting its turn:
    the browser tests' server answers a case page's sections concurrently, as a real one does."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_and_static(settings: Any) -> None:
    """A fast password hasher, and plain static URLs so pages render without a collected manifest."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def document_store(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Case documents go to a throw-away store in every test, never to the checkout's var/."""
    settings.DOCUMENT_STORE = tmp_path_factory.mktemp("documents")
    return settings.DOCUMENT_STORE


def current_totp(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now, formatted with its leading zeros."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def ready_for_next_code(device: TOTPDevice) -> TOTPDevice:
    """Let the current code verify again: a second sign-in within the same 30 s window is otherwise
    (rightly) refused as a replay, and an earlier wrong code leaves the device throttled."""
    device.refresh_from_db()
    now_step = int((time.time() - device.t0) // device.step) + device.drift
    if device.last_t >= now_step:
        device.last_t = now_step - 1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save(update_fields=["last_t", "throttling_failure_count", "throttling_failure_timestamp"])
    return device


def _unique_suffix() -> str:
    return f"{next(_serial)}{secrets.token_hex(2)}"


@pytest.fixture
def make_agency(db: None) -> Callable[..., Agency]:
    def make(agency_type: AgencyType | str | None = None, **fields: Any) -> Agency:
        agency_type = AgencyType(agency_type or AgencyType.NGO)
        # Typographic apostrophes: pages escape a straight one (O&#x27;Neill), which would make every
        # "the agency is named on the page" check depend on the random name.
        fields.setdefault("name", f"{_fake.company().replace(chr(39), chr(0x2019))} {_unique_suffix()}")
        fields.setdefault("region", _fake.city())
        return services.agency_create(type=agency_type, **fields)

    return make


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(**fields: Any) -> User:
        locale = PERSONA_LOCALES[next(_serial) % len(PERSONA_LOCALES)]
        first, last = _fake[locale].first_name(), _fake[locale].last_name()
        ascii_last = "".join(ch for ch in unidecode(last).lower() if ch.isalnum()) or "staff"
        fields.setdefault("username", f"{ascii_last}.{_unique_suffix()}")
        fields.setdefault("first_name", first)
        fields.setdefault("last_name", last)
        password = fields.pop("password", None) or secrets.token_urlsafe(18)
        user = services.user_create(password=password, **fields)
        user.raw_password = password  # type: ignore[attr-defined]
        return user

    return make


def enrol_totp(user: User) -> TOTPDevice:
    """Enrol an authenticator the way the enrolment page does: a pending device confirmed with a code."""
    device = enrolment.pending_totp(user)
    assert enrolment.totp_confirm(device, current_totp(device))
    return device


@pytest.fixture
def make_member(make_agency: Callable[..., Agency], make_user: Callable[..., User]) -> Callable[..., User]:
    def make(
        role: Role | str,
        agency_type: AgencyType | str | None = None,
        *,
        agency: Agency | None = None,
        user: User | None = None,
        two_factor: bool = True,
    ) -> User:
        role = Role(role)
        if agency is None:
            agency = make_agency(agency_type or ROLE_INFO[role].typical_agencies[0])
        user = user or make_user()
        membership = services.membership_grant(user=user, agency=agency, role=role)
        user.membership = membership  # type: ignore[attr-defined]  # the latest one granted here
        user._active_memberships = None  # type: ignore[attr-defined]  # forget the cached list
        if two_factor and two_factor_device(user) is None:
            user.totp_device = enrol_totp(user)  # type: ignore[attr-defined]
        return user

    return make


def two_factor_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def sign_in(user: User, *, act_as: Membership | None = None, next_url: str | None = None) -> Client:
    """Sign in through the real pages; fail loudly at the step that did not go as a person would see it."""
    client = Client()
    data = {"username": user.get_username(), "password": user.raw_password}  # type: ignore[attr-defined]
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 302, f"login refused ({response.status_code})"
    assert response["Location"] == reverse("accounts:two_factor")
    device = two_factor_device(user)
    if device is not None:
        ready_for_next_code(device)
        response = client.post(reverse("accounts:two_factor"), {"token": current_totp(device)})
    else:
        response = client.get(reverse("accounts:two_factor"))
    assert response.status_code == 302, f"two-factor step refused ({response.status_code})"
    if act_as is not None:
        response = client.post(reverse("accounts:choose_membership"), {"membership": act_as.pk})
        assert response.status_code == 302, "choosing the membership was refused"
    client.user = user  # type: ignore[attr-defined]
    return client


@pytest.fixture
def signed_in_client(db: None) -> Callable[..., Client]:
    return sign_in


@pytest.fixture
def verified_client(make_member: Callable[..., User]) -> Callable[..., Client]:
    def make(role: Role | str, agency_type: AgencyType | str | None = None) -> Client:
        return sign_in(make_member(role, agency_type))

    return make


@pytest.fixture
def totp_code(db: None) -> Callable[..., str]:
    def code(user: User, *, fresh: bool = True) -> str:
        device = two_factor_device(user)
        assert device is not None, "this user has no confirmed authenticator"
        return current_totp(ready_for_next_code(device) if fresh else device)

    return code


def _persona_fixture(role: Role) -> Callable[..., User]:
    def persona(make_member: Callable[..., User]) -> User:
        return make_member(role)

    persona.__doc__ = f"A {role.label} with a confirmed authenticator, in a typical agency for the role."
    return pytest.fixture(name=role.value)(persona)


for _role in Role:
    globals()[f"_persona_{_role.value}"] = _persona_fixture(_role)
