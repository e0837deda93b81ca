"""Run every benchmark; one line each, with its ratio. `python -m bench [--rows N] [--repeat N]`."""

from __future__ import annotations

import argparse

from bench import decrypt_list


def main() -> None:
    parser = argparse.ArgumentParser(description="Palermo benchmarks (never part of the test run)")
    parser.add_argument("--rows", type=int, default=2000, help="rows created per benchmark")
    parser.add_argument("--repeat", type=int, default=200, help="measurements per variant")
    args = parser.parse_args()
    results = [decrypt_list.run(args.rows, args.repeat)]
    for result in results:
        print(result.line())


main()
