"""Contact requests' API routes, included under /api/v1/portal/. Record ids only."""

from django.urls import path

from palermo.portal import api

urlpatterns: list = [
    path("contact-requests/", api.ContactRequestList.as_view(), name="api-portal-contact-requests"),
    path("contact-requests/<int:pk>/", api.ContactRequestDetail.as_view(), name="api-portal-contact-request"),
    path(
        "contact-requests/<int:pk>/pick-up/",
        api.ContactRequestPickUp.as_view(),
        name="api-portal-contact-request-pick-up",
    ),
]
