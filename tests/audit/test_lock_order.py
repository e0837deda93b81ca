"""Audited writes under concurrency: no deadlock between the audit chain's head and case rows (issue 15,
item 7). Four clients at once change how to reach the person (the case row locked, then the audit head) and
read the person (the read audited after the answer: the audit head, then the event's reference to the case
row), on the same two cases, through the API. Before the audit took its hold on the case rows ahead of the
head, this deadlocked on PostgreSQL and clients got server errors."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.urls import reverse

from palermo.audit.verify import verify_chain
from palermo.cases.models import Case, ContactRoute
from tests.cases.casework import add_person, team_case

CLIENTS = 4
ROUNDS = 15


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers by itself")
@pytest.mark.django_db(transaction=True)
def test_four_clients_writing_and_reading_the_same_cases_never_deadlock(manager, client_for):
    cases = [team_case(manager) for _ in range(2)]
    for case in cases:
        add_person(case)
    clients = [client_for(manager) for _ in range(CLIENTS)]
    for client in clients:
        client.raise_request_exception = False
    channels = [choice for choice, _ in ContactRoute.choices]
    start = threading.Barrier(CLIENTS)
    statuses: Counter[int] = Counter()
    errors: list[BaseException] = []

    def work(number: int) -> None:
        client = clients[number]
        try:
            start.wait()
            for round_ in range(ROUNDS):
                for case in cases[number % 2 :] + cases[: number % 2]:
                    statuses[client.get(reverse("api-case-persons", args=[case.reference])).status_code] += 1
                    url = reverse("api-case-contact-channel", args=[case.reference])
                    read = client.get(url)
                    statuses[read.status_code] += 1
                    version = read.json().get("version", 1) if read.status_code == 200 else 1
                    channel = channels[(number + round_) % len(channels)]
                    body = {"contact_channel": channel, "version": version}
                    statuses[client.put(url, body, content_type="application/json").status_code] += 1
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert set(statuses) <= {200, 409}, statuses
    assert statuses[200] >= CLIENTS * ROUNDS * 2  # every read answered, and some writes went through
    assert verify_chain().intact
    assert Case.objects.filter(pk__in=[c.pk for c in cases], version__gt=1).count() == 2
