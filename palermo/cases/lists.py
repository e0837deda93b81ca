"""`ActingAgencyList`: the API's lists for the agency the caller acts for (its drafts, its notifications,
the referrals it received...), declared like every caller's list (palermo.core.api_lists.CallerList); by
default the only refusal documented is a page past the last. The records of one kind on a visible case:
`palermo.cases.endpoints.CaseRecordList`."""

from __future__ import annotations

from typing import Any, ClassVar

from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.web import NO_SUCH_PAGE
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
