"""What a case has, asked once per request: which kinds of record exist for it.

The whole case page renders a dozen sections, and most cases have no record of many kinds (no residence
application yet, no assistance plan, no consent). Asking each kind's table "anything for this case?" costs one
query per kind; one query with an EXISTS per kind answers them all. `note_present_kinds` asks it and keeps the
answer on the case object of that request only (the page that renders every section calls it on a GET, so
nothing it writes can make the answer stale); `has_none` then lets a selector skip the read of a kind the case
has no row of. A case whose kinds were not noted is read as before.

The check says nothing about who may see what: a kind with rows is read through its selector as before, with
its tiers, redaction and recorded reads; a kind without rows has nothing to show or to record.
"""

from __future__ import annotations

from functools import cache

from django.db import models
from django.db.models import Exists, OuterRef

from palermo.cases.models import Case

_PRESENT = "_palermo_present_kinds"


@cache
def _kinds() -> tuple[tuple[str, type[models.Model], str], ...]:
    """Every model with a foreign key (or one-to-one key) to the case: its label, model and key name."""
    found = []
    for relation in Case._meta.related_objects:
        if relation.many_to_many or relation.related_model is None:
            continue
        model = relation.related_model
        if isinstance(model, str):
            continue
        found.append((model._meta.label_lower, model, relation.field.name))
    return tuple(sorted(set(found), key=lambda kind: (kind[0], kind[2])))


def note_present_kinds(case: Case) -> None:
    """One query: which kinds of record this case has at least one row of; kept on `case` for this request."""
    names = {f"k{number}": kind for number, kind in enumerate(_kinds())}
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            **{
                name: Exists(model._base_manager.filter(**{field: OuterRef("pk")}))
                for name, (_label, model, field) in names.items()
            }
        )
        .values(*names)
        .first()
    )
    present = {names[name][0] for name, exists in (row or {}).items() if exists}
    setattr(case, _PRESENT, frozenset(present))


def has_none(case: Case, model: type[models.Model]) -> bool:
    """True only when the request noted the case's kinds and it has no row of this model's kind."""
    present: frozenset[str] | None = getattr(case, _PRESENT, None)
    return present is not None and model._meta.label_lower not in present
