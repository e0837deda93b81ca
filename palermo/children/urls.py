"""Children screens: the case page section and its forms. Case references and record ids only in URLs."""

from palermo.children.views import section
from palermo.core.routes import REFERENCE, routes

app_name = "children"
urlpatterns: list = routes(
    REFERENCE,
    [
        ("", section.children_section, "section"),
        ("<slug:slug>/", section.child_action, "action"),
        ("<slug:slug>/<int:pk>/", section.child_action_on, "action_on"),
    ],
)
