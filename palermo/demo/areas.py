"""Each case area's demo loader, and when its work on a case was done.

The loaders named in CASE_WORK work on each demo case alone, at a moment of that case's history
(palermo.demo.history): after it entered the phase whose work it is, so a case assisted for a year got its
assistance plan a year ago. The other loaders work on the whole demo once its history is in, at today's date
(the near-duplicates, the country information, the returns, the statistics' earlier years, the portal,
privacy, today's emergency accesses).

The order of AREA_LOADERS is the apps' order, and the order on the day of a tie: identification's presumed
victim decisions open the reflection periods the reflection loader then completes, the children's loader
follows its app, the returns loader (above the areas) follows them, and the statistics' history of earlier
years comes last. A new area adds its loader here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from palermo.cases.models import Case, Phase
from palermo.demo import (
    access,
    anonymous,
    assistance,
    children,
    documents,
    drafts,
    exploitation,
    identification,
    invitations,
    justice,
    lead,
    linkage,
    origin,
    portal,
    privacy,
    reflection,
    representation,
    residence,
    returns,
    reviews,
    statistics,
)
from palermo.demo.cases import DemoCasesResult, load_demo_cases
from palermo.demo.history import CaseWork

AreaLoader = Callable[[list[Case]], None]

AREA_LOADERS: tuple[tuple[str, AreaLoader], ...] = (
    # Emergency accesses of today, waiting for the data protection officer's review (the years' are in the
    # cases' histories, CASE_WORK).
    ("access", access.load_demo),
    ("identification", identification.load_demo),
    ("reflection", reflection.load_demo),
    ("residence", residence.load_demo),
    ("assistance", assistance.load_demo),
    ("children", children.load_demo),
    ("linkage", linkage.load_demo),
    # After residence: the sample country information is cited in some of its decisions.
    ("origin", origin.load_demo),
    ("justice", justice.load_demo),
    ("returns", returns.load_demo),
    # The referrals of the years before, for the national statistics (no team: no area loader sees them). In
    # seed_demo's history they are loaded as its years begin (statistics.steps), and this adds nothing.
    ("statistics", statistics.load_demo),
    ("portal", portal.load_demo),
    ("privacy", privacy.load_demo),
)

DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
# The areas' work on each case, at its moment of the case's history (CaseWork says how it is timed).
CASE_WORK: tuple[CaseWork, ...] = (
    # The presumed victim decision that moved the case on, then the period it opened and what it first gave,
    # most of the rest in the days after.
    # The first interview written up and attached the day after the referral, then the screening.
    # Who acts for a child referred with no guardian yet, and that representative's consent to the referral.
    CaseWork("cases", representation.represent, Phase.IDENTIFICATION, HOUR),
    CaseWork("cases", documents.attach, Phase.IDENTIFICATION, DAY),
    # What the person said of the exploitation (when, where, how), recorded from those first interviews.
    CaseWork("cases", exploitation.record, Phase.IDENTIFICATION, 3 * DAY),
    CaseWork("identification", identification.screen, Phase.IDENTIFICATION, 2 * DAY),
    # Now and then a person referred from immigration detention, released days later.
    CaseWork("justice", justice.detain, Phase.IDENTIFICATION, 2 * HOUR),
    CaseWork("justice", justice.release, Phase.IDENTIFICATION, 5 * DAY),
    # Where the referral could only estimate the person's age, an age assessment in the weeks after.
    CaseWork("identification", identification.assess_age, Phase.IDENTIFICATION, 9 * DAY),
    CaseWork("identification", identification.assess, Phase.REFLECTION, -DAY, only_if_reached=True),
    CaseWork("identification", identification.load_demo, Phase.REFLECTION, MINUTE),
    # A referral that stayed in identification was mostly decided against within weeks (some still wait).
    CaseWork(
        "identification", identification.decide_negative, Phase.IDENTIFICATION, 12 * DAY, stayed=45 * DAY
    ),
    # Weeks later, some of those decisions are reconsidered on new information; the negative decision stands.
    CaseWork("identification", reviews.ask, Phase.IDENTIFICATION, 30 * DAY, stayed=45 * DAY),
    CaseWork("identification", reviews.answer, Phase.IDENTIFICATION, 55 * DAY, stayed=60 * DAY),
    CaseWork("reflection", reflection.load_demo, Phase.REFLECTION, 5 * MINUTE),
    CaseWork("reflection", reflection.provide_most, Phase.REFLECTION, 10 * DAY, only_if_reached=True),
    # A week into the period, some cases the labour inspectorate led go to the NGO sheltering the person.
    CaseWork("cases", lead.hand_to_the_ngo, Phase.REFLECTION, 7 * DAY, only_if_reached=True),
    # Two months in, some periods still running are extended (the person's recovery needs more time).
    CaseWork("reflection", reflection.extend_some, Phase.REFLECTION, 60 * DAY, only_if_reached=True),
    # A child's guardian and best interest early on, and the child's care reviewed at its interval.
    CaseWork("children", children.load_demo, Phase.REFLECTION, DAY),
    # Now and then an emergency weeks into the reflection period, its access reviewed days later.
    CaseWork("access", access.open_emergency_access, Phase.REFLECTION, 20 * DAY, only_if_reached=True),
    CaseWork("access", access.review_emergency_access, Phase.REFLECTION, 23 * DAY, only_if_reached=True),
    CaseWork(
        "children", children.review_care, Phase.REFLECTION, 90 * DAY, only_if_reached=True, every=90 * DAY
    ),
    # A child's durable solution and legal status within months of reaching long-term solutions.
    CaseWork("children", children.find_solution, Phase.LONG_TERM, 40 * DAY, only_if_reached=True),
    # By the time assistance began: all the period's entitlements given, the identified victim decision taken.
    CaseWork("reflection", reflection.provide_the_rest, Phase.ASSISTANCE, -3 * DAY, only_if_reached=True),
    CaseWork("identification", identification.take_identified, Phase.ASSISTANCE, -DAY, only_if_reached=True),
    # Residence applied for once assistance began (the permit in force: within its validity on an old case),
    # and decided in the months after.
    CaseWork("residence", residence.load_demo, Phase.ASSISTANCE, 2 * DAY, recent=150 * DAY),
    CaseWork(
        "residence",
        residence.decide_pending,
        Phase.ASSISTANCE,
        90 * DAY,
        only_if_reached=True,
        recent=90 * DAY,
    ),
    # The assistance plan in force, and proceedings, are recent on an old case too.
    CaseWork("assistance", assistance.load_demo, Phase.ASSISTANCE, DAY, recent=45 * DAY),
    CaseWork("justice", justice.load_demo, Phase.ASSISTANCE, 5 * DAY, recent=30 * DAY),
)
# What happened in the demo's years about no one case: the statistics' history of referrals as the years begin
# and the rapporteur's releases, the anonymous notifications, the responder's drafts of these days, the
# invitation the agency administrator sent yesterday, and each night's retention run.
EVENTS = (statistics.steps, anonymous.steps, drafts.steps, invitations.steps, privacy.steps)
# A whole-demo loader that is also a case's work (an area's first work on a case) runs in the histories only.
CASE_LOADERS = frozenset(work.load for work in CASE_WORK)


def load_demo_history(count: int) -> DemoCasesResult | None:
    """What `seed_demo` loads: `count` demo cases, each with the areas' work in its history (CASE_WORK), then
    the areas that work on the whole demo, today (None when the demo accounts are missing)."""
    result = load_demo_cases(count, work=CASE_WORK, events=EVENTS)
    if result is None:
        return None
    # The demo's cases are on teams; the statistics history (palermo.demo.statistics) is not, and no area
    # loader works on it.
    cases = list(Case.objects.filter(team_members__isnull=False).distinct().order_by("pk"))
    for _label, load in AREA_LOADERS:
        if load not in CASE_LOADERS:
            load(cases)
    return result
