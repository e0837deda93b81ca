"""Run every benchmark; one line each, with its ratio. `python -m bench [--rows N] [--repeat N]`."""

from __future__ import annotations

import argparse

from bench import case_list, decrypt_list


def main() -> None:
    parser = argparse.ArgumentParser(description="Palermo benchmarks (never part of the test run)")
    parser.add_argument("--rows", type=int, default=2000, help="rows created per benchmark")
    parser.add_argument("--repeat", type=int, default=200, help="measurements per variant")
    parser.add_argument(
        "--cases", type=int, default=100_000, help="cases for the case list and case page (0 skips them)"
    )
    args = parser.parse_args()
    results = [decrypt_list.run(args.rows, args.repeat)]
    for result in results:
        print(result.line())
    if args.cases:
        # Prints its lines as it goes: it writes the cases, then measures, once per database.
        case_list.run(args.cases)


main()
