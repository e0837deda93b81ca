"""A page with a form, the same way everywhere: never cached, answering GET (the form) and POST (the form
sent); a posted, valid form saved through its service, whose refusals go onto the form, and on its own page
confirmed and sent on to what it saved. And a button that only posts: its service's refusal, or what it did,
in the banner of the page the browser is sent to next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from palermo.core.web import apply_at_version, confirm, posted, refusals_onto

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


def saved_page(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[], Any],
    done: str | Promise,
    url: Callable[[Any], str],
) -> HttpResponse | None:
    """A posted form, valid and saved through `save` (its refusals and a stale version onto the form), is
    confirmed in plain words and answered with a redirect to `url(saved)`; None when the form is shown
    again."""
    if request.method != "POST" or not form.is_valid():
        return None
    saved = apply_at_version(form, save)
    if not saved:
        return None
    confirm(request, done)
    return redirect(url(saved))


def reported(request: HttpRequest, call: Callable[[], Any], done: str | Promise) -> bool:
    """A posted button's service call: its refusal (ValidationError) as an error in the banner of the next
    page, or else `done`. Whether it went through."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, str(done))
    return True


@dataclass(frozen=True)
class RecordForms:
    """How a record kept on pages of its own is added and changed (a service of the directory, a partner
    organisation, an entry of country information): `form` adds it, `change_form` (the same fields and the
    version read) changes it, filled from the record by `form.initial_for(record)`. A valid form goes to the
    area's service: `create(**arguments, **values(form))` or `update(**arguments, <record>=record,
    **values(form), expected_version=...)`, `arguments` naming who acts (`actor=`, `membership=`). Its
    refusals and a stale version go onto the form; saved, the record's page (the URL named `page`, its one
    argument the record's key) says what was `done`.

    Each page gets the form and the answer: a redirect once saved, else None (the view shows the form)."""

    form: type[BaseForm]
    change_form: type[BaseForm]
    record: str
    values: Callable[[Any], dict[str, Any]]
    page: str
    files: bool = False

    def add(
        self, request: HttpRequest, create: Callable[..., Any], done: str | Promise, **arguments: Any
    ) -> tuple[Any, HttpResponse | None]:
        form = self.form(*self._sent(request))
        return form, saved_page(
            request, form, lambda: create(**arguments, **self.values(form)), done, self.page_url
        )

    def change(
        self,
        request: HttpRequest,
        record: Any,
        update: Callable[..., Any],
        done: str | Promise,
        **arguments: Any,
    ) -> tuple[Any, HttpResponse | None]:
        initial = None if request.method == "POST" else self.form.initial_for(record)  # type: ignore[attr-defined]
        data, files = self._sent(request)
        form = self.change_form(data, files, initial=initial)

        def save() -> Any:
            version = form.cleaned_data["version"]
            return update(**arguments, **{self.record: record}, **self.values(form), expected_version=version)

        return form, saved_page(request, form, save, done, self.page_url)

    def page_url(self, record: Any) -> str:
        return reverse(self.page, args=[record.pk])

    def _sent(self, request: HttpRequest) -> tuple[Any, Any]:
        """What was posted and the files sent to a form that takes them (None when the form is only shown)."""
        return posted(request), (request.FILES or None) if self.files else None
