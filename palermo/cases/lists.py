"""`ActingAgencyList`: the API's lists for the agency the caller acts for (its drafts, its notifications,
the referrals it received...), declared like every caller's list (palermo.core.api_lists.CallerList); by
default the only refusal documented is a page past the last. The records of one kind on a visible case:
`palermo.cases.endpoints.CaseRecordList`. `NamedWorklist`: a worklist of cases whose rows name the person
where the caller may read identity."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.request import Request
from rest_framework.response import Response

from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.selectors import names_shown
from palermo.core.api_errors import NO_SUCH_PAGE
from palermo.core.api_lists import CallerList


# No docstring: drf-spectacular would show it as the description of every list without one.
class ActingAgencyList(CallerList):
    # The rows come from `rows(membership)`, the membership the caller acts through.
    refusals: ClassVar[dict[int, Any]] = {404: NO_SUCH_PAGE}

    def listed(self) -> Any:
        _user, membership = acting(self.request)
        return self.rows(membership)

    def rows(self, membership: Membership) -> Any:
        raise NotImplementedError


Page = list[Any]  # the rows of one page (the class below names its own `list`)


class NamedWorklist(CallerList):
    # A worklist a page at a time whose rows name the case's person where the caller may read identity (each
    # name shown is a recorded read, palermo.cases.selectors.names_shown): a subclass gives `case_id(row)`
    # and `shown(page, names)`, the page's answer with the names by case id.

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        _user, membership = acting(request)
        names = names_shown(membership, {self.case_id(row) for row in page})
        return self.get_paginated_response(self.shown(page, names))

    def case_id(self, row: Any) -> int:
        raise NotImplementedError

    def shown(self, page: Page, names: dict[int, str]) -> Any:
        raise NotImplementedError
