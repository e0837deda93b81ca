"""The service directory: who offers which service, where, in which languages, for whom, with how many free
places. Read by everyone who works on cases and by administrators; edited by administrators and by the
provider agency's own members (palermo.assistance.services.directory)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.models import Agency
from palermo.accounts.roles import Role
from palermo.assistance import selectors
from palermo.assistance.forms import DirectoryFilterForm, ServiceEditForm, ServiceForm
from palermo.assistance.models import ProviderService
from palermo.assistance.services.directory import may_edit_directory, service_create, service_update
from palermo.assistance.web import DIRECTORY_ROLES
from palermo.core import iso
from palermo.core.form_pages import RecordForms
from palermo.core.staff_pages import staff_page
from palermo.core.web import other_params, paged

PAGE_SIZE = 50


@allow(*DIRECTORY_ROLES)
@never_cache
def directory(request: HttpRequest) -> HttpResponse:
    _, membership = acting(request)
    filters = DirectoryFilterForm(request.GET or None)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    services = selectors.directory(
        kind=wanted.get("kind", ""),
        language=iso.normalise_language(wanted.get("language", "")) or "",
        region=wanted.get("region", ""),
    )
    context = {
        "filters": filters,
        "page": paged(request, services, PAGE_SIZE),
        "query": other_params(request),
        "may_add": may_edit_directory(membership, membership.agency),
    }
    return render(request, "assistance/directory.html", context)


@allow(*DIRECTORY_ROLES)
@never_cache
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    _, membership = acting(request)
    service = selectors.service_for(service_id)
    context = {"service": service, "may_edit": may_edit_directory(membership, service.agency)}
    return render(request, "assistance/service_detail.html", context)


def _agency_for_new(request: HttpRequest) -> Agency:
    """Administrators add a service for any agency (?agency=id); members, for their own."""
    _user, membership = acting(request)
    if membership.role != Role.SYSTEM_ADMINISTRATOR:
        return membership.agency
    agency_id = str(request.POST.get("agency") or request.GET.get("agency") or "")
    agency = Agency.objects.filter(pk=int(agency_id), is_active=True).first() if agency_id.isdigit() else None
    return agency or membership.agency


SERVICE_FORMS = RecordForms(
    ServiceForm,
    ServiceEditForm,
    "service",
    lambda form: {"data": form.data_for_service()},
    "assistance:service",
)


@staff_page(allow(*DIRECTORY_ROLES), "GET", "POST")
def service_new(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    agency = _agency_for_new(request)
    agencies = (
        Agency.objects.filter(is_active=True).order_by("name")
        if membership.role == Role.SYSTEM_ADMINISTRATOR
        else None
    )
    if not may_edit_directory(membership, agency):
        raise Http404
    form, created = SERVICE_FORMS.add(
        request,
        service_create,
        _("Service added to the directory"),
        actor=user,
        membership=membership,
        agency=agency,
    )
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "agency": agency, "agencies": agencies, "title": _("Add a service")}
    return created or render(request, "assistance/service_form.html", context, status=status)


@staff_page(allow(*DIRECTORY_ROLES), "GET", "POST")
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    user, membership = acting(request)
    service: ProviderService = selectors.service_for(service_id)
    if not may_edit_directory(membership, service.agency):
        raise Http404
    form, changed = SERVICE_FORMS.change(
        request, service, service_update, _("Service changed"), actor=user, membership=membership
    )
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "agency": service.agency, "service": service, "title": _("Change the service")}
    return changed or render(request, "assistance/service_form.html", context, status=status)
