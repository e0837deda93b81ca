"""An import's progress is seen by other connections while its rows are still being written in one
uncommitted transaction (PostgreSQL: a connection of its own writes the count)."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from palermo.accounts.models import User
from palermo.exchange.jobs import _progress_writer
from palermo.exchange.models import ImportJob, JobStatus


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_before_the_import_commits(responder: User, authority: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite holds one writer at a time: the bar stays indeterminate there")
    job = ImportJob.objects.create(
        started_by=responder,
        membership=responder.membership,  # type: ignore[attr-defined]
        identification_agency=authority.membership.agency,  # type: ignore[attr-defined]
        status=JobStatus.RUNNING,
        stage="checking",
    )
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic(), _progress_writer(job.pk) as progress:
            progress(1, 200)
            progress(2, 200)  # under one step of 200/100 rows: not written
            progress(40, 200)
            with observer.cursor() as cursor:
                cursor.execute("SELECT stage, done, total FROM exchange_importjob WHERE id = %s", [job.pk])
                assert cursor.fetchone() == ("writing", 40, 200)
    finally:
        observer.close()
    job.refresh_from_db()
    assert job.percent == 20
