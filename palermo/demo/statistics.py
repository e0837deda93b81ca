"""Demo history for the rapporteur's statistics: the demo's own cases are all referred on the day the demo is
loaded, so the national figures would show one year. This adds the referrals of the years before (synthetic
cases of the generator, opened over five years up to the demo's history date, led by the demo agencies that
refer cases), written in bulk as the benchmarks write theirs: persons, forms of exploitation and
citizenships, with no case team, so no demo user works on them and the area loaders never receive them
(seed_demo gives them the cases with a team only). Idempotent: the same references are skipped on a second
load. How many: PALERMO_DEMO_CASES times HISTORY_PER_DEMO_CASE (none without demo cases). Where and in
which sector the exploitation happened is spread over a few countries and HTCDS sectors (one in five left
unrecorded, as in real files), so the dashboard's tables by sector and by country of exploitation have
figures.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F

from palermo.accounts.models import Agency
from palermo.accounts.roles import AgencyType
from palermo.cases.models import Case
from palermo.demo.accounts import DEMO_AGENCIES
from palermo.demo.cases import DEMO_UNTIL
from palermo.demo.synthetic import bulk_load, generate_cases, spread_over

HISTORY_PER_DEMO_CASE = 8
HISTORY_SEED = 1919
HISTORY_YEARS = 5
# (country of exploitation, HTCDS vic_ForcedLabourIndustry) for the history's cases, in turn.
PLACES = (
    ("ITA", "A_AgricultureForestryAndFishing"),
    ("DEU", "F_Construction"),
    ("GBR", "I_AccommodationAndFoodServiceActivities"),
    ("ESP", "T_ActivitiesOfHouseholdsAsEmployers"),
)
REFERRING = (
    AgencyType.POLICE,
    AgencyType.LABOUR_INSPECTORATE,
    AgencyType.MIGRATION,
    AgencyType.NGO,
    AgencyType.SOCIAL_SERVICES,
)


def load_demo(cases: list[Case]) -> None:
    names = [name for name, kind in DEMO_AGENCIES if kind in REFERRING]
    leads = list(Agency.objects.filter(name__in=names).order_by("name"))
    # No demo cases (seed_demo --cases 0), no history; else a fixed size, so a second load adds nothing.
    count = int(settings.DEMO_CASES) * HISTORY_PER_DEMO_CASE if cases else 0
    if not leads or count <= 0:
        return
    specs = generate_cases(count, seed=HISTORY_SEED, until=DEMO_UNTIL, years=HISTORY_YEARS)
    bulk_load(specs, lead_agency=spread_over(leads), batch_size=500)
    history = Case.objects.filter(reference__in=[spec.reference for spec in specs], exploitation_country="")
    history = history.annotate(turn=F("pk") % (len(PLACES) + 1))
    for turn, (country, sector) in enumerate(PLACES):
        history.filter(turn=turn).update(exploitation_country=country, exploitation_sector=sector)
