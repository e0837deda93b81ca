"""Return and resettlement decisions as the origin area's citations name them (palermo.origin.citations,
decision 0036): clearing a voluntary return and the outcome of a resettlement may rest on country information,
so each return and each resettlement may cite entries; those who may work on them on the case may cite."""

from __future__ import annotations

from django.db.models import Model
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palermo.access.policy import can_see_case
from palermo.accounts.models import Membership
from palermo.cases.web import section_url
from palermo.origin.citations import CitedDecision, DecisionKind
from palermo.returns.models import Resettlement, VoluntaryReturn
from palermo.returns.services.common import RETURNS
from palermo.returns.services.resettlement import may_work_on_resettlement
from palermo.returns.services.returns import may_work_on_return

RETURN_KIND = "returns.return"
RESETTLEMENT_KIND = "returns.resettlement"


def _locate(
    model: type[Model], label: str, day_field: str, membership: Membership, pk: int
) -> CitedDecision | None:
    record = model._default_manager.select_related("case").filter(pk=pk).first()
    if record is None or not can_see_case(membership, record.case):  # type: ignore[attr-defined]
        return None
    case = record.case  # type: ignore[attr-defined]
    # Kinds and dates only (T1): the country of return or resettlement is location (T3).
    return CitedDecision(
        case, section_url(case, "returns"), label % {"day": date_format(getattr(record, day_field))}
    )


def locate_return(membership: Membership, return_id: int) -> CitedDecision | None:
    return _locate(
        VoluntaryReturn, _("Voluntary return asked on %(day)s"), "requested_on", membership, return_id
    )


def locate_resettlement(membership: Membership, resettlement_id: int) -> CitedDecision | None:
    label = _("Resettlement started on %(day)s")
    return _locate(Resettlement, label, "started_on", membership, resettlement_id)


RETURN_DECISION = DecisionKind(
    RETURN_KIND,
    gettext_lazy("Voluntary return: clearance to proceed"),
    locate_return,
    may_work_on_return,
    RETURNS,
)
RESETTLEMENT_DECISION = DecisionKind(
    RESETTLEMENT_KIND,
    gettext_lazy("Resettlement to a third country: outcome"),
    locate_resettlement,
    may_work_on_resettlement,
    RETURNS,
)
