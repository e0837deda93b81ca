"""The web kernel: who is acting (accounts.active), and the generic glue every area uses (core.web)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from rest_framework.request import Request

from palermo.accounts.active import Acting, acting
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.core.web import errors_into, invalid_status, paged, refused_as_not_found


def _request(user: Any, **headers: str) -> Any:
    request = RequestFactory().get("/", **headers)
    request.user = user
    request.session = SessionStore()
    return request


@pytest.mark.django_db
def test_acting_gives_the_user_and_membership_once_per_request(make_member: Callable[..., User]) -> None:
    user = make_member(Role.CASE_MANAGER)
    request = _request(user)
    first = acting(request)
    assert first == Acting(user, user.membership)  # type: ignore[attr-defined]
    assert request.acting is first
    assert acting(request) is first


@pytest.mark.django_db
def test_acting_reads_the_api_request_through_to_the_page_request(make_member: Callable[..., User]) -> None:
    user = make_member(Role.GUARDIAN)
    page_request = _request(user)
    _, membership = acting(Request(page_request))
    assert membership == user.membership  # type: ignore[attr-defined]
    assert page_request.acting.membership == membership


@pytest.mark.django_db
def test_acting_without_a_membership_refuses_as_not_found(make_user: Callable[..., User]) -> None:
    with pytest.raises(Http404):
        acting(_request(make_user()))


def test_invalid_status_lets_htmx_swap_the_form_in() -> None:
    request = RequestFactory().post("/")
    assert invalid_status(request) == 400
    request.htmx = True  # type: ignore[attr-defined]
    assert invalid_status(request) == 200


def test_paged_reads_the_named_parameter_and_clamps_past_the_last_page() -> None:
    items = list(range(25))
    assert list(paged(RequestFactory().get("/", {"notes_page": "2"}), items, 10, param="notes_page")) == list(
        range(10, 20)
    )
    assert paged(RequestFactory().get("/", {"page": "99"}), items, 10).number == 3
    assert paged(RequestFactory().get("/"), items, 10, number="2").number == 2


class _Form(forms.Form):
    name = forms.CharField()


def test_errors_into_puts_a_refusal_on_its_field_or_on_the_whole_form() -> None:
    form = _Form({"name": "x"})
    assert form.is_valid()
    errors_into(form, ValidationError({"name": "Too short.", "elsewhere": "Not on this form."}))
    assert form.errors["name"] == ["Too short."]
    assert form.non_field_errors() == ["Not on this form."]

    whole = _Form({"name": "x"})
    assert whole.is_valid()
    errors_into(whole, ValidationError({"name": "Too short."}), by_field=False)
    assert "name" not in whole.errors
    assert whole.non_field_errors() == ["Too short."]


def test_refused_as_not_found_makes_forbidden_look_missing() -> None:
    with pytest.raises(Http404), refused_as_not_found():
        raise PermissionDenied


@pytest.mark.django_db
def test_keys_first_ranks_on_keys_then_reads_the_rows_shown(
    make_case: Callable[..., Any], django_assert_num_queries: Any
) -> None:
    from palermo.cases.models import Case
    from palermo.core.web import KeysFirst

    cases = [make_case() for _ in range(5)]
    ranked = Case.objects.filter(pk__in=[case.pk for case in cases]).order_by("-pk")
    expected = sorted((case.pk for case in cases), reverse=True)
    with django_assert_num_queries(2):  # the keys, then the rows of the page
        page = paged(RequestFactory().get("/", {"page": "2"}), KeysFirst(ranked), 2, total=5)
        assert [case.pk for case in page.object_list] == expected[2:4]
    keys = KeysFirst(ranked, keys_only=True)
    with django_assert_num_queries(3):  # two lists of keys, their rows in one query
        first, last = keys.by_keys(keys[:1], keys[4:])
    assert [case.pk for case in first] == expected[:1] and [case.pk for case in last] == expected[4:]
    assert keys.by_keys([]) == [[]]


@pytest.mark.django_db
def test_postgresql_connections_compile_no_query_just_in_time() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
