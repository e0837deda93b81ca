"""`python -m bench.load --cases N --users U --seconds S`: the load test of the main workflows by role.

Creates a PostgreSQL database of its own (`palermo_load` on 127.0.0.1:5432, dropped after the run unless
--keep-database), prepares it (bench/load_setup.py: the cases written in bulk with COPY, bench only, about
5 minutes for 100,000 on a shared two-core machine), serves it with gunicorn on 127.0.0.1, runs locust
headless (bench/locustfile.py) with U concurrent users for S seconds, and prints per request kind the count,
errors, 50th/95th/99th percentiles and throughput, with each kind's median as a ratio of the bare view's,
measured in the same run, then the totals and the machine's load average during the run. locust is a
bench-only dependency (`.[bench]`). Results: bench/load-results.md.
"""

from __future__ import annotations

import argparse
import base64
import csv
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path


def database(command: str, *options: str) -> None:
    """createdb or dropdb of the run's own database."""
    subprocess.run([command, *options, "-h", "127.0.0.1", "-U", "postgres", "palermo_load"], check=True)  # noqa: S603


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def wait_ready(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - our own server
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not become ready")


class LoadAverage(threading.Thread):
    """The machine's 1-minute load average, sampled every 10 s while the users run (a shared machine's
    other work shows in it)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(10):
            self.samples.append(os.getloadavg()[0])

    def line(self) -> str:
        if not self.samples:
            return "load average: not sampled"
        low, high, mean = min(self.samples), max(self.samples), sum(self.samples) / len(self.samples)
        cores = os.cpu_count()
        return (
            f"1-minute load average during the run: {low:.1f}-{high:.1f} (mean {mean:.1f}) on {cores} cores"
        )


# The request kinds of bench/locustfile.py by method and path, to read the server's own time per request
# (gunicorn's access log: the time a worker spent on it, without the wait in the queue before it).
SERVER_KINDS = [
    (method, re.compile(pattern), kind)
    for method, pattern, kind in (
        ("GET", r"/health/", "baseline: bare view /health/"),
        ("GET", r"/", "case manager: worklist"),
        ("GET", r"/cases/", "case manager: case list"),
        ("GET", r"/cases/intake/", "first responder: intake form"),
        ("POST", r"/cases/intake/", "first responder: intake submitted (write)"),
        ("GET", r"/cases/NRM-[^/]+/", "case manager: case page"),
        ("GET", r"/identification/decisions/", "identification authority: awaiting a decision"),
        ("GET", r"/identification/cases/[^/]+/decisions/", "identification authority: decisions page"),
        ("POST", r"/identification/cases/[^/]+/decisions/", "identification authority: decision (write)"),
        ("GET", r"/deadlines/", "identification authority: due list"),
        ("GET", r"/assistance/referrals/", "provider: referral inbox"),
        ("GET", r"/assistance/referrals/\d+/", "provider: referral page"),
        ("POST", r"/api/v1/reflection/lookup/", "migration: removal look-up (client token)"),
    )
]
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"  # method, path, status, microseconds in the worker


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def server_times(access_log: Path) -> dict[str, list[float]]:
    """Milliseconds a worker spent on each request, by request kind."""
    times: dict[str, list[float]] = {}
    for line in access_log.read_text().splitlines():
        method, path, _status, micros = line.split()
        kind = next((k for m, p, k in SERVER_KINDS if m == method and p.fullmatch(path)), None)
        if kind is not None:
            times.setdefault(kind, []).append(int(micros) / 1000)
    return times


def report(stats: Path, access_log: Path, users: int, seconds: int, cases: int) -> None:
    table = list(csv.DictReader(stats.open()))
    total = next(row for row in table if row["Name"] == "Aggregated")
    rows = [row for row in table if row["Name"] != "Aggregated"]
    baseline = next((float(row["50%"]) for row in rows if row["Name"].startswith("baseline")), 0.0) or 1.0
    server = server_times(access_log)
    print(f"\nLoad: {cases} cases, {users} concurrent users, {seconds} s (gunicorn + PostgreSQL, 127.0.0.1)")
    print("as the users saw it (queue included); then the time in the worker (queue excluded), in ms")
    print(
        f"{'request kind':<48} {'count':>6} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6} "
        f"{'req/s':>6} {'p50/bare':>8} | {'p50':>6} {'p95':>6} {'p99':>6} {'p50/bare':>8}"
    )
    bare = percentile(server.get("baseline: bare view /health/", []), 0.5) or 1.0
    for row in sorted(rows, key=lambda row: row["Name"]):
        worker = server.get(row["Name"], [])
        print(
            f"{row['Name'][:48]:<48} {row['Request Count']:>6} {row['Failure Count']:>6} {row['50%']:>6} "
            f"{row['95%']:>6} {row['99%']:>6} {float(row['Requests/s']):>6.1f} "
            f"{float(row['50%']) / baseline:>8.1f} | {percentile(worker, 0.5):>6.0f} "
            f"{percentile(worker, 0.95):>6.0f} {percentile(worker, 0.99):>6.0f} "
            f"{percentile(worker, 0.5) / bare:>8.1f}"
        )
    print(
        f"all: {total['Request Count']} requests, {total['Failure Count']} errors, "
        f"{float(total['Requests/s']):.1f} requests/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--users", type=int, default=20, help="concurrent simulated users")
    parser.add_argument("--sessions", type=int, default=5, help="signed-in sessions per role")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--keep-database", action="store_true", help="keep palermo_load after the run")
    options = parser.parse_args()
    server = "postgres://postgres@127.0.0.1:5432"
    database("dropdb", "--if-exists")
    database("createdb")
    work = Path(tempfile.mkdtemp(prefix="palermo-load-"))
    environment = {
        **os.environ,
        "DATABASE_URL": f"{server}/palermo_load",
        "PALERMO_EPHEMERAL_KEYS": "0",
        "PALERMO_SECRET_KEY": secrets.token_urlsafe(50),
        "PALERMO_FIELD_KEYS": f"l1:{key()}",
        "PALERMO_BLIND_INDEX_KEY": key(),
        "PALERMO_AUDIT_KEYS": f"a1:{key()}",
        "PALERMO_BEHIND_TLS": "0",
        "PALERMO_MANIFEST_STATIC": "0",
        "PALERMO_VAR_DIR": str(work),
        "PALERMO_LOOKUP_CONTACT": "load test desk (synthetic)",
        "PALERMO_LOAD_SETUP": str(work / "setup.json"),
    }
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "bench.load_setup",
            "--cases",
            str(options.cases),
            "--users",
            str(options.sessions),
            "--tokens",
            str(options.users // 10 + 5),  # one look-up client system per look-up user (1 user in 12)
            "--out",
            str(work / "setup.json"),
        ],
        env=environment,
        check=True,
    )
    print(f"set-up: {time.perf_counter() - started:.0f} s")
    port = free_port()
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "palermo.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
            "--access-logfile",
            str(work / "access.log"),
            "--access-logformat",
            ACCESS_FORMAT,
            # A worker starved of CPU on a shared machine is slow, not hung: do not restart it mid-request.
            "--timeout",
            "120",
        ],
        env=environment,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/ready/")
        load_average = LoadAverage()
        load_average.start()
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "-u",
                str(options.users),
                "-r",
                str(max(1, options.users // 5)),
                "-t",
                f"{options.seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(work / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=environment,
            check=False,
        )
        load_average.done.set()
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        if not options.keep_database:
            database("dropdb", "--if-exists")
    report(work / "load_stats.csv", work / "access.log", options.users, options.seconds, options.cases)
    print(load_average.line())


if __name__ == "__main__":
    main()
