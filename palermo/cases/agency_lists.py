"""The API's lists for the agency the caller acts for (its drafts, its notifications, the referrals it
received...), declared rather than written out: a subclass names its documentation, serializer and model and
gives the rows; schema generation, which has no caller, lists the model's none."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView

from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.web import NO_SUCH_PAGE


# No docstring on this base: drf-spectacular would show it as the description of every list without one.
class ActingAgencyList(ListAPIView):
    # A subclass declares `palermo_roles`, `summary` (and `description`), `serializer_class`, `model` and
    # `rows(membership)`; `not_found` is the documented 404 (by default: no such page).
    summary: ClassVar[str]
    description: ClassVar[str | None] = None
    not_found: ClassVar[Any] = NO_SUCH_PAGE
    model: ClassVar[type[models.Model]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        responses = {200: cls.serializer_class(many=True), 404: cls.not_found}
        schema = extend_schema(summary=cls.summary, description=cls.description, responses=responses)
        extend_schema_view(get=schema)(cls)

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, only the model
            return self.model._default_manager.none()
        _user, membership = acting(self.request)
        return self.rows(membership)

    def rows(self, membership: Membership) -> Any:
        raise NotImplementedError
