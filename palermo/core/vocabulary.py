"""Lists that core's checks need but a higher app owns. Core imports no domain app, so the owner provides the
list from its AppConfig.ready() (the exploitation forms: palermo.cases, which owns the case record)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_EXPLOITATION_FORMS: list[Callable[[], list[str]]] = []


def provide_exploitation_forms(source: Callable[[], list[str]]) -> None:
    _EXPLOITATION_FORMS[:] = [source]


def provided_exploitation_forms() -> list[str]:
    if not _EXPLOITATION_FORMS:
        raise ImproperlyConfigured("No app provides the exploitation forms (palermo.cases does, once ready).")
    return _EXPLOITATION_FORMS[0]()
