"""Screening pages: the form grouped by dimension, drafts, completion, the advice, and who sees what."""

from __future__ import annotations

import re
from html import escape

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.identification.models import Indicator, Screening, ScreeningStatus
from palermo.identification.services.screenings import screening_start
from tests.queries import Queries

from .conftest import note

pytestmark = pytest.mark.django_db


def screening_url(case, screening) -> str:
    return reverse("identification:screening", args=[case.reference, screening.pk])


def ind(instrument, dimension, text) -> int:
    return Indicator.objects.get(dimension__instrument=instrument, dimension__key=dimension, text=text).pk


@pytest.fixture
def draft(team_case, responder, ilo) -> Screening:
    return screening_start(actor=responder, membership=responder.membership, case=team_case, instrument=ilo)


def test_the_form_has_a_fieldset_per_dimension_and_labelled_radios(client_for, responder, team_case, draft):
    page = client_for(responder).get(screening_url(team_case, draft)).content.decode()
    assert page.count('<legend class="h5') == 6
    assert "Advice for the decision maker, never the decision." in page
    first = ind(draft.instrument, "deceptive_recruitment", "deceived about wages or earnings")
    for value in ("yes", "no", "unknown"):
        assert re.search(
            rf'<input type="radio" name="answer_{first}" value="{value}"[^>]*id="(id_answer_{first}_\d)"',
            page,
        )
    assert f'<label class="form-label" for="id_note_{first}">' in page
    assert 'name="action" value="save"' in page and 'name="action" value="complete"' in page


def test_save_a_draft_then_complete(client_for, responder, team_case, draft):
    client = client_for(responder)
    ilo = draft.instrument
    strong = ind(ilo, "deceptive_recruitment", "deceived about the nature of the job, location or employer")
    wages = ind(ilo, "deceptive_recruitment", "deceived about wages or earnings")
    text = note()
    response = client.post(
        screening_url(team_case, draft),
        {
            "version": 1,
            f"answer_{strong}": "yes",
            f"note_{strong}": text,
            f"source_{strong}": "person",
            "action": "save",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ScreeningStatus.DRAFT and draft.answers.count() == 1
    page = client.get(screening_url(team_case, draft)).content.decode()
    assert escape(text.strip()) in page and "checked" in page
    response = client.post(
        screening_url(team_case, draft), {"version": 2, f"answer_{wages}": "yes", "action": "complete"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ScreeningStatus.COMPLETE and draft.answers.count() == 2
    page = client.get(screening_url(team_case, draft)).content.decode()
    assert 'name="action"' not in page  # frozen: read-only now
    assert "deceived about wages or earnings" in page


def test_a_stale_form_saves_nothing_and_keeps_the_answers(client_for, responder, team_case, draft):
    client = client_for(responder)
    wages = ind(draft.instrument, "deceptive_recruitment", "deceived about wages or earnings")
    client.post(screening_url(team_case, draft), {"version": 1, f"answer_{wages}": "no", "action": "save"})
    response = client.post(
        screening_url(team_case, draft), {"version": 1, f"answer_{wages}": "yes", "action": "save"}
    )
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert draft.answers.get().answer == "no"


def test_the_authority_reads_but_does_not_answer(client_for, authority, team_case, draft):
    client = client_for(authority)
    page = client.get(screening_url(team_case, draft)).content.decode()
    assert "Advice for the decision maker" in page and 'name="action"' not in page
    assert client.post(screening_url(team_case, draft), {"version": 1, "action": "save"}).status_code == 404
    listing = client.get(reverse("identification:screenings", args=[team_case.reference])).content.decode()
    assert "Start a screening" not in listing


def test_starting_from_the_list(client_for, responder, team_case, ilo):
    client = client_for(responder)
    url = reverse("identification:screenings", args=[team_case.reference])
    assert "Start a screening" in client.get(url).content.decode()
    response = client.post(url, {"instrument": ilo.pk, "rule": "child"})
    screening = Screening.objects.get(case=team_case)
    assert response["Location"] == screening_url(team_case, screening)
    assert screening.child is True


@pytest.mark.parametrize(
    "role", [Role.MIGRATION_OFFICER, Role.SERVICE_PROVIDER, Role.PROTECTION_OFFICER, Role.FIRST_RESPONDER]
)
def test_others_get_404(client_for, make_member, team_case, draft, role):
    """Roles not meant to read screenings, and a responder whose agency is not on the team."""
    client = client_for(make_member(role))
    for url in (
        screening_url(team_case, draft),
        reverse("identification:screenings", args=[team_case.reference]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"version": 1}).status_code == 404


def test_reading_a_screening_is_on_the_record(client_for, authority, team_case, draft):
    client_for(authority).get(screening_url(team_case, draft))
    event = AuditEvent.objects.filter(actor=authority, case=team_case, action="case.read").latest("sequence")
    assert event.tier == 4


def test_the_list_page_costs_the_same_whatever_the_number_of_screenings(
    client_for, responder, team_case, ilo, django_assert_num_queries
):
    client = client_for(responder)
    url = reverse("identification:screenings", args=[team_case.reference])
    screening_start(actor=responder, membership=responder.membership, case=team_case, instrument=ilo)
    client.get(url)
    with Queries() as few:
        client.get(url)
    for _ in range(5):
        screening_start(actor=responder, membership=responder.membership, case=team_case, instrument=ilo)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("/screenings/") >= 6


def test_the_instrument_pages(client_for, make_member, ilo, django_assert_max_num_queries):
    client = client_for(make_member(Role.SERVICE_PROVIDER))
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("identification:instruments")).content.decode()
    assert "ilo-2009-labour" in listing
    with django_assert_max_num_queries(14):
        detail = client.get(reverse("identification:instrument", args=[ilo.pk])).content.decode()
    assert "not on the child list" in detail and "secondary transcription" in detail
