"""Residence screens: the case page section and each application's page. Case references and record ids only
in URLs."""

from django.urls import path

from palermo.residence.views import applications, section

app_name = "residence"
urlpatterns: list = [
    path("<str:reference>/", section.residence_section, name="section"),
    path("<str:reference>/applications/<int:pk>/", applications.application_page, name="application"),
    path("<str:reference>/applications/<int:pk>/decision/", applications.decide_view, name="decide"),
    path("<str:reference>/applications/<int:pk>/appeal/", applications.appeal_view, name="appeal"),
    path("<str:reference>/applications/<int:pk>/withdraw/", applications.withdraw_view, name="withdraw"),
    path("<str:reference>/applications/<int:pk>/correct/", applications.correct_view, name="correct"),
    path("<str:reference>/applications/<int:pk>/assessment/", applications.assess_view, name="assess"),
]
