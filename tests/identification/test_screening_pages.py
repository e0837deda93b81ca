"""Screening pages: the form grouped by dimension, drafts, completion, the advice, and who sees what."""

from __future__ import annotations

import re
from html import escape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.identification.models import Indicator, Screening, ScreeningStatus
from palermo.identification.selectors import screening_steps
from palermo.identification.services.screenings import may_answer, screening_start
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


def step_url(case, screening, step) -> str:
    return reverse("identification:screening_step", args=[case.reference, screening.pk, step])


def check_url(case, screening) -> str:
    return reverse("identification:screening_check", args=[case.reference, screening.pk])


def test_a_draft_lists_its_steps_with_their_progress(client_for, responder, team_case, draft):
    page = client_for(responder).get(screening_url(team_case, draft)).content.decode()
    assert page.count('class="list-group-item') == 6
    for number in range(1, 7):
        assert f'href="{step_url(team_case, draft, number)}"' in page
    assert "0 of 10 answered" in page  # deceptive recruitment, before any answer
    assert f'href="{check_url(team_case, draft)}"' in page
    assert "ILO and European Commission operational indicators, labour exploitation (2009)" in page
    assert "Advice for the decision maker, never the decision." in page


def test_each_step_is_one_dimension_with_labelled_radios(client_for, responder, team_case, draft):
    client = client_for(responder)
    page = client.get(step_url(team_case, draft, 2)).content.decode()
    assert "Step 2 of 6" in page and "<title>Step 2 of 6: Coercive recruitment" in page
    assert '<progress class="w-100 mb-2" value="2" max="6"' in page
    assert f'href="{step_url(team_case, draft, 1)}">Back</a>' in page
    first = ind(draft.instrument, "coercive_recruitment", "debt bondage")
    assert '<legend class="fs-6 fw-semibold" lang="en">Debt bondage</legend>' in page  # sentence case
    for value in ("yes", "no", "unknown"):
        assert re.search(
            rf'<input type="radio" name="answer_{first}" value="{value}"[^>]*id="(id_answer_{first}_\d)"',
            page,
        )
    assert f'<label class="form-label" for="id_note_{first}">' in page
    wages = ind(draft.instrument, "deceptive_recruitment", "deceived about wages or earnings")
    assert f"answer_{wages}" not in page  # another step's indicator
    assert client.get(step_url(team_case, draft, 7)).status_code == 404
    assert client.get(step_url(team_case, draft, 0)).status_code == 404


def test_save_and_continue_then_check_and_complete(client_for, responder, team_case, draft):
    client = client_for(responder)
    ilo = draft.instrument
    strong = ind(ilo, "deceptive_recruitment", "deceived about the nature of the job, location or employer")
    text = note()
    response = client.post(
        step_url(team_case, draft, 1),
        {"version": 1, f"answer_{strong}": "yes", f"note_{strong}": text, f"source_{strong}": "person"},
    )
    assert response.status_code == 302 and response["Location"] == step_url(team_case, draft, 2)
    draft.refresh_from_db()
    assert draft.status == ScreeningStatus.DRAFT and draft.answers.count() == 1
    page = client.get(step_url(team_case, draft, 2)).content.decode()
    assert "Answers to “Deceptive recruitment” saved" in page and "app-notification-banner" in page
    back = client.get(step_url(team_case, draft, 1)).content.decode()
    assert escape(text.strip()) in back and "checked" in back
    # The last step leads to the check-your-answers page.
    last = client.post(step_url(team_case, draft, 6), {"version": 2})
    assert last["Location"] == check_url(team_case, draft)
    check = client.get(check_url(team_case, draft)).content.decode()
    assert "Check your answers before completing the screening" in check
    assert f'href="{step_url(team_case, draft, 1)}">Change<span class="visually-hidden"> Deceptive' in check
    assert "Deceived about the nature of the job, location or employer" in check
    assert "Not answered" in check
    assert "How the rule was met or missed" in check
    # Most of the list unanswered: completing asks first, and saves nothing until confirmed.
    asked = client.post(check_url(team_case, draft), {"version": 3})
    body = asked.content.decode()
    assert asked.status_code == 200 and "Many indicators are not answered" in body
    assert re.search(r"\d+ of the \d+ indicators are not answered", body)
    assert 'name="unanswered_confirmed" value="on"' in body
    assert f'href="{step_url(team_case, draft, 1)}">Answer them first</a>' in body
    draft.refresh_from_db()
    assert draft.status == ScreeningStatus.DRAFT
    done = client.post(check_url(team_case, draft), {"version": 3, "unanswered_confirmed": "on"})
    assert done["Location"] == screening_url(team_case, draft)
    draft.refresh_from_db()
    assert draft.status == ScreeningStatus.COMPLETE
    page = client.get(screening_url(team_case, draft)).content.decode()
    assert "Screening completed:" in page
    assert "list-group-item" not in page  # frozen: read-only now
    assert client.get(step_url(team_case, draft, 1)).status_code == 404


def test_the_same_step_sent_twice_confirms_again(client_for, responder, team_case, draft):
    client = client_for(responder)
    wages = ind(draft.instrument, "deceptive_recruitment", "deceived about wages or earnings")
    sent = {"version": 1, f"answer_{wages}": "no"}
    assert client.post(step_url(team_case, draft, 1), sent)["Location"] == step_url(team_case, draft, 2)
    again = client.post(step_url(team_case, draft, 1), sent)  # the back button, then the same press
    assert again.status_code == 302 and again["Location"] == step_url(team_case, draft, 2)
    draft.refresh_from_db()
    assert draft.version == 2 and draft.answers.get().answer == "no"


def test_a_stale_step_with_other_answers_saves_nothing_and_keeps_them(
    client_for, responder, team_case, draft
):
    client = client_for(responder)
    wages = ind(draft.instrument, "deceptive_recruitment", "deceived about wages or earnings")
    client.post(step_url(team_case, draft, 1), {"version": 1, f"answer_{wages}": "no"})
    response = client.post(step_url(team_case, draft, 1), {"version": 1, f"answer_{wages}": "yes"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "nothing was saved" in body and "app-error-summary" in body
    assert draft.answers.get().answer == "no"


def test_a_few_unanswered_complete_without_asking(client_for, responder, team_case, draft):
    client = client_for(responder)
    version = 1
    for number, (_dimension, listed) in enumerate(
        screening_steps(draft.instrument, child=draft.child), start=1
    ):
        answers = {f"answer_{indicator.pk}": "no" for indicator in listed[1:]}  # one left each step
        client.post(step_url(team_case, draft, number), {"version": version, **answers})
        version += 1
    done = client.post(check_url(team_case, draft), {"version": version})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ScreeningStatus.COMPLETE


def test_the_authority_starts_and_answers_a_screening(client_for, authority, team_case, ilo):
    client = client_for(authority)
    url = reverse("identification:screenings", args=[team_case.reference])
    assert "Start a screening" in client.get(url).content.decode()
    response = client.post(url, {"instrument": ilo.pk, "rule": "adult"})
    screening = Screening.objects.get(case=team_case)
    assert response["Location"] == step_url(team_case, screening, 1)
    assert client.get(step_url(team_case, screening, 1)).status_code == 200


def test_the_policy_decides_where_the_authority_answers(authority, make_case, responder, ilo):
    """The authority answers where the access policy lets it write the case's narrative: on the team, yes;
    its agency off the team, no (and the case is not there for it at all)."""
    on_team = make_case(team=(responder, authority))
    off_team = make_case(team=(responder,))
    assert may_answer(authority.membership, on_team)
    assert not may_answer(authority.membership, off_team)
    with pytest.raises(PermissionDenied):
        screening_start(actor=authority, membership=authority.membership, case=off_team, instrument=ilo)


def test_starting_from_the_list(client_for, responder, team_case, ilo):
    client = client_for(responder)
    url = reverse("identification:screenings", args=[team_case.reference])
    listing = client.get(url).content.decode()
    assert "Start a screening" in listing
    assert "ILO and European Commission operational indicators, labour exploitation (2009)" in listing
    response = client.post(url, {"instrument": ilo.pk, "rule": "child"})
    screening = Screening.objects.get(case=team_case)
    assert response["Location"] == step_url(team_case, screening, 1)
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
        step_url(team_case, draft, 1),
        check_url(team_case, draft),
    ):
        assert client.get(url).status_code == 404
        if url != screening_url(team_case, draft):  # read only, whoever asks
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
