from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow, any_member, public
from palermo.accounts.active import active_membership
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import ROLE_INFO, Role


@any_member
def home(request: HttpRequest) -> HttpResponse:
    membership = active_membership(request)
    assert membership is not None  # guaranteed by RoleRequiredMiddleware  # noqa: S101
    role = Role(membership.role)
    context = {"role": role, "role_info": ROLE_INFO[role], "home_template": f"core/home/{role.value}.html"}
    return render(request, "core/home.html", context)


DIRECTORY_PAGE_SIZE = 50


@allow(Role.SYSTEM_ADMINISTRATOR)
def directory(request: HttpRequest) -> HttpResponse:
    """Agencies with their active member counts, and users with their active memberships: configuration
    data only, no case content. Each list pages on its own (?agencies=N, ?users=N); the number of queries
    does not grow with the number of rows."""
    agencies = Agency.objects.annotate(
        members=Count("memberships", filter=Q(memberships__is_active=True))
    ).order_by("name", "pk")
    active_memberships = Membership.objects.filter(is_active=True).select_related("agency")
    users = User.objects.prefetch_related(
        Prefetch("memberships", queryset=active_memberships.order_by("agency__name", "role"))
    ).order_by("username", "pk")
    context = {
        "agencies": Paginator(agencies, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("agencies")),
        "users": Paginator(users, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("users")),
    }
    return render(request, "core/directory.html", context)


@public
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers. Says nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
