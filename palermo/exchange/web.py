"""What both doors of the exchange share: who reaches them, and the downloads' names and types."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.cases.services.intake import INTAKE_ROLES
from palermo.exchange.ctdc import ctdc_export
from palermo.exchange.roles import (
    AGGREGATE_EXPORT_ROLES,
    ROW_EXPORT_ROLES,
    may_export_aggregates,
    may_export_rows,
)
from palermo.exchange.services import htcds_export, htcds_seal

# Every role with some exchange to do; each part of the page and the API checks its own (roles.py).
EXCHANGE_ROLES = tuple(sorted(INTAKE_ROLES | ROW_EXPORT_ROLES | AGGREGATE_EXPORT_ROLES))
# Who is shown the way to the Eurostat export, which lives with the statistics (the rapporteur's, as
# palermo.statistics.web.STATISTICS_ROLES: a sibling app, not imported).
EUROSTAT_ROLES = frozenset({Role.RAPPORTEUR})
SEALED_TYPE = "application/octet-stream"
CSV_TYPE = "text/csv; charset=utf-8"
HTCDS_NAME = "htcds-export.sealed"
CTDC_NAME = "ctdc-export.csv"


def export_response(user: User, membership: Membership, kind: str) -> HttpResponse:
    """An export as a download: `htcds` (sealed, the cases the member may read at T2) or `ctdc`
    (k-anonymised CSV), each audited by its service. Any other kind, or a role without it: 404."""
    if kind == "htcds" and may_export_rows(membership):
        body = htcds_seal(htcds_export(actor=user, membership=membership))
        content_type, name = SEALED_TYPE, HTCDS_NAME
    elif kind == "ctdc" and may_export_aggregates(membership):
        body = ctdc_export(actor=user, membership=membership).encode("utf-8")
        content_type, name = CSV_TYPE, CTDC_NAME
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
