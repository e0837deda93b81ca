"""Applications for a residence status: lodged, corrected while pending, withdrawn.

Each application's decision is due `residence.application_decision_days` after it was lodged (a deadline
until it is decided or withdrawn); an appeal's, `residence.appeal_decision_days` after the appeal. Asylum is
lodged like any other kind and never closes or blocks a permit application, nor the other way round (the
paper: the two regimes are not mutually exclusive). A renewal names the permit it renews, exists only where
the rulebook and the permit say permits are renewable, and closes the permit's renewal-window deadline: the
renewal has been asked for.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write, require
from palermo.access.routing import RoutingEvent, case_route
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.periods import add_days
from palermo.core.rulebooks import rulebook
from palermo.core.stamps import stamped
from palermo.deadlines.services import cancel_deadlines, complete_deadlines, set_deadline_on
from palermo.residence.models import Application, ApplicationKind, ApplicationStatus, PermanentRoute, Permit
from palermo.residence.services.common import (
    changed,
    clean_authority,
    clean_day,
    deciding_agency,
    may_record_application,
    move,
)

DECISION_DUE_KIND = "residence.decision_due"
RENEWAL_KIND = "residence.renewal_window"
EXPIRY_KIND = "residence.permit_expiry"
COUNTRY_MAX_LENGTH = 100

LODGED = gettext_noop("Application lodged: %(kind)s")
CORRECTED = gettext_noop("Application corrected: %(kind)s")
WITHDRAWN = gettext_noop("Application withdrawn: %(kind)s")


@dataclass(frozen=True)
class ApplicationInput:
    kind: str
    authority: str
    lodged_on: datetime.date | None = None
    route: str = ""
    renews: Permit | None = None
    destination_country: str = ""


def kind_label(kind: str) -> str | Promise:
    """The kind's label, as a record's text takes it (said in the record language, kept by its source)."""
    return ApplicationKind(kind).label


def _application_changed(
    application: Application, message: str, action: str, tier: int, *, actor: User, membership: Membership
) -> None:
    """A change to the application itself; `message` (gettext_noop) names the application's kind."""
    changed(
        application,
        application,
        message,
        action,
        tier,
        actor=actor,
        membership=membership,
        object_type="residence_application",
        values={"kind": kind_label(application.kind)},
    )


def decision_due_on(lodged_on: datetime.date) -> datetime.date:
    """When the first decision on an application lodged that day falls due."""
    return add_days(lodged_on, rulebook().residence.application_decision_days)


def appeal_decision_due_on(lodged_on: datetime.date) -> datetime.date:
    """When the decision on an appeal lodged that day falls due: the appeal body has its own period."""
    return add_days(lodged_on, rulebook().residence.appeal_decision_days)


def awaited_decision_due_on(
    application: Application, last_appeal_on: datetime.date | None
) -> datetime.date | None:
    """When the decision the application awaits falls due: its appeal's under appeal (`last_appeal_on`, the
    day the latest appeal was lodged, is the open one's), its own while pending; None once decided or
    withdrawn."""
    if application.status == ApplicationStatus.APPEALED and last_appeal_on is not None:
        return appeal_decision_due_on(last_appeal_on)
    if application.status == ApplicationStatus.PENDING:
        return decision_due_on(application.lodged_on)
    return None


def set_decision_deadline(application: Application) -> None:
    set_deadline_on(
        decision_due_on(application.lodged_on),
        case=application.case,
        kind=DECISION_DUE_KIND,
        source=application,
        agency=deciding_agency(application.case),
    )


def _clean_route(kind: str, route: str) -> str:
    if kind != ApplicationKind.PERMANENT:
        return ""
    if route not in PermanentRoute.values:
        raise ValidationError(_("Choose the route to permanent residence."), code="route")
    return route


def _clean_renewal(case: Case, kind: str, permit: Permit | None) -> Permit | None:
    if kind != ApplicationKind.RENEWAL:
        return None
    if not rulebook().residence.renewable:
        raise ValidationError(
            _("The rulebook in force does not allow residence permits to be renewed."), code="not_renewable"
        )
    if permit is None or permit.case_id != case.pk:
        raise ValidationError(_("Choose the permit to renew."), code="renews")
    if not permit.renewable or permit.renewed_by_id is not None:
        raise ValidationError(_("This permit cannot be renewed (again)."), code="renews")
    if Application.objects.filter(
        renews=permit, status__in=(ApplicationStatus.PENDING, ApplicationStatus.APPEALED)
    ).exists():
        raise ValidationError(_("A renewal of this permit is already pending."), code="renewal_pending")
    return permit


def _clean_country(case: Case, membership: Membership, kind: str, country: str) -> str:
    country = (country or "").strip()
    if kind != ApplicationKind.RESETTLEMENT or not country:
        return ""
    require(can_write(membership, case, Tier.LOCATION), "the country of resettlement is T3")
    if len(country) > COUNTRY_MAX_LENGTH:
        raise ValidationError(_("At most %(limit)d characters."), params={"limit": COUNTRY_MAX_LENGTH})
    return country


@transaction.atomic
def application_lodge(
    *, actor: User, membership: Membership, case: Case, data: ApplicationInput
) -> Application:
    """Record an application lodged with an authority, with its decision deadline."""
    require(may_record_application(membership, case), "this membership may not record applications here")
    if data.kind not in ApplicationKind.values:
        raise ValidationError(_("Choose the kind of application."), code="kind")
    application = Application.objects.create(
        case=case,
        kind=data.kind,
        route=_clean_route(data.kind, data.route),
        lodged_on=clean_day(data.lodged_on, case),
        authority=clean_authority(data.authority),
        renews=_clean_renewal(case, data.kind, data.renews),
        destination_country=_clean_country(case, membership, data.kind, data.destination_country),
        **stamped(actor, membership, by="lodged_by", at="created_at"),
    )
    set_decision_deadline(application)
    if application.renews is not None:
        complete_deadlines(application.renews, RENEWAL_KIND)
    tier = Tier.LOCATION if application.destination_country else Tier.METADATA
    _application_changed(application, LODGED, "residence.lodge", tier, actor=actor, membership=membership)
    case_route(case=case, event=RoutingEvent.RESIDENCE_APPLICATION)
    return application


def _locked(application: Application, expected_version: int) -> Application:
    locked = lock_for_edit(Application, pk=application.pk, expected_version=expected_version)
    locked.case = application.case
    return locked


@transaction.atomic
def application_correct(
    *,
    actor: User,
    membership: Membership,
    application: Application,
    authority: str,
    lodged_on: datetime.date,
    expected_version: int,
) -> Application:
    """Correct a pending application's authority or day; its decision deadline moves with the day."""
    case = application.case
    require(may_record_application(membership, case), "this membership may not correct applications here")
    authority, lodged_on = clean_authority(authority), clean_day(lodged_on, case)
    locked = _locked(application, expected_version)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(_("Only a pending application can be corrected."), code="not_pending")
    locked.authority, locked.lodged_on = authority, lodged_on
    bump_version(locked)
    locked.save(update_fields=["authority", "lodged_on", "version"])
    set_decision_deadline(locked)
    _application_changed(
        locked, CORRECTED, "residence.correct", Tier.METADATA, actor=actor, membership=membership
    )
    return locked


@transaction.atomic
def application_withdraw(
    *, actor: User, membership: Membership, application: Application, expected_version: int
) -> Application:
    """The person withdrew the application (or the appeal): nothing is due on it any more."""
    case = application.case
    require(may_record_application(membership, case), "this membership may not withdraw applications here")
    locked = _locked(application, expected_version)
    locked.save(update_fields=move(locked, ApplicationStatus.WITHDRAWN))
    cancel_deadlines(locked)
    for appeal in locked.appeals.filter(decision__isnull=True):
        cancel_deadlines(appeal)
    _application_changed(
        locked, WITHDRAWN, "residence.withdraw", Tier.METADATA, actor=actor, membership=membership
    )
    return locked
