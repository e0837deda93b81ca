"""The one write of this area: recording a release (docs/decisions/0040). Reads of the other areas only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_on_record
from palermo.core.rulebooks import rulebook
from palermo.core.stamps import signed
from palermo.statistics.models import LedgerYear, Mechanism, PrivacySpend, Release
from palermo.statistics.publication import Parameters, compute
from palermo.statistics.registry import REGISTRY


def spent_in(year: int) -> float:
    """The privacy loss already spent on one data year by recorded releases."""
    return float(PrivacySpend.objects.filter(year=year).aggregate(total=Sum("epsilon"))["total"] or 0.0)


def _check(parameters: Parameters) -> None:
    unknown = [key for key in parameters.tables if key not in REGISTRY.tables]
    if unknown or not parameters.tables:
        raise ValidationError({"tables": _("Choose at least one table, from those listed.")})
    if parameters.threshold < rulebook().statistics.minimum_cell:
        raise ValidationError({"threshold": _("The smallest cell may not be lower than the rulebook's.")})
    if parameters.mechanism not in Mechanism.values:
        raise ValidationError({"mechanism": _("Choose a method from the list.")})
    if parameters.mechanism != Mechanism.NONE:
        if not parameters.epsilon or parameters.epsilon <= 0:
            raise ValidationError({"epsilon": _("Give the privacy loss (epsilon) to spend, above zero.")})
        if not parameters.years:
            raise ValidationError({"years": _("Name the years the release covers.")})
        if parameters.mechanism == Mechanism.GAUSSIAN and not (parameters.delta and 0 < parameters.delta < 1):
            raise ValidationError({"delta": _("Gaussian noise needs a delta between 0 and 1.")})


@transaction.atomic
def release_publish(*, actor: User, membership: Membership, title: str, parameters: Parameters) -> Release:
    """Compute, protect and record a release; a differentially private one is refused when it would take
    any year it covers past the rulebook's yearly budget."""
    _check(parameters)
    publication = compute(parameters)
    spent = publication.epsilon_spent if parameters.mechanism != Mechanism.NONE else None
    if spent is not None:
        budget = rulebook().statistics.privacy_budget_per_year
        for year in sorted(parameters.years):
            LedgerYear.objects.get_or_create(year=year)
        # Lock the years in one order, then read what they have spent: a concurrent release waits here.
        list(LedgerYear.objects.select_for_update().filter(year__in=parameters.years).order_by("year"))
        over = [year for year in sorted(parameters.years) if spent_in(year) + spent > budget + 1e-9]
        if over:
            raise ValidationError(
                {
                    "epsilon": _(
                        "This release would spend more than the year's privacy budget (%(budget)s) "
                        "for %(years)s."
                    )
                    % {"budget": budget, "years": ", ".join(map(str, over))}
                }
            )
    release = Release.objects.create(
        title=title,
        snapshot=parameters.snapshot,
        mechanism=parameters.mechanism,
        epsilon=spent,
        delta=parameters.delta if parameters.mechanism == Mechanism.GAUSSIAN else None,
        threshold=parameters.threshold,
        parameters=parameters.as_json(),
        cells=publication.published(),
        digest=publication.digest,
        **signed(actor, membership, by="created_by"),
    )
    if spent is not None:
        PrivacySpend.objects.bulk_create(
            PrivacySpend(release=release, year=year, epsilon=spent) for year in sorted(set(parameters.years))
        )
    audit_on_record(
        release,
        "statistics.release",
        "statistics.release",
        0,
        actor=actor,
        membership=membership,
        reason=f"mechanism={parameters.mechanism} epsilon={spent} tables={len(parameters.tables)}",
    )
    return release


def release_reproduces(release: Release) -> bool:
    """Whether the exact counts recomputed from the release's snapshot and parameters are those it was made
    from (true while the data of that snapshot have not been corrected since)."""
    return compute(Parameters.from_json(release.parameters), noise=False).digest == release.digest
