"""The duplicate review's pages and API: the queue, both records side by side at the reader's tiers, the
decision, unmerge, the run's progress; who may."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse

from palermo.cases.models import CaseEvent, Person, PersonCitizenship
from palermo.linkage.models import Candidate, CandidateStatus, LinkageRun, PersonMerge
from tests.worker import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def pair(make_person: Callable[..., Person], authority, make_case) -> Candidate:
    born = datetime.date(1990, 3, 4)
    left = make_person("Юлия", "Петрова", born=born, case=make_case(team=(authority,)))
    right = make_person("Yulia", "Petrowa", born=born, case=make_case(team=(authority,)))
    run = LinkageRun.objects.create(started_by=authority, status="done", progress=100)
    return Candidate.objects.create(run=run, left=left, right=right, probability=0.97)


def test_queue_review_merge_unmerge_pages(pair: Candidate, authority, client_for) -> None:
    client = client_for(authority)
    queue = client.get(reverse("linkage:queue"))
    assert queue.status_code == 200 and pair.left.case.reference in queue.content.decode()
    assert "<td>97%</td>" in queue.content.decode()  # a likelihood as a percentage, not 0.970
    assert "First record's case" in queue.content.decode()  # each column says which record's case
    PersonCitizenship.objects.create(person=pair.left, country="UKR")
    review = client.get(reverse("linkage:review", args=[pair.pk]))
    page = review.content.decode()
    assert review.status_code == 200 and "Юлия" in page and "Petrowa" in page
    assert "Ukraine" in page and "UKR" not in page  # a citizenship by its name
    assert "Likelihood that they are the same person: 97%." in page
    done = client.post(reverse("linkage:review", args=[pair.pk]), {"decision": "same", "version": 1})
    assert done.status_code == 302
    merge = PersonMerge.objects.get()
    assert CaseEvent.objects.filter(object_type="person_merge").count() == 2
    stale = client.post(reverse("linkage:review", args=[pair.pk]), {"decision": "different", "version": 1})
    assert stale.status_code == 409
    undone = client.post(reverse("linkage:unmerge", args=[merge.pk]))
    assert undone.status_code == 302
    pair.refresh_from_db()
    assert pair.status == CandidateStatus.PENDING


def test_api_side_by_side_and_decision(pair: Candidate, authority, client_for) -> None:
    client = client_for(authority)
    listed = client.get(reverse("api-linkage-candidates")).json()
    assert listed["results"][0]["id"] == pair.pk
    detail = client.get(reverse("api-linkage-candidate", args=[pair.pk])).json()
    assert detail["left"]["person"]["given_names"] == "Юлия"
    assert detail["right"]["person"]["family_names"] == "Petrowa"
    stale = client.post(
        reverse("api-linkage-decision", args=[pair.pk]),
        {"same": False, "expected_version": 7},
        content_type=JSON,
    )
    assert stale.status_code == 409
    decided = client.post(
        reverse("api-linkage-decision", args=[pair.pk]),
        {"same": False, "expected_version": 1},
        content_type=JSON,
    )
    assert decided.status_code == 200 and decided.json()["status"] == "distinct"


def test_others_may_not(pair: Candidate, manager, client_for) -> None:
    client = client_for(manager)
    assert client.get(reverse("linkage:queue")).status_code == 404
    assert client.get(reverse("api-linkage-candidate", args=[pair.pk])).status_code == 404


def test_run_from_the_api_with_progress(
    pair: Candidate, authority, client_for, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE_TASKS
    client = client_for(authority)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("api-linkage-runs"))
    assert started.status_code == 202, started.content
    run = client.get(reverse("api-linkage-runs")).json()
    assert run["status"] == "done" and run["progress"] == 100 and run["persons"] == 2
    progress = client.get(reverse("linkage:run"))
    assert progress.status_code == 200 and "hx-trigger" not in progress.content.decode()
