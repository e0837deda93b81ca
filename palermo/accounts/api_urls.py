"""Administration API routes, included under /api/v1/administration/ (docs/decisions/0032)."""

from django.urls import path

from palermo.accounts import api
from palermo.core.routes import routes

PERSON = "agencies/<int:agency_id>/people/<int:user_id>/"

urlpatterns = routes(
    "",
    [
        ("agencies/", api.AdministrationAgencies, "api-admin-agencies"),
        ("agencies/<int:agency_id>/staff/", api.AdministrationStaff, "api-admin-staff"),
        ("agencies/<int:agency_id>/invitations/", api.AdministrationInvite, "api-admin-invite"),
        (
            "agencies/<int:agency_id>/invitations/<int:invitation_id>/resend/",
            api.AdministrationInvitationResend,
            "api-admin-invitation-resend",
        ),
        (PERSON + "roles/", api.AdministrationRoleGrant, "api-admin-role-grant"),
    ],
)
urlpatterns += [
    path(
        PERSON + "roles/<int:membership_id>/end/",
        api.AdministrationAccountChange.as_view(),
        {"action": "end-role"},
        name="api-admin-role-end",
    ),
    *routes(PERSON, [("<slug:action>/", api.AdministrationAccountChange, "api-admin-account-change")]),
]
