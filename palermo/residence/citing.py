"""Residence decisions as the origin area's citations name them (palermo.origin.citations): a decision on a
residence, asylum, humanitarian-grounds or resettlement application may cite country information; those who
may decide on the case may cite."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palermo.access.policy import can_see_case
from palermo.accounts.models import Membership
from palermo.cases.models import EventKind
from palermo.origin.citations import CitedDecision, DecisionKind
from palermo.residence.models import Decision
from palermo.residence.services.common import may_decide

KIND = "residence.decision"


def locate(membership: Membership, decision_id: int) -> CitedDecision | None:
    decision = Decision.objects.select_related("application__case").filter(pk=decision_id).first()
    if decision is None or not can_see_case(membership, decision.application.case):
        return None
    application = decision.application
    label = _("%(kind)s: decision of %(day)s") % {
        "kind": application.get_kind_display(),
        "day": date_format(decision.decided_on),
    }
    url = reverse("residence:application", args=[application.case.reference, application.pk])
    return CitedDecision(application.case, url, label)


DECISION_KIND = DecisionKind(
    KIND,
    gettext_lazy("Residence, asylum or humanitarian-grounds decision"),
    locate,
    may_decide,
    EventKind.DECISION,
)
