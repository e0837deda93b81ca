"""Anonymous notifications' API routes, included under /api/v1/anonymous/. Record ids only."""

from django.urls import path

from palermo.anonymous import api

urlpatterns: list = [
    path("notifications/", api.NotificationList.as_view(), name="api-anonymous-notifications"),
    path("notifications/<int:pk>/", api.NotificationDetail.as_view(), name="api-anonymous-notification"),
    path(
        "notifications/<int:pk>/referral/",
        api.NotificationConvert.as_view(),
        name="api-anonymous-notification-convert",
    ),
    path("figures/", api.FiguresView.as_view(), name="api-anonymous-figures"),
]
