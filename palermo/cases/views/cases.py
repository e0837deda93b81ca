"""The working screens: My cases, case search, and the case page with one section per phase and area.

Every list goes through `cases_visible_to` (the access policy) before any filter, pages hold 50 cases, and
the number of queries does not depend on the page size. The case page is a frame of sections registered by
each area (palermo.cases.sections); a section's context function fills its own partial, and the page
includes the partials that exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, Protocol

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from palermo.access.declare import allow
from palermo.access.selectors import case_for
from palermo.accounts.active import active_membership
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.cases.models import Case, Phase
from palermo.cases.sections import registered_sections
from palermo.cases.selectors import my_cases, readable_tiers

PAGE_SIZE = 50

# Roles that work on individual cases. The rapporteur (aggregates only), the system administrator (no case
# content) and the data protection officer (the audit log) have no case screens.
CASE_ROLES = (
    Role.FIRST_RESPONDER,
    Role.CASE_MANAGER,
    Role.IDENTIFICATION_AUTHORITY,
    Role.MIGRATION_OFFICER,
    Role.INVESTIGATOR,
    Role.PROTECTION_OFFICER,
    Role.GUARDIAN,
    Role.SERVICE_PROVIDER,
)


def is_htmx(request: HttpRequest) -> bool:
    """Whether HTMX sent the request (django-htmx's middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def acting(request: HttpRequest) -> tuple[User, Membership]:
    """The user and the membership they act through (the role middleware guarantees one)."""
    membership = active_membership(request)
    if membership is None:  # unreachable behind RoleRequiredMiddleware; refuse rather than assume
        raise Http404
    return request.user, membership  # type: ignore[return-value]


def visible_case(request: HttpRequest, reference: str) -> tuple[Case, frozenset[int]]:
    """The case by reference if the acting membership may see it (else 404), and the tiers it may read."""
    _, membership = acting(request)
    case = case_for(membership, reference, 1)
    return case, readable_tiers(membership, case)


def paged(request: HttpRequest, cases: Any, number: str | None = None) -> Page:
    """A page of cases: the one `number` names, else the one the URL's `page` names."""
    return Paginator(cases, PAGE_SIZE).get_page(number if number is not None else request.GET.get("page"))


@allow(*CASE_ROLES)
@never_cache
def case_list(request: HttpRequest) -> HttpResponse:
    """My cases: those the user or their agency is on the team of, or leads."""
    _, membership = acting(request)
    return render(request, "cases/case_list.html", {"page": paged(request, my_cases(membership))})


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
    _, membership = acting(request)
    context: dict[str, Any] = {
        "case": case,
        "membership": membership,
        "tiers": tiers,
        "tiers_sorted": sorted(tiers),
        "phases": Phase.choices,
        "lazy_sections": lazy,
    }
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
    _, membership = acting(request)
    context = {"case": case, "membership": membership, "tiers": tiers}
    for name, template, section_context in installed_sections():
        if name == area:
            if section_context is not None:
                context.update(section_context(request, case, tiers))
            context.update(extra)
            return render(request, template, context, status=status)
    raise Http404


@allow(*CASE_ROLES)
@never_cache
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The case page: the header at once, the sections in one HTMX request made as soon as the page is shown
    (`case_sections`), so the page answers in the time of its header. Without script, a link opens the whole
    case on one page."""
    case, tiers = visible_case(request, reference)
    return render(request, "cases/case_detail.html", case_page_context(request, case, tiers, lazy=True))


@allow(*CASE_ROLES)
@never_cache
def case_detail_full(request: HttpRequest, reference: str) -> HttpResponse:
    """The whole case on one page, every section rendered (no script needed; for printing and reading)."""
    case, tiers = visible_case(request, reference)
    return render(request, "cases/case_detail.html", case_page_context(request, case, tiers))


@allow(*CASE_ROLES)
@never_cache
@require_GET
def case_sections(request: HttpRequest, reference: str) -> HttpResponse:
    """Every section of the case page, as the page fetches them; a browser sent here without HTMX goes to the
    whole-case page."""
    case, tiers = visible_case(request, reference)
    if not is_htmx(request):
        return redirect("cases:detail_full", case.reference)
    return render(request, "cases/case_sections.html", case_page_context(request, case, tiers))


@allow(*CASE_ROLES)
@never_cache
@require_GET
def case_section(request: HttpRequest, reference: str, area: str) -> HttpResponse:
    """One area's section on its own (to refresh it, or to measure it); without HTMX, that section on the
    whole-case page."""
    case, tiers = visible_case(request, reference)
    if not any(name == area for name, _template, _context in installed_sections()):
        raise Http404
    if not is_htmx(request):
        return redirect(reverse("cases:detail_full", args=[case.reference]) + f"#section-{area}")
    return render_section(request, case, tiers, area)


class HiddenFields(Protocol):
    """What the conflict screen posts back: (name, value) pairs from `.items()`, as a dict gives them."""

    def items(self) -> Iterable[tuple[str, Any]]: ...


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
