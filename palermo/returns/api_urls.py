"""Returns API routes, included under /api/v1/returns/. Case references and record ids only."""

from django.urls import path

from palermo.access.declare import public
from palermo.returns.api import views

CASE = "cases/<str:reference>"
urlpatterns: list = [
    path(f"{CASE}/returns/", views.ReturnsView.as_view(), name="api-returns"),
    path(f"{CASE}/returns/<int:pk>/partner/", views.ReturnPartnerView.as_view(), name="api-returns-partner"),
    path(f"{CASE}/returns/<int:pk>/plan/", views.ReturnPlanView.as_view(), name="api-returns-plan"),
    path(f"{CASE}/returns/<int:pk>/views/", views.ReturnViewsView.as_view(), name="api-returns-views"),
    path(f"{CASE}/returns/<int:pk>/clear/", views.ReturnClearView.as_view(), name="api-returns-clear"),
    path(f"{CASE}/returns/<int:pk>/arrived/", views.ReturnArrivedView.as_view(), name="api-returns-arrived"),
    path(
        f"{CASE}/returns/<int:pk>/withdraw/", views.ReturnWithdrawView.as_view(), name="api-returns-withdraw"
    ),
    path(f"{CASE}/returns/<int:pk>/close/", views.ReturnCloseView.as_view(), name="api-returns-close"),
    path(f"{CASE}/return-followups/<int:pk>/", views.FollowUpView.as_view(), name="api-returns-followup"),
    path(f"{CASE}/resettlements/", views.ResettlementsView.as_view(), name="api-returns-resettlements"),
    path(f"{CASE}/resettlements/<int:pk>/steps/", views.StepView.as_view(), name="api-returns-steps"),
    path(f"{CASE}/resettlements/<int:pk>/status/", views.MoveView.as_view(), name="api-returns-move"),
    path(f"{CASE}/packages/", views.SentPackagesView.as_view(), name="api-returns-packages"),
    path(
        f"{CASE}/packages/<int:pk>/send-again/", views.SendAgainView.as_view(), name="api-returns-send-again"
    ),
    path("packages/", views.ReceivedList.as_view(), name="api-returns-received"),
    path("packages/<int:pk>/", views.ReceivedDetail.as_view(), name="api-returns-received-detail"),
    path("packages/<int:pk>/accept/", views.ReceivedAccept.as_view(), name="api-returns-accept"),
    path("packages/<int:pk>/decline/", views.ReceivedDecline.as_view(), name="api-returns-decline"),
    path("partner-keys/", views.PartnerKeys.as_view(), name="api-returns-partner-keys"),
    path(
        "partner-keys/<int:pk>/revoke/",
        views.PartnerKeyRevoke.as_view(),
        name="api-returns-partner-key-revoke",
    ),
    path("keys/", views.OwnKeys.as_view(), name="api-returns-own-keys"),
    # Public: a partner abroad POSTs a package, which its signature authenticates (docs/decisions/0051).
    path("inbox/", public(views.PackageInbox.as_view()), name="api-returns-inbox"),
]
