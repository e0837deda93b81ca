"""The rate limit holds across worker processes: two real gunicorn workers, one count (issue 15, item 2).

The test database (a file on SQLite, the test database on PostgreSQL) is served by `gunicorn --workers 2`;
a client system asks the look-up (30 a minute) 45 times from as many threads at once, so both workers answer
(their process ids are in the access log), and exactly 30 are answered overall, not 30 per worker.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from palermo.reflection.services.clients import lookup_client_add
from palermo.reflection.throttling import LOOKUP_RATE

pytestmark = [pytest.mark.workers, pytest.mark.django_db(transaction=True)]

LIMIT = int(LOOKUP_RATE.split("/")[0])  # the look-up's own rate: 30 a minute
ASKED = LIMIT + 15  # past the limit once, not past it twice (two per-process counts would allow it all)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{port}/{db['NAME']}"


def post(url: str, token: str) -> int:
    body = json.dumps({"document_number": "ZZ 000-0001"}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - local
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def at_once(count: int, ask: Any) -> list[Any]:
    """`count` calls from as many threads, released together."""
    start = threading.Barrier(count)
    answers: list[Any] = [None] * count

    def run(index: int) -> None:
        start.wait()
        answers[index] = ask()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def pids_in(log: Path, path: str) -> set[str]:
    lines = log.read_text().splitlines() if log.exists() else []
    return {line.split()[0] for line in lines if len(line.split()) == 3 and line.split()[1] == path}


def test_two_workers_share_one_count(make_agency, tmp_path):
    _client, token = lookup_client_add(name="Border register", agency=make_agency("migration"))
    port, log = free_port(), tmp_path / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PALERMO_SECRET_KEY": settings.SECRET_KEY,
        "PALERMO_FIELD_KEYS": settings.FIELD_KEYS,
        "PALERMO_BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY,
        "PALERMO_AUDIT_KEYS": settings.AUDIT_KEYS,
        "PALERMO_EPHEMERAL_KEYS": "0",
        "PALERMO_BEHIND_TLS": "0",
        "PALERMO_MANIFEST_STATIC": "0",
        "PALERMO_ALLOWED_HOSTS": "127.0.0.1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "palermo.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--access-logfile",
        str(log),
        "--access-logformat",
        "%(p)s %(U)s %(s)s",
    ]
    server = subprocess.Popen(  # noqa: S603 - our own interpreter's gunicorn
        command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # Both workers up: the health page asked at once until two process ids have answered it.
        deadline = time.monotonic() + 60
        while len(pids_in(log, "/health/")) < 2:
            assert server.poll() is None, server.stderr.read().decode()[-2000:] if server.stderr else ""
            assert time.monotonic() < deadline, "two workers did not both answer within a minute"
            at_once(4, lambda: _health(base))
            time.sleep(0.2)
        # The count's window is a minute of the clock: start where the requests cannot straddle two.
        into_minute = time.time() % 60
        if into_minute > 40:
            time.sleep(61 - into_minute)
        statuses = at_once(ASKED, lambda: post(base + reverse("api-reflection-lookup"), token))
        time.sleep(0.3)  # the access log is written after each answer
        assert sorted(statuses) == [200] * LIMIT + [429] * (ASKED - LIMIT), statuses
        assert len(pids_in(log, reverse("api-reflection-lookup"))) == 2  # both workers counted
    finally:
        server.terminate()
        server.wait(timeout=30)


def _health(base: str) -> int:
    try:
        with urllib.request.urlopen(base + "/health/", timeout=10) as response:  # noqa: S310 - local
            return int(response.status)
    except OSError:  # not up yet: refused, reset, or a worker still booting past the timeout
        return 0
