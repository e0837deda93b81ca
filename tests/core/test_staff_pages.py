"""A staff page's door in one line (core.staff_pages): who may use it, never cached, the methods it answers;
and a button's outcome told in the next page's banner (core.form_pages.reported)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from palermo.core.form_pages import reported
from palermo.core.staff_pages import staff_page


def _marked(view: Any) -> Any:
    view.palermo_roles = frozenset({"marked"})
    return view


@staff_page(_marked, "GET")
def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("page")


def test_a_staff_page_is_declared_by_its_guard() -> None:
    assert _page.palermo_roles == frozenset({"marked"})  # type: ignore[attr-defined]


def test_a_staff_page_is_never_cached() -> None:
    response = _page(RequestFactory().get("/"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_a_staff_page_answers_only_its_methods() -> None:
    assert _page(RequestFactory().post("/")).status_code == 405


def test_a_staff_page_names_its_methods() -> None:
    with pytest.raises(ValueError):
        staff_page(_marked)


def _request() -> Any:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _refused() -> None:
    raise ValidationError(["Not now.", "Not here."])


@pytest.mark.django_db
def test_reported_says_what_was_done() -> None:
    request = _request()
    assert reported(request, lambda: None, "Done.") is True
    assert [str(message) for message in get_messages(request)] == ["Done."]


@pytest.mark.django_db
def test_reported_says_why_it_was_refused() -> None:
    request = _request()
    assert reported(request, _refused, "Done.") is False
    assert [str(message) for message in get_messages(request)] == ["Not now. Not here."]
