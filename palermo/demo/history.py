"""The demo's history: each demo case lived through its own dates, in one time order for all of them.

A real NRM's cases were referred over years and each is at its own stage: some referred this week and waiting
for their first decision, some in their reflection period, some assisted for a year, some closed. The demo
replays every synthetic case's life (its referral, its team, the area work of each phase it reached, its moves
and its closing) through the same services as real work, with the clock moved to the moment each step happened
(time-machine), all cases' steps sorted into one timeline. So opening dates, timelines, decisions and their
deadlines, and the audit chain read as years of use, and what is due falls on different days.

The services stamp the time themselves (`timezone.now()`); moving the clock is what lets them stamp the past
without a back door for dates in any service. Only the demo does this, never a request.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import time_machine
from django.utils import timezone

from palermo.cases.models import Case, Phase

# The order a case goes through its phases on the lifecycle's usual path.
PHASES = (Phase.IDENTIFICATION, Phase.REFLECTION, Phase.ASSISTANCE, Phase.LONG_TERM)
# A step is never replayed later than this before the real now, so the last steps stay in the past.
NOT_AFTER_NOW = datetime.timedelta(minutes=5)
# How much of a `recent` span old cases' work is spread over (the rest of it is the most recent days).
RECENT_SPREAD = 0.8
# Work dated before its phase's entry still comes this long after the entry into the phase before.
AFTER_THE_PHASE_BEFORE = datetime.timedelta(minutes=30)


@dataclass(frozen=True, order=True)
class Step:
    """Something done on a case at a moment; `number` keeps steps of the same moment in the order made."""

    at: datetime.datetime
    number: int
    run: Callable[[], None] = field(compare=False)


@dataclass(frozen=True)
class CaseWork:
    """An area's demo work on one case (its loader, given that case alone and the case's number in the demo,
    from which the loader draws its variety as it would from the case's place in a list), done `after` the
    case entered `phase` (before it, when negative). With `only_if_reached`, a case that never reached the
    phase has none of it; with `recent`, work on an old case is done no longer ago than that (a proceeding
    opened long after the referral, the assistance plan now in force); with `every`, it is done again at that
    interval while the case is open (reviews); with `stayed`, only on a case that never left `phase` and has
    been in it at least that long (what became of a referral that waits no more)."""

    area: str
    load: Callable[[list[Case], int], None]
    phase: str
    after: datetime.timedelta
    only_if_reached: bool = False
    recent: datetime.timedelta | None = None
    every: datetime.timedelta | None = None
    stayed: datetime.timedelta | None = None


@contextmanager
def at(moment: datetime.datetime) -> Iterator[None]:
    """The clock at `moment`, ticking (for what the demo does outside a case's steps: its accounts)."""
    with time_machine.travel(moment, tick=True):
        yield


def replay(steps: Iterable[Step]) -> None:
    """Each step in time order, the clock at its moment and ticking, so a step's writes keep their order; a
    step due while the one before was still writing starts when that one ended (the audit chain's times
    never go back)."""
    ended: datetime.datetime | None = None
    for step in sorted(steps):
        with at(step.at if ended is None else max(step.at, ended)):
            step.run()
            ended = timezone.now()


@dataclass(frozen=True)
class CaseMoments:
    """When a case entered each phase it reached, and when it was closed (None while open)."""

    entered: dict[str, datetime.datetime]
    closed: datetime.datetime | None = None
    # A uniform draw of the case's own in [0, 1): where in a `recent` span its work falls.
    draw: float = 0.0

    @property
    def opened(self) -> datetime.datetime:
        return self.entered[Phase.IDENTIFICATION]

    def latest_phase(self) -> str:
        return max(self.entered, key=PHASES.index)

    def work_times(self, work: CaseWork) -> list[datetime.datetime]:
        """When `work` was done on this case: once (work_at), or from then on at its interval until the
        case was closed or now."""
        first = self.work_at(work)
        if first is None or work.every is None:
            return [] if first is None else [first]
        limit = self._last_moment()
        times = [first]
        while times[-1] + work.every < limit:
            times.append(times[-1] + work.every)
        return times

    def work_at(self, work: CaseWork) -> datetime.datetime | None:
        """When `work` was done on this case: `after` the entry into its phase, or after the last phase the
        case reached before it (the area's loader then finds the case not there yet and leaves it); work
        dated before its phase's entry still comes after the phase before; always before the case was closed
        and before now. None when the work needs a phase the case never reached."""
        entered = self.entered.get(work.phase)
        if entered is None and work.only_if_reached:
            return None
        if work.stayed is not None and not self._stayed(work.phase, work.stayed):
            return None
        moment = (entered or self.entered[self.latest_phase()]) + work.after
        if work.after < datetime.timedelta(0):
            moment = max(moment, self._entered_before(work.phase) + AFTER_THE_PHASE_BEFORE)
        if work.recent is not None:  # somewhere in the span, not all old cases at one moment
            moment = max(moment, timezone.now() - work.recent * (1 - RECENT_SPREAD * self.draw))
        return max(min(moment, self._last_moment()), self.opened)

    def _last_moment(self) -> datetime.datetime:
        """The latest any work is done: just before the case was closed, or just before now."""
        return (self.closed or timezone.now()) - NOT_AFTER_NOW

    def _stayed(self, phase: str, long: datetime.timedelta) -> bool:
        entered = self.entered.get(phase)
        return entered is not None and self.latest_phase() == phase and entered < timezone.now() - long

    def _entered_before(self, phase: str) -> datetime.datetime:
        before = [at for entered, at in self.entered.items() if PHASES.index(entered) < PHASES.index(phase)]
        return max(before, default=self.opened)


def spread(
    opened: datetime.datetime, reached: datetime.datetime, count: int, first_within: datetime.timedelta
) -> list[datetime.datetime]:
    """`count` moves from `opened` to the last one at `reached`: the first within `first_within` of the
    opening (a presumed victim decision takes days, not the case's whole span), the others evenly after it."""
    if count == 0:
        return []
    span = reached - opened
    first = opened + min(span / count, first_within)
    if count == 1:
        return [reached]
    step = (reached - first) / (count - 1)
    return [first + step * number for number in range(count)]
