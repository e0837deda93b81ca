from django.urls import path

app_name = "reflection"
urlpatterns: list = []
