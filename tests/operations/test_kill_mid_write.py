"""kill -9 in the middle of an import and of a document upload (issue 21, faults).

Each child process is stopped by SIGKILL at a known point inside its transaction (a patched step prints a line
and waits), so no `except` or `finally` of ours runs. Afterwards: the import left no entry and no audit
event, and a rerun imports the whole file; the upload left no document row, and the file it had already
written is an orphan that `documents_sweep` removes, while a committed document keeps its file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from palermo.audit.models import AuditEvent
from palermo.audit.verify import verify_chain
from palermo.cases.models import CaseDocument
from palermo.origin.models import CountryEntry
from tests.access.test_limits_workers import database_url
from tests.cases.casework import make_case, put_on_team
from tests.cases.test_documents import pdf, upload

ROWS = 1500
HEADER = "country,region,topic,source_title,source_publisher,source_date,source_link,summary,reliability\n"

# Runs `step` of `module` as usual, then, the `after`-th time, says so and waits to be killed.
STALL = """
import sys, time, django
django.setup()
import {module} as target
real, calls = target.{step}, []
def stalled(*args, **kwargs):
    answer = real(*args, **kwargs)
    calls.append(1)
    if len(calls) == {after}:
        print("stalled", flush=True)
        time.sleep(120)
    return answer
target.{step} = stalled
"""


def child_environment(**extra: str) -> dict[str, str]:
    """A child process's environment: the test database and this test run's keys."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "palermo.settings",
        "PALERMO_EPHEMERAL_KEYS": "0",
        "DATABASE_URL": database_url(),
        "PALERMO_FIELD_KEYS": django_settings.FIELD_KEYS,
        "PALERMO_BLIND_INDEX_KEY": django_settings.BLIND_INDEX_KEY,
        "PALERMO_AUDIT_KEYS": django_settings.AUDIT_KEYS,
        "PALERMO_SECRET_KEY": django_settings.SECRET_KEY,
        **extra,
    }


def killed_half_way(script: str, *arguments: str, store: Path | None = None, **extra: str) -> None:
    """Run `script` in a child process on the test database; SIGKILL it once it prints "stalled"."""
    environment = child_environment(**({"PALERMO_DOCUMENT_STORE": str(store)} if store else {}), **extra)
    child = subprocess.Popen(  # noqa: S603 (our own script, in this interpreter)
        [sys.executable, "-u", "-c", script, *arguments],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    said = child.stdout.readline()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert said.strip() == "stalled", "the child ended before the point where it was to be killed"
    assert child.returncode == -signal.SIGKILL


@pytest.mark.workers
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_leaves_nothing_and_a_rerun_imports_it_all(tmp_path):
    rows = (
        f"NGA,,risk_on_return,Synthetic report {n},Institute,2025-01-02,,Synthetic summary {n}.,Study.\n"
        for n in range(ROWS)
    )
    source = tmp_path / "entries.csv"
    source.write_text(HEADER + "".join(rows))
    script = STALL.format(module="palermo.origin.services.transfer", step="entry_create", after=ROWS // 2)
    script += "from django.core.management import call_command\ncall_command('origin_import', sys.argv[1])\n"
    killed_half_way(script, str(source))

    assert not CountryEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="origin.entries_import").exists()
    call_command("origin_import", str(source), stdout=StringIO())
    assert CountryEntry.objects.count() == ROWS
    assert verify_chain().intact


@pytest.mark.workers
@pytest.mark.django_db(transaction=True)
def test_an_upload_killed_half_way_leaves_no_row_and_the_sweep_removes_its_file(manager, document_store):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    script = STALL.format(module="palermo.cases.services.documents", step="record_entry", after=1)
    script += textwrap.dedent("""
        from palermo.accounts.models import Membership
        from palermo.cases.models import Case
        membership = Membership.objects.select_related("user").get(pk=int(sys.argv[1]))
        target.case_document_add(
            actor=membership.user, membership=membership, case=Case.objects.get(pk=int(sys.argv[2])),
            content=b"%PDF-1.7\\n% synthetic\\n%%EOF\\n", filename="s.pdf", kind="statement", tier=4,
        )
    """)
    killed_half_way(script, str(manager.membership.pk), str(case.pk), store=document_store)

    assert not CaseDocument.objects.exists()
    left = [path for path in Path(document_store).rglob("*") if path.is_file()]
    assert len(left) == 1, "the file was written before the row, so the kill left it behind"
    kept = upload(manager, case, pdf("committed"))
    call_command("documents_sweep", "--grace-minutes", "0", stdout=StringIO())
    assert [path.name for path in Path(document_store).rglob("*") if path.is_file()] == [kept.storage_name]


@pytest.mark.django_db
def test_the_sweep_leaves_a_young_file_alone(manager, document_store):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    document = upload(manager, case, pdf("in progress"))
    CaseDocument.objects.filter(pk=document.pk).delete()  # as if its row were not committed yet
    out = StringIO()
    call_command("documents_sweep", stdout=out)
    assert "removed 0" in out.getvalue()
    assert [path.name for path in Path(document_store).rglob("*") if path.is_file()] == [
        document.storage_name
    ]
