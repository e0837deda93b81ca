from django.urls import path

from palermo.accounts import views
from palermo.accounts.views import administration, notices, passwords

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("two-factor/", views.two_factor_verify, name="two_factor"),
    path("two-factor/enrol/", views.enrol, name="enrol"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("act-as/", views.choose_membership, name="choose_membership"),
    path("logout/", views.logout, name="logout"),
    path("notices/", notices.notices, name="notices"),
    path("notices/read/", notices.notices_read_all, name="notices_read_all"),
    path("notices/<int:notice_id>/read/", notices.notice_read, name="notice_read"),
    # Reached from an email, before signing in (docs/decisions/0032).
    path("invitation/password/", passwords.invitation_password, name="invitation_password"),
    path("invitation/<str:token>/", passwords.invitation, name="invitation"),
    path("password-reset/", passwords.password_reset, name="password_reset"),
    path("password-reset/sent/", passwords.password_reset_sent, name="password_reset_sent"),
    path("password-reset/done/", passwords.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", passwords.password_reset_confirm, name="password_reset_confirm"),
    # Administration of agencies and their staff.
    path("administration/", administration.index, name="administration"),
    path("administration/agencies/new/", administration.agency_add, name="agency_add"),
    path("administration/agencies/<int:agency_id>/", administration.agency_staff, name="agency_staff"),
    path("administration/agencies/<int:agency_id>/invite/", administration.invite, name="invite"),
    path(
        "administration/agencies/<int:agency_id>/invitations/<int:invitation_id>/resend/",
        administration.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "administration/agencies/<int:agency_id>/people/<int:user_id>/", administration.person, name="person"
    ),
    path(
        "administration/agencies/<int:agency_id>/people/<int:user_id>/roles/<int:membership_id>/end/",
        administration.account_action,
        {"action": "end-role"},
        name="role_end",
    ),
    path(
        "administration/agencies/<int:agency_id>/people/<int:user_id>/<slug:action>/",
        administration.account_action,
        name="account_action",
    ),
]
