"""An HTCDS import as a background task (docs/decisions/0052), for the page and the API.

`import_job_start` keeps the uploaded file sealed on an `ImportJob` and queues the task once the request's
transaction commits (its argument is the job's id only). The task runs `htcds_import` (all or nothing, one
transaction) and leaves the counts and the sealed bad-row report on the job; the file is dropped.

Progress: while the file is read the bar is indeterminate (`checking`); while the rows are written it moves
with each row. The rows are written in one transaction, which no other connection can see into, so the count
is written through a connection of its own (PostgreSQL). SQLite holds one writer at a time: there the bar
stays indeterminate until the import ends.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from palermo.accounts.models import Agency, Membership, User
from palermo.core.crypto import DecryptionError, decrypt, encrypt
from palermo.exchange.models import ImportJob, JobStatus
from palermo.exchange.roles import may_import
from palermo.exchange.services import htcds_import, htcds_unseal

# What a job's sealed file and report are bound to (AES-GCM associated data).
FILE_SEAL = b"palermo.exchange.job.file"
REPORT_SEAL = b"palermo.exchange.job.report"
# The most a file may hold (a national register's yearly intake is far below it).
MAX_BYTES = 20 * 1024 * 1024
# Progress is written about this many times per import.
STEPS = 100


def import_job_start(
    *, actor: User, membership: Membership, identification_agency: Agency, data: bytes
) -> ImportJob:
    """Queue an import of `data` (an HTCDS CSV file, or a sealed export of this installation). Raises
    PermissionDenied (not an importing role) and ValidationError (not a file it can read)."""
    if not may_import(membership) or membership.user_id != actor.pk:
        raise PermissionDenied("this role does not import")
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB: split it."), code="too_large")
    try:
        text = htcds_unseal(data)
    except (DecryptionError, UnicodeDecodeError):
        raise ValidationError(
            _("The file is neither UTF-8 CSV nor an export of this installation."), code="unreadable"
        ) from None
    with transaction.atomic():
        job = ImportJob.objects.create(
            started_by=actor,
            membership=membership,
            identification_agency=identification_agency,
            sealed_file=encrypt(text.encode("utf-8"), associated_data=FILE_SEAL),
        )
        job_id = job.pk
        transaction.on_commit(lambda: import_job_task.enqueue(job_id))
    return job


def import_job_for(membership: Membership, job_id: int) -> ImportJob:
    """The member's own job (anyone else's, or none: ImportJob.DoesNotExist, a 404)."""
    return ImportJob.objects.defer("sealed_file").get(
        pk=job_id, started_by_id=membership.user_id, membership=membership
    )


def bad_rows(job: ImportJob) -> list[tuple[int, str]]:
    """The job's bad rows (line, reason), opened from their seal."""
    if not job.sealed_report:
        return []
    found = json.loads(decrypt(bytes(job.sealed_report), associated_data=REPORT_SEAL))
    return [(int(line), str(reason)) for line, reason in found]


@contextmanager
def _progress_writer(job_id: int) -> Iterator[Callable[[int, int], None]]:
    """progress(done, total) for the write phase, seen by other connections before the import commits."""
    if connection.vendor != "postgresql":
        yield lambda done, total: None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = side.ops.quote_name(ImportJob._meta.db_table)
    last = -1

    def progress(done: int, total: int) -> None:
        nonlocal last
        if done != total and done - last < max(1, total // STEPS):
            return
        last = done
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET stage = 'writing', done = %s, total = %s WHERE id = %s",  # noqa: S608
                [done, total, job_id],
            )

    try:
        yield progress
    finally:
        side.close()


def import_job_execute(job_id: int) -> ImportJob:
    """Run a queued import; the job ends `done`, `refused` (bad rows: nothing written) or `failed`."""
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, stage="checking"
    )
    job = ImportJob.objects.select_related("started_by", "membership", "identification_agency").get(pk=job_id)
    if not claimed:
        return job
    try:
        text = decrypt(bytes(job.sealed_file or b""), associated_data=FILE_SEAL).decode("utf-8")
        with _progress_writer(job_id) as progress:
            report = htcds_import(
                actor=job.started_by,
                membership=job.membership,
                identification_agency=job.identification_agency,
                text=text,
                progress=progress,
            )
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, stage="", sealed_file=None, finished_at=timezone.now()
        )
        raise
    sealed = (
        encrypt(json.dumps(report.bad).encode("utf-8"), associated_data=REPORT_SEAL) if report.bad else None
    )
    ImportJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE if report.ok else JobStatus.REFUSED,
        stage="",
        total=report.total,
        done=report.total if report.ok else 0,
        written=report.written,
        bad_count=len(report.bad),
        sealed_report=sealed,
        sealed_file=None,
        finished_at=timezone.now(),
    )
    return ImportJob.objects.get(pk=job_id)


@task()
def import_job_task(job_id: int) -> int:
    """The import in the background; its argument is an id only. Returns the number of cases opened."""
    return import_job_execute(job_id).written
