"""Abstract bases for who made a record and for which agency, as every area's records on a case name them.

Both are case metadata (T1): plain keys to a staff account and an agency, never cascading, and not reachable
back from the user or the agency (`related_name="+"`). A record that names its actor otherwise (`decided_by`,
`assessed_by`...) keeps that field and inherits only `ForAgency`.
"""

from __future__ import annotations

from django.db import models

from palermo.accounts.models import Agency, User


class ForAgency(models.Model):
    """Abstract: the agency the record was made for (the one its actor was acting for)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class RecordedBy(models.Model):
    """Abstract: the staff member who recorded it."""

    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Recorded(RecordedBy, ForAgency):
    """Abstract: who recorded it, acting for which agency."""

    class Meta:
        abstract = True
