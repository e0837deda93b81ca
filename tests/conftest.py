"""Personas shared by the whole suite: synthetic staff users, built through the account services by the
factories of tests/factories.py.

Factories (function-scoped fixtures returning callables):

- ``make_agency(agency_type=None, **fields)`` — an Agency through ``services.agency_create``.
- ``make_user(**fields)`` — a User through ``services.user_create`` with a synthetic name (Faker, many locales
  and scripts) and a strong random password, kept on ``user.raw_password`` for signing in.
- ``make_member(role, agency_type=None, *, agency=None, user=None, two_factor=True)`` — a user with an active
  membership in ``role`` (agency of ``agency_type``, or the role's first typical agency type) and, unless
  ``two_factor=False``, a confirmed TOTP device on ``user.totp_device``. Pass ``user=`` to add a second
  membership to the same person.
- ``make_case(lead_agency=None, *, team=(), **fields)`` — a Case set up directly (the intake has its own
  tests): led by ``lead_agency``; or, with ``team=(opener, *others)``, opened by the first for their agency
  with every member's agency on the team (through ``case_team_open``); or led by a new agency.
- ``signed_in_client(user, *, act_as=None, next_url=None)`` — a fresh test Client signed in through the real
  login view, then the real two-factor view with the current TOTP code; for a user with several memberships
  ``act_as=`` (a Membership) is chosen through the real choose page. The client has ``client.user``.
- ``client_for(user, *, act_as=None)`` — the same signed-in, verified state without visiting the login pages
  (``signed_in_as``): for every test that is not about signing in. ``client.user`` as above.
- ``verified_client(role, agency_type=None)`` — ``client_for(make_member(role, agency_type))``.

Ready-made personas: one fixture per role, named after the role value (``first_responder``, ``case_manager``,
``identification_authority``, ``migration_officer``, ``investigator``, ``protection_officer``, ``guardian``,
``service_provider``, ``rapporteur``, ``data_protection_officer``, ``system_administrator``), each a user
with a membership in that role, in an agency of the role's first typical type, and a confirmed authenticator;
``manager``, ``responder`` and ``authority`` are further personas of the same kind (a case manager, a first
responder, an identification authority), the ones most area tests act as.

- ``totp_code(user, *, fresh=True)`` — the code the user's authenticator app shows now; ``fresh`` first clears
  the replay guard and throttle left by earlier codes (pass ``fresh=False`` to test those guards).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import AgencyType, Role
from palermo.cases.models import Case
from tests import schema
from tests.factories import (
    AgencyFactory,
    CaseFactory,
    PersonaFactory,
    UserFactory,
    current_totp,
    two_factor_device,
    typical_agency_type,
)
from tests.sessions import verified_session

# Property tests check what holds, not how fast: machines are shared and noisy, so no per-example deadline.
hypothesis_settings.register_profile("palermo", deadline=None)
hypothesis_settings.load_profile("palermo")


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise warns on every request of a checkout where static files were never collected.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, a test database in a file (WAL and a busy timeout, as in production) rather than in shared
    memory, where a write that meets another fails at once ("table is locked") instead of waiting its turn:
    the browser tests' server answers a case page's sections concurrently, as a real one does. The file is
    under the worker's own temporary directory; on PostgreSQL, pytest-django's parallel suffix gives each
    xdist worker its own test database (test_palermo_gw0, ...)."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")
    if not schema.replay_wanted():
        schema.migrations_off()  # until the database is made (below)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database's tables come from the models, not from replaying the migrations (tests/schema.py,
    decision 0057); the migrations are back for the tests that read them, and what they add beyond the
    tables is added."""
    if schema.replay_wanted():
        return
    schema.migrations_on()
    with django_db_blocker.unblock():
        schema.add_what_the_migrations_add()


@pytest.fixture(scope="session", autouse=True)
def _fast_and_static() -> Iterator[None]:
    """A fast password hasher, plain static URLs so pages render without a collected manifest, and the
    site's address that links in emails start with: for the whole session, set once (a test that changes one
    through the ``settings`` fixture gets it back as set here after it)."""
    with override_settings(
        PALERMO_SITE_URL="http://testserver",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _no_language_left_active() -> Iterator[None]:
    """Each test starts in the default language: a page a test asked for in Arabic leaves Arabic active in
    the thread (the locale middleware activates, nothing deactivates), and whatever the next test made
    outside a request would be made in it."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _every_audit_action_in_words(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """An action, or a kind of record, written to the audit log without words for the DPO
    (palermo.audit.actions) fails the test that writes it; the audit service's own tests record made-up
    actions (`any_audit_action`)."""
    from palermo.audit import services
    from palermo.audit.actions import ACTION_WORDS, OBJECT_WORDS

    if request.node.get_closest_marker("any_audit_action"):
        return
    check = services._check

    def check_in_words(actor: Any, action: str, tier: int, membership: Any, object_type: str = "") -> None:
        check(actor, action, tier, membership, object_type)
        assert action in ACTION_WORDS, f"the audit action {action!r} has no words in palermo.audit.actions"
        assert not object_type or object_type in OBJECT_WORDS, (
            f"the kind of record {object_type!r} has no words in palermo.audit.actions"
        )

    monkeypatch.setattr(services, "_check", check_in_words)


@pytest.fixture(autouse=True)
def _limits_in_one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rate limiter's clock stands still, half a minute into a minute (and into a day), so a test that
    counts uses of a door never sees its window end half-way (tests that move it set their own time)."""
    from palermo.access import limits

    now = time.time()
    still = now - now % 86400 + 43230.5
    monkeypatch.setattr(limits, "clock", lambda: still)


@pytest.fixture(scope="session")
def document_stores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory that holds each test's own document store."""
    return tmp_path_factory.mktemp("documents")


@pytest.fixture(autouse=True)
def document_store(settings: Any, document_stores: Path) -> Any:
    """Case documents go to a throw-away store of its own in every test, never to the checkout's var/ (a new
    empty directory: ``mkdtemp`` makes it at once, where ``tmp_path_factory.mktemp`` would first list every
    store made so far to number it)."""
    settings.DOCUMENT_STORE = Path(tempfile.mkdtemp(dir=document_stores))
    return settings.DOCUMENT_STORE


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


@pytest.fixture
def make_agency(db: None) -> Callable[..., Agency]:
    def make(agency_type: AgencyType | str | None = None, **fields: Any) -> Agency:
        return AgencyFactory(type=AgencyType(agency_type or AgencyType.NGO), **fields)

    return make


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(**fields: Any) -> User:
        if fields.get("password") is None:
            fields.pop("password", None)  # the factory's strong random one
        return UserFactory(**fields)

    return make


@pytest.fixture
def make_member(db: None) -> Callable[..., User]:
    def make(
        role: Role | str,
        agency_type: AgencyType | str | None = None,
        *,
        agency: Agency | None = None,
        user: User | None = None,
        two_factor: bool = True,
    ) -> User:
        if agency is None:
            agency = AgencyFactory(type=AgencyType(agency_type or typical_agency_type(role)))
        return PersonaFactory(role=Role(role), agency=agency, user=user, two_factor=two_factor)

    return make


@pytest.fixture
def make_case(db: None) -> Callable[..., Case]:
    def make(lead_agency: Agency | None = None, *, team: tuple[User, ...] = (), **fields: Any) -> Case:
        if lead_agency is not None:
            fields["lead_agency"] = lead_agency
        return CaseFactory(team=team, **fields)

    return make


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


def signed_in_as(user: User, *, act_as: Membership | None = None) -> Client:
    """A client in the state the real sign-in leaves it (tests/sessions.py, ``verified_session``): the
    second factor passed, acting as ``act_as`` or as their only membership. No pages are visited and no
    sign-in is audited: for tests of what a signed-in person can do, not of signing in."""
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = verified_session(user, act_as=act_as).session_key
    client.user = user  # type: ignore[attr-defined]
    return client


@pytest.fixture
def client_for(db: None) -> Callable[..., Client]:
    """``client_for(user, act_as=None)``: ``signed_in_as`` — signed in without the login pages."""
    return signed_in_as


@pytest.fixture
def verified_client(make_member: Callable[..., User]) -> Callable[..., Client]:
    def make(role: Role | str, agency_type: AgencyType | str | None = None) -> Client:
        return signed_in_as(make_member(role, agency_type))

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


@pytest.fixture
def manager(make_member: Callable[..., User]) -> User:
    """A case manager with a confirmed authenticator, in a typical agency: the persona most tests act as
    (the lead agency's manager, who may open, close and re-open its cases)."""
    return make_member(Role.CASE_MANAGER)


@pytest.fixture
def responder(make_member: Callable[..., User]) -> User:
    """A first responder, the persona who refers cases (another user than the ``first_responder`` persona)."""
    return make_member(Role.FIRST_RESPONDER)


@pytest.fixture
def authority(make_member: Callable[..., User]) -> User:
    """An identification authority, the persona who decides on identification."""
    return make_member(Role.IDENTIFICATION_AUTHORITY)
