"""Needs assessments and plans: T4 encrypted, one active plan, review dates as deadlines, the person's
agreement or refusal per service, timeline entries of kind ASSISTANCE."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.assistance.models import AssistancePlan, PersonChoice, PlanStatus
from palermo.assistance.services.plans import (
    PLAN_REVIEW,
    assessment_record,
    plan_close,
    plan_create,
    plan_service_add,
    plan_service_choice,
    plan_update,
)
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, EventKind
from palermo.core.concurrency import StaleEdit
from palermo.deadlines.models import Deadline
from tests.api.errors import api_error
from tests.assistance.conftest import current
from tests.cases.casework import htmx, put_on_team

pytestmark = pytest.mark.django_db

VIEW = "Я хочу сначала выучить язык, потом работать."


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def make_plan(manager, case, **values):
    defaults = {"goals": "Safety and health", "review_on": in_days(30), "person_view": VIEW}
    return plan_create(actor=manager, membership=manager.membership, case=case, **{**defaults, **values})


def test_assessment_and_plan_are_encrypted_and_on_the_timeline(manager, case):
    assessment_record(
        actor=manager,
        membership=manager.membership,
        case=case,
        needs=["medical_care"],
        summary="sleep problems",
    )
    plan = make_plan(manager, case, services=["medical_care", "education"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_view, goals FROM assistance_assistanceplan WHERE id = %s", [plan.pk])
        view, goals = cursor.fetchone()
    assert "язык" not in view and "Safety" not in goals
    assert AssistancePlan.objects.get(pk=plan.pk).person_view == VIEW
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", "tier"))
    assert kinds == {(EventKind.ASSISTANCE, 4)}
    assert AuditEvent.objects.filter(action="assistance.plan_create", tier=4).exists()
    assert [item.kind for item in plan.services.all()] == ["medical_care", "education"]


def test_the_review_date_is_a_deadline_moved_by_a_review_and_closed_with_the_plan(manager, case):
    plan = make_plan(manager, case)
    deadline = Deadline.objects.get(kind=PLAN_REVIEW)
    assert timezone.localtime(deadline.due_at).date() == in_days(30) and deadline.responsible_user == manager
    plan = plan_update(
        actor=manager,
        membership=manager.membership,
        plan=plan,
        expected_version=1,
        goals="Safety, health, school",
        review_on=in_days(60),
        responsible=manager,
    )
    deadline.refresh_from_db()
    assert timezone.localtime(deadline.due_at).date() == in_days(60)
    plan_close(actor=manager, membership=manager.membership, plan=plan, expected_version=current(plan))
    deadline.refresh_from_db()
    assert deadline.done_at is not None


def test_one_active_plan_and_a_stale_review_is_refused(manager, case):
    plan = make_plan(manager, case)
    assert make_plan(manager, case) == plan  # the same plan sent twice: drawn up already
    with pytest.raises(ValidationError):
        make_plan(manager, case, goals="Another plan")
    assert AssistancePlan.objects.count() == 1
    plan_update(
        actor=manager,
        membership=manager.membership,
        plan=plan,
        expected_version=1,
        goals="a",
        review_on=in_days(5),
        responsible=manager,
    )
    with pytest.raises(StaleEdit):
        plan_update(
            actor=manager,
            membership=manager.membership,
            plan=plan,
            expected_version=1,
            goals="b",
            review_on=in_days(5),
            responsible=manager,
        )
    assert AssistancePlan.objects.get().goals == "a"


def test_bad_dates_are_refused(manager, case):
    with pytest.raises(ValidationError):
        make_plan(manager, case, review_on=in_days(-1))
    with pytest.raises(ValidationError):
        make_plan(manager, case, review_on=in_days(10), planned_end=in_days(5))
    assert not AssistancePlan.objects.exists()


def test_the_person_agrees_or_refuses_each_service(manager, case):
    plan = make_plan(manager, case)
    item = plan_service_add(actor=manager, membership=manager.membership, plan=plan, kind="psychosocial_care")
    assert item.choice == PersonChoice.PENDING
    item = plan_service_choice(
        actor=manager, membership=manager.membership, item=item, choice=PersonChoice.REFUSED
    )
    assert item.choice == PersonChoice.REFUSED and item.choice_recorded_at is not None
    item = plan_service_choice(
        actor=manager, membership=manager.membership, item=item, choice=PersonChoice.AGREED
    )
    assert item.choice == PersonChoice.AGREED
    with pytest.raises(ValidationError):
        plan_service_choice(
            actor=manager, membership=manager.membership, item=item, choice=PersonChoice.PENDING
        )


def test_only_writers_of_narrative_plan(manager, make_member, case):
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(case, migration)
    with pytest.raises(PermissionDenied):
        make_plan(migration, case)
    with pytest.raises(PermissionDenied):
        assessment_record(actor=migration, membership=migration.membership, case=case, needs=["education"])


def test_the_plan_on_the_case_page_by_tier(manager, make_member, case, client_for):
    make_plan(manager, case, services=["education"])
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(case, migration)
    url = reverse("assistance:case", args=[case.reference])
    mine = client_for(manager).get(url, **htmx()).content.decode()
    assert "выучить" in mine and "Safety and health" in mine
    assert AuditEvent.objects.filter(action="assistance.read", tier=4, case=case).exists()
    theirs = client_for(migration).get(url, **htmx()).content.decode()
    assert "выучить" not in theirs and "Safety and health" not in theirs
    assert "Next review" in theirs


def test_drawing_up_and_choosing_through_the_page(manager, case, client_for):
    client = client_for(manager)
    response = client.post(
        reverse("assistance:plan_add", args=[case.reference]),
        {"goals": "Recover", "review_on": in_days(14).isoformat(), "services": ["medical_care"]},
        **htmx(),
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "case-changed"
    plan = AssistancePlan.objects.get(status=PlanStatus.ACTIVE)
    item = plan.services.get()
    response = client.post(
        reverse("assistance:plan_choice", args=[case.reference, item.pk]), {"choice": "agreed"}, **htmx()
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.choice == PersonChoice.AGREED
    bad = client.post(reverse("assistance:plan_add", args=[case.reference]), {"goals": "", "review_on": "x"})
    assert bad.status_code == 400


def test_reviewing_the_plan_page_and_its_conflict_screen(manager, case, client_for):
    plan = make_plan(manager, case)
    client = client_for(manager)
    url = reverse("assistance:plan_edit", args=[case.reference, plan.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    data = {"goals": "Mine", "review_on": in_days(20).isoformat(), "version": 1}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "goals": "Stale"})
    assert stale.status_code == 409 and "Stale" in stale.content.decode()
    assert AssistancePlan.objects.get().goals == "Mine"


def test_plan_api(manager, case, client_for):
    client = client_for(manager)
    created = client.post(
        reverse("api-assistance-plans", args=[case.reference]),
        {"goals": "Recover", "review_on": in_days(14).isoformat(), "services": ["education"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    patched = client.patch(
        reverse("api-assistance-plan", args=[case.reference, plan["id"]]),
        {"goals": "Recover and study", "review_on": in_days(20).isoformat(), "expected_version": 1},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = client.patch(
        reverse("api-assistance-plan", args=[case.reference, plan["id"]]),
        {"goals": "x", "review_on": in_days(20).isoformat(), "expected_version": 1},
        content_type="application/json",
    )
    current = api_error(stale, 409, "stale")["current"]
    assert current["version"] == 2 and current["record"]["goals"] == "Recover and study"
    choice = client.post(
        reverse("api-assistance-plan-choice", args=[case.reference, plan["services"][0]["id"]]),
        {"choice": "refused"},
        content_type="application/json",
    )
    assert choice.status_code == 200 and choice.json()["choice"] == "refused"
    assessed = client.post(
        reverse("api-assistance-assessments", args=[case.reference]),
        {"needs": ["medical_care"], "urgent": ["medical_care"]},
        content_type="application/json",
    )
    assert assessed.status_code == 201 and assessed.json()["needs"] == [
        {"kind": "medical_care", "urgent": True}
    ]


def test_responsible_people_are_on_the_case_team(manager, make_member, case, client_for):
    colleague = make_member(Role.CASE_MANAGER, agency=manager.membership.agency)
    outsider = make_member(Role.CASE_MANAGER)
    with pytest.raises(ValidationError):
        make_plan(manager, case, responsible=outsider)
    plan = make_plan(manager, case, responsible=colleague)
    assert plan.responsible == colleague
    with pytest.raises(ValidationError):
        plan_service_add(
            actor=manager, membership=manager.membership, plan=plan, kind="education", responsible=outsider
        )
    item = plan_service_add(
        actor=manager, membership=manager.membership, plan=plan, kind="education", responsible=colleague
    )
    assert item.responsible == colleague
    api = client_for(manager).post(
        reverse("api-assistance-plan-services", args=[case.reference, plan.pk]),
        {"kind": "medical_care", "responsible": outsider.pk},
        content_type="application/json",
    )
    assert api.status_code == 400
    form_url = reverse("cases:form_for", args=[case.reference, "assistance-plan-service", plan.pk])
    form = client_for(manager).get(form_url, **htmx()).content.decode()
    assert f'<option value="{colleague.pk}">' in form and f'value="{outsider.pk}"' not in form
