"""Where the load test's slow pages spend their time (bench/load-results.md): the identification
authority's list of cases awaiting a decision, the case manager's case list and worklist, and a presumed
victim decision posted, each asked `--repeat` times in one process through Django's test client on an
instance that bench/load_setup.py prepared (its JSON: `PALERMO_LOAD_SETUP`), with the median time, the
number of queries, the time in the database, the slowest query of the page, and the ratio of the median to
the bare view `/health/` measured in the same run (after one request of each to warm up).

    PALERMO_LOAD_SETUP=setup.json DATABASE_URL=... (the keys load_setup ran with) \\
        python -m bench.hot_lists [--repeat 5] [--decisions 5] [--explain] [--queries]

With --explain, the slowest query of each page is shown with PostgreSQL's EXPLAIN ANALYZE (its plan and
time); with --queries, every query of the page with its time. Decisions are taken on cases of the set-up's
list of undecided ones (each once: the database changes). Results: bench/load-results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from typing import Any

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--decisions", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--queries", action="store_true", help="every query of each page, with its time")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palermo.settings")
    django.setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    setup = json.loads(open(os.environ["PALERMO_LOAD_SETUP"], encoding="utf-8").read())  # noqa: SIM115
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def client(role: str) -> Client:
        browser = Client(HTTP_HOST="127.0.0.1")
        browser.cookies[setup["cookie"]] = setup["sessions"][role][0]
        return browser

    def measure(name: str, call: Any, repeat: int) -> float:
        times, slowest, count, in_db = [], ("", 0.0), 0, []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                call()
                times.append(time.perf_counter() - started)
            count = len(queries.captured_queries)
            in_db.append(sum(float(q["time"]) for q in queries.captured_queries))
            top = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
            if top is not None and float(top["time"]) > slowest[1]:
                slowest = (top["sql"], float(top["time"]))
            if options.queries and _ == repeat - 1:
                for query in queries.captured_queries:
                    print(f"    {float(query['time']) * 1000:>7.1f} ms  {query['sql'][:200]}")
        median = statistics.median(times) * 1000
        results[name] = median
        bare = results.get("bare view /health/", median) or 1.0
        database = statistics.median(in_db) * 1000
        print(
            f"{name:<40} {median:>8.0f} ms {count:>4} queries {database:>8.0f} ms in db "
            f"slowest {slowest[1] * 1000:>6.0f} ms  {median / bare:>6.1f} x bare"
        )
        if (
            options.explain
            and slowest[0]
            and not slowest[0].lstrip().upper().startswith(("INSERT", "UPDATE"))
        ):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[0])
                print("\n".join("    " + row[0] for row in cursor.fetchall()))
        return median

    results: dict[str, float] = {}
    manager, authority = client("case_manager"), client("identification_authority")

    def get(browser: Client, path: str) -> None:
        answer = browser.get(path)
        assert answer.status_code == 200, (path, answer.status_code)

    from palermo.cases.models import Case

    print(f"{Case.objects.count()} cases; median of {options.repeat} requests each, in one process")
    for browser, path in ((manager, "/health/"), (manager, "/cases/"), (authority, "/")):
        get(browser, path)  # warm up: the first request of a process loads templates, URLs, translations
    measure("bare view /health/", lambda: get(manager, "/health/"), options.repeat)
    measure(
        "authority: awaiting a decision", lambda: get(authority, "/identification/decisions/"), options.repeat
    )
    measure("authority: awaiting, page 3", lambda: get(authority, "/identification/decisions/?page=3"), 1)
    measure("authority: home page", lambda: get(authority, "/"), options.repeat)
    measure("case manager: case list", lambda: get(manager, "/cases/"), options.repeat)
    measure("case manager: case list, page 20", lambda: get(manager, "/cases/?page=20"), 1)
    measure("case manager: worklist (home page)", lambda: get(manager, "/"), options.repeat)
    from palermo.identification.models import IdentificationDecision

    decided = set(IdentificationDecision.objects.values_list("case__reference", flat=True))
    undecided = iter([reference for reference in setup["undecided"][::-1] if reference not in decided])

    def decide() -> None:
        path = f"/identification/cases/{next(undecided)}/decisions/"
        token = csrf.search(authority.get(path).content.decode())
        assert token is not None
        answer = authority.post(
            path,
            {
                "csrfmiddlewaretoken": token.group(1),
                "kind": "presumed",
                "outcome": "positive",
                "grounds": ["indicators", "account"],
                "reasons": "Synthetic bench: the indicators are met and the account is consistent with them.",
            },
        )
        assert answer.status_code == 302, answer.status_code

    if options.decisions:
        measure("authority: decisions page + decision", decide, options.decisions)


if __name__ == "__main__":
    main()
