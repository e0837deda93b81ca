"""The reflection section of the case page: shown to case readers at their tiers, its HTMX forms for those the
services let through, bad input re-rendered with nothing changed, the conflict screen, and a query count that
does not grow with the period's extensions."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent
from palermo.reflection.models import Entitlement, EntitlementKind, ReflectionExtension, ReflectionPeriod
from palermo.reflection.services.entitlements import entitlement_update
from palermo.reflection.services.periods import period_extend
from palermo.reflection.views.forms import case_forms
from tests.queries import Queries
from tests.reflection.conftest import case_beside_its_lead, request_period

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
REASON = "Medical treatment continues after the surgery."


def url(name, case, *args):
    return reverse(f"reflection:{name}", args=[case.reference, *args])


def form_url(case, name):
    """A folded form of the section on the case page: "extend", "end" or an entitlement's kind."""
    what = name if name in ("extend", "end") else f"entitlement-{name}"
    return reverse("cases:form", args=[case.reference, f"reflection-{what}"])


def section_of(client, case):
    return client.get(reverse("cases:section", args=[case.reference, "reflection"]), **HTMX)


def test_the_case_page_offers_to_open_the_period(team_case, manager, client_for):
    client = client_for(manager)
    page = client.get(reverse("cases:detail_full", args=[team_case.reference])).content.decode()
    assert 'id="section-reflection"' in page and "Open the period now" in page
    response = client.post(url("section", team_case), **HTMX)
    assert response.status_code == 200 and response["HX-Trigger"] == "case-changed"
    period = ReflectionPeriod.objects.get(case=team_case)
    section = response.content.decode()
    assert period.ends_on.isoformat() in section and "90 days left" in section
    assert "Safe accommodation" in section and "Extend the period" in section
    again = client.post(url("section", team_case), **HTMX)
    assert "already has" in again.content.decode()
    assert ReflectionPeriod.objects.count() == 1


def test_the_length_granted_names_the_rulebook_by_its_title(running, manager, client_for):
    section = section_of(client_for(manager), running.case).content.decode()
    assert running.rulebook == "osce-2005"  # the record keeps the key of the law that applied
    assert "rulebook <bdi>OSCE Alliance position paper: Taking a Stand (2005)</bdi>" in section
    assert "osce-2005" not in section
    ReflectionPeriod.objects.filter(pk=running.pk).update(rulebook="withdrawn-law")
    assert (
        "rulebook <bdi>withdrawn-law</bdi>" in section_of(client_for(manager), running.case).content.decode()
    )


def test_extend_and_end_early_through_the_forms(running, manager, client_for):
    client = client_for(manager)
    case = running.case
    response = client.post(url("extend", case), {"days": 15, "reason": REASON, "version": 1}, **HTMX)
    assert response.status_code == 200
    running.refresh_from_db()
    assert running.version == 2 and REASON in response.content.decode()  # the manager reads T4
    assert AuditEvent.objects.filter(case=case, action="reflection.read").exists()
    today = timezone.localdate().isoformat()
    ended = client.post(url("end", case), {"on": today, "reason": "Returned home.", "version": 2})
    assert ended.status_code == 302 and ended["Location"].endswith("#section-reflection")
    running.refresh_from_db()
    assert running.ended_early_on == timezone.localdate()
    assert CaseEvent.objects.filter(case=case, kind="reflection").count() == 3
    section = client.get(url("section", case), **HTMX).content.decode()
    assert "ended early" in section and "Returned home." in section
    assert form_url(case, "extend") not in section and form_url(case, "end") not in section


def test_bad_input_is_shown_and_nothing_changes(running, manager, client_for):
    client = client_for(manager)
    case = running.case
    response = client.post(url("extend", case), {"days": 15, "reason": "", "version": 1})
    assert response.status_code == 400
    response = client.post(url("extend", case), {"days": 0, "reason": REASON, "version": 1}, **HTMX)
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(url("end", case), {"on": past, "reason": REASON, "version": 1}, **HTMX)
    assert "between today" in response.content.decode()
    running.refresh_from_db()
    assert running.version == 1 and not ReflectionExtension.objects.exists()


def test_a_stale_edit_shows_the_conflict_screen(running, manager, authority, client_for):
    period_extend(
        actor=authority,
        membership=authority.membership,
        period=running,
        days=10,
        reason=REASON,
        expected_version=1,
    )
    client = client_for(manager)
    response = client.post(url("extend", running.case), {"days": 15, "reason": REASON, "version": 1})
    assert response.status_code == 409
    assert ReflectionExtension.objects.count() == 1


def test_an_entitlement_is_recorded_from_its_row(running, manager, client_for):
    client = client_for(manager)
    data = {"status": "provided", "on": "", "note": "Placed in the shelter.", "version": 1}
    response = client.post(url("entitlement", running.case, "safe_accommodation"), data, **HTMX)
    assert response.status_code == 200
    entitlement = Entitlement.objects.get(period=running, kind="safe_accommodation")
    assert (entitlement.status, entitlement.note) == ("provided", "Placed in the shelter.")
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    data = {"status": "declined", "on": future, "version": 2}
    response = client.post(url("entitlement", running.case, "safe_accommodation"), data, **HTMX)
    assert "future" in response.content.decode()
    assert client.post(url("entitlement", running.case, "housing"), data).status_code == 404


def test_outsiders_get_404(running, make_member, client_for):
    client = client_for(make_member(Role.CASE_MANAGER))  # not on the team, another agency
    case = running.case
    assert client.get(url("section", case)).status_code == 404
    assert client.post(url("extend", case), {"days": 5, "reason": REASON, "version": 1}).status_code == 404
    assert client.post(url("entitlement", case, "medical_care"), {"status": "provided"}).status_code == 404
    running.refresh_from_db()
    assert running.version == 1


NOTE = "Seen by the clinic for a chest infection."


def _extended_with_a_note(writer, case):
    """A period extended with REASON (T2) and an entitlement provided with NOTE (T4), by the writer."""
    responder = writer
    period = request_period(responder, case)
    period_extend(
        actor=responder,
        membership=responder.membership,
        period=period,
        days=10,
        reason=REASON,
        expected_version=1,
    )
    entitlement_update(
        actor=responder,
        membership=responder.membership,
        entitlement=Entitlement.objects.select_related("period__case").get(
            period=period, kind="medical_care"
        ),
        status="provided",
        note=NOTE,
        expected_version=1,
    )
    period.refresh_from_db()
    return period


def test_the_migration_officer_sees_reasons_not_notes_and_changes_the_period(
    make_member, make_case, responder, client_for
):
    officer = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(responder, officer))
    period = _extended_with_a_note(responder, case)
    client = client_for(officer)
    section = client.get(url("section", case), **HTMX).content.decode()
    assert period.ends_on.isoformat() in section and "Medical care" in section
    assert REASON in section and NOTE not in section  # the reasons are T2, the note T4
    assert AuditEvent.objects.get(action="reflection.read", actor=officer).tier == 2
    # The period's forms, not the entitlements' (assistance, not status).
    assert form_url(case, "extend") in section and form_url(case, "end") in section
    assert form_url(case, "medical_care") not in section
    assert client.get(form_url(case, "medical_care"), **HTMX).status_code == 404
    extended = client.post(
        url("extend", case), {"days": 5, "reason": "Officer's reason.", "version": 2}, **HTMX
    )
    assert extended.status_code == 200 and "Officer&#x27;s reason." in extended.content.decode()
    today = timezone.localdate().isoformat()
    ended = client.post(url("end", case), {"on": today, "reason": "Returned home.", "version": 3}, **HTMX)
    assert ended.status_code == 200
    period.refresh_from_db()
    assert (period.ended_early_on.isoformat(), period.early_end_reason) == (today, "Returned home.")


def test_the_migration_officer_opens_the_period_from_the_case_page(
    make_member, make_case, responder, client_for
):
    officer = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(responder, officer))
    client = client_for(officer)
    page = client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert "Open the period now" in page
    assert client.post(url("section", case), **HTMX).status_code == 200
    assert ReflectionPeriod.objects.get(case=case).requested_by_id == officer.pk


def test_the_lead_agency_off_the_team_sees_dates_and_statuses_only(
    make_member, responder, manager, client_for
):
    case = case_beside_its_lead(responder, team=(manager,))
    period = _extended_with_a_note(manager, case)
    section = client_for(responder).get(url("section", case), **HTMX).content.decode()
    assert period.ends_on.isoformat() in section and "Medical care" in section
    assert REASON not in section and NOTE not in section and "<form" not in section
    assert not AuditEvent.objects.filter(action="reflection.read").exists()


def test_read_only_roles_see_dates_and_statuses_only(make_member, make_case, responder, client_for):
    provider = make_member(Role.SERVICE_PROVIDER)
    case = make_case(team=(responder, provider))
    period = _extended_with_a_note(responder, case)
    provider_client = client_for(provider)
    section = provider_client.get(url("section", case), **HTMX).content.decode()
    assert period.ends_on.isoformat() in section and "Medical care" in section
    assert REASON in section and NOTE not in section  # a provider on the team reads T2, not T4
    assert form_url(case, "medical_care") in section and form_url(case, "extend") not in section
    form = provider_client.get(form_url(case, "medical_care"), **HTMX).content.decode()
    assert 'name="status"' in form and 'name="note"' not in form  # a note is T4
    assert provider_client.get(form_url(case, "extend"), **HTMX).status_code == 404
    response = provider_client.post(url("extend", case), {"days": 5, "reason": REASON, "version": 2})
    assert response.status_code == 403


def test_forms_are_fetched_when_opened(running, manager, client_for, make_member):
    client = client_for(manager)
    case = running.case
    page = client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert 'name="reason"' not in page and 'name="status"' not in page  # no form on the page itself
    for name in ("extend", "end", "safe_accommodation"):
        assert f'hx-get="{form_url(case, name)}"' in page and f'href="{form_url(case, name)}"' in page
    bare = client.get(form_url(case, "extend"), **HTMX).content.decode()
    assert 'name="days"' in bare and "<html" not in bare and 'hx-target="#section-reflection"' in bare
    standalone = client.get(form_url(case, "medical_care")).content.decode()
    assert "<html" in standalone and 'name="note"' in standalone
    assert "hx-post" not in standalone.split('id="main"')[-1]  # the page's own form posts plainly
    assert client.get(form_url(case, "housing"), **HTMX).status_code == 404
    outsider = client_for(make_member(Role.CASE_MANAGER))
    assert outsider.get(form_url(case, "extend"), **HTMX).status_code == 404


def test_the_section_holds_no_form_fields_or_option_lists(running, manager, client_for):
    response = section_of(client_for(manager), running.case)
    section = response.content.decode()
    assert response.status_code == 200 and "Safe accommodation" in section
    for needle in ("<form", "<select", "<option", "<input", "<textarea", 'case-form mb-2" open'):
        assert needle not in section
    for name in ("extend", "end", *EntitlementKind.values):  # each folded, fetched when opened
        assert f'hx-get="{form_url(running.case, name)}"' in section


def _needle(name):
    """A field each folded form has, by its registered name."""
    return {"reflection-extend": 'name="days"', "reflection-end": 'name="on"'}.get(name, 'name="status"')


@pytest.mark.parametrize("name", sorted(case_forms()))
def test_each_folded_form_opens_for_those_who_may_submit_it_only(
    name, make_member, make_case, manager, client_for
):
    provider, officer = make_member(Role.SERVICE_PROVIDER), make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(manager, provider, officer))
    form = reverse("cases:form", args=[case.reference, name])
    assert client_for(manager).get(form, **HTMX).status_code == 404  # no period yet, no form
    request_period(manager, case)
    response = client_for(manager).get(form, **HTMX)
    assert response.status_code == 200 and _needle(name) in response.content.decode()
    # The provider records entitlements but does not change the period; the officer the other way round.
    refused = officer if name.startswith("reflection-entitlement-") else provider
    assert client_for(refused).get(form, **HTMX).status_code == 404
    outsider = client_for(make_member(Role.CASE_MANAGER))  # not on the team
    assert outsider.get(form, **HTMX).status_code == 404
    page = client_for(manager).get(form).content.decode()  # without script: a page of its own
    assert "<html" in page and reverse("cases:detail", args=[case.reference]) + "#section-reflection" in page


@pytest.mark.parametrize(
    ("action", "args", "data", "needle"),
    [
        ("extend", (), {"days": 5, "reason": "", "version": 1}, 'value="5"'),
        ("end", (), {"on": "2000-01-01", "reason": REASON, "version": 1}, "between today"),
        (
            "entitlement",
            ("medical_care",),
            {"status": "provided", "on": "2999-01-01", "version": 1},
            "future",
        ),
    ],
)
def test_a_refused_post_comes_back_open_inside_the_section(
    running, manager, client_for, action, args, data, needle
):
    client = client_for(manager)
    response = client.post(url(action, running.case, *args), data, **HTMX)
    section = response.content.decode()
    assert response.status_code == 200 and section.count('<details class="case-form mb-2" open>') == 1
    assert needle in section and 'hx-target="#section-reflection"' in section
    without_script = client.post(url(action, running.case, *args), data)
    assert without_script.status_code == 400 and needle in without_script.content.decode()


def test_the_section_queries_do_not_grow_with_extensions(running, manager, client_for):
    client = client_for(manager)

    def queries() -> int:
        with Queries() as captured:
            assert client.get(url("section", running.case), **HTMX).status_code == 200
        return len(captured)

    period_extend(
        actor=manager,
        membership=manager.membership,
        period=running,
        days=1,
        reason=REASON,
        expected_version=1,
    )
    one = queries()
    for version in range(2, 7):
        period_extend(
            actor=manager,
            membership=manager.membership,
            period=running,
            days=1,
            reason=REASON,
            expected_version=version,
        )
    assert queries() == one


def test_no_extension_offered_where_the_rulebook_allows_none(running, manager, client_for, settings):
    settings.PALERMO_RULEBOOK = "nl-b8-3"  # "at most three months": no extension
    client = client_for(manager)
    section = client.get(url("section", running.case), **HTMX).content.decode()
    assert form_url(running.case, "extend") not in section and form_url(running.case, "end") in section
    response = client.post(url("extend", running.case), {"days": 5, "reason": REASON, "version": 1}, **HTMX)
    assert "does not allow" in response.content.decode()
    assert not ReflectionExtension.objects.exists()
