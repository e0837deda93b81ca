"""Linkage API routes, included under /api/v1/linkage/."""

from django.urls import path

from palermo.linkage.api import search

urlpatterns: list = [
    path("search/", search.PersonSearch.as_view(), name="api-linkage-search"),
]
