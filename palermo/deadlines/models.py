"""Deadlines: one row per date something on a case must be done by, written by the area that knows the fact.

The deadline clock (brief §3, §7) is computed from case facts and the active rulebook at the moment the fact
is recorded (a referral opens the presumed-victim deadline, a reflection period its end and entitlements, a
permit its expiry and renewal window...). Each area writes its deadlines through `palermo.deadlines.services`
and marks them done when the thing happens, so the "due and overdue" screen, the case search filter and the
daily reminder are plain indexed queries over this table instead of a computation over every case.

A deadline is identified by its source record and kind (`source_type`, `source_id`, `kind`): writing it again
moves it, it never duplicates. It holds no personal data: a kind, dates and who is responsible.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency, User
from palermo.cases.models import Case
from palermo.core.records import NamedRow


class Deadline(NamedRow):
    row_name = "{kind} on case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deadlines")
    # A key registered in palermo.deadlines.kinds, e.g. "identification.presumed_victim_decision".
    kind = models.CharField(_("kind"), max_length=60)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # The record the deadline comes from: its model label ("identification.identificationdecision") and pk.
    source_type = models.CharField(max_length=60)
    source_id = models.CharField(max_length=40)
    responsible_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The last day a reminder for this deadline was sent, so the daily task announces each day once.
    reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind"], name="deadline_one_per_source"
            ),
        ]
        indexes = [
            models.Index(fields=["done_at", "due_at"], name="deadline_open_due"),
            models.Index(fields=["case", "done_at", "due_at"], name="deadline_case_open"),
            models.Index(fields=["responsible_agency", "done_at", "due_at"], name="deadline_agency_open"),
            models.Index(fields=["responsible_user", "done_at", "due_at"], name="deadline_user_open"),
            # The kind filter of the "due and overdue" screen and API.
            models.Index(fields=["kind", "done_at", "due_at"], name="deadline_kind_open"),
            # A case's open deadline of some kinds, soonest first: the decisions due, sorted by due date.
            models.Index(fields=["case", "kind", "done_at", "due_at"], name="deadline_case_kind_open"),
        ]

    @property
    def is_open(self) -> bool:
        return self.done_at is None


class ReminderRun(NamedRow):
    """A daily run of the deadline reminder booked with the task worker: one row per day, so the chain of
    daily runs never books a day twice, and the booking is known without reading the task backend's tables.
    Written in the same transaction as the task it books. Holds no personal data."""

    row_name = "deadline reminder run of {day}"

    day = models.DateField(unique=True)
    run_after = models.DateTimeField()
    # The task result's id, as django-tasks returned it (for an operator following a run in the worker's log).
    task_id = models.CharField(max_length=64, blank=True)
    booked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]
