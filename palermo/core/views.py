from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow, any_member, public
from palermo.accounts.active import active_membership
from palermo.accounts.models import Agency, User
from palermo.accounts.roles import ROLE_INFO, Role


@any_member
def home(request: HttpRequest) -> HttpResponse:
    membership = active_membership(request)
    assert membership is not None  # guaranteed by RoleRequiredMiddleware  # noqa: S101
    role = Role(membership.role)
    context = {"role": role, "role_info": ROLE_INFO[role], "home_template": f"core/home/{role.value}.html"}
    return render(request, "core/home.html", context)


@allow(Role.SYSTEM_ADMINISTRATOR)
def directory(request: HttpRequest) -> HttpResponse:
    """Agencies with their member counts per role: configuration data only, no case content."""
    agencies = Agency.objects.annotate(members=Count("memberships")).order_by("name")
    users = User.objects.prefetch_related("memberships__agency").order_by("username")
    return render(request, "core/directory.html", {"agencies": agencies, "users": users})


@public
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers. Says nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
