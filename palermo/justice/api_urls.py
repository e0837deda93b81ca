"""Justice API routes, included under /api/v1/justice/."""

from django.urls import path

from palermo.justice.api import views as v

C = "cases/<str:reference>/"
urlpatterns: list = [
    path(f"{C}risk-assessments/", v.RiskAssessments.as_view(), name="api-justice-risk"),
    path(f"{C}protection-measures/", v.ProtectionMeasures.as_view(), name="api-justice-plan"),
    path(
        f"{C}protection-measures/<int:pk>/status/",
        v.ProtectionMeasureUpdate.as_view(),
        name="api-justice-plan-update",
    ),
    path(f"{C}proceedings/", v.Proceedings.as_view(), name="api-justice-proceedings"),
    path(f"{C}proceedings/join/", v.ProceedingJoin.as_view(), name="api-justice-join"),
    path(f"{C}proceedings/<int:pk>/", v.ProceedingDetail.as_view(), name="api-justice-proceeding"),
    path(f"{C}proceedings/<int:pk>/stage/", v.ProceedingStage.as_view(), name="api-justice-stage"),
    path(f"{C}proceedings/<int:pk>/party/", v.PartyUpdate.as_view(), name="api-justice-party"),
    path(f"{C}proceedings/<int:pk>/hearings/", v.Hearings.as_view(), name="api-justice-hearings"),
    path(f"{C}proceedings/<int:pk>/statements/", v.Statements.as_view(), name="api-justice-statements"),
    path(f"{C}hearings/<int:pk>/held/", v.HearingHeld.as_view(), name="api-justice-held"),
    path(f"{C}hearings/<int:pk>/adjourn/", v.HearingAdjourn.as_view(), name="api-justice-adjourn"),
    path(f"{C}hearings/<int:pk>/cancel/", v.HearingCancel.as_view(), name="api-justice-cancel"),
    path(f"{C}hearings/<int:pk>/measures/", v.HearingMeasureAsk.as_view(), name="api-justice-ask"),
    path(f"{C}hearing-measures/<int:pk>/", v.HearingMeasureDecide.as_view(), name="api-justice-decide"),
    path(f"{C}choices/", v.Choices.as_view(), name="api-justice-choices"),
    path(f"{C}compensation/", v.Claims.as_view(), name="api-justice-claims"),
    path(f"{C}compensation/<int:pk>/award/", v.ClaimAward.as_view(), name="api-justice-award"),
    path(f"{C}compensation/<int:pk>/payments/", v.ClaimPayment.as_view(), name="api-justice-payment"),
    path(f"{C}offences/", v.Offences.as_view(), name="api-justice-offences"),
    path(f"{C}offences/<int:pk>/requests/", v.NonPunishmentRequests.as_view(), name="api-justice-request"),
    path(f"{C}requests/<int:pk>/outcome/", v.NonPunishmentOutcome.as_view(), name="api-justice-outcome"),
    path(f"{C}requests/<int:pk>/letter/", v.NonPunishmentLetter.as_view(), name="api-justice-letter"),
    path(f"{C}detentions/", v.Detentions.as_view(), name="api-justice-detentions"),
    path(f"{C}detentions/<int:pk>/release/", v.DetentionRelease.as_view(), name="api-justice-release"),
]
