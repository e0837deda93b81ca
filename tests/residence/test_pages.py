"""The residence section and application pages: the legal-status picture with and without data (inline SVG
without style attributes, and its table), the folded form to record an application (fetched when opened, 404
for those who may not record one, given back inline and open when refused), the migration officer on the
team deciding (grant, refusal, appeal; reasons are T2) with the non-cooperation refusal refused beside the
field, T4 (assessment findings, grounds of appeal) only for T4 readers and writers, a child's decision
offered to whoever decides (the child's views: test_child_views),
outsiders' 404, the conflict screen, and query counts that do not grow with the records."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.reflection.services.periods import period_request
from palermo.residence.models import Application, ApplicationStatus, Decision, HumanitarianAssessment
from tests.cases.casework import section_alone
from tests.queries import Queries
from tests.residence.conftest import REASONS, days_ago, decide, lodge

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, case, *args):
    return reverse(f"residence:{name}", args=[case.reference, *args])


def case_page(client, case):
    return client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()


def test_the_section_without_data_has_no_chart(team_case, manager, client_for):
    page = case_page(client_for(manager), team_case)
    assert 'id="section-residence"' in page and "<svg" not in page
    assert "No reflection period, application or permit on record yet." in page
    assert "Record an application" in page


def test_the_chart_draws_reflection_applications_asylum_and_permits(team_case, manager, client_for):
    period_request(actor=manager, membership=manager.membership, case=team_case)
    decide(manager, lodge(manager, team_case, lodged_on=days_ago(30)), decided_on=days_ago(10))
    lodge(manager, team_case, "asylum", lodged_on=days_ago(20))
    section = client_for(manager).get(url("section", team_case), **HTMX).content.decode()
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert 'role="img"' in svg and "style=" not in svg  # the CSP forbids inline style
    assert len(re.findall(r"<rect x=", svg)) == 4  # reflection, application, asylum (running), permit
    assert len(re.findall(r"<circle ", svg)) == 1  # the grant
    assert 'fill="url(#residence-running-wide)"' in svg  # the pending asylum application
    table = section[section.index("<table") : section.index("</table>")]
    for lane in ("Reflection period", "Residence applications", "Asylum", "Permits"):
        assert f'<th scope="row">{lane}</th>' in table
    assert days_ago(10).isoformat() in table
    assert "Permit in force" in section and "Allows work." in section


def form_url(case):
    return reverse("cases:form", args=[case.reference, "residence-lodge"])


FOLDED = '<details class="case-form mb-2" open>'


def test_the_section_folds_the_form_away(team_case, manager, client_for):
    """No form fields and no country list on every view of the section: only the <details> that fetches it."""
    lodge(manager, team_case, "asylum")
    section = client_for(manager).get(url("section", team_case), **HTMX).content.decode()
    assert "Record an application" in section and f'hx-get="{form_url(team_case)}"' in section
    for needle in ("<form", "<select", "<input", "<option", 'name="kind"', 'value="CAN"'):
        assert needle not in section
    assert FOLDED not in section


def test_the_form_comes_bare_for_htmx_and_as_a_page_without(team_case, manager, client_for):
    client = client_for(manager)
    bare = client.get(form_url(team_case), **HTMX).content.decode()
    assert "<html" not in bare and 'name="kind"' in bare and 'value="CAN"' in bare  # resettlement (T3)
    assert f'hx-post="{url("section", team_case)}"' in bare and 'hx-target="#section-residence"' in bare
    page = client.get(form_url(team_case))
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and 'name="authority"' in html
    assert "hx-post" not in html.split('id="main"')[-1]  # the page's own form posts plainly
    assert reverse("cases:detail", args=[team_case.reference]) + "#section-residence" in html


def test_the_form_is_not_there_for_who_may_not_record(make_case, manager, make_member, client_for):
    """On the team and seeing the section, but not among those who record applications: no form, 404."""
    investigator = make_member(Role.INVESTIGATOR)
    case = make_case(team=(manager, investigator))
    client = client_for(investigator)
    section = client.get(url("section", case), **HTMX)
    assert section.status_code == 200 and 'id="residence-heading"' in section.content.decode()
    assert "Record an application" not in section.content.decode()
    assert client.get(form_url(case), **HTMX).status_code == 404
    assert client.get(form_url(case)).status_code == 404
    outsider = client_for(make_member(Role.CASE_MANAGER))
    assert outsider.get(form_url(case), **HTMX).status_code == 404


def test_record_an_application_through_the_htmx_form(team_case, manager, client_for):
    client = client_for(manager)
    data = {"kind": "asylum", "authority": "Asylum Office", "lodged_on": days_ago(3).isoformat()}
    response = client.post(url("section", team_case), data, **HTMX)
    assert response.status_code == 200 and response["HX-Trigger"] == "case-changed"
    assert "Asylum Office" in response.content.decode() and FOLDED not in response.content.decode()
    assert Application.objects.get(case=team_case).kind == "asylum"
    bad = client.post(url("section", team_case), {"kind": "permanent", "authority": "Board X"}, **HTMX)
    section = bad.content.decode()
    assert bad.status_code == 200 and "Choose the route to permanent residence." in section
    assert section.count(FOLDED) == 1 and 'value="Board X"' in section  # inline, open, as filled in
    assert f'hx-get="{form_url(team_case)}"' not in section
    assert Application.objects.count() == 1
    plain = client.post(url("section", team_case), {"kind": "permanent", "authority": "Board X"})
    assert plain.status_code == 400
    whole = plain.content.decode()
    assert "Choose the route to permanent residence." in whole and FOLDED in whole


def test_the_decision_form_refuses_a_refusal_on_non_cooperation(team_case, manager, client_for):
    application = lodge(manager, team_case)
    client = client_for(manager)
    data = {"outcome": "refused", "refusal_ground": "non_cooperation", "reasons": "Assessed.", "version": 1}
    response = client.post(url("decide", team_case, application.pk), data)
    assert response.status_code == 400
    assert "a refusal cannot rest on non-cooperation" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_decision_form_allows_it_where_the_rulebook_does(team_case, manager, client_for, settings):
    settings.PALERMO_RULEBOOK = "coe-cets197"
    application = lodge(manager, team_case)
    data = {"outcome": "refused", "refusal_ground": "non_cooperation", "reasons": "Assessed.", "version": 1}
    response = client_for(manager).post(url("decide", team_case, application.pk), data)
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.REFUSED


def test_the_migration_officer_grants_through_the_page(team_case, manager, officer, client_for):
    application = lodge(manager, team_case)
    client = client_for(officer)
    page = client.get(url("application", team_case, application.pk)).content.decode()
    assert "Record the decision" in page and "Withdraw the application" in page
    assert "identity and legal status, T2" in page  # what the reasons are, beside the field
    short = {"outcome": "granted", "reasons": REASONS, "valid_to": days_ago(-30).isoformat(), "version": 1}
    refused = client.post(url("decide", team_case, application.pk), short)
    assert refused.status_code == 400 and "at least 6 months" in refused.content.decode()
    granted = client.post(url("decide", team_case, application.pk), {**short, "valid_to": ""})
    assert granted.status_code == 302
    assert Decision.objects.get(application=application).decided_by == officer
    page = client.get(url("application", team_case, application.pk)).content.decode()
    assert REASONS in page and "Record the decision" not in page
    reads = AuditEvent.objects.filter(case=team_case, action="residence.read")
    assert list(reads.values_list("actor", "tier")) == [(officer.pk, 2)]
    assert REASONS in client_for(manager).get(url("application", team_case, application.pk)).content.decode()
    section = client.get(url("section", team_case), **HTMX).content.decode()
    assert "<svg" in section and "Permit in force" in section  # the legal-status picture is T1: theirs too


def test_the_migration_officer_refuses_through_the_page(team_case, officer, client_for):
    application = lodge(officer, team_case, "asylum")
    client = client_for(officer)
    data = {"outcome": "refused", "refusal_ground": "non_cooperation", "reasons": "Assessed.", "version": 1}
    on_cooperation = client.post(url("decide", team_case, application.pk), data)
    assert on_cooperation.status_code == 400
    assert "a refusal cannot rest on non-cooperation" in on_cooperation.content.decode()
    refused = client.post(
        url("decide", team_case, application.pk), {**data, "refusal_ground": "not_eligible"}
    )
    assert refused.status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.REFUSED
    page = client.get(url("application", team_case, application.pk)).content.decode()
    assert "Conditions of the status not met" in page and "Assessed." in page


def test_a_child_s_decision_asks_whoever_decides_for_the_child_s_views(
    make_case, manager, officer, client_for
):
    case = make_case(team=(manager, officer), is_child=True)
    application = lodge(manager, case)
    for user in (officer, manager):
        page = client_for(user).get(url("application", case, application.pk)).content.decode()
        assert "Record the decision" in page and "The child&#x27;s views" in page


def test_a_stale_form_shows_the_conflict_screen(team_case, manager, client_for):
    application = lodge(manager, team_case)
    decide(manager, application, "refused", refusal_ground="not_eligible")
    response = client_for(manager).post(url("withdraw", team_case, application.pk), {"version": 1})
    assert response.status_code == 409


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.MIGRATION_OFFICER])
def test_outsiders_get_404(team_case, manager, make_member, client_for, role):
    application = lodge(manager, team_case)
    client = client_for(make_member(role))
    assert client.get(url("section", team_case)).status_code == 404
    assert client.get(url("application", team_case, application.pk)).status_code == 404
    data = {"outcome": "granted", "reasons": REASONS, "version": 1}
    assert client.post(url("decide", team_case, application.pk), data).status_code == 404
    assert client.post(url("section", team_case), {"kind": "asylum", "authority": "X"}).status_code == 404
    assert Application.objects.get(pk=application.pk).version == 1


def test_another_case_s_application_is_not_found(team_case, manager, make_case, client_for):
    other = lodge(manager, make_case(team=(manager,)))
    assert client_for(manager).get(url("application", team_case, other.pk)).status_code == 404


def _section_queries(client, case):
    with Queries() as queries:
        response = client.get(url("section", case), **HTMX)
    assert response.status_code == 200
    return len(queries)


def test_the_section_costs_the_same_queries_whatever_the_records(team_case, manager, client_for):
    client = client_for(manager)
    decide(manager, lodge(manager, team_case, "asylum"))
    few = _section_queries(client, team_case)
    for kind in ("temporary", "humanitarian", "asylum", "resettlement"):
        application = lodge(manager, team_case, kind)
        decide(manager, application, "refused", refusal_ground="not_eligible")
    decide(manager, lodge(manager, team_case, "permanent", route="assistance_programme"))
    assert _section_queries(client, team_case) == few


def test_the_section_costs_eight_queries_with_or_without_a_reflection_period(
    team_case, manager, django_assert_num_queries
):
    """Applications, their decisions, permits, the reflection period's two days, identification decisions,
    and the chart's other dates (a planned return: the returns area's one query; for a reader of the justice
    area such as the case manager, hearings and protection measures: one query each)."""
    decide(manager, lodge(manager, team_case, lodged_on=days_ago(30)), decided_on=days_ago(10))
    without = section_alone(manager, team_case, "residence", 8, django_assert_num_queries)
    assert '<th scope="row">Reflection period</th>' not in without
    period = period_request(actor=manager, membership=manager.membership, case=team_case)
    with_period = section_alone(manager, team_case, "residence", 8, django_assert_num_queries)
    assert '<th scope="row">Reflection period</th>' in with_period
    assert period.starts_on.isoformat() in with_period and period.ends_on.isoformat() in with_period


def test_the_section_reads_only_what_it_shows(team_case, manager, client_for):
    """T1 columns of applications, decisions and permits, and the day of the latest appeal (its decision's due
    day): no reasons, country, appeal bodies or grounds, or assessments."""
    application = lodge(manager, team_case, "humanitarian")
    decide(manager, application, "refused", refusal_ground="not_eligible")
    decide(manager, lodge(manager, team_case))
    with Queries() as queries:
        section = client_for(manager).get(url("section", team_case), **HTMX)
    assert section.status_code == 200 and "Permit in force" in section.content.decode()
    sql = " ".join(queries.sql)
    appeal = ('residence_appeal"."body', 'residence_appeal"."grounds')
    for column in ('residence_decision"."reasons', "destination_country", *appeal, "assessment"):
        assert column not in sql


def test_assess_appeal_and_correct_through_the_page(team_case, manager, officer, client_for):
    """The case manager corrects, assesses (T4) and appeals; the migration officer decides, seeing that the
    assessment exists and how far it has got, never its findings, notes or the grounds of appeal."""
    application = lodge(manager, team_case, "humanitarian", lodged_on=days_ago(30))
    client, authority = client_for(manager), client_for(officer)
    corrected = client.post(
        url("correct", team_case, application.pk),
        {"authority": "Regional Office", "lodged_on": days_ago(31).isoformat(), "version": 1},
    )
    assert corrected.status_code == 302
    findings = {
        "retaliation_risk": "present",
        "prosecution_risk": "absent",
        "poor_inclusion_prospects": "unknown",
        "no_support_services": "present",
        "children_present": "absent",
        "refoulement_risk": "present",
        "notes": "Threats against the family by phone.",
    }
    assert client.post(url("assess", team_case, application.pk), findings).status_code == 302
    page = client.get(url("application", team_case, application.pk)).content.decode()
    assert "Threats against the family by phone." in page and "Risk of retaliation" in page
    officer_page = authority.get(url("application", team_case, application.pk)).content.decode()
    assert "Threats against the family" not in officer_page and "Risk of retaliation" not in officer_page
    assert (
        "5 of 6 criteria have a finding" in officer_page
        and "Assess the humanitarian grounds" not in officer_page
    )
    assert authority.post(url("assess", team_case, application.pk), findings).status_code == 403
    assert HumanitarianAssessment.objects.get(application=application).version == 1
    refusal = {"outcome": "refused", "refusal_ground": "safe_return", "reasons": "Safe return.", "version": 2}
    assert authority.post(url("decide", team_case, application.pk), refusal).status_code == 302
    grounds = "The risk of retaliation was not weighed."
    appeal = {"body": "Administrative Court", "grounds": grounds, "version": 3}
    assert client.post(url("appeal", team_case, application.pk), appeal).status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.APPEALED
    page = client.get(url("application", team_case, application.pk)).content.decode()
    assert "Administrative Court" in page and grounds in page
    officer_page = authority.get(url("application", team_case, application.pk)).content.decode()
    assert "Administrative Court" in officer_page and grounds not in officer_page
    assert "Record the decision" in officer_page  # the appeal awaits the authority's decision
    on_appeal = {"outcome": "granted", "reasons": "Risk on return established.", "version": 4}
    assert authority.post(url("decide", team_case, application.pk), on_appeal).status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.GRANTED


@pytest.mark.parametrize("language", ["fr", "ru", "ro", "ar"])
def test_the_correction_form_shows_the_day_lodged_in_every_language(
    team_case, manager, client_for, settings, language
):
    """A date input holds the day as YYYY-MM-DD whatever the page's language: a French "05/01/2026" would be
    dropped by the browser, the day lodged shown empty, and the correction refused for want of it."""
    application = lodge(manager, team_case, lodged_on=days_ago(30))
    client = client_for(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url("application", team_case, application.pk)).content.decode()
    assert f'type="date" name="lodged_on" value="{application.lodged_on.isoformat()}"' in page
