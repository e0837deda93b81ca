from django.urls import path

from palermo.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.directory, name="directory"),
    path("health/", views.health, name="health"),
]
