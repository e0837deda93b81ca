"""The web kernel's generic glue, the same for every area's screens: the HTMX check, paging, and putting a
service's refusal on a form (so the page's error summary lists it). Core knows no domain app."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from palermo.core.concurrency import StaleEdit, already_saved


def posted(request: HttpRequest) -> QueryDict | None:
    """A form's data: what was posted, even nothing at all (an empty post is a form sent empty, which shows
    its errors), or None on GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def is_htmx(request: HttpRequest) -> bool:
    """Whether HTMX sent the request (django-htmx's middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def invalid_status(request: HttpRequest) -> int:
    """A form sent back with its errors: 200 for HTMX, which swaps it in; 400 for a whole page."""
    return 200 if is_htmx(request) else 400


def render_form(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A form's own page: for HTMX only the form's partial, which it swaps in; else the whole page."""
    return render(request, partial if is_htmx(request) else page, context, status=status)


def paged(
    request: HttpRequest,
    items: QuerySet[Any] | Sequence[Any],
    per_page: int,
    *,
    param: str = "page",
    number: str | None = None,
    first: QuerySet[Any] | None = None,
    total: int | None = None,
) -> Page:
    """One page of `items`: the one `number` names, else the one the URL's `param` names (a page past the
    last gives the last, a malformed one the first). `first`, the first page already read with its total
    (`first_page`), answers a request for the first page without another query; `total`, the number of
    items already counted (with a list's other counts), spares the paginator its count."""
    asked = number if number is not None else request.GET.get(param)
    paginator = Paginator(items, per_page)
    if total is not None:
        paginator.count = total  # type: ignore[misc]
    if first is not None and asked is None:
        rows = list(first)
        paginator.count = getattr(rows[0], FIRST_PAGE_TOTAL) if rows else 0  # type: ignore[misc]
        return Page(rows, 1, paginator)
    return paginator.get_page(asked)


def other_params(request: HttpRequest, param: str = "page") -> str:
    """The URL's query without the page number, for the links to the other pages (core/pagination.html's
    `query`): the filters stay as they were."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


class KeysFirst(Sequence[Any]):
    """A list ranked on its keys first: a slice (a page) reads the ordered primary keys alone, without the
    rows' other columns and annotations, then those rows by key (the second query on a page of rows at most).
    For a list whose rows carry costly annotations (access facts, subqueries), the database computes them for
    the rows shown, not for every row it ranks. Give `paged` the total (`len` counts). With `keys_only`, a
    slice is the keys alone, to read with another list's rows in one query (`by_keys`)."""

    def __init__(self, rows: QuerySet[Any], *, keys_only: bool = False) -> None:
        self.rows = rows
        self.keys_only = keys_only

    def __len__(self) -> int:
        return int(self.rows.count())

    def keys(self, index: slice) -> list[Any]:
        return list(self.rows.values_list("pk", flat=True)[index])

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        keys = self.keys(index)
        return keys if self.keys_only else self.by_keys(keys)[0]

    def by_keys(self, *lists: list[Any]) -> list[list[Any]]:
        """The rows of each list of keys, in its order, all in one query (a row gone since: left out)."""
        wanted = {key for keys in lists for key in keys}
        found = {row.pk: row for row in self.rows.order_by().filter(pk__in=wanted)} if wanted else {}
        return [[found[key] for key in keys if key in found] for keys in lists]


FIRST_PAGE_TOTAL = "palermo_total"


def first_page(items: QuerySet[Any], per_page: int) -> QuerySet[Any]:
    """The first page of `items` with, on each row, how many there are in all (a window count): one query
    for what the paginator reads in two, to read with a page's other reads (palermo.core.batch)."""
    return items.annotate(**{FIRST_PAGE_TOTAL: Window(Count("pk"))})[:per_page]


def first_rows(items: QuerySet[Any], count: int) -> tuple[list[Any], int]:
    """The first `count` of `items` and how many there are in all, in one query (a home page's panel)."""
    rows = list(first_page(items, count))
    return rows, getattr(rows[0], FIRST_PAGE_TOTAL) if rows else 0


def errors_into(form: BaseForm, error: ValidationError, *, by_field: bool = True) -> None:
    """A service's refusal onto the form it came from, so the page's error summary lists it: messages about a
    field of the form go to that field (unless `by_field` is false), the rest to the whole form."""
    if by_field and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def refusals_onto(form: BaseForm, call: Callable[[], Any], *, by_field: bool = True) -> Any:
    """Run a service call; its ValidationError becomes the form's errors (see `errors_into`). Returns the
    call's result, or None when refused."""
    try:
        return call()
    except ValidationError as error:
        errors_into(form, error, by_field=by_field)
    return None


def saved(form: BaseForm, call: Callable[[], Any]) -> bool:
    """Run a valid form's service call: a refusal becomes the form's errors (see `errors_into`), a
    PermissionDenied 404 (forbidden and missing look the same). Whether the call went through."""
    with refused_as_not_found():
        refusals_onto(form, call)
    return not form.errors


def apply_to_form(form: BaseForm, call: Callable[[], Any]) -> Any:
    """`refusals_onto`, and a PermissionDenied becomes a form error too (for a form that is shown only to
    those who may use it, the refusal of one of its choices)."""
    try:
        return refusals_onto(form, call)
    except PermissionDenied:
        form.add_error(None, _("You may not do this on this case."))
    return None


def apply_at_version(form: BaseForm, call: Callable[[], Any]) -> Any:
    """`apply_to_form` for a change that states the version read: a stale one becomes a form error too (the
    record moved on meanwhile; nothing was saved), unless the record already holds what the form sent (the
    same form sent twice): then that is the change made, and the current record is the result."""
    try:
        return apply_to_form(form, call)
    except StaleEdit as stale:
        if already_saved(stale.current, form.cleaned_data):
            return stale.current
        form.add_error(None, _("This record changed after you opened it. Nothing was saved: look again."))
        return None


def confirm(request: HttpRequest, done: str | Promise) -> None:
    """What a save did, in plain words ("Note added"), for the notification banner of the page the browser
    is sent to next (base.html; app.js moves focus to it). A section HTMX swaps in shows it in the section
    instead (palermo.cases.web.section_changed)."""
    messages.success(request, str(done))


def form_values(data: dict[str, Any], *names: str, version: bool = False) -> dict[str, Any]:
    """A service's keyword arguments from a form's cleaned data, where the form's fields bear the service's
    names; with `version`, the version the form was read at as `expected_version`."""
    values = {name: data[name] for name in names}
    if version:
        values["expected_version"] = data["version"]
    return values


@contextmanager
def refused_as_not_found() -> Iterator[None]:
    """A service's PermissionDenied becomes 404: forbidden and missing look the same."""
    try:
        yield
    except PermissionDenied:
        raise Http404 from None
