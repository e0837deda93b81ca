"""The API's lists declared rather than written out: a subclass names its documentation (summary,
description, the documented 404), its serializer and model, and gives the rows; schema generation, which has
no caller, lists none of the model. `ActingAgencyList` lists for the agency the caller acts for (its drafts,
its notifications, the referrals it received...); `palermo.cases.endpoints.CaseRecordList` the records of one
kind on a visible case."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.web import NO_SUCH_PAGE
from palermo.core.api_lists import CallerList


# No docstring on these bases: drf-spectacular would show it as the description of every list without one.
class DeclaredList(CallerList):
    # A subclass declares `palermo_roles`, `summary` (and `description`), `serializer_class`, `model` and
    # `listed()`, the rows for the request; `not_found` is the documented 404 (by default: no such page).
    serializer_class: type[serializers.BaseSerializer]
    summary: ClassVar[str]
    description: ClassVar[str | None] = None
    not_found: ClassVar[Any] = NO_SUCH_PAGE

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if hasattr(cls, "summary"):
            responses = {200: cls.serializer_class(many=True), 404: cls.not_found}
            schema = extend_schema(summary=cls.summary, description=cls.description, responses=responses)
            extend_schema_view(get=schema)(cls)


class ActingAgencyList(DeclaredList):
    # The rows come from `rows(membership)`, the membership the caller acts through.

    def listed(self) -> Any:
        _user, membership = acting(self.request)
        return self.rows(membership)

    def rows(self, membership: Membership) -> Any:
        raise NotImplementedError
