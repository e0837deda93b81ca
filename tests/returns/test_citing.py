"""Citing country information in a return or resettlement decision (palermo.origin, decision 0036): who works
on the return cites through the origin pages, the returns section shows each record's citations with the
"changed since cited" mark and the link to cite, a reader who may not work on returns cannot cite (404), and
the section's queries do not grow with the citations."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.cases.models import CaseEvent, EventKind
from palermo.origin.models import Citation
from palermo.origin.services.citations import citation_add
from palermo.origin.services.entries import entry_update
from palermo.returns.citing import RESETTLEMENT_KIND, RETURN_KIND
from palermo.returns.models import ResettlementChannel, ResettlementGround, ResettlementStatus
from palermo.returns.services.resettlement import resettlement_move, resettlement_start
from palermo.returns.services.returns import return_withdraw
from tests.cases.casework import put_on_team
from tests.origin.conftest import add_entry, entry_data
from tests.queries import Queries, assert_same_queries
from tests.returns.conftest import text
from tests.returns.test_return import request, who

pytestmark = pytest.mark.django_db


def section(client, case) -> str:
    return client.get(reverse("returns:section", args=[case.reference])).content.decode()


def cite(user, kind, record, entry):
    return citation_add(**who(user), decision_kind=kind, decision_id=record.pk, entry_id=entry.pk)


def resettle(manager, case):
    return resettlement_start(
        **who(manager),
        case=case,
        ground=ResettlementGround.RETURN_UNSAFE,
        grounds=text(),
        receiving_country="CAN",
        channel=ResettlementChannel.UNHCR,
        started_on=timezone.localdate() - datetime.timedelta(days=10),
    )


def test_a_return_cites_through_the_origin_page_and_the_section_shows_it(client_for, manager, adult_case):
    record = request(manager, adult_case)
    entry = add_entry(manager)
    client = client_for(manager)
    cite_url = reverse("origin:citations", args=[RETURN_KIND, record.pk])
    assert cite_url in section(client, adult_case) and "Cite country information" in section(
        client, adult_case
    )
    page = client.get(cite_url)
    assert page.status_code == 200 and "Voluntary return asked on" in page.content.decode()
    done = client.post(reverse("origin:cite", args=[RETURN_KIND, record.pk]), {"entry": entry.pk})
    assert done.status_code == 302
    assert Citation.objects.get().decision_kind == RETURN_KIND
    shown = section(client, adult_case)
    assert entry_data().source_title in shown and "Country information cited" in shown
    assert "Changed since cited" not in shown
    assert CaseEvent.objects.filter(
        case=adult_case, kind=EventKind.RETURN, summary__contains="cited"
    ).exists()


def test_an_entry_changed_since_cited_is_marked_on_the_section(client_for, manager, adult_case):
    record = request(manager, adult_case)
    resettlement = resettle(manager, adult_case)
    entry = add_entry(manager)
    cite(manager, RETURN_KIND, record, entry)
    cite(manager, RESETTLEMENT_KIND, resettlement, add_entry(manager, topic="stigma"))
    shown = section(client_for(manager), adult_case)
    assert "Changed since cited" not in shown
    assert reverse("origin:citations", args=[RESETTLEMENT_KIND, resettlement.pk]) in shown
    entry_update(
        **who(manager), entry=entry, data=entry_data(summary="Revised: lower risk."), expected_version=1
    )
    assert section(client_for(manager), adult_case).count("Changed since cited") == 1


def test_a_reader_who_may_not_work_on_returns_cannot_cite(client_for, make_member, manager, adult_case):
    record = request(manager, adult_case)
    entry = add_entry(manager)
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(adult_case, migration)
    client = client_for(migration)
    assert reverse("origin:citations", args=[RETURN_KIND, record.pk]) not in section(client, adult_case)
    refused = client.post(reverse("origin:cite", args=[RETURN_KIND, record.pk]), {"entry": entry.pk})
    assert refused.status_code == 404 and not Citation.objects.exists()
    outsider = client_for(make_member(Role.CASE_MANAGER))
    assert outsider.get(reverse("origin:citations", args=[RETURN_KIND, record.pk])).status_code == 404
    # Once cited, the reader sees the citation (T0 country information) but is still offered no way to cite.
    cite(manager, RETURN_KIND, record, entry)
    shown = section(client, adult_case)
    assert entry_data().source_title in shown and "Cite country information" not in shown


def test_the_section_reads_citations_in_constant_queries(client_for, manager, adult_case):
    today = timezone.localdate()
    record = request(manager, adult_case)
    resettlement = resettle(manager, adult_case)
    cite(manager, RETURN_KIND, record, add_entry(manager))
    cite(manager, RESETTLEMENT_KIND, resettlement, add_entry(manager, topic="stigma"))
    client = client_for(manager)
    url = reverse("returns:section", args=[adult_case.reference])
    client.get(url)
    with Queries() as few:
        client.get(url)
    for country in ("ALB", "GHA", "VNM"):
        # More citations on each record, and more records (one open at a time), each citing.
        entry = add_entry(manager, country=country)
        cite(manager, RETURN_KIND, record, entry)
        cite(manager, RESETTLEMENT_KIND, resettlement, entry)
        return_withdraw(
            **who(manager), voluntary_return=record, withdrawn_on=today, expected_version=record.version
        )
        resettlement_move(
            **who(manager),
            resettlement=resettlement,
            status=ResettlementStatus.WITHDRAWN,
            on=today,
            expected_version=resettlement.version,
        )
        record, resettlement = request(manager, adult_case), resettle(manager, adult_case)
        cite(manager, RETURN_KIND, record, entry)
        cite(manager, RESETTLEMENT_KIND, resettlement, entry)
    with Queries() as many:
        client.get(url)
    assert_same_queries(few, many)
