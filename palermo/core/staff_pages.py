"""A staff page's door declared in one line: who may use it, that it is never cached (it shows case or agency
data, which no browser or proxy keeps), and which HTTP methods it answers (any other: 405).

    @staff_page(allow(*INTAKE_ROLES), "GET", "POST")
    def notification_new(request): ...

stands for the three decorators `@allow(...)`, `@never_cache`, `@require_http_methods([...])`, applied in
that order. Core knows no role: the guard is the access declaration (palermo.access.declare)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from palermo.core.web import paged

ViewFunc = Callable[..., Any]


def staff_page(guard: Callable[[ViewFunc], ViewFunc], *methods: str) -> Callable[[ViewFunc], ViewFunc]:
    """The view, limited to `methods` (at least one), never cached, and declared by `guard`."""
    if not methods:
        raise ValueError("staff_page() needs the HTTP methods the page answers")

    def declare(view: ViewFunc) -> ViewFunc:
        return guard(never_cache(require_http_methods(list(methods))(view)))

    return declare


def list_page(request: HttpRequest, template: str, rows: QuerySet[Any], per_page: int) -> HttpResponse:
    """A page listing `rows`, `per_page` at a time: the page the URL asks for, as the template's `page`."""
    return render(request, template, {"page": paged(request, rows, per_page)})


def told(request: HttpRequest, act: Callable[[], Any], done: str | Promise) -> bool:
    """A button's action without a form (lift, decline, mark done): its outcome for the banner of the page
    the browser goes to next, the refusal's messages or `done`. Whether it went through."""
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, str(done))
    return True
