"""A staff page's door declared in one line: who may use it, that it is never cached (it shows case or agency
data, which no browser or proxy keeps), and which HTTP methods it answers (any other: 405).

    @staff_page(allow(*INTAKE_ROLES), "GET", "POST")
    def notification_new(request): ...

stands for the three decorators `@allow(...)`, `@never_cache`, `@require_http_methods([...])`, applied in
that order. Core knows no role: the guard is the access declaration (palermo.access.declare)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
