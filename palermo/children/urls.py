"""Children screens: the case page section and its forms. Case references and record ids only in URLs."""

from django.urls import path

from palermo.children.views import section

app_name = "children"
urlpatterns: list = [
    path("<str:reference>/", section.children_section, name="section"),
    path("<str:reference>/<slug:slug>/", section.child_action, name="action"),
    path("<str:reference>/<slug:slug>/<int:pk>/", section.child_action_on, name="action_on"),
]
