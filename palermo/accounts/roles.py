"""The roles of the domain brief (section 2), as data: one place to read what each role is for."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FIRST_RESPONDER = "first_responder", _("First responder")
    CASE_MANAGER = "case_manager", _("Case manager")
    IDENTIFICATION_AUTHORITY = "identification_authority", _("Identification authority")
    MIGRATION_OFFICER = "migration_officer", _("Migration officer")
    INVESTIGATOR = "investigator", _("Investigator / prosecutor")
    PROTECTION_OFFICER = "protection_officer", _("Protection officer")
    GUARDIAN = "guardian", _("Guardian")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    RAPPORTEUR = "rapporteur", _("National coordinator / rapporteur")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("System administrator")
    AGENCY_ADMINISTRATOR = "agency_administrator", _("Agency administrator")


# Roles that work on individual cases. The rapporteur (aggregates only), the administrators (no case
# content) and the data protection officer (the audit log) have none.
CASE_WORKERS = (
    Role.FIRST_RESPONDER,
    Role.CASE_MANAGER,
    Role.IDENTIFICATION_AUTHORITY,
    Role.MIGRATION_OFFICER,
    Role.INVESTIGATOR,
    Role.PROTECTION_OFFICER,
    Role.GUARDIAN,
    Role.SERVICE_PROVIDER,
)


class AgencyType(models.TextChoices):
    POLICE = "police", _("Police")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    MIGRATION = "migration", _("Border / migration authority")
    PROSECUTION = "prosecution", _("Prosecution")
    NGO = "ngo", _("Non-governmental organisation")
    SOCIAL_SERVICES = "social_services", _("Social services")
    HEALTH = "health", _("Health service")
    GUARDIANSHIP = "guardianship", _("Guardianship service")
    SHELTER = "shelter", _("Shelter")
    LEGAL_AID = "legal_aid", _("Legal aid")
    RAPPORTEUR = "rapporteur", _("National coordinator / rapporteur")
    OPERATOR = "operator", _("Operator")


# The types of agency that work on cases: those a rulebook may route to a case or give a duty on one (the
# rapporteur reads aggregates only; the operator runs the system).
CASE_AGENCY_TYPES = tuple(
    agency_type
    for agency_type in AgencyType.values
    if agency_type not in (AgencyType.RAPPORTEUR, AgencyType.OPERATOR)
)


@dataclass(frozen=True)
class RoleInfo:
    duty: str | Promise
    sees_personal_data: bool
    typical_agencies: tuple[AgencyType, ...]


ROLE_INFO: dict[Role, RoleInfo] = {
    Role.FIRST_RESPONDER: RoleInfo(
        _("Record a first contact, screen with indicators, refer."),
        True,
        (
            AgencyType.POLICE,
            AgencyType.LABOUR_INSPECTORATE,
            AgencyType.NGO,
            AgencyType.SOCIAL_SERVICES,
            AgencyType.HEALTH,
            AgencyType.MIGRATION,
        ),
    ),
    Role.CASE_MANAGER: RoleInfo(
        _("Run the assistance plan, referrals to services and accommodation."),
        True,
        (AgencyType.NGO, AgencyType.SOCIAL_SERVICES),
    ),
    Role.IDENTIFICATION_AUTHORITY: RoleInfo(
        _("Take the presumed victim and identified victim decisions."),
        True,
        (AgencyType.POLICE, AgencyType.SOCIAL_SERVICES, AgencyType.RAPPORTEUR),
    ),
    Role.MIGRATION_OFFICER: RoleInfo(
        _("Grant reflection periods and permits; check whether a person may be removed."),
        True,
        (AgencyType.MIGRATION,),
    ),
    Role.INVESTIGATOR: RoleInfo(
        _("Proceedings, the victim's role as witness, protective measures."),
        True,
        (AgencyType.POLICE, AgencyType.PROSECUTION),
    ),
    Role.PROTECTION_OFFICER: RoleInfo(
        _("Risk assessment and physical protection."),
        True,
        (AgencyType.POLICE,),
    ),
    Role.GUARDIAN: RoleInfo(
        _("Represent a child; best-interest procedures."),
        True,
        (AgencyType.GUARDIANSHIP,),
    ),
    Role.SERVICE_PROVIDER: RoleInfo(
        _("Receive a referral and record the service given."),
        True,
        (AgencyType.SHELTER, AgencyType.HEALTH, AgencyType.LEGAL_AID, AgencyType.NGO),
    ),
    Role.RAPPORTEUR: RoleInfo(
        _("Aggregate statistics and indicators only, no personal data."),
        False,
        (AgencyType.RAPPORTEUR,),
    ),
    Role.DATA_PROTECTION_OFFICER: RoleInfo(
        _("Audit of access, breach response, retention."),
        True,
        tuple(AgencyType),
    ),
    Role.SYSTEM_ADMINISTRATOR: RoleInfo(
        _("Users, agencies and configuration; no case content."),
        False,
        (AgencyType.OPERATOR,),
    ),
    Role.AGENCY_ADMINISTRATOR: RoleInfo(
        _("Invite the agency's staff, grant and end their roles; no case content."),
        False,
        tuple(AgencyType),
    ),
}

# Roles that administer accounts (docs/decisions/0032): the system administrator for every agency, an agency
# administrator for their own agency only. Neither sees case content.
ADMINISTRATORS = (Role.SYSTEM_ADMINISTRATOR, Role.AGENCY_ADMINISTRATOR)


def requires_two_factor(role: Role | str) -> bool:
    """Two factors for every role: each reads something beyond the public pages (the rapporteur's figures
    and reports, the administrator's accounts), so a password alone opens nothing (docs/decisions/0022)."""
    Role(role)  # an unknown role is an error, not a pass
    return True
