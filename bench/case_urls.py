"""The project's URLs and a bare view behind the same middleware (sign-in, second factor, role check), so
the case page's throughput is compared with what the framework alone costs per request."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from palermo.access.declare import any_member


@any_member
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("", include("palermo.urls")),
]
