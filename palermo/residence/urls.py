from django.urls import path

app_name = "residence"
urlpatterns: list = []
