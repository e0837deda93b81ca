"""Where the case page spends its time, in one process (a developer's tool beside `bench.case_list`).

Writes a few hundred synthetic cases into a throw-away SQLite database, signs the benchmark's case manager in,
then renders one case page many times with the test client and prints the query count, the mean time per
page and the functions that take the most cumulative time (cProfile).

    python -m bench.case_page_profile [--cases 300] [--repeat 50] [--top 30]
                                      [--page whole|shell|sections|view|bare|AREA]
                                      [--sections lifecycle,person,...]

--page: the whole case on one page (default, every section rendered), the case page as first served (the
header; its sections follow over HTMX), the sections as the page fetches them, a whole view as the browser
makes it (the page, then the sections request it makes), the benchmark's bare view behind the same
middleware (what the framework alone costs), or one area's section alone.
With --sections, only those areas' sections are on the page (to tell one area's cost from the others').
PROFILE_SORT orders the functions (default: cumulative; tottime for their own time), and PROFILE_CALLERS=NAME
adds who called the functions matching NAME (for example builtins.hasattr).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from typing import Any


def keep_sections(areas: set[str]) -> None:
    """Only these areas' sections on the case page (the page's cached list of sections, narrowed)."""
    from palermo.cases import web
    from palermo.cases.views import cases

    kept = tuple(section for section in web.installed_sections() if section[0] in areas)
    web.installed_sections.cache_clear()
    # Both the page's context (web) and the sections view (views.cases) look the list up by name.
    web.installed_sections = cases.installed_sections = lambda: kept  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--page", default="whole", help="whole, shell, sections or an area's name")
    parser.add_argument("--sections", default="", help="comma-separated areas to keep (default: all)")
    args = parser.parse_args(argv)

    import os

    from bench.django_env import setup_django

    os.environ["PALERMO_MANIFEST_STATIC"] = "0"  # as the throughput benchmark serves it
    os.environ["PALERMO_LOG_LEVEL"] = "WARNING"
    setup_django("bench.case_settings")  # the project's settings and URLs, plus the bare view
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench import case_data
    from bench.case_list import signed_in_client
    from palermo.cases.views import cases

    if args.sections:
        keep_sections(set(args.sections.split(",")))
    data = case_data.build(args.cases)
    client = signed_in_client(data)
    reference = data.page_references[0]
    htmx = {"HTTP_HX_REQUEST": "true"}
    urls: list[tuple[str, dict[str, str]]]
    if args.page in ("whole", "shell"):
        urls = [
            (reverse("cases:detail_full" if args.page == "whole" else "cases:detail", args=[reference]), {})
        ]
    elif args.page == "sections":
        urls = [(reverse("cases:sections", args=[reference]), htmx)]
    elif args.page == "view":
        urls = [
            (reverse("cases:detail", args=[reference]), {}),
            (reverse("cases:sections", args=[reference]), htmx),
        ]
    elif args.page == "bare":
        urls = [(reverse("bench-bare"), {})]
    else:
        urls = [(reverse("cases:section", args=[reference, args.page]), htmx)]

    def load() -> Any:
        response = None
        for url, headers in urls:
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)
        return response

    load()  # warm: what a first request caches is not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = load()
    query_count = len(queries)  # at once: the query log is a bounded deque, and later requests move it on
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        load()
    plain = (time.perf_counter() - started) / args.repeat
    plain_cpu = (time.process_time() - cpu) / args.repeat  # steadier than the clock on a busy machine
    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.repeat):
        load()
    profile.disable()
    elapsed = (time.perf_counter() - started) / args.repeat
    print(
        f"case page ({args.page}): {len(response.content):,} bytes (the last response), "
        f"{query_count} queries, {plain * 1000:.1f} ms per page ({plain_cpu * 1000:.1f} ms of CPU; "
        f"{elapsed * 1000:.1f} ms profiled); sections: "
        + ", ".join(area for area, _template, _context in cases.installed_sections())
    )
    stats = pstats.Stats(profile).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
    stats.print_stats(args.top)
    if os.environ.get("PROFILE_CALLERS"):
        stats.print_callers(os.environ["PROFILE_CALLERS"])


if __name__ == "__main__":
    main()
