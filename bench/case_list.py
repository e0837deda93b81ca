"""The case list and the case page at scale (issue 4, Performance), with 100,000 synthetic cases on SQLite and
on PostgreSQL, in one run:

(a) My cases, the case search, the case page and the whole case on one page run the same number of queries
    whatever the page size (10, 50 and 100 rows; the case's own lists - timeline, notes, documents - paged
    alike);
(b) a search by reference and by exact name answers from an index (EXPLAIN QUERY PLAN / EXPLAIN);
(c) under concurrent load the case page serves at least half as many requests per second as a bare Django
    view, both served by gunicorn on 127.0.0.1 behind the same middleware to the same signed-in case manager.
    The case page answers with its header and fetches its sections over HTMX once shown; two more lines
    (no goal) say what a whole view of a case costs: the page and every section request a browser then
    makes, and the whole case rendered on one page (/all/);
(d) the fullest case's whole page in at most 25 queries (issue 13): the demo's cases, written through every
    area's services, each read whole; the one with the most kinds of record, and the most any of them takes.

One line per measurement, with its ratio. Each database runs in a process of its own (Django is configured
once per process) with the same throw-away keys. PostgreSQL gets a temporary database on 127.0.0.1:5432,
dropped afterwards; without a server there, a line says it was skipped. Never part of the test run.

    python -m bench.case_list [--cases 100000] [--backend all|sqlite|postgresql] [--requests 600]
                              [--threads 8]

Where the case page's time goes (one process, cProfile): `python -m bench.case_page_profile`.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import importlib
import os
import pkgutil
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZES = (10, 50, 100)
THROUGHPUT_GOAL = 0.5
# Throughput rounds: each round measures every batch in turn, and a ratio is the median of the rounds' own
# ratios, each taken between batches a second apart (on a shared machine the load changes from second to
# second: a best-of-rounds rate for each batch may pair a quiet moment of one with a busy one of the other).
ROUNDS = 5
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Line:
    text: str

    def line(self) -> str:
        return self.text


def say(backend: str, text: str) -> None:
    print(f"case_list[{backend}]: {text}", flush=True)


# ---------------------------------------------------------------------------------------------------------
# The orchestrating process: one child process per database
# ---------------------------------------------------------------------------------------------------------


def throwaway_keys() -> dict[str, str]:
    """One set of keys for the loader and the server's workers (separate processes must decrypt alike)."""
    return {
        "PALERMO_SECRET_KEY": secrets.token_urlsafe(50),
        "PALERMO_FIELD_KEYS": "bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "PALERMO_BLIND_INDEX_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "PALERMO_AUDIT_KEYS": "bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def postgres_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


@contextmanager
def database(backend: str, directory: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{directory}/bench.sqlite3"
        return
    name = f"palermo_bench_{os.getpid()}"
    postgres_admin(f"CREATE DATABASE {name}")
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def child_environment(url: str, directory: str, keys: dict[str, str]) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PALERMO_") and name not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(keys)
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.case_settings",
            "DATABASE_URL": url,
            "PALERMO_VAR_DIR": directory,
            "PALERMO_BEHIND_TLS": "0",
            "PALERMO_MANIFEST_STATIC": "0",
            "PALERMO_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return environment


def run_backend(backend: str, cases: int, requests: int, threads: int) -> list[Line]:
    """Run the measurements for one database in a child process; its lines are printed as they come."""
    if backend == "postgresql" and not postgres_reachable():
        text = f"case_list[{backend}]: skipped, no PostgreSQL server at 127.0.0.1:5432"
        print(text, flush=True)
        return [Line(text)]
    directory = tempfile.mkdtemp(prefix="palermo-bench-")
    lines: list[Line] = []
    try:
        with database(backend, directory) as url:
            command = [
                sys.executable,
                "-m",
                "bench.case_list",
                "--in-process",
                "--backend",
                backend,
                *("--cases", str(cases), "--requests", str(requests), "--threads", str(threads)),
            ]
            environment = child_environment(url, directory, throwaway_keys())
            with subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True
            ) as child:
                assert child.stdout is not None
                for text in child.stdout:
                    print(text, end="", flush=True)
                    if text.startswith("case_list["):
                        lines.append(Line(text.rstrip("\n")))
            if child.returncode:
                lines.append(Line(f"case_list[{backend}]: FAILED (exit status {child.returncode})"))
                print(lines[-1].text, flush=True)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return lines


def run(
    cases: int = 100_000, requests: int = 200, threads: int = 8, backends: tuple[str, ...] = BACKENDS
) -> list[Line]:
    lines: list[Line] = []
    for backend in backends:
        lines += run_backend(backend, cases, requests, threads)
    return lines


# ---------------------------------------------------------------------------------------------------------
# The measuring process (Django configured for one database)
# ---------------------------------------------------------------------------------------------------------


def verdict(ok: bool, good: str, bad: str) -> str:
    return good if ok else bad


@contextmanager
def page_size(size: int) -> Iterator[list[str]]:
    """Every case view module's PAGE_SIZE set to `size` (the list, and each list on the case page)."""
    import palermo.cases.views as views

    patched: list[tuple[Any, int]] = []
    for module_info in pkgutil.iter_modules(views.__path__):
        module = importlib.import_module(f"palermo.cases.views.{module_info.name}")
        if isinstance(getattr(module, "PAGE_SIZE", None), int):
            patched.append((module, module.PAGE_SIZE))
            module.PAGE_SIZE = size
    try:
        yield [module.__name__.rsplit(".", 1)[1] for module, _ in patched]
    finally:
        for module, original in patched:
            module.PAGE_SIZE = original


def signed_in_client(data: Any) -> Any:
    from django.conf import settings
    from django.test import Client

    from bench.case_data import signed_in_session

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(data.membership, data.device)
    return client


def queries_for(client: Any, url: str) -> tuple[int, int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured.captured_queries), response.status_code, response.content.decode()


REFERENCE = re.compile(r"NRM-[0-9A-Z]{4}-[0-9A-Z]{4}")


def constant_queries(backend: str, data: Any) -> None:
    """(a) The same number of queries for 10, 50 and 100 rows."""
    from django.urls import NoReverseMatch, reverse

    client = signed_in_client(data)
    try:
        pages = {
            "My cases": (reverse("cases:mine"), lambda body: len(set(REFERENCE.findall(body)))),
            "case search (status)": (
                reverse("cases:search") + "?status=Active",
                lambda body: len(set(REFERENCE.findall(body))),
            ),
            "case page (its header; the sections follow)": (
                reverse("cases:detail", args=[data.long_lists_reference]),
                lambda body: body.count("letter-"),
            ),
            "whole case on one page (timeline, notes, documents)": (
                reverse("cases:detail_full", args=[data.long_lists_reference]),
                lambda body: body.count("letter-"),
            ),
        }
    except NoReverseMatch:
        constant_selector_queries(backend, data)
        return
    for name, (url, rows_shown) in pages.items():
        client.get(url)  # warm: caches, the first use of a connection
        counts, shown = [], []
        for size in PAGE_SIZES:
            with page_size(size):
                queries, status, body = queries_for(client, url)
            if status != 200:
                say(backend, f"queries for {name}: HTTP {status} at {size} rows - not measured")
                break
            counts.append(queries)
            shown.append(rows_shown(body))
        else:
            ratio = max(counts) / min(counts)
            rows = f" (rows shown {'/'.join(map(str, shown))})" if any(shown) else " (no list on it)"
            say(
                backend,
                f"queries for {name} at {'/'.join(map(str, PAGE_SIZES))} rows: "
                f"{'/'.join(map(str, counts))}{rows}, ratio {ratio:.2f} "
                + verdict(ratio == 1.0, "(constant)", "(NOT constant)"),
            )


def constant_selector_queries(backend: str, data: Any) -> None:
    """Without the case views: the list selector, evaluated as a page renders it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from palermo.cases.selectors import my_cases

    counts = []
    for size in PAGE_SIZES:
        with CaptureQueriesContext(connection) as captured:
            for case in my_cases(data.membership)[:size]:
                list(case.exploitation_forms.all())
                str(case.lead_agency)
        counts.append(len(captured.captured_queries))
    ratio = max(counts) / min(counts)
    say(
        backend,
        f"queries for the My cases selector (no case views installed) at 10/50/100 rows: "
        f"{'/'.join(map(str, counts))}, ratio {ratio:.2f} "
        + verdict(ratio == 1.0, "(constant)", "(NOT constant)"),
    )


# What reading through the expected index looks like in each database's plan, per search.
INDEX_READ = {
    ("sqlite", "reference"): r"SEARCH \S+ USING (COVERING )?INDEX \S+ \(reference=\?\)",
    ("sqlite", "name"): r"SEARCH \S+ USING (COVERING )?INDEX \S*name_index\S* \((latin_)?name_index=\?\)",
    ("postgresql", "reference"): r"(Index (Only )?Scan using|Bitmap Index Scan on) \S*reference",
    ("postgresql", "name"): r"(Index (Only )?Scan using|Bitmap Index Scan on) \S*name_index",
}


def full_scans(vendor: str, plan: str) -> list[str]:
    """Plan lines that read a whole case or person table."""
    if vendor == "sqlite":
        return [line for line in plan.splitlines() if re.search(r"\bSCAN (?!.*USING)", line)]
    return [line for line in plan.splitlines() if re.search(r"Seq Scan on cases_(case|person)\b", line)]


def plan_uses_index(vendor: str, plan: str, search: str) -> bool:
    return re.search(INDEX_READ[vendor, search], plan) is not None and not full_scans(vendor, plan)


def median_ms(action: Callable[[], object], repeat: int = 15) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def index_searches(backend: str, data: Any) -> None:
    """(b) The searches the screen runs, by reference and by exact name, answered from indexes."""
    from django.db import connection

    from palermo.access.selectors import cases_visible_to
    from palermo.cases.filters import CaseFilter
    from palermo.cases.selectors import case_list_queryset

    visible = case_list_queryset(cases_visible_to(data.membership)).order_by("-opened_at", "-pk")
    searches = {
        "reference": {"reference": data.sample_reference},
        "name": {"name": data.sample_name},
    }
    for name, query in searches.items():
        # A name search's rows are recorded as it when read: its time includes that record, as a user's does.
        search = CaseFilter(query, queryset=visible, searcher=data.membership)
        assert search.is_valid(), search.errors
        found = search.qs
        plan = found.explain()
        uses = plan_uses_index(connection.vendor, plan, name)
        elapsed = median_ms(lambda found=found: list(found[:50]))
        evidence = re.search(rf"[^\n]*{INDEX_READ[connection.vendor, name]}[^\n]*", plan)
        shown = evidence.group(0).strip() if uses and evidence else " | ".join(plan.split("\n"))
        say(
            backend,
            f"search by exact {name}: {elapsed:.1f} ms, "
            + verdict(uses, "answered from an index", "NOT answered from an index")
            + f"; plan: {shown}",
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(workers: int, threads: int) -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "palermo.wsgi",
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)),
        *("--worker-class", "gthread", "--log-level", "warning"),
    ]
    server = subprocess.Popen(command, cwd=ROOT)  # noqa: S603 (our own interpreter and module)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def hammer(port: int, paths: list[str], cookies: list[str], threads: int) -> tuple[float, int]:
    """Send every path once from `threads` threads (each with its own connection and session); requests per
    second over the whole batch, and how many did not answer 200."""

    def client(number: int) -> int:
        failures = 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": cookies[number], "Host": "127.0.0.1"}
        for path in paths[number::threads]:
            as_htmx = {"HX-Request": "true"} if path.endswith("/sections/") else {}
            connection.request("GET", path, headers={**headers, **as_htmx})
            response = connection.getresponse()
            response.read()
            failures += response.status != 200
        connection.close()
        return failures

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        failures = sum(pool.map(client, range(threads)))
    return len(paths) / (time.perf_counter() - started), failures


def cycle_to(items: list[Any], count: int) -> list[Any]:
    return [items[number % len(items)] for number in range(count)]


def throughput(backend: str, data: Any, requests: int, threads: int) -> None:
    """(c) The case page against a bare view, same server, same middleware, same persona; then, with no goal,
    what a whole view of a case costs (the page and its sections; the whole case on one page)."""
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse

    from bench.case_data import signed_in_session

    try:
        pages = [reverse("cases:detail", args=[reference]) for reference in data.page_references]
        wholes = [reverse("cases:detail_full", args=[reference]) for reference in data.page_references]
    except NoReverseMatch:
        say(backend, "throughput: the case page is not installed - not measured")
        return
    views = [
        [page, reverse("cases:sections", args=[ref])]
        for page, ref in zip(pages, data.page_references, strict=True)
    ]
    per_view = len(views[0])
    whole_views = max(requests // 5, threads)  # a fifth as many: each costs several times a page
    batches = {
        "bare": [reverse("bench-bare")] * requests,
        "page": cycle_to(pages, requests),
        "view": [path for view in cycle_to(views, whole_views) for path in view],
        "whole": cycle_to(wholes, whole_views),
    }
    name = settings.SESSION_COOKIE_NAME
    cookies = [f"{name}={signed_in_session(data.membership, data.device)}" for _ in range(threads)]
    workers = os.cpu_count() or 2
    rates: dict[str, list[float]] = {label: [] for label in batches}
    errors = 0
    with gunicorn(workers=workers, threads=4) as port:
        for paths in batches.values():  # warm: imports, connections, templates
            hammer(port, paths[: threads * 5], cookies, threads)
        for _ in range(ROUNDS):  # interleaved: each round's ratios compare batches run a moment apart
            for label, paths in batches.items():
                rate, failed = hammer(port, paths, cookies, threads)
                rates[label].append(rate)
                errors += failed
    rate = {label: statistics.median(values) for label, values in rates.items()}
    ratio = {label: round_ratios(rates[label], rates["bare"]) for label in ("page", "view", "whole")}
    goal = THROUGHPUT_GOAL
    say(
        backend,
        f"throughput with {threads} clients, gunicorn {workers} workers x 4 threads, {requests} requests per "
        f"batch, {ROUNDS} rounds (medians): case page {rate['page']:.0f} req/s, bare view "
        f"{rate['bare']:.0f} req/s, ratio {ratio['page']:.2f} "
        f"(rounds {spread(rates['page'], rates['bare'])}) "
        + verdict(ratio["page"] >= goal, f"(meets the {goal} goal)", f"(BELOW the {goal} goal)")
        + (f"; {errors} requests did not answer 200" if errors else ""),
    )
    views_per_second = rate["view"] / per_view
    say(
        backend,
        "a whole view of a case (the page, then its sections in the request the page makes): "
        f"{views_per_second:.1f} views/s ({rate['view']:.0f} req/s), "
        f"{ratio['view'] / per_view:.3f} of the bare view's rate "
        f"(rounds {spread(rates['view'], rates['bare'], per_view)}); "
        f"the whole case on one page (/all/): {rate['whole']:.1f} pages/s, "
        f"{ratio['whole']:.3f} of it (no goal: what reading a whole case costs)",
    )


def round_ratios(measured: list[float], baseline: list[float]) -> float:
    """The median of each round's ratio to the baseline measured in the same round."""
    return statistics.median(a / b for a, b in zip(measured, baseline, strict=True))


def spread(measured: list[float], baseline: list[float], per: int = 1) -> str:
    """The lowest and highest of the rounds' ratios, to show how steady the machine was."""
    each = [a / b / per for a, b in zip(measured, baseline, strict=True)]
    return f"{min(each):.3f}-{max(each):.3f}"


FULLEST_CASE_QUERIES = 25  # issue 13: the whole case in at most 25 queries, whatever it holds
DEMO_CASES = 30


def fullest_case_queries(backend: str) -> None:
    """(d) The fullest case: the demo's cases (written through the services, every area's loader: a child's
    case with guardian, best interest and care, identification, reflection, residence, assistance), each
    read whole on one page by the demo case manager; the one with the most kinds of record is reported."""
    from django.urls import reverse

    from palermo.accounts.models import Membership
    from palermo.cases.facts import note_present_kinds
    from palermo.cases.models import Case
    from palermo.demo.accounts import load_demo_accounts
    from palermo.demo.areas import AREA_LOADERS
    from palermo.demo.cases import load_demo_cases

    load_demo_accounts(secrets.token_urlsafe(16))
    load_demo_cases(DEMO_CASES)
    demo = list(Case.objects.filter(reference__in=_demo_references()).order_by("pk"))
    for _label, load in AREA_LOADERS:
        load(demo)
    manager = Membership.objects.select_related("user").get(user__username="demo.casemanager")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=manager.user, name="benchmark authenticator", confirmed=True)
    client = signed_in_client(type("Signed", (), {"membership": manager, "device": device})())
    measured = []
    for case in demo:
        url = reverse("cases:detail_full", args=[case.reference])
        if client.get(url).status_code != 200:  # warm, and only the cases the manager may read
            continue
        queries, _status, _body = queries_for(client, url)
        note_present_kinds(case)
        measured.append((len(case._palermo_present_kinds), case.is_child, queries))  # type: ignore[attr-defined]
    if not measured:
        say(backend, "queries for the fullest case: no demo case readable - not measured")
        return
    kinds, child, queries = max(measured)
    most = max(count for _kinds, _child, count in measured)
    say(
        backend,
        f"queries for the fullest case on one page ({kinds} kinds of record"
        f"{', a child' if child else ''}; of {len(measured)} demo cases): {queries}, "
        f"at most {most} for any demo case "
        + verdict(
            most <= FULLEST_CASE_QUERIES,
            f"(within {FULLEST_CASE_QUERIES})",
            f"(ABOVE {FULLEST_CASE_QUERIES})",
        ),
    )


def _demo_references() -> list[str]:
    """The demo cases (referred by the demo accounts), not the benchmark's bulk-loaded ones."""
    from palermo.cases.models import Case

    return list(
        Case.objects.filter(opened_by__username__startswith="demo.").values_list("reference", flat=True)
    )


def measure(backend: str, cases: int, requests: int, threads: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from bench import case_data

    started = time.perf_counter()
    step = max(cases // 10, 1)

    def progress(created: int, skipped: int) -> None:
        if created % step < 1000 or created == cases:
            elapsed = time.perf_counter() - started
            print(f"  {created:,} of {cases:,} cases written ({created / elapsed:,.0f} cases/s)", flush=True)

    data = case_data.build(cases, progress=progress)
    rate = data.cases / data.load_seconds
    say(
        backend,
        f"{data.cases:,} synthetic cases written in bulk (encrypted, blind-indexed) "
        f"in {data.load_seconds:.0f} s, {rate:,.0f} cases/s",
    )
    constant_queries(backend, data)
    index_searches(backend, data)
    throughput(backend, data, requests, threads)
    fullest_case_queries(backend)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=100_000, help="synthetic cases (default 100,000)")
    parser.add_argument("--backend", choices=("all", *BACKENDS), default="all")
    parser.add_argument("--requests", type=int, default=600, help="requests per throughput batch")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:
        measure(args.backend, args.cases, args.requests, args.threads)
        return
    backends = BACKENDS if args.backend == "all" else (args.backend,)
    run(args.cases, args.requests, args.threads, backends)


if __name__ == "__main__":
    main()
