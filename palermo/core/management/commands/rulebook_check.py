"""`palermo rulebook_check NAME... | --all`: how a rulebook falls short of the position paper, point by point.

Each shortfall shows the paper's recommendation (the values of the osce-2005 rulebook, which encodes the
paper, with the paper's words and section) beside the rulebook's own value.

Figures the rulebook itself lists as not yet checked against their source (``meta.unverified``) are named
after the shortfalls: a reader must not take them for verified law. They do not change the exit status.

Exit status, so that scripts and CI can use it: 0 when every rulebook checked meets every recommendation;
1 when at least one falls short; 2 when a rulebook cannot be read or fails validation (its problems are
printed, and the other rulebooks are still checked).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.core.rulebooks import (
    PAPER_RULEBOOK,
    RulebookError,
    Shortfall,
    available_rulebooks,
    rulebook,
    shortfalls,
)

MEETS_ALL = 0
FALLS_SHORT = 1
INVALID = 2


class Command(BaseCommand):
    help = "Show, point by point, how a rulebook falls short of the position paper's recommendations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", metavar="NAME", help="rulebook name, e.g. coe-cets197")
        parser.add_argument("--all", action="store_true", help="check every rulebook in RULEBOOK_DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        names = available_rulebooks() if options["all"] else options["names"]
        if not names:
            raise CommandError("name a rulebook, or pass --all", returncode=INVALID)
        status = max(self.check_one(name) for name in names)
        if status == INVALID:
            raise CommandError("some rulebooks could not be checked (see above)", returncode=INVALID)
        if status == FALLS_SHORT:
            sys.exit(FALLS_SHORT)

    def check_one(self, name: str) -> int:
        try:
            title = rulebook(name).meta.title
            gaps = shortfalls(name)
        except RulebookError as error:
            self.stderr.write(f"{name}: cannot be checked\n{error}\n")
            return INVALID
        self.stdout.write(f"{name}: {title}")
        unverified = rulebook(name).meta.unverified
        if not gaps:
            self.stdout.write(self.style.SUCCESS("  meets every recommendation of the position paper."))
            self.write_unverified(unverified)
            return MEETS_ALL
        points = "point" if len(gaps) == 1 else "points"
        self.stdout.write(f"  falls short of the position paper ({PAPER_RULEBOOK}) on {len(gaps)} {points}:")
        for number, gap in enumerate(gaps, start=1):
            self.stdout.write(self.describe(number, gap, name))
        self.write_unverified(unverified)
        return FALLS_SHORT

    def write_unverified(self, keys: tuple[str, ...]) -> None:
        """The figures the file marks "to verify", then the blank line that ends the rulebook's report."""
        if keys:
            figures = "figure" if len(keys) == 1 else "figures"
            self.stdout.write(
                self.style.WARNING(
                    f"  {len(keys)} {figures} not yet verified against the source (to verify):"
                )
            )
            for key in keys:
                self.stdout.write(f"     - {key}")
        self.stdout.write("")

    def describe(self, number: int, gap: Shortfall, name: str) -> str:
        item = gap.recommendation
        width = max(len("position paper:"), len(name) + 1)
        return (
            f"  {number}. {item.topic} [{item.key}]\n"
            f"     {'position paper:':<{width}} {gap.paper_value} \N{EM DASH} {item.paper_says}\n"
            f"     {name + ':':<{width}} {gap.rulebook_value}"
        )
