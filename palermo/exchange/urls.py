"""The exchange page (no personal data in any URL: a job's id, an export's kind)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.exchange import views
from palermo.exchange.web import EXCHANGE_ROLES

app_name = "exchange"
urlpatterns: list = [
    path("", views.exchange, name="exchange"),
    path("imports/<int:job_id>/", views.job, name="job"),
    path("exports/<slug:kind>/", views.download, name="download"),
]

register(NavItem(_("Data exchange"), "exchange:exchange", frozenset(EXCHANGE_ROLES)))
