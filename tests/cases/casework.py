"""Cases for the case-screen tests (lists, search, case page, lifecycle, notes, documents, timeline).

Cases are set up directly (the intake has its own tests); team entries and everything under test go through
the services. People are synthetic, from Faker in several scripts (tests/factories.py).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.test import RequestFactory
from django.utils import timezone

from palermo.access.models import CaseTeamMember
from palermo.access.tiered import read_ledger
from palermo.accounts.models import Agency, User
from palermo.cases.models import Case, CaseExploitation, Person
from palermo.cases.web import render_section, visible_case
from tests.factories import CaseFactory, PersonFactory


def make_case(lead_agency: Agency, *, forms: tuple[str, ...] = (), **fields: Any) -> Case:
    case = CaseFactory(lead_agency=lead_agency, **fields)
    CaseExploitation.objects.bulk_create([CaseExploitation(case=case, form=form) for form in forms])
    return case


def add_person(case: Case, *, birth_date: datetime.date | None = None) -> Person:
    return PersonFactory(case=case, birth_date=birth_date)


def put_on_team(case: Case, member: User, *, whole_agency: bool = True) -> CaseTeamMember:
    """Put the member's agency (or the member alone) on the case team."""
    membership = member.membership  # type: ignore[attr-defined]
    entry = CaseTeamMember(
        case=case,
        agency=membership.agency,
        user=None if whole_agency else member,
        reason="set-up",
        added_at=timezone.now(),
    )
    entry.save()
    return entry


def team_case(member: User, **fields: Any) -> Case:
    """A case led by the member's agency, with that agency on its team."""
    case = make_case(member.membership.agency, **fields)  # type: ignore[attr-defined]
    put_on_team(case, member)
    return case


def own_case(member: User) -> Case:
    """A case led by the member's agency, with the member alone (not their agency) on its team."""
    case = make_case(member.membership.agency)  # type: ignore[attr-defined]
    put_on_team(case, member, whole_agency=False)
    return case


def htmx(**headers: str) -> dict[str, str]:
    """Request headers of an HTMX request."""
    return {"HTTP_HX_REQUEST": "true", **headers}


def section_alone(user: User, case: Case, area: str, queries: int, assert_num_queries: Any) -> str:
    """An area's section of the case page as its HTMX request renders it, in exactly `queries` queries: those
    of the section, not those of the request (session, user, membership, the case and its tiers, and the
    record of its reads, written once the request has answered)."""
    request = RequestFactory().get("/", HTTP_HX_REQUEST="true")
    request.user, request.session, request.htmx = user, {}, True
    visible, tiers = visible_case(request, case.reference)  # and the membership the user acts through
    with read_ledger(), assert_num_queries(queries):
        return render_section(request, visible, tiers, area).content.decode()
