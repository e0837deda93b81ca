"""When a page fails: the person sees a plain error page and the log keeps the fault, not the data.

The failure is forced inside the case page, with an exception whose message repeats the person's name (as a
database error repeats a row's values). Neither the error page nor the log lines, formatted by the handler the
settings configure, may contain it; the log must still name the exception type and the failing frame.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.urls import reverse

from palermo.cases.views import cases as case_views
from palermo.core.logging import WITHHELD, RedactingFormatter, redacted_traceback
from tests.cases.casework import add_person, make_case, put_on_team
from tests.names import synthetic_name

pytestmark = pytest.mark.django_db


class RecordValueError(ValueError):
    pass


def configured_formatter() -> logging.Formatter:
    """The formatter of the console handler the LOGGING setting installs on the root logger."""
    formatters = [handler.formatter for handler in logging.getLogger().handlers if handler.formatter]
    found = [formatter for formatter in formatters if isinstance(formatter, RedactingFormatter)]
    assert found, "the LOGGING setting must install the redacting formatter"
    return found[0]


@pytest.fixture
def failing_case_page(monkeypatch: pytest.MonkeyPatch, case_manager: Any) -> tuple[Any, str]:
    case = make_case(case_manager.membership.agency)
    put_on_team(case, case_manager)
    person = add_person(case)
    name = f"{person.given_names} {person.family_names}"

    def fail(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise RecordValueError(f"duplicate key value: ({name})")

    monkeypatch.setattr(case_views, "case_page_context", fail)
    return case, name


def test_the_error_page_and_the_log_hold_no_personal_data(
    failing_case_page, case_manager, client_for, caplog, settings
):
    case, name = failing_case_page
    settings.DEBUG = False
    client = client_for(case_manager)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(reverse("cases:detail", args=[case.reference]))

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert name not in page and "duplicate key" not in page

    logged = "\n".join(configured_formatter().format(record) for record in caplog.records)
    assert caplog.records, "the failure must be logged"
    assert name not in logged
    assert "RecordValueError" in logged and WITHHELD in logged
    assert "in fail" in logged  # the failing frame is kept for the operator


def test_a_chained_exception_keeps_every_type_and_no_message():
    name = " ".join(synthetic_name())
    try:
        try:
            raise KeyError(name)
        except KeyError as inner:
            raise RuntimeError(f"while saving {name}") from inner
    except RuntimeError as error:
        text = redacted_traceback(error)
    assert name not in text
    assert "builtins.KeyError" in text and "builtins.RuntimeError" in text
    assert text.count(WITHHELD) == 2


def test_the_not_found_page_offers_emergency_access_only_to_roles_that_may_use_it(
    client_for, first_responder, rapporteur
):
    missing = reverse("cases:detail", args=["NOPE-0000"])
    may_break_glass = client_for(first_responder).get(missing)
    may_not = client_for(rapporteur).get(missing)
    assert may_break_glass.status_code == may_not.status_code == 404
    offer = f'href="{reverse("access:break_glass")}">Request emergency access'
    assert offer in " ".join(may_break_glass.content.decode().split())
    assert "Request emergency access" not in may_not.content.decode()
