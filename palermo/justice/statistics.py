"""The statistics feed of the justice area: aggregates for the statistics area (T0), never one person's
record. Each selector answers one figure table from a fixed number of queries, optionally for records dated
within [since, until]; none returns a case, a reference, a name or an amount of one claim.

- `proceedings_by_stage`: proceedings counted by kind and stage (and the cases taking part);
- `hearing_measures`: protective measures at hearings, by kind: requested, granted, refused, not honoured;
- `compensation_totals`: by currency and route: claims, amounts claimed, awarded, paid and unpaid;
- `non_punishment`: requests by offence kind and by outcome, and immigration detentions recorded.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum

from palermo.justice.models import (
    CompensationClaim,
    Detention,
    HearingMeasure,
    MeasureDecision,
    NonPunishmentRequest,
    Proceeding,
    RequestOutcome,
)

ZERO = Decimal("0.00")


def _dated(field: str, since: datetime.date | None, until: datetime.date | None) -> Q:
    window = Q()
    if since is not None:
        window &= Q(**{f"{field}__gte": since})
    if until is not None:
        window &= Q(**{f"{field}__lte": until})
    return window


def proceedings_by_stage(
    since: datetime.date | None = None, until: datetime.date | None = None
) -> list[dict[str, Any]]:
    """[{kind, stage, proceedings, cases}] for proceedings opened in the window."""
    rows = (
        Proceeding.objects.filter(_dated("opened_on", since, until))
        .values("kind", "stage")
        .annotate(proceedings=Count("id", distinct=True), cases=Count("parties__case", distinct=True))
        .order_by("kind", "stage")
    )
    return [dict(row) for row in rows]


def hearing_measures(
    since: datetime.date | None = None, until: datetime.date | None = None
) -> list[dict[str, Any]]:
    """[{kind, requested, granted, refused, not_honoured}] for measures asked in the window (every measure
    asked counts as requested, whatever the court decided)."""
    rows = (
        HearingMeasure.objects.filter(_dated("requested_on", since, until))
        .values("kind")
        .annotate(
            requested=Count("id"),
            granted=Count("id", filter=Q(decision=MeasureDecision.GRANTED)),
            refused=Count("id", filter=Q(decision=MeasureDecision.REFUSED)),
            not_honoured=Count("id", filter=Q(decision=MeasureDecision.GRANTED, honoured=False)),
        )
        .order_by("kind")
    )
    return [dict(row) for row in rows]


def compensation_totals(
    since: datetime.date | None = None, until: datetime.date | None = None
) -> list[dict[str, Any]]:
    """[{currency, route, claims, claimed, awarded, paid, unpaid, awards_unpaid}] for claims made in the
    window; amounts are sums (Decimal), `awards_unpaid` the number of awards not fully paid."""
    rows = (
        CompensationClaim.objects.filter(_dated("claimed_on", since, until))
        .values("currency", "route")
        .annotate(
            claims=Count("id"),
            claimed=Sum("claimed_amount"),
            awarded=Sum("awarded_amount"),
            paid=Sum("paid_amount"),
        )
        .order_by("currency", "route")
    )
    unpaid_counts = {
        (row["currency"], row["route"]): row["n"]
        for row in CompensationClaim.objects.filter(
            _dated("claimed_on", since, until), awarded_amount__gt=F("paid_amount")
        )
        .values("currency", "route")
        .annotate(n=Count("id"))
    }
    answer = []
    for row in rows:
        awarded, paid = row["awarded"] or ZERO, row["paid"] or ZERO
        answer.append(
            {
                **row,
                "claimed": row["claimed"] or ZERO,
                "awarded": awarded,
                "paid": paid,
                "unpaid": max(awarded - paid, ZERO),
                "awards_unpaid": unpaid_counts.get((row["currency"], row["route"]), 0),
            }
        )
    return answer


def non_punishment(since: datetime.date | None = None, until: datetime.date | None = None) -> dict[str, Any]:
    """{requests: [{offence, outcome, requests}], granted, refused, pending, detentions} for requests made
    (and detentions begun) in the window. `granted`: not prosecuted, dropped or not punished."""
    requests = NonPunishmentRequest.objects.filter(_dated("requested_on", since, until))
    rows = list(
        requests.values("offence__kind", "outcome")
        .annotate(requests=Count("id"))
        .order_by("offence__kind", "outcome")
    )
    granted = {RequestOutcome.NOT_PROSECUTED, RequestOutcome.DROPPED, RequestOutcome.NOT_PUNISHED}
    return {
        "requests": [
            {"offence": r["offence__kind"], "outcome": r["outcome"], "requests": r["requests"]} for r in rows
        ],
        "granted": sum(r["requests"] for r in rows if r["outcome"] in granted),
        "refused": sum(r["requests"] for r in rows if r["outcome"] == RequestOutcome.REFUSED),
        "pending": sum(r["requests"] for r in rows if r["outcome"] == RequestOutcome.PENDING),
        "detentions": Detention.objects.filter(_dated("starts_on", since, until)).count(),
    }


def feed(since: datetime.date | None = None, until: datetime.date | None = None) -> dict[str, Any]:
    """Every table of the feed at once, for the statistics area."""
    return {
        "proceedings_by_stage": proceedings_by_stage(since, until),
        "hearing_measures": hearing_measures(since, until),
        "compensation": compensation_totals(since, until),
        "non_punishment": non_punishment(since, until),
    }
