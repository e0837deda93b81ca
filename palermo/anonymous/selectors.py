"""Reads of anonymous notifications: an agency's own list and one of them (404 for anyone else's), and the
national figures with small cells withheld (palermo.core.disclosure)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.anonymous.models import AnonymousNotification, NotificationStatus
from palermo.anonymous.services import may_notify
from palermo.cases.reference import ExploitationForm
from palermo.core.disclosure import Cell, count_cell

FIGURE_READERS = frozenset({Role.FIRST_RESPONDER, Role.CASE_MANAGER, Role.RAPPORTEUR})


def notifications_of(membership: Membership) -> QuerySet[AnonymousNotification]:
    """The notifications of the agency the member acts for, newest first."""
    if not may_notify(membership):
        return AnonymousNotification.objects.none()
    return AnonymousNotification.objects.filter(agency_id=membership.agency_id).select_related("case")


def notification_for(membership: Membership, pk: int) -> AnonymousNotification:
    return get_object_or_404(notifications_of(membership), pk=pk)


@dataclass(frozen=True)
class FormFigure:
    form: str
    label: str
    declined: Cell[int]
    referred_later: Cell[int]


@dataclass(frozen=True)
class Figures:
    """Possible victims met who declined to be referred, nationally: in all, later referred, by form."""

    declined: Cell[int]
    referred_later: Cell[int]
    by_form: tuple[FormFigure, ...]


def figures() -> Figures:
    """One query. A notification later referred counts in both columns: it was a refusal first."""
    rows = (
        AnonymousNotification.objects.order_by()
        .values("exploitation_form", "status")
        .annotate(number=Count("pk"))
    )
    declined: dict[str, int] = {}
    referred: dict[str, int] = {}
    for row in rows:
        form = row["exploitation_form"]
        declined[form] = declined.get(form, 0) + row["number"]
        if row["status"] == NotificationStatus.REFERRED:
            referred[form] = referred.get(form, 0) + row["number"]
    labels = dict(ExploitationForm.choices)
    by_form = tuple(
        FormFigure(
            form=form or "unknown",
            label=str(labels.get(form, form)) if form else "",
            declined=count_cell(declined[form]),
            referred_later=count_cell(referred.get(form, 0)),
        )
        for form in sorted(declined, key=lambda f: (f == "", f))
    )
    return Figures(
        declined=count_cell(sum(declined.values())),
        referred_later=count_cell(sum(referred.values())),
        by_form=by_form,
    )
