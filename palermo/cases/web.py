"""The web kernel's case glue, one home for every area's case screens and API: who works on cases, the case
a request names (404 when missing or not visible, alike), the case page's sections and how a section answers
after a change, the "someone saved first" screen, and the registry of the case page's lazily fetched forms.

Other apps import this module (and cases' models, selectors and services), never cases' views or API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from palermo.access.declare import allow
from palermo.access.selectors import case_for
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.roles import CASE_WORKERS
from palermo.cases import docstore
from palermo.cases.facts import note_present_kinds, preload_case_reads
from palermo.cases.models import Case, Phase
from palermo.cases.sections import registered_sections
from palermo.cases.selectors import readable_tiers
from palermo.core.api_errors import error_response
from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.lists import listed
from palermo.core.web import apply_to_form, confirm, invalid_status, is_htmx

if TYPE_CHECKING:
    from django.forms import BaseForm
    from rest_framework.request import Request

    from palermo.accounts.models import Membership, User

# Roles that have case screens.
CASE_ROLES = CASE_WORKERS
API_ROLES = frozenset(CASE_ROLES)
# The API's answers for a refusal, described once for every area's case endpoints.
# Refusals in the one error shape (palermo.core.api_errors).
NOT_FOUND = error_response("No such case, or not visible to the caller (the same answer).")


def visible_case(request: HttpRequest | Request, reference: str) -> tuple[Case, frozenset[int]]:
    """The case by reference if the acting membership may see it (else 404), and the tiers it may read.
    The same for a page's request and the API's."""
    membership = acting(request).membership
    case = case_for(membership, reference, 1)
    return case, readable_tiers(membership, case)


# --- the case page's sections -------------------------------------------------------------------------------


@cache
def installed_sections() -> tuple[tuple[str, str, Callable[..., dict[str, Any]] | None], ...]:
    """The registered sections (palermo.cases.sections) whose template exists, in page order."""
    found = []
    for section in registered_sections():
        try:
            get_template(section.template)
        except TemplateDoesNotExist:
            continue
        found.append((section.area, section.template, section.context))
    return tuple(found)


def case_page_context(
    request: HttpRequest, case: Case, tiers: frozenset[int], *, lazy: bool = False, **overrides: Any
) -> dict[str, Any]:
    """The case page's context: header data, and each installed section's own context. With `lazy`, no
    section's context is computed: the page fetches them from `case_sections` once it is shown."""
    context: dict[str, Any] = {
        "case": case,
        "membership": acting(request).membership,
        "tiers": tiers,
        "tiers_sorted": sorted(tiers),
        "tier_labels": [Tier(tier).label for tier in sorted(tiers)],
        "phases": Phase.choices,
        "lazy_sections": lazy,
    }
    if not lazy and request.method in ("GET", "HEAD"):
        note_present_kinds(case)  # one query instead of one per empty kind (palermo/cases/facts.py)
        preload_case_reads(case, tiers)  # the sections' reads in one statement (decision 0015)
    sections = []
    for area, template, section_context in installed_sections():
        if section_context is not None and not lazy:
            context.update(section_context(request, case, tiers))
        sections.append({"area": area, "template": template})
    context["sections"] = sections
    context.update(overrides)
    return context


def render_section(
    request: HttpRequest, case: Case, tiers: frozenset[int], area: str, status: int = 200, **extra: Any
) -> HttpResponse:
    """One area's partial for HTMX (only that area's context is computed); without HTMX (no script, a
    bookmarked link) the whole case page."""
    if not is_htmx(request):
        context = case_page_context(request, case, tiers, **extra)
        return render(request, "cases/case_detail.html", context, status=status)
    context = {"case": case, "membership": acting(request).membership, "tiers": tiers}
    for name, template, section_context in installed_sections():
        if name == area:
            if section_context is not None:
                context.update(section_context(request, case, tiers))
            context.update(extra)
            return render(request, template, context, status=status)
    raise Http404


def section_url(case: Case, area: str) -> str:
    """The case page, scrolled to one area's section."""
    return reverse("cases:detail", args=[case.reference]) + f"#section-{area}"


def section_changed(
    request: HttpRequest,
    case: Case,
    tiers: frozenset[int],
    area: str,
    done: str | Promise | None = None,
    **extra: Any,
) -> HttpResponse:
    """After a change: HTMX gets the area's fresh section, with `done` (what happened, in plain words) in its
    notification banner, and tells the page (the timeline listens); without HTMX the browser goes back to
    that section of the case page, whose banner says the same (palermo.core.web.confirm)."""
    if not is_htmx(request):
        if done:
            confirm(request, done)
        return redirect(section_url(case, area))
    if done:
        extra["confirmation"] = done
    response = render_section(request, case, tiers, area, **extra)
    response["HX-Trigger"] = "case-changed"
    return response


def refused_section(
    request: HttpRequest, case: Case, tiers: frozenset[int], area: str, **forms: Any
) -> HttpResponse:
    """The section again with the refused forms and their errors; 400 without HTMX, 200 for HTMX to swap."""
    return render_section(request, case, tiers, area, status=invalid_status(request), **forms)


@dataclass(frozen=True)
class SectionPost:
    """A post from a form in one of the case page's sections: the visible case, who acts, and the answers."""

    request: HttpRequest
    case: Case
    tiers: frozenset[int]
    area: str
    user: User
    membership: Membership

    @classmethod
    def acting_on(cls, request: HttpRequest, case: Case, tiers: frozenset[int], area: str) -> SectionPost:
        user, membership = acting(request)
        return cls(request, case, tiers, area, user, membership)

    @property
    def actor(self) -> dict[str, Any]:
        """The acting user and membership, as every service takes them."""
        return {"actor": self.user, "membership": self.membership}

    def changed(
        self, case: Case | None = None, *, done: str | Promise | None = None, **extra: Any
    ) -> HttpResponse:
        """The section after the change, of `case` when the service handed back the case it changed, saying
        what was `done`."""
        return section_changed(self.request, case or self.case, self.tiers, self.area, done, **extra)

    def refused(self, **forms: Any) -> HttpResponse:
        return refused_section(self.request, self.case, self.tiers, self.area, **forms)

    def submit(
        self,
        form: BaseForm,
        form_name: str,
        perform: Callable[[dict[str, Any]], object],
        *,
        apply: Callable[[BaseForm, Callable[[], Any]], Any] = apply_to_form,
        on_stale: Callable[[Any, dict[str, Any]], HttpResponse] | None = None,
        refused_with: dict[str, Any] | None = None,
        done: str | Promise | Callable[[Any], str] | None = None,
    ) -> HttpResponse:
        """The form's change made (the fresh section, saying what was `done`), or the section again with the
        form (as `form_name`, beside `refused_with`) and why not: `apply` turns the service's refusals into
        the form's errors (apply_at_version: a stale version too). With `on_stale`, a stale version answers
        its screen instead (given the current record and the form's data), unless the record already holds
        what was sent (a second press, a resubmit): that is the change made. `done` may be worked out from
        what the service returned (the record as saved)."""
        result = None
        if form.is_valid():
            try:
                result = apply(form, lambda: perform(form.cleaned_data))
            except StaleEdit as stale:
                if on_stale is None:
                    raise
                if not already_saved(stale.current, form.cleaned_data):
                    return on_stale(stale.current, form.cleaned_data)
                result = stale.current
        if form.errors:
            return self.refused(**{form_name: form}, **(refused_with or {}))
        return self.changed(done=done(result) if callable(done) else done)


P = ParamSpec("P")


def section_post(
    area: str, *, showing_section: bool = False, editing: bool = False
) -> Callable[[Callable[Concatenate[SectionPost, P], HttpResponse]], Callable[..., HttpResponse]]:
    """A never-cached view of a case section's form for every case role, for POST; with `showing_section`
    GET too, which answers the section; with `editing` GET too, which the view answers (an edit page). The
    view gets the case the URL names (404 when missing or not visible) as a SectionPost, then the URL's
    other arguments."""
    methods = ["GET", "POST"] if showing_section or editing else ["POST"]

    def decorate(view: Callable[Concatenate[SectionPost, P], HttpResponse]) -> Callable[..., HttpResponse]:
        @allow(*CASE_ROLES)
        @never_cache
        @require_http_methods(methods)
        @wraps(view)
        def handle(request: HttpRequest, reference: str, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            case, tiers = visible_case(request, reference)
            if request.method == "GET" and showing_section:
                return render_section(request, case, tiers, area)
            return view(SectionPost.acting_on(request, case, tiers, area), *args, **kwargs)

        return handle

    return decorate


def section_page(area: str) -> Callable[[HttpRequest, str], HttpResponse]:
    """The view of one area's section: its partial for HTMX, or the case page (links, the deadline screen)."""

    @allow(*CASE_ROLES)
    @never_cache
    @require_http_methods(["GET"])
    def section(request: HttpRequest, reference: str) -> HttpResponse:
        case, tiers = visible_case(request, reference)
        return render_section(request, case, tiers, area)

    return section


class HiddenFields(Protocol):
    """What the conflict screen posts back: (name, value) pairs from `.items()`, as a dict gives them."""

    def items(self) -> Iterable[tuple[str, Any]]: ...


class FieldPairs(list[tuple[str, Any]]):
    """Hidden fields for the conflict screen where a name repeats (a multiple choice): `.items()` gives
    (name, value) pairs as a dict would, one per value."""

    def items(self) -> list[tuple[str, Any]]:
        return list(self)


def render_conflict(
    request: HttpRequest,
    *,
    title: str,
    rows: list[dict[str, Any]],
    retry_action: str,
    retry_fields: HiddenFields,
    back_url: str,
) -> HttpResponse:
    """The "someone saved first" screen (core/conflict.html): each row shows the editor's version beside the
    current one; re-applying submits the editor's values again against the current version, knowingly.
    Without HTMX it answers 409 Conflict; for HTMX it replaces the page's main area instead of a section."""
    context = {
        "title": title,
        "rows": rows,
        "retry_action": retry_action,
        "retry_fields": retry_fields,
        "back_url": back_url,
    }
    if not is_htmx(request):
        return render(request, "core/conflict.html", context, status=409)
    response = render(request, "core/conflict.html", context)
    response["HX-Retarget"] = "#main"
    response["HX-Reselect"] = "#main"
    response["HX-Reswap"] = "outerHTML"
    return response


def render_form_conflict(
    request: HttpRequest,
    form: BaseForm,
    current: Any,
    *,
    title: str,
    back_url: str,
    retry_action: str | None = None,
) -> HttpResponse:
    """`render_conflict` for a form whose fields bear the names of the record's fields: each field the
    editor filled in beside the record's value now (`current`, the record as StaleEdit carries it, or as
    `Tiered` at the reader's tiers, so a value above them stays withheld), each a choice's label; saving
    again posts what the form sent (every value of a multiple choice) with the current version, to
    `retry_action` (by default where the form was posted)."""
    names = [name for name in form.fields if name != "version"]
    rows = [
        {
            "label": form.fields[name].label or name,
            "yours": _as_shown(form.fields[name], form.cleaned_data.get(name)),
            "current": _as_shown(form.fields[name], getattr(current, name, None)),
        }
        for name in names
    ]
    data = form.data
    sent = data.lists() if hasattr(data, "lists") else ((name, [value]) for name, value in data.items())
    retry = FieldPairs(
        (name, value)
        for name, values in sent
        if name not in {"csrfmiddlewaretoken", "version"}
        for value in values
    )
    retry.append(("version", current.version))
    return render_conflict(
        request,
        title=title,
        rows=rows,
        retry_action=retry_action or request.path,
        retry_fields=retry,
        back_url=back_url,
    )


def _as_shown(field: Any, value: Any) -> Any:
    """A form value as the conflict screen shows it: a choice (or several) by its label, yes or no."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    labels = {str(key): label for key, label in getattr(field, "choices", None) or () if key != ""}
    if isinstance(value, list | tuple):
        return listed(labels.get(str(item), item) for item in value)
    return labels.get(str(value), value) if labels and value not in (None, "") else value


# --- the case page's forms, fetched when opened (cases/views/case_forms.py serves them) ---------------------

Builder = Callable[[HttpRequest, Case, int | None], dict[str, Any]]


@dataclass(frozen=True)
class CaseForm:
    title: str | Promise
    template: str
    section: str  # the section the page links back to
    build: Builder  # the template's context; raises Http404 for someone who may not use the form


_CASE_FORMS: dict[str, CaseForm] = {}


def register_case_form(name: str, form: CaseForm) -> None:
    """Another area's form of the case page, served lazily the same way (call from AppConfig.ready());
    include cases/case_form.html in the section with this name. The first registration of a name wins."""
    _CASE_FORMS.setdefault(name, form)


def registered_case_form(name: str) -> CaseForm | None:
    return _CASE_FORMS.get(name)


# --- documents over HTTP (the pages and the API alike) ------------------------------------------------------
# Uploads are held in memory up to the size limit and never spooled to a temporary file: Django's default
# handler writes large uploads in clear to the system's temporary folder, which the document store avoids.


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Keeps an uploaded file in memory and stops reading the request once it passes the document limit."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False
        self.chunks: list[bytes] = []

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.chunks = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self.chunks.append(raw_data)
        return None

    def file_complete(self, file_size: int) -> SimpleUploadedFile:
        return SimpleUploadedFile(
            self.file_name or "", b"".join(self.chunks), self.content_type or "application/octet-stream"
        )


def use_bounded_upload(request: HttpRequest) -> BoundedMemoryUploadHandler:
    handler = BoundedMemoryUploadHandler(request, limit=docstore.max_bytes())
    request.upload_handlers = [handler]
    return handler


def attachment_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private, max-age=0"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
