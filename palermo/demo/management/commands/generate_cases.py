"""`palermo generate_cases --count N --seed S`: synthetic cases, for benchmarks, trials and the demo.

In bulk (the default, and the path for scale: see `palermo.demo.synthetic.bulk_load`), cases are spread
over the active agencies that refer (or over those named with --agency), written in batches with encryption
and blind indexes, and skipped when their reference is already there, so running the same seed again adds
nothing and a larger --count extends an earlier run. No case team is written: the lead agency's members see
the cases through the access matrix.

With --through-services, the demo users refer them one by one through the intake, case team and lifecycle
services, as `seed_demo` does (slower; needs the demo accounts).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.models import Agency
from palermo.accounts.roles import ROLE_INFO, Role
from palermo.demo import synthetic
from palermo.demo.cases import load_demo_cases

# Agencies that open cases: those of the roles that refer.
REFERRING_TYPES = {
    agency_type
    for role in (Role.FIRST_RESPONDER, Role.CASE_MANAGER)
    for agency_type in ROLE_INFO[role].typical_agencies
}


class Command(BaseCommand):
    help = "Write synthetic cases (made-up people in the mix of a real referral mechanism) in bulk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1000, help="how many cases (default 1000)")
        parser.add_argument("--seed", type=int, default=2023, help="the same seed gives the same cases")
        parser.add_argument("--start", type=int, default=0, help="number of the first case of the seed")
        parser.add_argument("--batch-size", type=int, default=500, help="cases per transaction")
        parser.add_argument(
            "--agency", action="append", default=[], metavar="NAME", help="lead agency (repeatable)"
        )
        parser.add_argument(
            "--through-services",
            action="store_true",
            help="refer them through the services as the demo users (needs `palermo seed_demo`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, batch_size = options["count"], options["batch_size"]
        if count < 0 or batch_size < 1:
            raise CommandError("--count must be 0 or more and --batch-size 1 or more")
        if options["through_services"]:
            self.through_services(count, options["seed"])
            return
        agencies = self.lead_agencies(options["agency"])
        started = time.perf_counter()

        def progress(created: int, skipped: int) -> None:
            done = created + skipped
            rate = created / max(time.perf_counter() - started, 1e-9)
            self.stdout.write(
                f"  {done:,} of {count:,}: {created:,} written, {skipped:,} already there "
                f"({rate:,.0f} cases/s)"
            )

        result = synthetic.bulk_load(
            synthetic.generate_cases(count, seed=options["seed"], start=options["start"]),
            lead_agency=synthetic.spread_over(agencies),
            batch_size=batch_size,
            progress=progress,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created:,} synthetic cases written, {result.skipped:,} already there, "
                f"over {len(agencies)} agencies, in {result.seconds:.1f} s"
            )
        )

    def through_services(self, count: int, seed: int) -> None:
        started = time.perf_counter()

        def progress(referred: int) -> None:
            if referred % 25 == 0:
                self.stdout.write(f"  {referred:,} referred")

        result = load_demo_cases(count, seed=seed, progress=progress)
        if result is None:
            raise CommandError("The demo accounts are missing: run `palermo seed_demo` first.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.referred:,} synthetic cases referred through the services, "
                f"{result.already_there:,} already there, in {time.perf_counter() - started:.1f} s"
            )
        )

    def lead_agencies(self, names: list[str]) -> list[Agency]:
        active = Agency.objects.filter(is_active=True).order_by("name", "pk")
        if names:
            agencies = list(active.filter(name__in=names))
            missing = sorted(set(names) - {agency.name for agency in agencies})
            if missing:
                raise CommandError(f"No active agency named: {', '.join(missing)}")
            return agencies
        agencies = list(active.filter(type__in=REFERRING_TYPES))
        if not agencies:
            raise CommandError(
                "No active agency to lead the cases: create agencies first (`palermo seed_demo` makes some)."
            )
        return agencies
