"""Citing country information in a decision: attach an entry (its current revision and content hash) to a
registered decision, or remove it. A change to the decision's case: one timeline entry and audit event
(`record_entry`), by those the decision's area lets cite."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import EventKind
from palermo.cases.services.timeline import Entry, record_entry
from palermo.origin.citations import CitedDecision, DecisionKind, located
from palermo.origin.models import Citation, CountryEntry, EntryStatus

# A citation's two steps on the decision's case: the timeline's words and the audit action.
CITE = (gettext_noop("Country information cited in a decision"), "origin.citation_add")
UNCITE = (gettext_noop("Country information no longer cited in a decision"), "origin.citation_remove")


def _on_case(
    step: tuple[str, str],
    kind: DecisionKind,
    decision: CitedDecision,
    citation: Citation,
    *,
    actor: User,
    membership: Membership,
) -> None:
    """The step on the decision's case: one timeline entry and audit event (T1), in the decision's area."""
    summary, action = step
    entry = Entry(summary, action, int(Tier.METADATA), EventKind(kind.event_kind), "citation")
    record_entry(entry, citation, actor=actor, membership=membership, case=decision.case)


def citation_add(
    *, actor: User, membership: Membership, decision_kind: str, decision_id: int, entry_id: int
) -> Citation:
    """Cite an entry's current revision in a decision; citing it again changes nothing. An entry marked out of
    date is not cited."""
    kind, decision = located(membership, decision_kind, decision_id)
    if not kind.may_cite(membership, decision.case):
        raise PermissionDenied("this membership may not cite on this decision")
    entry = CountryEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise ValidationError({"entry": _("No such country information entry.")})
    if entry.status == EntryStatus.OUT_OF_DATE:
        raise ValidationError({"entry": _("This entry is marked out of date: cite a current one.")})
    existing = Citation.objects.filter(decision_kind=kind.key, decision_id=decision_id, entry=entry).first()
    if existing is not None:
        return existing
    revision = entry.revisions.order_by("-number").first()  # every entry is saved with its first
    if revision is None:
        raise ValidationError({"entry": _("No such country information entry.")})
    try:
        with transaction.atomic():
            citation = Citation.objects.create(
                decision_kind=kind.key,
                decision_id=decision_id,
                entry=entry,
                revision=revision,
                content_hash=revision.content_hash,
                cited_by=actor,
                cited_at=timezone.now(),
            )
            _on_case(CITE, kind, decision, citation, actor=actor, membership=membership)
    except IntegrityError:  # the same citation made at the same moment: the first one stands
        return Citation.objects.get(decision_kind=kind.key, decision_id=decision_id, entry=entry)
    return citation


def citation_remove(
    *, actor: User, membership: Membership, decision_kind: str, decision_id: int, citation_id: int
) -> None:
    """Remove a citation from a decision; removing one already removed changes nothing."""
    kind, decision = located(membership, decision_kind, decision_id)
    if not kind.may_cite(membership, decision.case):
        raise PermissionDenied("this membership may not cite on this decision")
    with transaction.atomic():
        citation = (
            Citation.objects.select_for_update()
            .filter(pk=citation_id, decision_kind=kind.key, decision_id=decision_id)
            .first()
        )
        if citation is None:
            return
        _on_case(UNCITE, kind, decision, citation, actor=actor, membership=membership)
        citation.delete()
