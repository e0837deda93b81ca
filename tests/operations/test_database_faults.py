"""The database lost in the middle of a request (issue 21, faults): a restart, a dropped connection, a
lock or serialisation failure. The page and the API answer 503 with Retry-After in the one error shape, say
nothing of what failed (no traceback, no exception text, no personal data), and nothing of the request's
write is kept: the note, its timeline entry and its audit event go together or not at all.

The injected OperationalError runs on both databases; on PostgreSQL the request's own server process is also
terminated (`pg_terminate_backend`) half-way through the write, and a connection killed between requests is
replaced before the next request uses it (CONN_HEALTH_CHECKS)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, close_old_connections, connection, connections
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, CaseNote
from palermo.cases.services import notes
from tests.api.errors import api_error
from tests.cases.casework import make_case, put_on_team
from tests.names import synthetic_name

ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_terminate_backend is PostgreSQL's; SQLite has no server connection to lose (the injected "
    "OperationalError tests run on both)",
)


@pytest.fixture
def team_case(manager: Any) -> Any:
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    return case


def note_body() -> str:
    given, family = synthetic_name()
    return f"Met {given} {family} at the shelter."


def nothing_written(case: Any) -> None:
    assert not CaseNote.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, object_type="case_note").exists()
    assert not AuditEvent.objects.filter(action="note.add").exists()


def says_nothing_of_it(text: str, body: str) -> None:
    for leak in ("Traceback", "OperationalError", "psycopg", "sqlite", "connection", body, body[4:-15]):
        assert leak not in text, leak


def lost_after_the_writes(monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    """The connection fails once the note and its timeline entry are written, before the commit; the
    driver's message repeats a value of the row, as database errors do."""
    real = notes.record_entry

    def then_lost(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise OperationalError(f"server closed the connection unexpectedly; failing row contains ({body})")

    monkeypatch.setattr(notes, "record_entry", then_lost)


@pytest.fixture
def lost_note(monkeypatch: pytest.MonkeyPatch) -> str:
    """A note's text, whose write will lose its connection after the writes."""
    body = note_body()
    lost_after_the_writes(monkeypatch, body)
    return body


@pytest.fixture
def answers(client_for: Any, manager: Any) -> Any:
    """The manager's client, answering server errors as a browser sees them instead of raising them."""
    client = client_for(manager)
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
def test_the_api_answers_503_in_the_error_shape_and_keeps_nothing(answers, team_case, lost_note):
    body = lost_note
    answer = answers.post(
        reverse("api-case-notes", args=[team_case.reference]), {"body": body, "tier": 4}, "application/json"
    )
    error = api_error(answer, 503, "unavailable")
    assert answer["Retry-After"] == "30" and "nothing was saved" in error["message"]
    says_nothing_of_it(answer.content.decode(), body)
    nothing_written(team_case)


@pytest.mark.django_db
def test_the_page_answers_503_with_a_plain_page_and_keeps_nothing(answers, team_case, lost_note):
    body = lost_note
    answer = answers.post(reverse("cases:notes", args=[team_case.reference]), {"body": body, "tier": "2"})
    assert answer.status_code == 503 and answer["Retry-After"] == "30"
    page = answer.content.decode()
    assert "Service briefly unavailable" in page and "Nothing you were saving was saved" in page
    says_nothing_of_it(page, body)
    nothing_written(team_case)


@pytest.mark.django_db
def test_a_database_down_before_any_view_is_a_503_too(answers, team_case, monkeypatch):
    client = answers

    def down() -> None:
        raise OperationalError("could not connect to server: Connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "ensure_connection", down)  # the session, the user: every query fails
        page = client.get(reverse("cases:detail", args=[team_case.reference]))
        api = client.get(reverse("api-case-notes", args=[team_case.reference]))
    assert page.status_code == 503 and "Service briefly unavailable" in page.content.decode()
    api_error(api, 503, "unavailable")
    assert client.get(reverse("cases:detail", args=[team_case.reference])).status_code == 200  # back again


@pytest.mark.django_db
def test_any_other_server_error_under_the_api_is_the_error_shape(answers, team_case, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(note_body())

    monkeypatch.setattr(notes, "record_entry", broken)
    answer = answers.post(
        reverse("api-case-notes", args=[team_case.reference]), {"body": "x", "tier": 4}, "application/json"
    )
    api_error(answer, 500, "server_error")
    assert "Retry-After" not in answer and "Traceback" not in answer.content.decode()


def terminate(pid: int) -> None:
    """End server process `pid` from a session of its own, as a database restart or a lost network does."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_the_connection_terminated_mid_write_answers_503_and_keeps_nothing(answers, team_case, monkeypatch):
    body = note_body()
    real = notes.record_entry

    def then_terminated(*args: Any, **kwargs: Any) -> Any:
        answer = real(*args, **kwargs)
        terminate(backend_pid())  # the commit that follows finds no server
        return answer

    monkeypatch.setattr(notes, "record_entry", then_terminated)
    client = answers
    answer = client.post(
        reverse("api-case-notes", args=[team_case.reference]), {"body": body, "tier": 4}, "application/json"
    )
    api_error(answer, 503, "unavailable")
    says_nothing_of_it(answer.content.decode(), body)
    close_old_connections()
    nothing_written(team_case)
    monkeypatch.undo()
    created = client.post(
        reverse("api-case-notes", args=[team_case.reference]), {"body": body, "tier": 4}, "application/json"
    )
    assert created.status_code == 201 and CaseNote.objects.filter(case=team_case).count() == 1


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_between_requests_is_replaced_before_the_next(client_for, manager, team_case):
    client = client_for(manager)
    assert client.get(reverse("api-case-notes", args=[team_case.reference])).status_code == 200
    before = backend_pid()
    terminate(before)
    close_old_connections()  # what every request starts with (the test client leaves it out)
    assert client.get(reverse("api-case-notes", args=[team_case.reference])).status_code == 200
    assert backend_pid() != before
