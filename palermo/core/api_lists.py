"""The API's lists of what the caller may see: a subclass names the `model` it lists and gives the rows for
the request (`listed()`); schema generation, which has no caller, lists none of the model.

A list that declares its `summary` (and `description`) is documented from them: its answer is a page of its
`serializer_class`, `query` the serializer of its query parameters (if it takes any; or `parameters`, them
one by one), and `refusals` are the error answers it documents (by status). `query_values()` checks the
request's parameters against `query`: a value it does not know is a 400 that names the parameter, never a
filter silently left out (which would answer with everything)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from palermo.core import iso


# No docstring: drf-spectacular would show it as the description of every list without one.
class CallerList(ListAPIView):
    # A subclass declares `model` and `listed()`; and `summary`, `description`, `query` (or `parameters`) and
    # `refusals` to document the list from them (otherwise its own docstring or decorators do).
    model: ClassVar[type[models.Model]]
    summary: ClassVar[str]
    description: ClassVar[str | None] = None
    query: ClassVar[type[serializers.Serializer] | None] = None
    parameters: ClassVar[list[OpenApiParameter]] = []
    refusals: ClassVar[dict[int, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if hasattr(cls, "summary"):
            responses = {200: cls.serializer_class(many=True), **cls.refusals}  # type: ignore[misc]
            parameters = [cls.query] if cls.query else cls.parameters or None
            schema = extend_schema(
                summary=cls.summary, description=cls.description, parameters=parameters, responses=responses
            )
            extend_schema_view(get=schema)(cls)

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, only the model
            return self.model._default_manager.none()
        return self.listed()

    def listed(self) -> Any:
        """The rows for the request (`self.request`, `self.kwargs`)."""
        raise NotImplementedError

    def query_values(self) -> dict[str, Any]:
        """The request's query parameters, checked by `query` (ValidationError, a 400, for a bad value)."""
        return checked_query(self.query, self.request.query_params) if self.query else {}


def checked_query(query: type[serializers.Serializer], params: Any) -> dict[str, Any]:
    """`params` (a query string) checked by the serializer `query`: its values, or ValidationError."""
    checked = query(data=params)
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


class CodeChoiceField(serializers.ChoiceField):
    """A country (ISO 3166-1 alpha-3) or language (ISO 639-2) code of a query, in either case ("ALB", "alb")
    accepted as the same code."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.normalise = iso.normalise_country if kind == "country" else iso.normalise_language
        choices = iso.country_choices() if kind == "country" else iso.language_choices()
        standard = "ISO 3166-1 alpha-3" if kind == "country" else "ISO 639-2"
        super().__init__(choices, required=False, help_text=f"{standard} code.", **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(self.normalise(str(data)) or data)
