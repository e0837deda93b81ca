"""A case page's section and its forms, declared in one table: each action names its title, what the banner
says once it is done, its form, the service it calls, who may use it and, for an action on one record of the
case, that record's model. `SectionViews` serves the section and all its forms the same way: the form on GET
(a fragment for HTMX, else a page), and on POST the service's answer, its refusals on the form, or the
conflict screen when someone saved the record first. An area states what differs: the case glue (above core),
which refusals it puts on the form and how, and how it shows a conflict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import Promise
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.decisions import DecisionBlocked
from palermo.core.service_calls import call_service
from palermo.core.web import errors_into, invalid_status, is_htmx

ViewFunc = Callable[..., HttpResponse]


def no_options(user: Any, case: Any, target: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class SectionAction:
    """One form of the section: its title, the banner's words once done, the form class, the service it calls
    (`service(actor=, membership=, <case or record>=, **values)`, the form's `version` given as
    `expected_version`), who may use it, the model of the record it acts on (looked up within the case) and
    what else the form is built with."""

    title: str | Promise
    done: str | Promise
    form: Any
    service: Callable[..., Any]
    allowed: Callable[[Any, Any], bool]
    model: type[models.Model] | None = None
    form_options: Callable[[Any, Any, Any], dict[str, Any]] = no_options

    def target(self, case: Any, pk: int) -> Any:
        assert self.model is not None  # noqa: S101  (only called for actions on a record)
        return get_object_or_404(self.model, pk=pk, case=case)

    def initial(self, target: Any) -> dict[str, Any] | None:
        return {"version": target.version} if hasattr(target, "version") else None

    def save(self, user: Any, membership: Any, case: Any, data: dict[str, Any], target: Any) -> Any:
        values = dict(data)
        if "version" in values:
            values["expected_version"] = values.pop("version")
        record = case if target is None else target
        return call_service(self.service, actor=user, membership=membership, record=record, values=values)


@dataclass(frozen=True)
class CaseGlue:
    """What a section's forms need of the case page, which lives above core: the case by reference with the
    reader's tiers (404 when not visible), the acting user and membership, the section alone
    `render_section(request, case, tiers, section)`, and its answer to a change `section_changed(request,
    case, tiers, section, done)`."""

    visible_case: Callable[[HttpRequest, str], tuple[Any, frozenset[int]]]
    acting: Callable[[HttpRequest], tuple[Any, Any]]
    render_section: Callable[..., HttpResponse]
    section_changed: Callable[..., HttpResponse]


class SectionViews:
    # The section's `name` (its templates are "<name>/action_form.html" and "<name>/action_page.html"; the
    # fragment goes to #<name>-action, a change replaces #section-<name>), its `actions` by slug, the case
    # `glue`, and the refusals a service may raise (`refusals`, put on the form by `add_errors`); `conflict`
    # answers a stale edit.

    name: str
    actions: dict[str, SectionAction]
    glue: CaseGlue
    refusals: tuple[type[Exception], ...] = (ValidationError, DecisionBlocked)

    def visible_case(self, request: HttpRequest, reference: str) -> tuple[Any, frozenset[int]]:
        return self.glue.visible_case(request, reference)

    def conflict(
        self, request: HttpRequest, case: Any, tiers: frozenset[int], slug: str, form: BaseForm, current: Any
    ) -> HttpResponse:
        """Someone saved the record first (`current`, as the service found it): the conflict screen."""
        raise NotImplementedError

    def views(self, door: Callable[[ViewFunc], ViewFunc]) -> tuple[ViewFunc, ViewFunc, ViewFunc]:
        """The section's views, each through `door` (who may use it): the section alone (GET), and its forms
        for an action on the case (`slug`) and for an action on one record of it (`slug`, `pk`). GET: the
        form (a fragment for HTMX, else a page). POST: record it through the area's service."""

        @never_cache
        @require_GET
        def section(request: HttpRequest, reference: str) -> HttpResponse:
            case, tiers = self.glue.visible_case(request, reference)
            return self.glue.render_section(request, case, tiers, self.name)

        @never_cache
        @require_http_methods(["GET", "POST"])
        def on_case(request: HttpRequest, reference: str, slug: str) -> HttpResponse:
            return self.act(request, reference, slug, None)

        @never_cache
        @require_http_methods(["GET", "POST"])
        def on_record(request: HttpRequest, reference: str, slug: str, pk: int) -> HttpResponse:
            return self.act(request, reference, slug, pk)

        return door(section), door(on_case), door(on_record)

    def add_errors(self, form: BaseForm, error: Exception) -> None:
        if isinstance(error, ValidationError):
            errors_into(form, error)
        else:  # DecisionBlocked: what must happen first, no personal data
            form.add_error(None, str(error))

    def act(self, request: HttpRequest, reference: str, slug: str, pk: int | None) -> HttpResponse:
        """GET: the action's form; POST: record it (`pk`: the record it acts on, for an action on one)."""
        action = self.actions.get(slug)
        if action is None or (pk is None) != (action.model is None):
            raise Http404
        case, tiers = self.visible_case(request, reference)
        user, membership = self.glue.acting(request)
        if not action.allowed(membership, case):
            raise PermissionDenied
        target = action.target(case, pk) if pk is not None else None
        options = action.form_options(user, case, target)
        context = {"case": case, "action": action, "slug": slug, "target": target}
        if request.method == "GET":
            initial = action.initial(target) if target is not None else None
            form = action.form(case=case, initial=initial, **options)
            return self.form_page(request, {**context, "form": form})
        form = action.form(request.POST, case=case, **options)
        if form.is_valid():
            answer = self.record(request, (case, tiers), action, slug, form, target)
            if answer is not None:
                return answer
        return self.form_page(request, {**context, "form": form}, status=invalid_status(request))

    def record(
        self,
        request: HttpRequest,
        seen: tuple[Any, frozenset[int]],
        action: SectionAction,
        slug: str,
        form: Any,
        target: Any,
    ) -> HttpResponse | None:
        """The valid form recorded through the action's service: the section's answer, or the conflict
        screen; None when the service refused it (its refusals put on the form)."""
        case, tiers = seen
        user, membership = self.glue.acting(request)
        try:
            action.save(user, membership, case, form.cleaned_data, target)
        except StaleEdit as stale:
            if not already_saved(stale.current, form.cleaned_data):
                return self.conflict(request, case, tiers, slug, form, stale.current)
        except self.refusals as error:
            self.add_errors(form, error)
            return None
        return self.done(request, case, tiers, action)

    def form_page(self, request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
        if is_htmx(request):
            response = render(request, f"{self.name}/action_form.html", context, status=status)
            response["HX-Retarget"] = f"#{self.name}-action"
            response["HX-Reswap"] = "innerHTML"
            return response
        return render(request, f"{self.name}/action_page.html", context, status=status)

    def done(
        self, request: HttpRequest, case: Any, tiers: frozenset[int], action: SectionAction
    ) -> HttpResponse:
        """The shared answer; for HTMX it replaces the whole section, whichever of its forms posted."""
        response = self.glue.section_changed(request, case, tiers, self.name, action.done)
        if is_htmx(request):
            response["HX-Retarget"] = f"#section-{self.name}"
            response["HX-Reswap"] = "outerHTML"
        return response
