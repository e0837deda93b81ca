"""A page with a form, the same way everywhere: never cached, answering GET (the form) and POST (the form
sent); a posted, valid form saved through its service, whose refusals go onto the form. (A button that only
posts: palermo.core.staff_pages.told.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from palermo.core.web import refusals_onto

ViewFunc = Callable[..., HttpResponse]


def form_view(view: ViewFunc) -> ViewFunc:
    """A page with a form: never cached; GET shows the form, POST sends it."""
    return never_cache(require_http_methods(["GET", "POST"])(view))


def posted_and_saved(request: HttpRequest, form: BaseForm, save: Callable[[], Any]) -> Any:
    """What `save` (the service call) returned for a posted, valid form; None when the form is shown again
    (not posted, invalid, or refused by the service: its refusals are then on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    return refusals_onto(form, save)
