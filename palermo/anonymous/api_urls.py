"""Anonymous notifications' API routes, included under /api/v1/anonymous/. Record ids only."""

from palermo.anonymous import api
from palermo.core.routes import routes

urlpatterns: list = routes(
    "",
    [
        ("notifications/", api.NotificationList, "api-anonymous-notifications"),
        ("notifications/<int:pk>/", api.NotificationDetail, "api-anonymous-notification"),
        ("notifications/<int:pk>/referral/", api.NotificationConvert, "api-anonymous-notification-convert"),
        ("figures/", api.FiguresView, "api-anonymous-figures"),
    ],
)
