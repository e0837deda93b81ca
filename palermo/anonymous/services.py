"""Writes of anonymous notifications: record one, and turn one into a referral when the person agrees.

Recording is for those who refer (the intake's roles), for their agency. Turning a notification into a
referral opens the case through the intake's own service (palermo.cases.services.intake.intake_submit, with
its consent rule: an adult's agreement is the consent to the referral), links the two and records the link in
the audit log, all or nothing; a notification is referred once.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.anonymous.models import AnonymousNotification, NotificationStatus
from palermo.audit.services import audit_on_record
from palermo.cases.exploitation import check_new_forms
from palermo.cases.models import AgeGroup, Case
from palermo.cases.reference import Gender
from palermo.cases.services.intake import INTAKE_ROLES, Referral, intake_submit
from palermo.core import iso
from palermo.core.concurrency import bump_version, lock_for_edit

MAX_LEAFLET = 100
OBJECT_TYPE = "anonymous_notification"


def may_notify(membership: Membership) -> bool:
    return membership.role in INTAKE_ROLES


def _month(value: datetime.date | None, name: str, errors: dict[str, object]) -> datetime.date | None:
    if value is None:
        return None
    first = value.replace(day=1)
    if first > timezone.localdate().replace(day=1):
        errors[name] = _("The month cannot be in the future.")
    return first


def _clean_region(country: str, region: str, errors: dict[str, object]) -> str:
    """An ISO 3166-2 code ("IT-82"), of the country of exploitation when one is given."""
    region = region.strip().upper()
    if not region:
        return ""
    its_country = iso.region_country(region)
    if its_country is None:
        errors["exploitation_region"] = _("Give the region's ISO 3166-2 code, for example IT-82.")
    elif country and its_country != country:
        errors["exploitation_region"] = _("This region is not in the country of exploitation.")
    return region


def clean_facts(facts: dict[str, object]) -> dict[str, object]:
    """The notification's facts, validated; ValidationError by field."""
    errors: dict[str, object] = {}
    cleaned: dict[str, object] = {}
    gender = str(facts.get("gender") or Gender.UNKNOWN)
    if gender not in Gender.values:
        errors["gender"] = _("Choose a gender from the list.")
    age_group = str(facts.get("age_group") or AgeGroup.UNKNOWN)
    if age_group not in AgeGroup.values:
        errors["age_group"] = _("Choose an age band from the list.")
    nationality = str(facts.get("nationality") or "").strip()
    if nationality:
        nationality = iso.normalise_country(nationality) or ""
        if not nationality:
            errors["nationality"] = _("Choose a country (ISO 3166 alpha-3 code).")
    country = str(facts.get("exploitation_country") or "").strip()
    if country:
        country = iso.normalise_country(country) or ""
        if not country:
            errors["exploitation_country"] = _("Choose a country (ISO 3166 alpha-3 code).")
    form = str(facts.get("exploitation_form") or "")
    if form:
        try:
            check_new_forms([form])
        except ValidationError as refused:
            errors["exploitation_form"] = refused.messages
    leaflet = str(facts.get("leaflet") or "").strip()
    if len(leaflet) > MAX_LEAFLET:
        errors["leaflet"] = _("At most %(limit)d characters.") % {"limit": MAX_LEAFLET}
    language = str(facts.get("leaflet_language") or "").strip()
    if language:
        language = iso.normalise_language(language) or ""
        if not language:
            errors["leaflet_language"] = _("Choose the leaflet's language.")
    given = bool(facts.get("rights_information_given"))
    if given and not (leaflet and language):
        errors["leaflet" if not leaflet else "leaflet_language"] = _(
            "Say which leaflet was given, and in which language."
        )
    met_in = facts.get("met_in") or timezone.localdate()
    assert isinstance(met_in, datetime.date)  # noqa: S101  (forms and serializers give dates)
    exploitation_month = facts.get("exploitation_month")
    assert exploitation_month is None or isinstance(exploitation_month, datetime.date)  # noqa: S101
    cleaned.update(
        gender=gender,
        age_group=age_group,
        nationality=nationality,
        exploitation_form=form,
        exploitation_country=country,
        exploitation_region=_clean_region(country, str(facts.get("exploitation_region") or ""), errors),
        exploitation_month=_month(exploitation_month, "exploitation_month", errors),
        met_in=_month(met_in, "met_in", errors),
        rights_information_given=given,
        leaflet=leaflet if given else "",
        leaflet_language=language if given else "",
    )
    if errors:
        raise ValidationError(errors)
    return cleaned


def anonymous_notification_record(
    *, actor: User, membership: Membership, facts: dict[str, object]
) -> AnonymousNotification:
    """Record that a possible victim was met and declined to be referred, with the facts statistics need."""
    if not may_notify(membership) or membership.user_id != actor.pk:
        raise PermissionDenied("this role does not refer")
    cleaned = clean_facts(facts)
    with transaction.atomic():
        notification = AnonymousNotification(agency_id=membership.agency_id, recorded_by=actor, **cleaned)
        notification.save()
        audit_on_record(
            notification,
            OBJECT_TYPE,
            "anonymous.record",
            Tier.METADATA,
            actor=actor,
            membership=membership,
        )
    return notification


def anonymous_notification_convert(
    *,
    actor: User,
    membership: Membership,
    notification: AnonymousNotification,
    referral: Referral,
    expected_version: int,
) -> Case:
    """The person agrees now: open the case through the intake and link it, all or nothing. Refused once
    referred (ValidationError), by another agency (PermissionDenied), when stale (StaleEdit)."""
    if not may_notify(membership) or notification.agency_id != membership.agency_id:
        raise PermissionDenied("not this agency's notification")
    with transaction.atomic():
        locked = lock_for_edit(AnonymousNotification, pk=notification.pk, expected_version=expected_version)
        if locked.status != NotificationStatus.DECLINED:
            raise ValidationError(_("This notification has already become a referral."), code="referred")
        case = intake_submit(actor=actor, membership=membership, referral=referral)
        locked.status, locked.case = NotificationStatus.REFERRED, case
        locked.converted_at, locked.converted_by = timezone.now(), actor
        bump_version(locked)
        locked.save(update_fields=["status", "case", "converted_at", "converted_by", "version"])
        audit_on_record(
            locked,
            OBJECT_TYPE,
            "anonymous.convert",
            Tier.METADATA,
            actor=actor,
            membership=membership,
            case=case,
        )
    notification.status, notification.case, notification.version = locked.status, case, locked.version
    return case
