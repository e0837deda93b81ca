"""Synthetic demo agencies and one demo user per role. Idempotent: running it again changes nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts import services
from palermo.accounts.models import Agency, User
from palermo.accounts.roles import AgencyType, Role

# The region the demo cases are worked in; agencies with no region serve the whole country. The routing rules
# bring a case the agency of its lead agency's region (docs/routing.md): the coastal region's agencies show
# that choice.
DEMO_REGION = "Demo region"
DEMO_OTHER_REGION = "Demo coastal region"
DEMO_AGENCY_REGIONS: dict[str, str] = {
    "Demo Central Police Anti-Trafficking Unit": DEMO_REGION,
    "Demo Labour Inspectorate": DEMO_REGION,
    "Demo Migration Directorate": "",
    "Demo Public Prosecution Office": DEMO_REGION,
    "Demo Safe Harbour NGO": DEMO_REGION,
    "Demo Municipal Social Services": DEMO_REGION,
    "Demo Guardianship Service": DEMO_REGION,
    "Demo Shelter Network": DEMO_REGION,
    "Demo Legal Aid Centre": DEMO_REGION,
    "Demo Coastal Outreach NGO": DEMO_OTHER_REGION,
    "Demo Coastal Legal Aid": DEMO_OTHER_REGION,
    "Demo National Rapporteur Office": "",
    "Demo Platform Operator": "",
}
DEMO_AGENCIES: list[tuple[str, AgencyType]] = [
    ("Demo Central Police Anti-Trafficking Unit", AgencyType.POLICE),
    ("Demo Labour Inspectorate", AgencyType.LABOUR_INSPECTORATE),
    ("Demo Migration Directorate", AgencyType.MIGRATION),
    ("Demo Public Prosecution Office", AgencyType.PROSECUTION),
    ("Demo Safe Harbour NGO", AgencyType.NGO),
    ("Demo Municipal Social Services", AgencyType.SOCIAL_SERVICES),
    ("Demo Guardianship Service", AgencyType.GUARDIANSHIP),
    ("Demo Shelter Network", AgencyType.SHELTER),
    ("Demo Legal Aid Centre", AgencyType.LEGAL_AID),
    ("Demo Coastal Outreach NGO", AgencyType.NGO),
    ("Demo Coastal Legal Aid", AgencyType.LEGAL_AID),
    ("Demo National Rapporteur Office", AgencyType.RAPPORTEUR),
    ("Demo Platform Operator", AgencyType.OPERATOR),
]

DEMO_USERS: list[tuple[str, Role, str]] = [
    ("demo.responder", Role.FIRST_RESPONDER, "Demo Labour Inspectorate"),
    ("demo.casemanager", Role.CASE_MANAGER, "Demo Safe Harbour NGO"),
    ("demo.identification", Role.IDENTIFICATION_AUTHORITY, "Demo Municipal Social Services"),
    ("demo.migration", Role.MIGRATION_OFFICER, "Demo Migration Directorate"),
    ("demo.investigator", Role.INVESTIGATOR, "Demo Public Prosecution Office"),
    ("demo.protection", Role.PROTECTION_OFFICER, "Demo Central Police Anti-Trafficking Unit"),
    ("demo.guardian", Role.GUARDIAN, "Demo Guardianship Service"),
    ("demo.provider", Role.SERVICE_PROVIDER, "Demo Shelter Network"),
    ("demo.rapporteur", Role.RAPPORTEUR, "Demo National Rapporteur Office"),
    ("demo.dpo", Role.DATA_PROTECTION_OFFICER, "Demo Safe Harbour NGO"),
    ("demo.admin", Role.SYSTEM_ADMINISTRATOR, "Demo Platform Operator"),
    ("demo.agencyadmin", Role.AGENCY_ADMINISTRATOR, "Demo Safe Harbour NGO"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    agency: str


def demo_password() -> str:
    """One random password for all demo users, kept in var/ (0600) so repeated runs print the same."""
    path = Path(settings.VAR_DIR) / "demo_password"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    # 32 random characters: too long to be "similar" to any demo username, which Django's validator would
    # otherwise refuse now and then by chance (a 16-character one once scored 0.70 against
    # "demo.agencyadmin").
    password = "demo-" + secrets.token_urlsafe(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(password + "\n", encoding="utf-8")
    return password


def _demo_contact(number: int, name: str) -> tuple[str, str]:
    """A phone number from the range Ofcom keeps for drama (020 7946 0000-0999: never anyone's) and an
    address under example.org (RFC 2606)."""
    mailbox = name.lower().removeprefix("demo ").replace(" ", "-")
    return f"+44 20 7946 {number:04d}", f"{mailbox}@example.org"


@transaction.atomic
def load_demo_accounts(password: str) -> list[DemoLogin]:
    agencies = {}
    for number, (name, agency_type) in enumerate(DEMO_AGENCIES):
        agency = Agency.objects.filter(name=name).first()
        phone, email = _demo_contact(number, name)
        agencies[name] = agency or services.agency_create(
            name=name, type=agency_type, region=DEMO_AGENCY_REGIONS[name], phone=phone, email=email
        )
    logins = []
    for username, role, agency_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            # An address under example.org (reserved, RFC 2606): reminders and notices appear on the console.
            # Named "Demo <role>": colleagues are shown by name on every page, never by username.
            with translation.override("en"):
                last_name = str(role.label)
            user = services.user_create(
                username=username,
                password=password,
                first_name="Demo",
                last_name=last_name,
                email=f"{username}@example.org",
            )
            # Pre-enrolled so a demo login can pass two-factor with `palermo demo_otp USERNAME`.
            TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
        services.membership_grant(user=user, agency=agencies[agency_name], role=role)
        logins.append(DemoLogin(username, role, agency_name))
    return logins
