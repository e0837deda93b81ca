from django.urls import path

from palermo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("two-factor/", views.two_factor_verify, name="two_factor"),
    path("two-factor/enrol/", views.enrol, name="enrol"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("act-as/", views.choose_membership, name="choose_membership"),
    path("logout/", views.logout, name="logout"),
]
