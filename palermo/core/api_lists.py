"""The API's lists of what the caller may see: a subclass names the `model` it lists and gives the rows for
the request (`listed()`); schema generation, which has no caller, lists none of the model."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from rest_framework.generics import ListAPIView


# No docstring: drf-spectacular would show it as the description of every list without one.
class CallerList(ListAPIView):
    # A subclass declares `model` and `listed()`.
    model: ClassVar[type[models.Model]]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, only the model
            return self.model._default_manager.none()
        return self.listed()

    def listed(self) -> Any:
        """The rows for the request (`self.request`, `self.kwargs`)."""
        raise NotImplementedError
