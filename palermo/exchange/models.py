"""An HTCDS import run in the background (docs/decisions/0052): its progress and its result.

The uploaded file and the bad-row report are personal data at rest (rule 4): both are kept sealed under the
installation's key ring, and the file is dropped once the run ends. Only counts are in the clear (T1).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palermo.core.constraints import ChoiceField
from palermo.core.records import NamedRow


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", pgettext_lazy("import status", "Imported")
    REFUSED = "refused", _("Not imported: bad rows")
    FAILED = "failed", _("Failed: nothing imported")


class ImportJob(NamedRow):
    """One HTCDS file imported as referrals, all or nothing, by one member (only they follow it)."""

    row_name = "import job {pk}"

    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="+")
    identification_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    status = ChoiceField(JobStatus, max_length=10, default=JobStatus.QUEUED)
    # `checking` while the file is read, `writing` while the rows are written (in one transaction).
    stage = models.CharField(max_length=10, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    bad_count = models.PositiveIntegerField(default=0)
    sealed_file = models.BinaryField(null=True, blank=True, editable=False)
    sealed_report = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="exchange_job_starter")]

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.REFUSED, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        """Progress in percent while writing; None while it cannot be told (an indeterminate bar)."""
        if self.finished:
            return 100
        if self.stage != "writing" or not self.total:
            return None
        return min(100, self.done * 100 // self.total)
