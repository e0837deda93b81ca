"""A process killed in the middle of an import leaves nothing written (the import is one transaction).

Runs real processes on a SQLite file (the parent's test database is in memory and cannot be shared):
`tests/exchange/import_child.py` sets it up, imports a long file printing each row, and is killed with
SIGKILL after some rows were written inside the transaction; a fresh process then counts the cases.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.exchange.htcds_files import good_row, htcds_text

ROOT = Path(__file__).resolve().parents[2]
ROWS = 400
KILL_AFTER = 25


def _child(database: Path, *arguments: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PALERMO_EPHEMERAL_KEYS": "1"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(  # noqa: S603  (this interpreter, a fixed module, test arguments)
        [sys.executable, "-m", "tests.exchange.import_child", *arguments],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _output(process: subprocess.Popen[str]) -> str:
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 0
    return out.strip()


@pytest.mark.workers
def test_a_killed_import_leaves_nothing_written(tmp_path: Path) -> None:
    database = tmp_path / "exchange.sqlite3"
    membership_id, agency_id = _output(_child(database, "setup")).split()
    source = tmp_path / "victims.csv"
    source.write_text(htcds_text(good_row() for _ in range(ROWS)), encoding="utf-8")

    process = _child(database, "import", str(source), membership_id, agency_id)
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == f"done {KILL_AFTER}":
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)

    assert process.returncode == -signal.SIGKILL
    assert _output(_child(database, "count")) == "0 0"
