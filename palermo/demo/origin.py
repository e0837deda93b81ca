"""Demo country-of-origin information: a synthetic sample base, loaded through the import (all or nothing) by
the demo case manager, whom the access matrix lets write it; sample partner organisations; and citations of
sample entries in a few demo residence decisions, one of them changed since it was cited.

Everything here is made up and marked as a sample (`is_sample`, and the words "synthetic sample" in every
source): it is not advice and says nothing true about any country. Idempotent: a base that holds sample
entries, partners or citations is left as it is.
"""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.demo.common import demo_member, done_by
from palermo.origin.models import Citation, CountryEntry, Partner, Topic
from palermo.origin.services.citations import citation_add
from palermo.origin.services.entries import EntryData, entry_update
from palermo.origin.services.partners import PartnerData, partner_create
from palermo.origin.services.transfer import entries_import
from palermo.residence.citing import KIND
from palermo.residence.models import Decision
from palermo.residence.services.common import may_decide

DEMO_MANAGER = "demo.casemanager"
DEMO_MIGRATION = "demo.migration"
SAMPLE = "Synthetic sample, not advice"
PUBLISHER = "Palermo demo data (synthetic)"
# Country, region (ISO 3166-2, blank: the whole country), and the partner's languages.
COUNTRIES = (
    ("ALB", "", ("sqi", "eng")),
    ("VNM", "VN-HN", ("vie",)),
    ("NGA", "NG-ED", ("eng", "yor")),
    ("ERI", "", ("tir", "ara")),
    ("ROU", "", ("ron",)),
    ("UKR", "", ("ukr", "rus")),
)
SUMMARIES = {
    Topic.RISK_ON_RETURN: (
        "Sample text: returnees whose recruiters are still active may face pressure to repay debts; the risk "
        "is reported as higher where the family vouched for the debt."
    ),
    Topic.STIGMA: (
        "Sample text: people returning after sexual exploitation report rejection in their home communities "
        "more often than those returning after labour exploitation."
    ),
    Topic.CONFIDENTIAL_SUPPORT: (
        "Sample text: two NGOs offer confidential counselling in the capital; outside it, support depends on "
        "local social services without specialised staff."
    ),
    Topic.PROSECUTION_OF_VICTIMS: (
        "Sample text: the law penalises irregular exit; no non-punishment clause covers victims of "
        "trafficking, and prosecutions of returnees have been reported."
    ),
    Topic.REINTEGRATION: (
        "Sample text: a reintegration grant covers three months of housing; vocational training places are "
        "few and far from rural areas."
    ),
}
RELIABILITY = "Synthetic sample: no real source. A real entry says who wrote the source and how they know."
STALE_DAYS = 500  # some sample entries were last reviewed long ago: they show as due for review


def sample_rows(today: datetime.date) -> list[dict[str, str]]:
    rows = []
    for number, (country, region, _languages) in enumerate(COUNTRIES):
        for offset, (topic, summary) in enumerate(SUMMARIES.items()):
            source_date = today - datetime.timedelta(days=200 + 37 * number + 11 * offset)
            reviewed = today - datetime.timedelta(days=STALE_DAYS) if (number + offset) % 4 == 0 else None
            rows.append(
                {
                    "country": country,
                    "region": region if offset % 2 else "",
                    "topic": str(topic),
                    "source_title": f"{SAMPLE}: {Topic(topic).label} ({country})",
                    "source_publisher": PUBLISHER,
                    "source_date": source_date.isoformat(),
                    "source_link": "https://example.org/synthetic-sample",
                    "summary": summary,
                    "reliability": RELIABILITY,
                    "reviewed_on": max(reviewed, source_date).isoformat() if reviewed else "",
                }
            )
    return rows


def load_entries(manager: Membership) -> None:
    if CountryEntry.objects.filter(is_sample=True).exists():
        return
    content = json.dumps({"entries": sample_rows(timezone.localdate())}).encode()
    entries_import(actor=manager.user, membership=manager, content=content, form="json", is_sample=True)


def load_partners(manager: Membership) -> None:
    if Partner.objects.filter(is_sample=True).exists():
        return
    for number, (country, region, languages) in enumerate(COUNTRIES):
        services = ["risk_assessment", "reception", "housing", "follow_up", "referral"]
        partner_create(
            **done_by(manager),
            is_sample=True,
            data=PartnerData(
                name=f"Sample Return Partner {number + 1} (synthetic)",
                kind="ngo" if number % 2 == 0 else "international",
                country=country,
                region=region,
                description=SAMPLE + ".",
                contact_name="Reception desk",
                email=f"desk{number + 1}@example.org",
                phone=f"+000 555 01{number:02d}",
                website="https://example.org/",
                services=services if number % 3 else [*services, "legal", "medical"],
                languages=list(languages),
            ),
        )


def cite(member: Membership, kind: str, decision_id: int, entry: CountryEntry) -> None:
    """`member` cites `entry` in the decision of this registered kind (the returns demo cites too)."""
    citation_add(
        actor=member.user, membership=member, decision_kind=kind, decision_id=decision_id, entry_id=entry.pk
    )


def load_citations(manager: Membership, decider: Membership | None) -> None:
    """Cite the first sample entries in a few demo decisions, then change one cited entry."""
    if Citation.objects.exists() or decider is None:
        return
    entries = list(CountryEntry.objects.filter(is_sample=True, topic=Topic.RISK_ON_RETURN).order_by("pk")[:3])
    decisions = Decision.objects.select_related("application__case").order_by("pk")[:3]
    cited = []
    for decision, entry in zip(decisions, entries, strict=False):
        if not may_decide(decider, decision.application.case):
            continue
        try:
            cite(decider, KIND, decision.pk, entry)
        except (ValidationError, PermissionDenied):
            continue
        cited.append(entry)
    if cited:
        entry = cited[0]
        values = {name: getattr(entry, name) for name in EntryData.__dataclass_fields__}
        values["summary"] += " Sample update: the risk is now reported as lower in the capital."
        entry_update(
            **done_by(manager),
            entry=entry,
            data=EntryData(**values),
            expected_version=entry.version,
        )


def load_demo(cases: list[Case]) -> None:
    manager = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    if manager is None:
        return
    with transaction.atomic():
        load_entries(manager)
        load_partners(manager)
    migration = demo_member(DEMO_MIGRATION, Role.MIGRATION_OFFICER)
    load_citations(manager, migration if migration is not None else manager)
