"""Quality of services (brief §3.4, §5): per provider, how fast it answers referrals, how many it accepts,
how many services it completes, and what the people served think of them.

Aggregates only (T0): counts, averages and rates per provider agency, never a case, a reference or a
person's words, so the national coordinator / rapporteur may read them. One grouped query. What is shown
goes through `ProviderQuality.cells()` (palermo.core.disclosure): a count of too few referrals, and an
average or rate computed from too few (an average of one or two ratings is those people's own answer), is
withheld.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q

from palermo.assistance.models import Referral, ReferralStatus
from palermo.core.disclosure import Cell, computed_cell, count_cell

ACCEPTED_ONES = (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED, ReferralStatus.CLOSED)


@dataclass(frozen=True)
class ProviderQuality:
    provider_id: int
    provider: str
    referrals: int
    waiting: int
    answered: int
    accepted: int
    declined: int
    completed: int
    average_response: datetime.timedelta | None
    average_rating: float | None
    ratings: int

    @property
    def average_response_days(self) -> float | None:
        return self.average_response.total_seconds() / 86400 if self.average_response is not None else None

    @property
    def acceptance_rate(self) -> float | None:
        """Share of answered referrals the provider accepted (None before any answer)."""
        return self.accepted / self.answered if self.answered else None

    def cells(self) -> dict[str, Cell[int] | Cell[float]]:
        """Every figure as it may be shown, in the order of the page's columns."""
        return {
            "referrals": count_cell(self.referrals),
            "waiting": count_cell(self.waiting),
            "answered": count_cell(self.answered),
            "accepted": count_cell(self.accepted),
            "declined": count_cell(self.declined),
            "completed": count_cell(self.completed),
            "average_response_days": computed_cell(self.average_response_days, self.answered),
            "acceptance_rate": computed_cell(self.acceptance_rate, self.accepted, self.answered),
            "average_rating": computed_cell(self.average_rating, self.ratings),
            "ratings": count_cell(self.ratings),
        }


def provider_quality() -> list[ProviderQuality]:
    response_time = ExpressionWrapper(F("responded_at") - F("sent_at"), output_field=DurationField())
    rows = (
        Referral.objects.values("provider_id", "provider__name")
        .annotate(
            n=Count("pk"),
            n_waiting=Count("pk", filter=Q(status=ReferralStatus.SENT)),
            n_answered=Count("pk", filter=Q(responded_at__isnull=False)),
            n_accepted=Count("pk", filter=Q(status__in=ACCEPTED_ONES)),
            n_declined=Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
            n_completed=Count("pk", filter=Q(status=ReferralStatus.COMPLETED)),
            response=Avg(response_time, filter=Q(responded_at__isnull=False)),
            rating=Avg("feedback_rating"),
            n_ratings=Count("feedback_rating"),
        )
        .order_by("provider__name", "provider_id")
    )
    return [
        ProviderQuality(
            provider_id=row["provider_id"],
            provider=row["provider__name"],
            referrals=row["n"],
            waiting=row["n_waiting"],
            answered=row["n_answered"],
            accepted=row["n_accepted"],
            declined=row["n_declined"],
            completed=row["n_completed"],
            average_response=_duration(row["response"]),
            average_rating=float(row["rating"]) if row["rating"] is not None else None,
            ratings=row["n_ratings"],
        )
        for row in rows
    ]


def _duration(value: object) -> datetime.timedelta | None:
    """Backends answer an average duration as a timedelta or as microseconds."""
    if value is None or isinstance(value, datetime.timedelta):
        return value
    return datetime.timedelta(microseconds=float(value))  # type: ignore[arg-type]
