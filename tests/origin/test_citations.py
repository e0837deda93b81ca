"""Citing country information in a residence decision: who may, what the case's record says, and an entry that
changes after being cited shows that it changed (the decision keeps the revision it cited) on the decision's
page, the citations page and the API; the decision page's queries do not grow with its citations."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent
from palermo.origin.models import Citation
from palermo.origin.services.citations import citation_add, citation_remove
from palermo.origin.services.entries import entry_mark_out_of_date, entry_update
from palermo.residence.citing import KIND
from tests.api.errors import api_error
from tests.origin.conftest import add_entry, entry_data
from tests.queries import Queries, assert_same_queries
from tests.residence.conftest import backdate, decide, lodge

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_member):
    return make_member(Role.MIGRATION_OFFICER)


@pytest.fixture
def decision(make_case, manager, officer, responder):
    case = backdate(make_case(team=(manager, officer, responder)))
    return decide(officer, lodge(manager, case, "humanitarian"), "refused", refusal_ground="safe_return")


def cite(user, decision, entry):
    return citation_add(
        actor=user, membership=user.membership, decision_kind=KIND, decision_id=decision.pk, entry_id=entry.pk
    )


def test_a_decider_cites_an_entry_once_and_the_case_record_says_so(officer, editor, decision):
    entry = add_entry(editor)
    citation = cite(officer, decision, entry)
    assert cite(officer, decision, entry).pk == citation.pk
    assert (
        citation.revision.number == 1 and citation.content_hash == entry.content_hash and not citation.changed
    )
    case = decision.application.case
    assert CaseEvent.objects.filter(case=case, summary="Country information cited in a decision").count() == 1
    assert AuditEvent.objects.filter(action="origin.citation_add", case=case).count() == 1
    citation_remove(
        actor=officer,
        membership=officer.membership,
        decision_kind=KIND,
        decision_id=decision.pk,
        citation_id=citation.pk,
    )
    assert not Citation.objects.exists()
    assert AuditEvent.objects.filter(action="origin.citation_remove", case=case).count() == 1


def test_only_deciders_who_see_the_case_cite_and_never_an_out_of_date_entry(
    officer, responder, editor, decision, make_member
):
    entry = add_entry(editor)
    with pytest.raises(PermissionDenied):
        cite(responder, decision, entry)  # on the team, but does not decide
    with pytest.raises(Http404):
        cite(make_member(Role.MIGRATION_OFFICER), decision, entry)  # another agency's officer: no such case
    with pytest.raises(Http404):
        citation_add(
            actor=officer,
            membership=officer.membership,
            decision_kind="nowhere.decision",
            decision_id=1,
            entry_id=1,
        )
    entry_mark_out_of_date(actor=editor, membership=editor.membership, entry=entry, expected_version=1)
    with pytest.raises(ValidationError):
        cite(officer, decision, entry)


def test_an_entry_changed_after_citing_shows_it_changed_and_what_was_cited(
    officer, editor, decision, client_for
):
    entry = add_entry(editor)
    cite(officer, decision, entry)
    entry_update(
        actor=editor,
        membership=editor.membership,
        entry=entry,
        data=entry_data(summary="Revised: risk now reported as lower."),
        expected_version=1,
    )
    citation = Citation.objects.select_related("entry", "revision").get()
    assert citation.changed and citation.revision.content["summary"] == entry_data().summary
    client = client_for(officer)
    application = decision.application
    page = client.get(reverse("residence:application", args=[application.case.reference, application.pk]))
    assert page.status_code == 200 and "Changed since cited" in page.content.decode()
    cited = client.get(reverse("origin:citations", args=[KIND, decision.pk])).content.decode()
    assert "Changed since cited" in cited and entry_data().summary in cited
    answer = client.get(reverse("api-origin-citations", args=[KIND, decision.pk])).json()
    assert answer[0]["changed"] is True and answer[0]["revision"] == 1
    assert answer[0]["cited_content"]["summary"] == entry_data().summary


def test_citing_through_the_pages_and_the_api(officer, responder, editor, decision, client_for):
    entry = add_entry(editor)
    other = add_entry(editor, topic="stigma")
    client = client_for(officer)
    url = reverse("origin:cite", args=[KIND, decision.pk])
    response = client.post(url, {"entry": entry.pk})
    assert response.status_code == 302
    assert "Entry cited in the decision" in client.get(response["Location"]).content.decode()
    api = client.post(
        reverse("api-origin-citations", args=[KIND, decision.pk]), {"entry": other.pk}, "application/json"
    )
    assert api.status_code == 201 and len(api.json()) == 2
    api_error(
        client.post(
            reverse("api-origin-citations", args=[KIND, decision.pk]), {"entry": 0}, "application/json"
        ),
        400,
    )
    api_error(
        client_for(responder).post(
            reverse("api-origin-citations", args=[KIND, decision.pk]), {"entry": other.pk}, "application/json"
        ),
        404,
    )
    api_error(client.get(reverse("api-origin-citations", args=["nowhere.decision", decision.pk])), 404)
    citation = Citation.objects.get(entry=other)
    gone = client.delete(reverse("api-origin-citation", args=[KIND, decision.pk, citation.pk]))
    assert gone.status_code == 204 and Citation.objects.count() == 1


def test_the_decision_page_reads_its_citations_in_constant_queries(officer, editor, decision, client_for):
    client = client_for(officer)
    application = decision.application
    url = reverse("residence:application", args=[application.case.reference, application.pk])
    cite(officer, decision, add_entry(editor))
    client.get(url)
    with Queries() as few:
        client.get(url)
    for number in range(5):
        cite(officer, decision, add_entry(editor, summary=f"Finding {number}."))
    with Queries() as many:
        client.get(url)
    assert_same_queries(few, many)
