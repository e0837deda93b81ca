"""What the origin area's pages and API share: who may open them, the page sizes, and the glue between a
form or request and the services (so neither door imports the other)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from palermo.access.declare import ANY_MEMBER
from palermo.access.matrix import country_information_editors
from palermo.accounts.active import acting
from palermo.accounts.models import User
from palermo.cases.web import attachment_response
from palermo.core import iso
from palermo.core.web import other_params, paged
from palermo.origin import selectors
from palermo.origin.models import CountryEntry, EntryStatus, Partner, PartnerServiceKind, Topic
from palermo.origin.services.common import may_edit
from palermo.origin.services.transfer import export_csv, export_json

# Readable by every staff role: the base holds no personal data. Writes are refused by the services to
# roles the access matrix does not name (palermo.origin.services.common.may_edit).
ORIGIN_ROLES = ANY_MEMBER
# The writing pages declare the roles the access matrix names (`edits_country_information`).
EDITOR_ROLES = tuple(sorted(country_information_editors()))
PAGE_SIZE = 25


def entry_filters(params: Any) -> dict[str, Any]:
    """The entry search's filters from a query string, each ignored when it is not a known value."""
    country = iso.normalise_country(str(params.get("country", ""))[:3]) or ""
    topic = str(params.get("topic", ""))
    status = str(params.get("status", ""))
    return {
        "country": country,
        "topic": topic if topic in Topic.values else "",
        "region": iso.normalise_region(country, str(params.get("region", ""))[:10]) or "",
        "status": status if status in EntryStatus.values else "",
        "due": str(params.get("due", "")).lower() in ("1", "true", "yes", "on"),
    }


def partner_filters(params: Any) -> dict[str, Any]:
    service = str(params.get("service", ""))
    return {
        "country": iso.normalise_country(str(params.get("country", ""))[:3]) or "",
        "service": service if service in PartnerServiceKind.values else "",
        "language": iso.normalise_language(str(params.get("language", ""))[:3]) or "",
    }


def entries_found(user: User, params: Any) -> QuerySet[CountryEntry]:
    """The entries a query string's filters ask for, as the reader finds them (the pages and the API)."""
    return selectors.entries(user, **entry_filters(params))


def partners_found(user: User, params: Any) -> QuerySet[Partner]:
    """The partners a query string's filters ask for, as the reader finds them (the pages and the API)."""
    return selectors.partners(user, **partner_filters(params))


def import_format(name: str) -> str:
    """csv or json, by a file name's extension (csv when it says neither)."""
    return "json" if name.lower().endswith(".json") else "csv"


def export_response(found: QuerySet[CountryEntry], form: str) -> HttpResponse:
    """The entries as a file to download: JSON when asked, else CSV."""
    if form == "json":
        return attachment_response(
            export_json(found).encode(), "application/json", "country-information.json"
        )
    return attachment_response(
        export_csv(found).encode(), "text/csv; charset=utf-8", "country-information.csv"
    )


def source_file_response(user: User, entry_id: int) -> HttpResponse:
    source = selectors.source_file_for(user, entry_id)
    return attachment_response(bytes(source.content), source.content_type, source.name)


def editor_acting(request: HttpRequest) -> tuple[User, Any]:
    """The acting user and membership of a writing page; 404 for a role the access matrix does not name."""
    user, membership = acting(request)
    if not may_edit(membership):
        raise Http404
    return user, membership


def citing(
    request: HttpRequest, service: Callable[..., Any], kind: str, decision_id: int, **which: int
) -> Any:
    """A citation service (`citation_add` with `entry_id`, `citation_remove` with `citation_id`) on a
    decision, for the acting user: the one call both doors make."""
    user, membership = acting(request)
    return service(actor=user, membership=membership, decision_kind=kind, decision_id=decision_id, **which)


def search_page(
    request: HttpRequest,
    template: str,
    filter_form: type[Form],
    found: Callable[[User, Any], QuerySet[Any]],
    **extra: Any,
) -> HttpResponse:
    """A search page of the area: its filter form, one page of what `found` finds for the reader with the
    query's filters, the query for the links to the other pages, and whether the reader may add."""
    user, membership = acting(request)
    context = {
        "filters": filter_form(request.GET or None),
        "page": paged(request, found(user, request.GET), PAGE_SIZE),
        "query": other_params(request),
        "may_edit": may_edit(membership),
        **extra,
    }
    return render(request, template, context)
