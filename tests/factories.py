"""factory_boy factories for the suite's agencies, personas, cases and persons.

Each builds through the project's own write path where one exists: agencies through
``accounts.services.agency_create``, users through ``user_create``, memberships through
``membership_grant``, authenticators the way the enrolment page confirms them, case teams through
``access.services.case_team_open``.
Cases and persons have no service of their own outside the intake (a whole referral, tested on its own), so
they are saved directly, as the area tests have always set them up. Names are synthetic (tests/names.py and
Faker), in many locales and scripts.

    AgencyFactory(type=AgencyType.POLICE)
    PersonaFactory(role=Role.GUARDIAN)              # user + membership + confirmed TOTP device
    PersonaFactory(role=..., user=existing)         # a further membership for the same person
    CaseFactory(team=(responder, authority))        # opened by the first, their agencies on the team
    PersonFactory(case=case, birth_date=...)
"""

from __future__ import annotations

import itertools
import secrets
from typing import Any

import factory
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from unidecode import unidecode

from palermo.access.services import case_team_open
from palermo.accounts import services
from palermo.accounts import two_factor as enrolment
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import ROLE_INFO, AgencyType, Role
from palermo.cases.models import Case, Person
from tests.names import synthetic_name

# Staff names in several scripts: Latin, Arabic, Cyrillic, Greek, Georgian, Thai, Devanagari, Han, Vietnamese.
PERSONA_LOCALES = ["en_GB", "ar_EG", "ru_RU", "el_GR", "ka_GE", "th_TH", "hi_IN", "zh_CN", "vi_VN", "ro_RO"]

_fake = Faker(PERSONA_LOCALES)
_serial = itertools.count(1)


def unique_suffix() -> str:
    """Unique within the run and across parallel workers (each has its own counter, hence the random part)."""
    return f"{next(_serial)}{secrets.token_hex(2)}"


def agency_name() -> str:
    # Typographic apostrophes: pages escape a straight one (O&#x27;Neill), which would make every
    # "the agency is named on the page" check depend on the random name.
    return f"{_fake.company().replace(chr(39), chr(0x2019))} {unique_suffix()}"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.LazyFunction(agency_name)
    type = AgencyType.NGO
    region = factory.LazyFunction(lambda: _fake.city())

    @classmethod
    def _create(cls, model_class: type[Agency], *args: Any, **kwargs: Any) -> Agency:
        return services.agency_create(**kwargs)


def _staff_name(serial: int) -> tuple[str, str]:
    local = _fake[PERSONA_LOCALES[serial % len(PERSONA_LOCALES)]]
    return local.first_name(), local.last_name()


def _username(last_name: str) -> str:
    ascii_last = "".join(ch for ch in unidecode(last_name).lower() if ch.isalnum()) or "staff"
    return f"{ascii_last}.{unique_suffix()}"


def _strong_password(person: Any) -> str:
    """A random password the site's validators accept for this person: a random one is now and then too like
    the person's own name (the similarity check), so another is drawn."""
    named = User(username=person.username, first_name=person.first_name, last_name=person.last_name)
    while True:
        password = secrets.token_urlsafe(18)
        try:
            validate_password(password, named)
        except ValidationError:
            continue
        return password


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user with a strong random password, kept on ``user.raw_password`` for signing in."""

    class Meta:
        model = User

    class Params:
        names = factory.Sequence(_staff_name)

    first_name = factory.LazyAttribute(lambda o: o.names[0])
    last_name = factory.LazyAttribute(lambda o: o.names[1])
    username = factory.LazyAttribute(lambda o: _username(o.last_name))
    password = factory.LazyAttribute(_strong_password)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, password: str, **kwargs: Any) -> User:
        user = services.user_create(password=password, **kwargs)
        user.raw_password = password  # type: ignore[attr-defined]
        return user


def current_totp(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now, formatted with its leading zeros."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def enrol_totp(user: User) -> TOTPDevice:
    """Enrol an authenticator the way the enrolment page does: a pending device confirmed with a code."""
    device = enrolment.pending_totp(user)
    assert enrolment.totp_confirm(device, current_totp(device))
    return device


def two_factor_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def grant(user: User, role: Role | str, agency: Agency, *, two_factor: bool = True) -> User:
    """Give ``user`` a membership in ``role`` at ``agency`` (``user.membership``, the latest granted here)
    and, if ``two_factor`` and they have none yet, a confirmed authenticator (``user.totp_device``)."""
    membership: Membership = services.membership_grant(user=user, agency=agency, role=Role(role))
    user.membership = membership  # type: ignore[attr-defined]
    user._active_memberships = None  # type: ignore[attr-defined]  # forget the cached list
    if two_factor and two_factor_device(user) is None:
        user.totp_device = enrol_totp(user)  # type: ignore[attr-defined]
    return user


def typical_agency_type(role: Role | str) -> AgencyType:
    return ROLE_INFO[Role(role)].typical_agencies[0]


class PersonaFactory(UserFactory):
    """A user with a membership in ``role`` (in a new agency of the role's first typical type unless
    ``agency`` is given) and, unless ``two_factor=False``, a confirmed TOTP device. ``user=`` adds the
    membership to an existing user instead of creating one."""

    role = Role.CASE_MANAGER
    agency = factory.SubFactory(
        AgencyFactory, type=factory.LazyAttribute(lambda o: typical_agency_type(o.factory_parent.role))
    )
    two_factor = True
    user = None

    @classmethod
    def _create(
        cls,
        model_class: type[User],
        *args: Any,
        role: Role | str,
        agency: Agency,
        two_factor: bool,
        user: User | None,
        **kwargs: Any,
    ) -> User:
        user = user or super()._create(model_class, *args, **kwargs)
        return grant(user, role, agency, two_factor=two_factor)


def _lead_agency(case: Any) -> Agency:
    return case.team[0].membership.agency if case.team else AgencyFactory()


class CaseFactory(factory.django.DjangoModelFactory):
    """A case led by a new agency or, with ``team=(opener, *others)``, opened by the first of the team for
    their agency with every member's agency on the team (through the team service, in order, each once)."""

    class Meta:
        model = Case

    team: Any = ()
    lead_agency = factory.LazyAttribute(_lead_agency)
    opened_by = factory.LazyAttribute(lambda o: o.team[0] if o.team else None)

    @classmethod
    def _create(cls, model_class: type[Case], *args: Any, team: tuple[User, ...], **kwargs: Any) -> Case:
        case = model_class.objects.create(**kwargs)
        if team:
            opener = team[0]
            agencies = list(dict.fromkeys(user.membership.agency for user in team))  # type: ignore[attr-defined]
            case_team_open(actor=opener, membership=opener.membership, case=case, agencies=agencies)  # type: ignore[attr-defined]
        return case


class PersonFactory(factory.django.DjangoModelFactory):
    """A person on a case, with compound synthetic names in one locale's script (tests/names.py)."""

    class Meta:
        model = Person

    class Params:
        names = factory.LazyFunction(synthetic_name)

    case = factory.SubFactory(CaseFactory)
    given_names = factory.LazyAttribute(lambda o: o.names[0])
    family_names = factory.LazyAttribute(lambda o: o.names[1])
