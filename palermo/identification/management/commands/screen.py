"""`palermo screen --instrument NAME (--adult|--child) FILE.json`: evaluate answers with the indicator rule.

The file holds `{"answers": [{"dimension": ..., "indicator": <text as in the instrument>, "answer":
"yes"|"no"|"unknown"}]}` ("-" reads standard input). Indicators not answered count as unknown. Prints the
evaluation as JSON: `victim`, and each dimension with its verdict and the indicators that made it. Refuses an
unknown instrument, dimension, indicator or answer value, and a file that is not JSON, with a clear message
and exit status 2. Nothing is stored: this is the pure rule, for operators and for checking vignettes.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.identification.answers import AnswerProblems, read_answers
from palermo.identification.evaluation import evaluation_document
from palermo.identification.rules import evaluate
from palermo.identification.selectors import instrument_find, instrument_specs

BAD_INPUT = 2


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


class Command(BaseCommand):
    help = "Evaluate indicator answers (JSON file) with an instrument; prints the evaluation as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='JSON file with {"answers": [...]}, or - for standard input')
        parser.add_argument("--instrument", required=True, help="instrument name, e.g. ilo-2009-labour")
        parser.add_argument("--instrument-version", help="a version of it (default: the one imported last)")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--adult", action="store_true", help="apply the adult rule and weights")
        who.add_argument("--child", action="store_true", help="apply the child rule and weights")

    def handle(self, *args: Any, **options: Any) -> None:
        instrument = instrument_find(options["instrument"], options["instrument_version"])
        if instrument is None:
            raise _refuse(f"unknown instrument {options['instrument']!r}")
        payload = self._read_json(options["file"])
        specs = instrument_specs(instrument)
        try:
            answers = read_answers(payload, specs)
        except AnswerProblems as problems:
            for problem in problems.problems:
                self.stderr.write(problem)
            raise _refuse(f"refused: {len(problems.problems)} problem(s) in the answers") from None
        result = evaluate(specs, answers, child=options["child"])
        document = evaluation_document(instrument, result)
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _read_json(self, name: str) -> Any:
        try:
            if name == "-":
                return json.load(sys.stdin)
            with open(name, encoding="utf-8") as handle:
                return json.load(handle)
        except OSError as error:
            raise _refuse(f"cannot read {name}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise _refuse(f"{name} is not UTF-8 text") from None
        except json.JSONDecodeError as error:
            raise _refuse(f"{name} is not valid JSON (line {error.lineno}, column {error.colno})") from None
