"""Case record URLs. Case references never appear with personal data; no personal data in any URL."""

from django.urls import path  # noqa: F401  (areas add their routes below)

app_name = "cases"
urlpatterns: list = []
