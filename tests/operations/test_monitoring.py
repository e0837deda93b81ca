"""Health, readiness and metrics for the proxy and the scraper; structured logs with the request id. No
personal data and no case reference ever appears in the metrics."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from django.test import Client
from django.urls import reverse

from palermo.core.logging import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_health_and_readiness_answer_without_login():
    client = Client()
    assert client.get("/health/").status_code == 200
    ready = client.get("/ready/")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "failed": []}


def test_readiness_names_a_failed_check(settings, tmp_path):
    settings.DOCUMENT_STORE = tmp_path / "missing" / "deeper" / "documents"
    answer = Client().get("/ready/")
    assert answer.status_code == 503 and answer.json()["failed"] == ["document store"]


def test_metrics_need_the_token_and_name_views_never_paths(settings, client_for, manager):
    from tests.cases.casework import make_case, put_on_team

    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    client_for(manager).get(reverse("cases:detail", args=[case.reference]))
    assert Client().get("/metrics").status_code == 404  # no token configured: no metrics
    settings.PALERMO_METRICS_TOKEN = "scrape-token-for-tests"
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    text = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-for-tests").content.decode()
    assert 'palermo_requests_total{method="GET",status="200",view="cases:detail"}' in text
    for gauge in (
        "palermo_task_queue_depth",
        "palermo_audit_chain_head",
        "palermo_deadline_reminder_last_run_age",
    ):
        assert gauge in text
    assert case.reference not in text


def test_json_logs_carry_the_request_id_and_withhold_exception_messages():
    record = logging.LogRecord("palermo.request", logging.INFO, __file__, 1, "request", None, None)
    record.view, record.status = "cases:detail", 200
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["view"] == "cases:detail" and line["message"] == "request"
    withheld = "a name that must not be logged"
    try:
        raise ValueError(withheld)
    except ValueError:
        record.exc_info = sys.exc_info()
    assert withheld not in JsonFormatter().format(record)


def test_every_answer_carries_a_request_id():
    assert len(Client().get("/health/")["X-Request-ID"]) == 32
