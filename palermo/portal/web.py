"""What the portal's public pages share: the language in the URL, the quick exit, and the headers that keep a
visit unrecorded (docs/decisions/0046)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from palermo.access.declare import public


class LanguageConverter:
    """A public language's code in the path: /help/fa/rights/."""

    regex = "[a-z]{2,3}(?:-[a-z]{2,4})?"

    def to_python(self, value: str) -> str:
        if value not in settings.PUBLIC_LANGUAGES:
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


def exit_url() -> str:
    """Where the quick exit goes: an ordinary page elsewhere (PALERMO_PORTAL_EXIT_URL)."""
    return str(settings.PORTAL_EXIT_URL)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public page: open to anyone, in the language of its path, no CSRF cookie (a public form carries a
    signed token instead), never cached, sending no referrer, telling the browser to keep nothing."""

    @wraps(view)
    def page(request: HttpRequest, lang: str, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, lang, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["Content-Language"] = lang
        return response

    return public(csrf_exempt(page))
