"""The web kernel's generic glue, the same for every area's screens: the HTMX check, paging, and putting a
service's refusal on a form (so the page's error summary lists it). Core knows no domain app."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether HTMX sent the request (django-htmx's middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def invalid_status(request: HttpRequest) -> int:
    """A form sent back with its errors: 200 for HTMX, which swaps it in; 400 for a whole page."""
    return 200 if is_htmx(request) else 400


def paged(
    request: HttpRequest,
    items: QuerySet[Any] | Sequence[Any],
    per_page: int,
    *,
    param: str = "page",
    number: str | None = None,
) -> Page:
    """One page of `items`: the one `number` names, else the one the URL's `param` names (a page past the
    last gives the last, a malformed one the first)."""
    return Paginator(items, per_page).get_page(number if number is not None else request.GET.get(param))


def errors_into(form: BaseForm, error: ValidationError, *, by_field: bool = True) -> None:
    """A service's refusal onto the form it came from, so the page's error summary lists it: messages about a
    field of the form go to that field (unless `by_field` is false), the rest to the whole form."""
    if by_field and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


@contextmanager
def refused_as_not_found() -> Iterator[None]:
    """A service's PermissionDenied becomes 404: forbidden and missing look the same."""
    try:
        yield
    except PermissionDenied:
        raise Http404 from None
