"""/api/schema/, served from memory. A module of its own: drf-spectacular's view reads the schema class
(`palermo.core.api_schema`) as it is defined, so the two cannot share a module."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response


@lru_cache(maxsize=len(settings.LANGUAGES))
def schema_in(language: str) -> dict[str, Any]:
    """The schema in one of the site's languages, made on first ask. It changes only with the code (every
    operation is listed for every caller: drf-spectacular's SERVE_PUBLIC), while making it walks every
    endpoint (about half a second of CPU). Callers read it and never change it."""
    with translation.override(language):
        return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def site_language(code: str | None) -> str:
    """The site's language closest to `code` (a region or an unknown code gives the default): the schema
    is kept once per site language, whatever a caller asks for."""
    try:
        return translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


class SchemaView(SpectacularAPIView):
    """/api/schema/ from memory (`schema_in`), in the caller's language or the one `?lang=` names (the base
    view activates it around this method). The API is not versioned, so `?version=` changes nothing."""

    def _get_schema_response(self, request: Request) -> Response:
        return Response(
            data=schema_in(site_language(translation.get_language())),
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, None)}"'},
        )
