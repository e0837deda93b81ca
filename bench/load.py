"""`python -m bench.load --cases N --users U --seconds S`: the load test of the main workflows by role.

Creates a PostgreSQL database of its own (`palermo_load`, on PALERMO_LOAD_PG, default
postgres://postgres@127.0.0.1:5432), prepares it (bench/load_setup.py), serves it with gunicorn on
127.0.0.1, runs locust headless (bench/locustfile.py) with U concurrent users for S seconds, and prints per
request kind the count, errors, 50th/95th/99th percentiles and throughput, with each kind's median as a
ratio of the bare view's, measured in the same run. locust is a bench-only dependency (`.[bench]`).
"""

from __future__ import annotations

import argparse
import base64
import csv
import os
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


def report(stats: Path, users: int, seconds: int, cases: int) -> None:
    table = list(csv.DictReader(stats.open()))
    total = next(row for row in table if row["Name"] == "Aggregated")
    rows = [row for row in table if row["Name"] != "Aggregated"]
    baseline = next((float(row["50%"]) for row in rows if row["Name"].startswith("baseline")), 0.0) or 1.0
    print(f"\nLoad: {cases} cases, {users} concurrent users, {seconds} s (gunicorn + PostgreSQL, 127.0.0.1)")
    print(
        f"{'request kind':<48} {'count':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'req/s':>6} {'p50/bare':>8}"
    )
    for row in sorted(rows, key=lambda row: row["Name"]):
        print(
            f"{row['Name'][:48]:<48} {row['Request Count']:>6} {row['Failure Count']:>6} {row['50%']:>7} "
            f"{row['95%']:>7} {row['99%']:>7} {float(row['Requests/s']):>6.1f} "
            f"{float(row['50%']) / baseline:>8.1f}"
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
    server = os.environ.get("PALERMO_LOAD_PG", "postgres://postgres@127.0.0.1:5432")
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
    report(work / "load_stats.csv", options.users, options.seconds, options.cases)
    print(load_average.line())


if __name__ == "__main__":
    main()
