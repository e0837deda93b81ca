"""The demo's sample information base: loaded once through the import, marked as a synthetic sample, with
partners in each sample country, some entries due for review, and a citation whose entry changed since."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.access.services import case_team_open
from palermo.accounts.models import Membership
from palermo.cases.models import Case, Phase
from palermo.demo import origin, residence
from palermo.demo.accounts import load_demo_accounts
from palermo.origin.models import Citation, CountryEntry, Partner
from palermo.origin.selectors import partners_for_country

pytestmark = pytest.mark.django_db


def test_the_sample_base_loads_once_marked_as_sample_and_cited(client_for):
    load_demo_accounts("demo-password-for-tests")
    manager = Membership.objects.select_related("user", "agency").get(user__username=origin.DEMO_MANAGER)
    migration = Membership.objects.select_related("user", "agency").get(user__username=origin.DEMO_MIGRATION)
    case = Case.objects.create(lead_agency=manager.agency, opened_by=manager.user, phase=Phase.ASSISTANCE)
    case_team_open(
        actor=manager.user, membership=manager, case=case, agencies=[manager.agency, migration.agency]
    )
    residence.load_demo([case])
    origin.load_demo([case])
    origin.load_demo([case])
    entries = CountryEntry.objects.all()
    assert entries.count() == len(origin.COUNTRIES) * len(origin.SUMMARIES)
    assert all(entry.is_sample and origin.SAMPLE in entry.source_title for entry in entries)
    assert Partner.objects.filter(is_sample=True).count() == len(origin.COUNTRIES)
    assert partners_for_country(manager.user, "ALB").count() == 1
    citation = Citation.objects.select_related("entry").get()
    assert citation.changed
    client = client_for(manager.user)
    page = client.get(reverse("origin:entries"), {"due": "on"}).content.decode()
    assert "Due for review" in page and "Sample" in page
    detail = client.get(reverse("origin:entry", args=[citation.entry_id])).content.decode()
    assert "not advice" in detail
