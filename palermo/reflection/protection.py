"""Protection from removal: who is protected until when, from every area that grants protection.

While a reflection period runs, no expulsion order is enforced (brief §3.2); a referral not yet decided, an
identification decision or its review still pending (as the rulebook's `[protection]` says), a residence
permit or a pending asylum application protect too. Each area that knows such a fact registers a *source* here
(from its AppConfig.ready()): a function taking case ids and answering the last protected day among them,
`UNTIL_DECIDED` when protection lasts until a decision still pending (no end date can be given), or None. The
answer to "may this person be removed?" is the latest day any source gives, if it is today or later;
`UNTIL_DECIDED` is later than any day. docs/protection-sources.md lists every source.

Sources receive ids only and answer a date only, so the non-removal look-up learns nothing else about a case.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection

from django.utils import timezone

from palermo.cases.models import Case
from palermo.core.registry import Registry

# Protected until a decision still pending: later than any day, so it wins the comparison of sources.
UNTIL_DECIDED = datetime.date.max

ProtectionSource = Callable[[Collection[int]], datetime.date | None]
_sources: Registry[ProtectionSource] = Registry()
register_protection_source = _sources.add
remove_protection_source = _sources.remove
protection_sources = _sources.entries


def protected_until_for(
    case_ids: Collection[int], *, today: datetime.date | None = None
) -> datetime.date | None:
    """The last protected day among these cases by every source, UNTIL_DECIDED when protection lasts until a
    pending decision, or None when none protects them today."""
    if not case_ids:
        return None
    today = today or timezone.localdate()
    days = [day for source in _sources if (day := source(case_ids)) is not None and day >= today]
    return max(days, default=None)


def protected_until(case: Case) -> datetime.date | None:
    """The last day this case's person is protected from removal, by every source (UNTIL_DECIDED: until a
    pending decision); None if not today."""
    return protected_until_for([case.pk])
