"""The tolerant search's keyed index (docs/decisions/0042): one row per key of a person's names and birth
date, computed by `palermo.linkage.keys`. A row holds no plaintext: a kind, where on the record the key comes
from (own script, Latin letters, alias, birth date) and a keyed digest. T1 by itself; a match on it tells that
a person is on a case, so every search that uses it is a T2 read, recorded."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.cases.models import Person
from palermo.core.constraints import ChoiceField
from palermo.core.fields import EncryptedCharField, EncryptedModel
from palermo.core.models_meta import one_open
from palermo.core.records import NamedRow, Versioned


class KeySource(models.TextChoices):
    NAME = "n", _("name in own script")
    LATIN = "l", _("name in Latin letters")
    ALIAS = "a", _("another name")
    BIRTH = "b", _("date of birth")


class PersonKey(NamedRow):
    row_name = "{person_id}:{kind}"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="linkage_keys")
    kind = models.CharField(max_length=1)
    source = ChoiceField(KeySource)
    digest = models.CharField(max_length=32)

    class Meta:
        indexes = [
            models.Index(fields=["digest", "person"], name="linkage_key_digest"),
            models.Index(fields=["person", "kind"], name="linkage_key_person"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "source", "kind", "digest"], name="linkage_key_unique")
        ]


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class LinkageRun(NamedRow):
    """One run of the duplicate detection over every person: its progress and what it found (T1: counts)."""

    row_name = "linkage run {pk}"

    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    status = ChoiceField(RunStatus, max_length=10, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=20, blank=True)
    persons = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    MERGED = "merged", _("Same person: merged")
    DISTINCT = "distinct", _("Different persons")


class Candidate(NamedRow, Versioned):
    """A pair of persons on different cases the linkage scored as likely the same (T1: ids and a score;
    reading the persons is a read of each case at the reader's tiers)."""

    row_name = "candidate {pk}"

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="found")
    left = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    status = ChoiceField(CandidateStatus, max_length=10, default=CandidateStatus.PENDING)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="linkage_candidate_pair"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="linkage_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="linkage_candidate_queue")]


class PersonMerge(NamedRow):
    """Two records of one person merged: `merged` is the same person as `kept`. Nothing of either record is
    changed or removed (both cases keep their person, documents and history); the merge links them, and an
    unmerge (`undone_at`) ends the link, which restores exactly what was there."""

    row_name = "merge {pk}"

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_into")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="merges"
    )
    merged_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            one_open("merged", closed_by="undone_at", name="linkage_merged_once"),
        ]


class PartnerNRM(Versioned, EncryptedModel):
    """Another country's NRM registered to ask "is this person known to you?" (docs/decisions/0043). The
    shared secret keys both the encodings and the requests' signatures; it is encrypted at rest."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    country = models.CharField(_("country"), max_length=3)
    contact = models.CharField(_("contact for formal requests"), max_length=300)
    url = models.URLField(_("address of its question endpoint"), blank=True)
    secret = EncryptedCharField(_("shared secret"), max_length=100, tier=2)
    created_at = models.DateTimeField(auto_now_add=True)
    secret_changed_at = models.DateTimeField(null=True, blank=True)  # the last rotation (None: as registered)
    revoked_at = models.DateTimeField(null=True, blank=True)  # deactivated

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerEncoding(NamedRow):
    """A person's encoding under one partner's secret, kept so that a question is answered without
    decrypting anyone; `block` is the keyed birth-year block. Neither is plaintext nor unkeyed."""

    row_name = "encoding {pk}"

    partner = models.ForeignKey(PartnerNRM, on_delete=models.CASCADE, related_name="encodings")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    block = models.CharField(max_length=32)
    encoding = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["partner", "block"], name="linkage_encoding_block")]
        constraints = [models.UniqueConstraint(fields=["partner", "person"], name="linkage_encoding_unique")]


class QueryDirection(models.TextChoices):
    RECEIVED = "received", _("Asked of us")
    SENT = "sent", _("Asked by us")


class PartnerQuery(NamedRow):
    """One question between NRMs and its answer (T1: no encoding, no person is kept)."""

    row_name = "partner query {pk}"

    partner = models.ForeignKey(PartnerNRM, on_delete=models.PROTECT, related_name="queries")
    direction = ChoiceField(QueryDirection, max_length=10)
    likely_known = models.BooleanField()
    asked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]
