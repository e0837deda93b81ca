"""The load test's bulk set-up (bench/load_data.py, bench only): rows written with COPY are the rows the
models would write (sealed under each row's binding, found through the blind indexes), with the case team,
deadlines and referrals the pages under load read, and the application's own writes go on after them."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import load_data
from palermo.access.models import CaseTeamMember
from palermo.accounts.roles import AgencyType, Role
from palermo.assistance.models import ProviderService, Referral, ReferralLanguage, ServiceKind
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, IdentityDocument, Person, Phase
from palermo.cases.reference import CaseStatus
from palermo.core.fields import Sealed
from palermo.deadlines.models import Deadline
from palermo.demo import synthetic
from palermo.identification.deadlines import PRESUMED_KIND
from palermo.identification.services.decisions import may_decide

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

COUNT = 60


@pytest.fixture
def cast(make_agency, make_member):
    authority = make_member(Role.IDENTIFICATION_AUTHORITY).membership
    provider = make_agency(AgencyType.NGO)
    service = ProviderService.objects.create(agency=provider, kind=ServiceKind.LEGAL_INFORMATION, name="Desk")
    return load_data.Cast(
        leads=[make_agency(AgencyType.NGO), make_agency(AgencyType.POLICE)],
        authority=authority.agency,
        services=[service],
        referrer=make_member(Role.CASE_MANAGER).membership.user,
    ), authority


@pytest.mark.django_db
def test_cases_written_with_copy_are_the_rows_the_models_write(cast, monkeypatch):
    cast, authority = cast
    monkeypatch.setattr(load_data, "POOL", 20)
    load_data.load(COUNT, cast, say=lambda text: None)

    assert Case.objects.count() == Person.objects.count() == COUNT
    assert len(set(Case.objects.values_list("reference", flat=True))) == COUNT
    person = Person.objects.select_related("case").order_by("pk")[COUNT // 2]
    assert isinstance(Person.objects.values_list("given_names", flat=True).get(pk=person.pk), Sealed)
    full_name = f"{person.given_names} {person.family_names}"
    assert Person.objects.matching_name(full_name).filter(pk=person.pk).exists()
    document = IdentityDocument.objects.first()
    assert document is not None and document.number  # opens under its own row's binding

    for case in Case.objects.all():
        team = set(CaseTeamMember.objects.filter(case=case).values_list("agency_id", flat=True))
        assert team == {case.lead_agency_id, cast.authority.pk}
        deadline = Deadline.objects.get(case=case, kind=PRESUMED_KIND)
        waiting = case.phase == Phase.IDENTIFICATION and case.status == CaseStatus.ACTIVE
        assert (deadline.done_at is None) == waiting
    assisted = Case.objects.filter(phase__in=load_data.ASSISTED)
    assert Referral.objects.count() == assisted.count()
    assert set(Referral.objects.values_list("provider_id", flat=True)) <= {cast.services[0].agency_id}
    assert ReferralLanguage.objects.filter(referral__in=Referral.objects.all()).exists() == assisted.exists()
    assert AuditEvent.objects.filter(action=synthetic.AUDIT_ACTION).count() == 1

    waiting_case = Case.objects.filter(phase=Phase.IDENTIFICATION).first()
    assert waiting_case is not None and may_decide(authority, waiting_case)
    # The sequences moved past the keys written by hand: the application's own inserts go on.
    later = Case.objects.create(lead_agency=cast.leads[0])
    assert later.pk > max(Case.objects.exclude(pk=later.pk).values_list("pk", flat=True))
